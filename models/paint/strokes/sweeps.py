"""Broad sweeps in the wash: the open areas laid with a big brush in sweeps of lighter, warmer and darker, cooler paint.

Where a painter veils his open areas in a wash (wash.py: Turner's skies and sea at 0.8), the wash was one even colour
per shape: a sketch's sky became a plain flat tint, with no energy in it, where his skies are broad, directed sweeps
of the brush, lighter and darker, warm ochre beside cool grey (The Wreck's storm clouds; the measure, too, finds the
sketches' marks at 8-32 px 7-14 standard deviations short of his). `sweep_field` is smooth noise averaged along the
strokes' own direction field (line integral convolution, Cabral & Leedom 1993): values that change slowly along the
flow and over a brush's width across it, so they lie in sweeps that follow the strokes' paths (round the light in a
sky where the painter swirls, level over water where he hatches). `swept` lays them into the wash's colour: lighter
and toward the painter's warm side where the field is high, darker and cooler where it is low, by the style's
learned `sweep` (0 to 1; 0 for every style saved before it, and then nothing here is worked out).

The sweeps are made at the plan's size and soft (SWEEP_SOFTNESS), and lie only in the wash's colour, so they show as
far as the wash does (its amount times the openness: busy areas keep their strokes) and tiles still join exactly.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .field import integrate_along
from .filters import blur

SWEEP_WIDTH = 20.0  # px at 512: the broad noise's cell, so how wide a sweep is across the flow (a broad brush)
STREAK_WIDTH = 4.0  # px at 512: the fine noise's cell: the streaks the bristles drag along each sweep
STREAK_SHARE = 0.15  # how much of the sweeps' spread is the streaks' (more drew them as oriented lines: the measure's
# coherence at 2-8 px went from +12 to +15 standard deviations on the README sketch)
MASS_WIDTH = 64.0  # px at 512: the coarsest noise's cell: the storm's broad masses of light and dark
MASS_SHARE = 0.45  # how much of the sweeps' spread is the masses' (the rest the broad sweeps')
SWEEP_REACH, SWEEP_STEPS = 24.0, 8  # px at 512 each way along the flow a sweep averages over, in that many steps
SWEEP_STRAIGHTEN = 40.0  # blur of the direction field at 512 px before the sweeps follow it: broad curves, no curls
# px at 512 between the points where the sweeps are worked out, then enlarged: at 1.5 px and 12 steps they cost 0.25 CPU s
# at 512 px, at 3 px and 8 steps 0.07 s, and looked the same (the six unseen pictures' median 3.003 and 3.009)
SWEEP_GRID = 3.0
SWEEP_SOFTNESS = 2.0  # blur of the sweeps at 512 px, after enlarging: soft-edged, as paint laid wet
SWEEP_LOWER = 0.4  # how strong the sweeps are in open areas low in the picture (ground, water) beside skies (1)
SWEEP_LIGHT = 0.08  # OKLab lightness one standard deviation of the sweeps moves at sweep 1
SWEEP_WARMTH = 0.03  # OKLab a/b lean of the lighter sweeps toward the painter's warm side at sweep 1
SWEEP_GREY = 0.4  # share of its chroma a darker sweep loses per standard deviation at sweep 1 (cool greys, not blue)
# `cream_sweeps`: the cream the lighter sweeps go toward, in OKLab lightness and a share of the painter's gold's chroma
# (blaze.blaze_gold: Turner's lightest paint, chroma 0.144, hue 87): The Wreck's lightest 2% average L 0.87, chroma
# 0.135, hue 90.
CREAM_LIGHT, CREAM_CHROMA = 0.9, 0.85


def _noise(cells: float, height: int, width: int, generator: torch.Generator, like: torch.Tensor) -> torch.Tensor:
    """(1, H, W) smooth noise of spread about 1 whose features are `cells` px across (bilinear between cells)."""
    coarse = torch.randn((1, 1, math.ceil(height / cells) + 1, math.ceil(width / cells) + 1), generator=generator)
    return F.interpolate(coarse, size=(height, width), mode="bilinear", align_corners=False)[0].to(like)


def sweep_field(
    field: torch.Tensor, memberships: torch.Tensor, unit: float, generator: torch.Generator
) -> torch.Tensor:
    """(H, W): smooth noise of spread 1 averaged along a doubled-angle direction field (2, H, W), then weakened to
    SWEEP_LOWER in the open areas low in the picture (`memberships`: field.region_memberships)."""
    _, height, width = field.shape
    broad = _noise(max(1.0, SWEEP_WIDTH * unit), height, width, generator, field)
    fine = _noise(max(1.0, STREAK_WIDTH * unit), height, width, generator, field)
    masses = _noise(max(1.0, MASS_WIDTH * unit), height, width, generator, field)
    flow = blur(field, SWEEP_STRAIGHTEN * unit)
    grid = max(1.0, SWEEP_GRID * unit)
    ys = torch.arange(0, height, grid, dtype=field.dtype)
    xs = torch.arange(0, width, grid, dtype=field.dtype)
    y, x = torch.meshgrid(ys, xs, indexing="ij")
    points = torch.stack([x.flatten(), y.flatten()], dim=1)
    noise = torch.cat([broad, fine, masses])
    total = integrate_along(noise, flow, points, SWEEP_REACH * unit / SWEEP_STEPS, SWEEP_STEPS)
    total = total / total.std(0).clamp_min(1e-8)
    mixed = (1 - STREAK_SHARE - MASS_SHARE) * total[:, 0] + STREAK_SHARE * total[:, 1] + MASS_SHARE * total[:, 2]
    mixed = mixed.view(1, 1, len(ys), len(xs))
    sweeps = F.interpolate(mixed, size=(height, width), mode="bilinear", align_corners=False)[0]
    sweeps = blur(sweeps, SWEEP_SOFTNESS * unit)[0]
    sweeps = (sweeps - sweeps.mean()) / sweeps.std().clamp_min(1e-8)
    upper = memberships[0] / (memberships[0] + memberships[1]).clamp_min(1e-6)
    return sweeps * (SWEEP_LOWER + (1 - SWEEP_LOWER) * upper)


def swept(
    colour: torch.Tensor,
    sweeps: torch.Tensor,
    amount: float,
    warmth: torch.Tensor,
    cream: torch.Tensor | None = None,
    creamy: float = 0.0,
) -> torch.Tensor:
    """A (3, H, W) OKLab wash colour laid in `sweeps` (H, W): lighter and warmer where they are high, darker and
    greyer where low, by `amount` (0 to 1); `warmth` (2,): the painter's warm direction in OKLab a/b. With a `cream`
    (3,) OKLab and `creamy` (0 to 1), that share of a lighter sweep's move goes toward the cream instead (`creamed`)."""
    lean = warmth.to(colour) / warmth.norm().clamp_min(1e-6)
    shift = amount * sweeps[None]
    greyer = (1 + SWEEP_GREY * shift.clamp(max=0)).clamp_min(0)
    warmer = SWEEP_WARMTH * shift.clamp_min(0) * lean[:, None, None]
    laid = torch.cat([colour[:1] + SWEEP_LIGHT * shift, colour[1:] * greyer + warmer])
    if cream is None or creamy <= 0:
        return laid
    lighter = shift > 0
    toward = creamed(colour, SWEEP_LIGHT * shift.clamp_min(0), cream.to(colour))
    return torch.where(lighter, laid + creamy * (toward - laid), laid)


def sweep_cream(gold: torch.Tensor) -> torch.Tensor:
    """The cream (OKLab (3,)) the lighter sweeps go toward for the painter's `gold` (2,): CREAM_LIGHT, CREAM_CHROMA."""
    return torch.cat([torch.tensor([CREAM_LIGHT]).to(gold), CREAM_CHROMA * gold])


def creamed(colour: torch.Tensor, lift: torch.Tensor, cream: torch.Tensor) -> torch.Tensor:
    """A (3, H, W) OKLab colour mixed toward a pale `cream` (3,) far enough to gain `lift` (1, H, W) in lightness, and
    all the way where that is more than is left to the cream's: a lighter sweep in the lights goes pale (Turner's
    lights are his cream-gold mixed with white), where lightening and warming it ran past white into a lemon yellow
    (the README sketch's sky L 1.0, chroma 0.24, which sRGB clipped to 255, 227, 0)."""
    room = (cream[0] - colour[:1]).clamp_min(1e-3)
    share = (lift / room).clamp(0, 1)
    return colour + share * (cream[:, None, None] - colour)
