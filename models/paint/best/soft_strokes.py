"""A differentiable stand-in for the stroke rasteriser: a stroke plan drawn as soft splats, so that a loss
on the picture has gradients with respect to every stroke's colour, position and width.

The real rasteriser (models/paint/strokes/raster.py) decides per pixel which stroke is on top, a hard
choice with no gradient. Here each stroke is a chain of Gaussian splats at its path's points (spaced
about a radius apart, so the chain reads as a ribbon); the strokes of one layer (one brush size) are
splatted together — bilinear impulses scattered into a map, then blurred by the brush's Gaussian — and
layers are composited coarse to fine, each covering what lies beneath by 1 - exp(-density). A width
is differentiable because each splat's weight is shared between the two nearest of a few blur widths
(a factor of sqrt 2 apart) in proportion to its log-width, as a mip-map interpolates between levels.
Within a layer overlapping strokes average instead of stacking in order: the stand-in is for the
gradients, and the painting itself is always drawn by the real rasteriser.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from ..strokes.filters import gaussian_kernel, to_rgb
from ..strokes.plan import StrokePlan

SPREAD = 0.7  # Gaussian sigma of a splat, in stroke radii
DENSITY = 2.0  # coverage = 1 - exp(-DENSITY * summed splat weight): ~0.97 on a stroke's centre line
COLOUR_REACH = torch.tensor([0.12, 0.05, 0.05])  # how far a stroke's OKLab lightness, a and b may move
LEVELS = (-1.0, -0.5, 0.0, 0.5, 1.0)  # log2 of the blur widths around a layer's brush: 0.5x to 2x


@dataclass
class Layer:
    """The splats of one brush size (or of the outlines): for each, its stroke and its point on the path."""

    stroke: torch.Tensor  # (M,) index into the plan
    point: torch.Tensor  # (M,) index along the stroke's path
    radius: float  # the brush's radius in plan pixels


def layers_of(plan: StrokePlan) -> list[Layer]:
    """The plan's layers in painting order: runs of strokes of one radius, then the outlines."""
    count = plan.count
    starts = torch.ones(count, dtype=torch.bool)
    starts[1:] = (plan.radius[1:] != plan.radius[:-1]) | (plan.is_outline[1:] != plan.is_outline[:-1])
    bounds = [*starts.nonzero().flatten().tolist(), count]
    groups = [torch.arange(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if not plan.is_outline[a]]
    outlines = plan.is_outline.nonzero().flatten()
    if outlines.numel():
        groups.append(outlines)
    index = torch.arange(plan.paths.shape[1])
    layers = []
    for ids in groups:
        valid = (index[None] >= plan.first[ids, None]) & (index[None] <= plan.last[ids, None])
        stroke, point = valid.nonzero(as_tuple=True)
        layers.append(Layer(ids[stroke], point, float(plan.radius[ids].mean())))
    return layers


def _corners(points: torch.Tensor, height: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Bilinear splatting of (M, 2) sub-pixel points into a map with a one-pixel margin on every side:
    the flat index (4M,) of each point's four nearest pixels and their weights (4M,), differentiable in the points."""
    x = points[:, 0].clamp(-1.0, width - 1e-3) + 1.0
    y = points[:, 1].clamp(-1.0, height - 1e-3) + 1.0
    x0, y0 = x.detach().floor(), y.detach().floor()
    fx, fy = x - x0, y - y0
    stride = width + 2
    corner = (y0 * stride + x0).long()
    index = torch.cat([corner, corner + 1, corner + stride, corner + stride + 1])
    weight = torch.cat([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy])
    return index, weight


def _splat(values: torch.Tensor, index: torch.Tensor, weight: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Scatter (C, M) values through `_corners` into a (C, H, W) map."""
    out = values.new_zeros(values.shape[0], (height + 2) * (width + 2))
    out = out.index_add(1, index, values.repeat(1, 4) * weight[None])
    return out.view(-1, height + 2, width + 2)[:, 1:-1, 1:-1]


def _gaussian(image: torch.Tensor, sigma: float) -> torch.Tensor:
    if sigma < 0.3:
        return image
    kernel = gaussian_kernel(sigma).to(image)
    radius, channels = kernel.numel() // 2, image.shape[0]
    padded = F.pad(image[None], (radius, radius, radius, radius))  # zeros: no paint beyond the picture
    across = F.conv2d(padded, kernel.view(1, 1, 1, -1).expand(channels, 1, 1, -1), groups=channels)
    return F.conv2d(across, kernel.view(1, 1, -1, 1).expand(channels, 1, -1, 1), groups=channels)[0]


@dataclass
class StrokeChanges:
    """What the optimiser moves, per stroke: a colour offset (OKLab), a shift (plan pixels) and a log2 width."""

    colour: torch.Tensor  # (N, 3)
    shift: torch.Tensor  # (N, 2)
    log_width: torch.Tensor  # (N,)

    @classmethod
    def none(cls, count: int) -> StrokeChanges:
        return cls(torch.zeros(count, 3), torch.zeros(count, 2), torch.zeros(count))

    def parameters(self) -> list[torch.Tensor]:
        return [self.colour, self.shift, self.log_width]

    def applied(self, plan: StrokePlan) -> StrokePlan:
        """The plan with these changes, for the real rasteriser (its cached ownership map no longer holds)."""
        with torch.no_grad():
            moved: dict[str, Any] = {
                "paths": plan.paths + self.shift[:, None, :],
                "radius": plan.radius * torch.exp2(self.log_width),
                "colour": plan.colour + self.colour,
            }
            if plan.strand is not None:  # a stroke's strands keep to its changed colour
                moved["strand"] = plan.strand + self.colour
            if "key_map" in {field.name for field in dataclasses.fields(plan)}:
                moved["key_map"] = None  # the plan's cached ownership: stale once strokes move
            return dataclasses.replace(plan, **moved)


def soft_render(plan: StrokePlan, layers: list[Layer], changes: StrokeChanges, height: int, width: int) -> torch.Tensor:
    """The plan (its `layers_of`) with `changes`, drawn softly at (height, width): (3, H, W) sRGB,
    differentiable in the changes."""
    scale_x, scale_y = width / plan.width, height / plan.height
    scale = (scale_x + scale_y) / 2
    canvas = F.interpolate(plan.base[None], size=(height, width), mode="bilinear", align_corners=False)[0]
    for layer in layers:
        which = layer.stroke
        shifted = plan.paths[which, layer.point] + changes.shift[which]
        points = (shifted + 0.5) * torch.tensor([scale_x, scale_y]) - 0.5
        colour = plan.colour[which] + changes.colour[which]
        index, corner_weight = _corners(points, height, width)
        # Each splat's weight goes to the two blur levels around its log-width (linear in log2 width).
        step = LEVELS[1] - LEVELS[0]
        level = ((changes.log_width[which] - LEVELS[0]) / step).clamp(0, len(LEVELS) - 1 - 1e-4)
        low = level.detach().floor()
        upper = level - low
        density = colour.new_zeros(height, width)
        paint = colour.new_zeros(3, height, width)
        lowest, highest = int(low.min()), int(low.max()) + 1
        for number in range(lowest, min(highest, len(LEVELS) - 1) + 1):
            share = torch.where(low == number, 1 - upper, torch.where(low == number - 1, upper, 0.0))
            weight = share * (2.0 ** LEVELS[number])  # a wider splat holds more paint
            values = torch.cat([weight[None], colour.T * weight[None]])
            blurred = _splat(values, index, corner_weight, height, width)
            blurred = _gaussian(blurred, SPREAD * layer.radius * scale * 2.0 ** LEVELS[number])
            density = density + blurred[0]
            paint = paint + blurred[1:]
        cover = 1 - torch.exp(-DENSITY * density)
        mean_colour = paint / density.clamp_min(1e-4)
        canvas = canvas + cover * (mean_colour - canvas)
    return to_rgb(canvas)


def clamp_changes(changes: StrokeChanges, plan: StrokePlan) -> None:
    """Keep the changes where the stand-in means something and the picture stays the input's: a stroke
    moves at most one radius, widens or narrows by 2x at most, and its colour moves at most
    `COLOUR_REACH` in OKLab (unbounded, the style loss turns a cat's fur into every colour of the
    painter's palette), its lightness staying a colour's."""
    with torch.no_grad():
        reach = plan.radius[:, None]
        changes.shift.copy_(torch.maximum(torch.minimum(changes.shift, reach), -reach))
        changes.log_width.clamp_(-1.0, 1.0)
        changes.colour.copy_(torch.maximum(torch.minimum(changes.colour, COLOUR_REACH), -COLOUR_REACH))
        lightness = (plan.colour[:, 0] + changes.colour[:, 0]).clamp(0.0, 1.0)
        changes.colour[:, 0] = lightness - plan.colour[:, 0]
