"""Fine lines inside the painted areas: the thin lines a woodblock's key block cuts into its flat colour to pattern
water, grass and ground (Hokusai's waves and reeds), where a brush painter would lay more paint.

The lines run along the strokes' direction field a few pixels apart, stop where the picture changes colour (as the
paint does), and are drawn thin and dark: the painter's line colour mixed with the darker paint beneath. They are
laid in the open areas low in the picture only (water, fields, ground): skies stay flat colour, as his do, and busy
areas already have their detail (lines there, along a field that turns with every detail, were a scribble).
"""

from __future__ import annotations

import torch

from .brush import Strokes, trace
from .filters import row_norm, sample
from .stroke_style import StrokeStyle

SPACING = 7.0  # px at 512 between neighbouring lines (a grid cell per line): his wave lines lie 5-10 px apart
WIDTH = 0.6  # line radius at 512 px: one pixel wide at the measure's scale, as his key-block lines are
# A traced step is one radius (brush.py stamps one disc per step for a thin brush: longer steps draw a dotted line),
# and a path holds at most brush.MAX_POINTS points: a line is up to 2 x 30 radii long (36 px at 512).
STEPS = 30
# OKLab distance from the colour under its seed at which a line stops: under the paint's own EDGE (plan.py), so a
# line stays inside its area rather than carrying its pattern across a shape's edge.
STOP = 0.06


def jittered_grid(width: int, height: int, cell: float, generator: torch.Generator) -> torch.Tensor:
    """(N, 2) points (x, y), one at a random place in each `cell`-wide square of a grid over the picture (the squares
    on its far edges included), clamped inside it: spread evenly, never in rows."""
    rows, cols = int(height // cell) + 1, int(width // cell) + 1
    ys, xs = torch.meshgrid(torch.arange(rows), torch.arange(cols), indexing="ij")
    corner = torch.stack([xs.flatten(), ys.flatten()], dim=1).float() * cell
    points = corner + torch.rand((rows * cols, 2), generator=generator) * cell
    points[:, 0].clamp_(0, width - 1)
    points[:, 1].clamp_(0, height - 1)
    return points


def hatch_lines(
    mapped: torch.Tensor,
    stops: torch.Tensor,
    field: torch.Tensor,
    memberships: torch.Tensor,
    style: StrokeStyle,
    unit: float,
    generator: torch.Generator,
    below: int = 0,
) -> tuple[Strokes, torch.Tensor]:
    """Thin lines (Strokes) and their OKLab colours (N, 3) for a (3, H, W) picture in the painter's colours `mapped`,
    stopping at the edges of `stops`, along the doubled-angle `field`; `memberships` (3, H, W): the region kinds
    (field.region_memberships), of which the second, the open areas low down, gets lines. The style's `line_hatch`
    (0 to 1) is the share of the grid cells there that get one. None is seeded above row `below` (a scene's horizon
    over its water: the open areas above it are sky, which the position alone took for ground low in the picture)."""
    _, height, width = mapped.shape
    radius = max(0.5, WIDTH * unit)
    # The lines keep their share of the area at any size: where the radius stops shrinking (half a pixel, in a small
    # preview) they lie further apart, or they would merge into a dark fill.
    cell = SPACING / WIDTH * radius
    seeds = jittered_grid(width, height, cell, generator)
    # Clearly low and open only: half the membership is the middle of the picture's height, where a line would run on
    # into the sky.
    lower = ((sample(memberships[1:2], seeds)[:, 0] - 0.5) * 2).clamp_min(0) * (seeds[:, 1] >= below)
    chosen = torch.rand(seeds.shape[0], generator=generator) < style.line_hatch * lower
    seeds = seeds[chosen]
    if seeds.shape[0] == 0:
        return Strokes.empty(), torch.zeros((0, 3))
    seed_colour = sample(stops, seeds)

    def keeps_going(points: torch.Tensor) -> torch.Tensor:
        return row_norm(sample(stops, points) - seed_colour) < STOP

    strokes = trace(
        seeds,
        torch.full((seeds.shape[0],), radius),
        field,
        keeps_going,
        max_steps=STEPS,
        smoothing=0.5,
        generator=generator,
    )
    long_enough = (strokes.last - strokes.first) >= 8  # a line, not a dot
    strokes = Strokes(
        strokes.paths[long_enough], strokes.first[long_enough], strokes.last[long_enough], strokes.radius[long_enough]
    )
    under = sample(mapped, seeds[long_enough])
    under[:, 0] *= 0.7
    colours = 0.5 * under + 0.5 * style.outline_colour[None]
    return strokes, colours
