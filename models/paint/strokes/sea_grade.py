"""The sea's grade: a woodblock print's water is printed in graded blue on the bare paper, a band of it just under the
horizon fading fast, the middle distance pale, and the blue deepening toward the front (Hokusai's Kazusa Sea Route and
Ryōgoku Bridge), where a brush painter's sea is one tint (and a scene's sketched sea a slate grey).

The water is painted flat in that print's colour at each depth (bokashi's ink over his paper, as the sky's grade lays
it), as a print's block lays it, and the contours and fine wave lines over it (outline.py, hatching.py) stay as his
key block's lines over the colour. On the water alone: a boat on it or a wave's foam keeps its colour.

One learned amount (stroke_style.BOUNDS `sea_grade`, 0 to 1): how far. A photograph has no water map (finding water by
colour and place took skies, helmets and petals for it, session 14), so only a scene composed from words is graded:
its composer knows where its sea, lake or river is.
"""

from __future__ import annotations

import torch

from .bokashi import INK_GAIN, INK_POWER, PAPER, apply_grade

# His Kazusa Sea Route at 512 px, OKLab lightness down the open sea at both edges of the print (horizon at 52% of the
# height): 0.51-0.69 at the horizon, back to the pale sea's 0.84 by 9% of the height below it; then from a third of the
# way down the water to the bottom 0.78 -> 0.33, b 0.03 -> -0.09 (Ryōgoku's river 0.72 -> 0.49 over its lower
# two-thirds). As his ink over his paper (bokashi.INK, PAPER): about 0.35 of the full ink at the horizon and 0.5 at
# the bottom. The band's share of the picture's height, and the ink at its top:
BAND, BAND_INK = 0.1, 0.35
# Where the front's deepening starts (a share of the way from the water's top to the bottom) and the ink at the bottom.
FRONT_FROM, FRONT_INK = 0.3, 0.5
# A row belongs to the open water from this share of the widest row's water on: the water's top is its horizon (a
# mast or a rock standing into it leaves most of the row water).
HORIZON_SHARE = 0.25


def water_rows(water: torch.Tensor) -> tuple[int, int] | None:
    """The open water's first and past-last rows in a (H, W) map of the water (1 on it): the rows at least
    HORIZON_SHARE as wide as its widest; None when there is no water."""
    rows = water.float().mean(1)
    widest = float(rows.max())
    if widest <= 0:
        return None
    open_rows = (rows >= HORIZON_SHARE * widest).nonzero().flatten()
    return int(open_rows[0]), int(open_rows[-1]) + 1


def sea_grade_map(water: torch.Tensor, amount: float) -> torch.Tensor:
    """(1, H, W) how far each pixel of a (H, W) map of the water (1 on it, 0 off it, soft at its edges when resized) is
    graded (bokashi.apply_grade's grade over his paper, 0 to `amount`)."""
    height, width = water.shape
    found = water_rows(water)
    if found is None:
        return torch.zeros((1, height, width))
    horizon, front_edge = found  # a lake deepens to its own front, not the frame's
    # Water above that row (a river narrowing into the distance) is graded as the horizon is, not left bare paper.
    below = (torch.arange(height, dtype=torch.float32) + 0.5 - horizon).clamp_min(0)
    band = BAND_INK * (1 - below / (BAND * height)).clamp(0, 1) ** 2
    way_down = (below / max(front_edge - horizon, 1)).clamp(0, 1)
    front = FRONT_INK * ((way_down - FRONT_FROM) / (1 - FRONT_FROM)).clamp(0, 1)
    ink = torch.maximum(band, front)
    # The grade that lays that much ink (bokashi.apply_grade lays INK_GAIN * grade ** INK_POWER of it).
    grade = (ink / INK_GAIN) ** (1 / INK_POWER)
    return amount * grade[None, :, None] * water.float()[None]


def sea_paint(water: torch.Tensor, amount: float) -> torch.Tensor:
    """(4, H, W) for a (H, W) map of the water (1 on it): his printed sea's OKLab colour at each row's depth, and how
    far (0 to `amount`) each pixel's paint goes to it (raster.py; the contours over it stay)."""
    height, width = water.shape
    grade = sea_grade_map(water, 1.0).amax(2, keepdim=True)  # (1, H, 1): the grade of each row's water
    printed = apply_grade(torch.tensor(PAPER).view(3, 1, 1).expand(3, height, 1), grade, ink=1.0)  # (3, H, 1)
    return torch.cat([printed.expand(3, height, width), amount * water.float()[None]])
