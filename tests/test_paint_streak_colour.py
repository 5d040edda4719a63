"""Bristle streaks that vary the paint's chroma with its lightness (the style's `streak_colour`: surface.py)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"impasto": 0.0, "edges": 0.0, "softness": 0.0, "brush_size": 0.03, "bristles": 0.25, "grain": 0.0}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def test_the_bristle_streaks_colour_the_finest_texture():
    """An orange picture with bristle streaks, one plan: with `streak_colour` 1 the chroma's finest band holds far
    more energy than at 0 (where only the strokes' edges vary it), the lightness is the same (but where sRGB clips), and the picture drawn
    in 96-px tiles is the one drawn whole."""
    assert ADDED_LATER["streak_colour"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (256, 256), (220, 110, 40)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 256, 256)

    def painted(amount: float, tile: int = 512) -> torch.Tensor:
        return to_oklab(list(rasterize(plan, _style(streak_colour=amount), 256, 256, seed=2, tile=tile))[-1][1])

    def fine_chroma(lab: torch.Tensor) -> float:
        chroma = lab[1:].norm(dim=0)[None, None]
        return float((chroma - F.avg_pool2d(chroma, 5, 1, 2, count_include_pad=False)).pow(2).mean())

    plain, coloured = painted(0.0), painted(1.0)
    assert fine_chroma(coloured) > 3 * fine_chroma(plain)
    assert float((coloured[0] - plain[0]).abs().mean()) < 0.002  # the same lightness, but where sRGB clips a vivid colour
    assert torch.equal(list(rasterize(plan, _style(streak_colour=1.0), 256, 256, seed=2, tile=96))[-1][1],
                       list(rasterize(plan, _style(streak_colour=1.0), 256, 256, seed=2))[-1][1])
