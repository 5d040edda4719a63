"""Contours where the painter draws them: long, smooth strokes along the strongest edges of the simplified picture.

Seeds sit on the strongest edge pixel of each grid cell; each contour is traced both ways along the
edge with a lot of inertia and ends where the edge fades. Short pieces are dropped; the path is smoothed (a calligrapher's line, not a wobble) and drawn thick in the middle
and thin at the ends. Its colour is the painter's line colour (measured from the paintings) mixed
with the darker side of the edge, darkened.
"""

from __future__ import annotations

import torch

from .brush import Strokes, trace
from .field import structure_tensor, tangent_of
from .filters import blur, gradients, row_norm, sample
from .stroke_style import StrokeStyle


def _edge_strength(lab: torch.Tensor, unit: float) -> torch.Tensor:
    gx, gy = gradients(blur(lab, 1.0 * unit) * torch.tensor([2.0, 1.0, 1.0])[:, None, None])
    return (gx * gx + gy * gy).sum(0, keepdim=True).sqrt()


def _smoothed(paths: torch.Tensor, first: torch.Tensor, last: torch.Tensor, passes: int = 3) -> torch.Tensor:
    """Average each inner point with its neighbours, a few times; the ends stay where they are."""
    index = torch.arange(paths.shape[1])[None]
    inner = ((index > first[:, None]) & (index < last[:, None]))[..., None]
    for _ in range(passes):
        neighbours = (torch.roll(paths, 1, dims=1) + torch.roll(paths, -1, dims=1)) / 2
        paths = torch.where(inner, 0.5 * paths + 0.5 * neighbours, paths)
    return paths


def outline_strokes(
    mapped: torch.Tensor,
    style: StrokeStyle,
    strength: float,
    unit: float,
    generator: torch.Generator,
    lost: torch.Tensor | None = None,
) -> tuple[Strokes, torch.Tensor]:
    """Contour strokes for a (3, H, W) OKLab picture, and their colours (N, 3). `lost` (H, W): where the
    painter loses edges (lost_edges.py), their contours fade by as much."""
    _, height, width = mapped.shape
    edges = _edge_strength(mapped, unit)
    # Stronger outlining reaches weaker edges: the cut-off falls from the 99th to the 90th percentile.
    level = 0.99 - 0.09 * min(strength, 1.0)
    cut = torch.quantile(edges.flatten()[:: max(1, edges.numel() // 65536)], level).clamp_min(0.02)
    if lost is not None:
        edges = edges * (1 - lost)
    cell = max(4, round(14 * unit))
    rows, cols = -(-height // cell), -(-width // cell)
    padded = torch.nn.functional.pad(edges[None], (0, cols * cell - width, 0, rows * cell - height))
    best, where = torch.nn.functional.max_pool2d(padded, cell, return_indices=True)
    where = where.flatten()[best.flatten() > cut]
    if where.numel() == 0:
        empty = torch.zeros((0, 3, 2))
        return Strokes(
            empty, torch.zeros(0, dtype=torch.long), torch.zeros(0, dtype=torch.long), torch.zeros(0)
        ), torch.zeros((0, 3))
    seeds = torch.stack([where % (cols * cell), where // (cols * cell)], dim=1).float()
    seeds[:, 0].clamp_(0, width - 1)
    seeds[:, 1].clamp_(0, height - 1)
    tangent, _ = tangent_of(structure_tensor(mapped, 1.5 * unit))

    def keeps_going(points: torch.Tensor) -> torch.Tensor:
        return sample(edges, points)[:, 0] > 0.5 * cut

    step = 2.5 * unit
    radius = torch.full((seeds.shape[0],), style.outline_width * unit * (0.6 + 0.4 * min(strength, 1.5)))
    strokes = trace(
        seeds,
        torch.full((seeds.shape[0],), step),
        tangent,
        keeps_going,
        max_steps=14,
        smoothing=0.6,
        generator=generator,
    )
    # A contour is a line, not a dash: keep those that run at least a few steps along their edge.
    long_enough = (strokes.last - strokes.first) >= 4
    seeds = seeds[long_enough]
    strokes = Strokes(
        strokes.paths[long_enough], strokes.first[long_enough], strokes.last[long_enough], strokes.radius[long_enough]
    )
    radius = radius[long_enough]
    paths = _smoothed(strokes.paths, strokes.first, strokes.last)
    # Pressure: a contour along a stronger edge is drawn a little wider.
    weight = (sample(edges, seeds)[:, 0] / cut).clamp(1, 2.5) ** 0.5
    strokes = Strokes(paths=paths, first=strokes.first, last=strokes.last, radius=radius * weight)
    # The darker side of the edge: sample a little way across it, both sides, keep the darker.
    gx, gy = gradients(blur(mapped[:1], 1.0 * unit))
    normal = sample(torch.cat([gx, gy]), seeds)
    normal = normal / row_norm(normal)[:, None].clamp_min(1e-9) * 3 * unit
    one, other = sample(mapped, seeds + normal), sample(mapped, seeds - normal)
    darker = torch.where((one[:, :1] < other[:, :1]), one, other)
    darker[:, 0] *= 0.6
    mix = min(1.0, 0.4 + 0.4 * strength)
    colours = (1 - mix) * darker + mix * style.outline_colour[None]
    return strokes, colours
