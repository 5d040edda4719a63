"""A last layer of small dashes in strongly contrasting colours, over patches of the painting (Van Gogh's).

His skies and fields are dashes 3-6 px wide at 512 px laid side by side in strongly different colours: pale
yellow-cream against cobalt in The Starry Night's sky. The layers before paint only where the canvas still differs
from the picture, so a flat sky is left in a few broad strokes of close colours. This layer lays a dash of the finest
brush in a share (the style's `dash_layer`) of the finest brush's cells, the dash taking the canvas's colour there
moved a random share of the way lighter and toward the painter's light tint (his lights' hue, a pale yellow-green in a
blue sky) or as far the other way (deeper, more vivid). Only over patches (a coarse random field's top PATCH_SHARE):
his surface varies from place to place, and dashes everywhere made the finest texture far too even by the measure
(`unevenness1` -1.9 SD; session 16). Each dash is laid whole: one that would lie over the dashes before it by more
than DASH_OVERLAP of its footprint is left out, so the dashes lie side by side, where laid densely each was covered
by the next ones but for a quarter of it, a grain of rice (session 17).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from .brush import Strokes, trace
from .filters import sample
from .strands import DASH_LIGHT  # a dash moves as far in lightness as a strand's

PATCH_SHARE = 0.4  # share of the picture whose cells may take a dash
PATCH_SIZE = 40  # px at the plan's size between the patch field's random values
DASH_PALE = 0.35  # share of its chroma a lighter dash loses toward the tint, as far gained by a deeper one
DASH_TINT = 0.7  # how far a lighter dash's (a, b) goes to the painter's light tint
# The share of a dash's footprint that may lie over the dashes laid before it: laid densely, each was covered by the
# next ones but for a quarter of it, a grain of rice where he lays whole dashes side by side (session 17).
DASH_OVERLAP = 0.3


def layer_dash_colours(
    canvas: torch.Tensor, seeds: torch.Tensor, light_tint: torch.Tensor | None, generator: torch.Generator
) -> torch.Tensor:
    """(N, 3) OKLab colours of dashes at `seeds` (N, 2) over the (3, H, W) OKLab `canvas`: each its canvas colour moved
    a random share (0.5 to 1, either way) toward a lighter, paler colour leaning to `light_tint` (2,) (a, b)."""
    colours = sample(canvas, seeds)
    sign = torch.where(torch.rand(seeds.shape[0], generator=generator) < 0.5, -1.0, 1.0)
    share = 0.5 + 0.5 * torch.rand(seeds.shape[0], generator=generator)
    lighter = colours.clone()
    lighter[:, 0] += DASH_LIGHT
    lighter[:, 1:] *= 1 - DASH_PALE
    if light_tint is not None:
        lighter[:, 1:] = (1 - DASH_TINT) * lighter[:, 1:] + DASH_TINT * light_tint
    return colours + (sign * share)[:, None] * (lighter - colours)


def dash_seeds(cells: torch.Tensor, height: int, width: int, amount: float, generator: torch.Generator) -> torch.Tensor:
    """The seeds (N, 2) of `cells` (one per cell of the finest brush) that take a dash: those in the patches, and of
    them the share `amount`."""
    coarse = torch.rand((1, 1, max(2, height // PATCH_SIZE), max(2, width // PATCH_SIZE)), generator=generator)
    patches = F.interpolate(coarse, size=(height, width), mode="bicubic", align_corners=False)[0]
    cells = cells[sample(patches, cells)[:, 0] > torch.quantile(patches.flatten()[::7], 1 - PATCH_SHARE)]
    return cells[torch.rand(cells.shape[0], generator=generator) < amount]


def whole_dashes(strokes: Strokes, height: int, width: int, overlap: float) -> torch.Tensor:
    """(N,) which of `strokes` (in painting order) to keep so that each lies over the kept ones before it by at most
    the share `overlap` of its footprint: the discs of its points on a grid over the (height, width) plan, of cells
    about a fifth of the dash's width (a pixel at 512; coarser on a larger plan, where it would only cost time)."""
    radius = float(strokes.radius.max()) if strokes.count else 0.0
    cell = max(1, round(0.4 * radius))
    rows, cols = -(-height // cell), -(-width // cell)
    radius /= cell
    reach = int(np.ceil(radius))
    dy, dx = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    disc = (dx * dx + dy * dy) <= radius * radius
    offsets = np.stack([dx[disc], dy[disc]], axis=1)  # (D, 2)
    points = (strokes.paths / cell).round().long().numpy()  # (N, P, 2)
    index = np.arange(points.shape[1])[None]
    valid = (index >= strokes.first.numpy()[:, None]) & (index <= strokes.last.numpy()[:, None])
    pixels = points[:, :, None, :] + offsets[None, None]  # (N, P, D, 2)
    inside = valid[:, :, None] & (pixels[..., 0] >= 0) & (pixels[..., 0] < cols)
    inside &= (pixels[..., 1] >= 0) & (pixels[..., 1] < rows)
    flat = (pixels[..., 1] * cols + pixels[..., 0]).reshape(strokes.count, -1)
    inside = inside.reshape(strokes.count, -1)
    occupied = np.zeros(rows * cols, dtype=bool)
    keep = np.zeros(strokes.count, dtype=bool)
    for number in range(strokes.count):
        footprint = np.unique(flat[number][inside[number]])
        if footprint.size and occupied[footprint].mean() <= overlap:
            keep[number] = True
            occupied[footprint] = True
    return torch.from_numpy(keep)


def straightness(strokes: Strokes) -> torch.Tensor:
    """(N,) each stroke's straight-line span over the length of its path, from 1 (straight) to 0 (a closed ring)."""
    index = torch.arange(strokes.count)
    span = (strokes.paths[index, strokes.last] - strokes.paths[index, strokes.first]).norm(dim=1)
    steps = (strokes.paths[:, 1:] - strokes.paths[:, :-1]).norm(dim=2)
    along = torch.arange(steps.shape[1])[None]
    on_path = (along >= strokes.first[:, None]) & (along < strokes.last[:, None])
    return span / (steps * on_path).sum(1).clamp_min(1e-6)


def dash_strokes(
    canvas: torch.Tensor,
    stops: torch.Tensor,
    field: torch.Tensor,
    cells: torch.Tensor,
    radius: float,
    style,
    generator: torch.Generator,
) -> tuple[Strokes, torch.Tensor, torch.Tensor]:
    """The dashes over a (3, H, W) OKLab `canvas` (the layers so far), seeded in the finest brush's `cells` (N, 2):
    their strokes (each `style.length` steps of `radius` both ways along the `field`: the plan's gate stops them at
    strong edges), their colours and the colour of the simplified picture `stops` at their seeds, (n, 3) each."""
    height, width = canvas.shape[-2:]
    seeds = dash_seeds(cells, height, width, style.dash_layer, generator)
    tints = style.colours.tints
    colours = layer_dash_colours(canvas, seeds, None if tints is None else tints[-1], generator)
    steps = max(1, round(style.length))
    strokes = trace(
        seeds,
        torch.full((seeds.shape[0],), radius),
        field,
        lambda points: torch.ones(points.shape[0], dtype=torch.bool),
        max_steps=steps,
        min_steps=steps,
        smoothing=style.smoothing,
        generator=generator,
    )
    if style.dash_straight > 0:
        # Inside a small shape (a tree's round crown, the sun) the field circles its outline and a dash there curled
        # into a ring round it: left out, the shape keeps its own paint, as his figure and sun do.
        straight = straightness(strokes) >= style.dash_straight
        strokes = Strokes(
            strokes.paths[straight], strokes.first[straight], strokes.last[straight], strokes.radius[straight]
        )
        colours, seeds = colours[straight], seeds[straight]
    keep = whole_dashes(strokes, height, width, DASH_OVERLAP)
    strokes = Strokes(strokes.paths[keep], strokes.first[keep], strokes.last[keep], strokes.radius[keep])
    return strokes, colours[keep], sample(stops, seeds[keep])
