"""The paint surface of a rendered tile: wet blending, bristle streaks, a little relief lit from the upper left,
and the grain of paint dragged thin over the canvas's tooth.

All of it is local (a few pixels at most, `SURFACE_REACH`), so tiles painted with that much halo join
exactly. The relief is deliberately low: paint height is a slightly domed body with grooves where the
bristles ran, thinning toward the stroke's end; lit from the upper left it shows the direction of
each stroke and its edges without turning the picture into embossed metal. The grain (a scumble: broken,
undirected speckle a few pixels across, like paint dragged over canvas) is seeded by the output pixel's
own position, so a tile draws the same grain as the whole picture.
"""

from __future__ import annotations

import math

import torch

from .brush import Ownership
from .filters import gaussian_kernel, tile_exact_blur, tile_exact_gradients

BRISTLES = 10
GRAIN_SIZE = 0.7  # Gaussian sigma of the grain at 512 px: speckles about 2-4 px across
# How far neighbouring strokes blend where the style's `calm` lays open areas thin and smooth, at 512 px: past the
# width of the fine strokes (radius 2.5-7 px) whose light and dark sides ran through a flat sky as wood grain.
CALM_BLUR = 4.0
# ... but not across a shape's edge: a pixel blends less the further the blend would move it (OKLab), none from
# CALM_EDGE on. Strokes beside each other differ by their jitter and their paints (0.02-0.05); the edge of a
# sketch's shape, even blurred, moves a pixel beside it by half its step (0.13 / 2 for a hill against the sky).
CALM_EDGE = 0.06


def grain_noise(top: int, left: int, height: int, width: int, seed: int, unit: float) -> torch.Tensor:
    """(height, width) undirected grain of unit spread for the output pixels from (left, top) on.

    White noise from an integer hash of each pixel's position (the same for a pixel in any tile),
    blurred to the grain's size and scaled back to a spread of 1 whatever that size."""
    ys = torch.arange(top, top + height, dtype=torch.int64)[:, None]
    xs = torch.arange(left, left + width, dtype=torch.int64)[None, :]
    mask = 0x7FFFFFFF
    value = (xs * 0x5BD1E995 + ys * 0x1B873593 + (seed * 0x27D4EB2F + 0x165667B1)) & mask
    for multiplier in (0x2C1B3C6D, 0x297A2D39):  # integer mixing: neighbouring pixels get unrelated values
        value = ((value ^ (value >> 15)) * multiplier) & mask
    value = value ^ (value >> 13)
    uniform = value.float() / float(mask) - 0.5
    sigma = max(0.5, GRAIN_SIZE * unit)
    kernel = gaussian_kernel(sigma)
    spread = (1 / 12) ** 0.5 * float((kernel * kernel).sum())  # of white noise after this blur
    return tile_exact_blur(uniform[None], sigma)[0] / spread


def surface_reach(unit: float, softness: float, calm: float = 0.0) -> int:
    """How many pixels of halo a tile needs so that its surface equals the whole picture's."""
    reach = int(math.ceil(3 * max(softness * unit, 0.8 * unit, GRAIN_SIZE * unit, 0.7))) + 4
    if calm > 0:  # the calm's blur follows the softness's: their reaches add
        reach += int(math.ceil(3 * CALM_BLUR * unit))
    return reach


def finish_surface(
    colour: torch.Tensor,
    ownership: Ownership,
    radius: torch.Tensor,
    is_outline: torch.Tensor,
    profile: torch.Tensor,
    style,
    unit: float,
    grain: torch.Tensor | None = None,
    calm: torch.Tensor | None = None,
    strands: tuple[torch.Tensor, torch.Tensor] | None = None,
    flat: torch.Tensor | None = None,
) -> torch.Tensor:
    """(3, h, w) OKLab colours of the strokes on top -> the painted surface (3, h, w) OKLab.

    `radius`, `is_outline`, `profile` (N, BRISTLES + 1) are per stroke, indexed by `ownership.stroke`;
    `grain` (h, w) is the tile's `grain_noise`, laid on as the style's `grain` says; `calm` (h, w), 0 to 1: how
    far the strokes are laid thin and smooth there (the style's `calm` times the openness: wash.wash_maps);
    `strands`: (3, h, w) OKLab the second paint of the stroke on top and (h, w) how far its thin strand there moves
    to it (strands.py), laid over the wet blend so that the strands stay thin; `flat` (h, w), 0 to 1: how far the relief
    and the seams fade there (the style's `busy_flat` times the busyness, 1 minus the wash maps' openness)."""
    covered = ownership.stroke >= 0
    stroke = ownership.stroke.clamp_min(0)
    outline = is_outline[stroke] & covered
    if style.softness > 0:
        # Wet-in-wet: neighbouring strokes blend where they meet (Turner's haze, a glazed look).
        softened = tile_exact_blur(colour, style.softness * unit)
        colour = torch.where(outline[None], colour, colour + 0.75 * (softened - colour))
    if calm is not None:
        # Paint laid thin in the open areas: neighbouring strokes blend over a few pixels, so the colour of one
        # thin stroke beside the next no longer draws lines; the broad changes of colour and the shapes' edges stay.
        smoothed = tile_exact_blur(colour, CALM_BLUR * unit)
        moved = ((smoothed - colour) ** 2).sum(0).sqrt()
        blend = calm * (1 - moved / CALM_EDGE).clamp_min(0) ** 2
        colour = torch.where(outline[None], colour, colour + blend[None] * (smoothed - colour))
    if strands is not None:
        second, weight = strands
        colour = colour + weight[None] * (second - colour)
    # Stroke edges: a fraction of a pixel of blending, so that edges are not stair-stepped.
    owner = ownership.stroke
    edge = torch.zeros_like(owner, dtype=torch.bool)
    edge[:, 1:] |= owner[:, 1:] != owner[:, :-1]
    edge[1:, :] |= owner[1:, :] != owner[:-1, :]
    colour = torch.where(edge[None], tile_exact_blur(colour, 0.6), colour)

    position = (ownership.across + 1) / 2 * BRISTLES
    low = position.floor().long().clamp(0, BRISTLES - 1)
    fraction = position - low
    streak = profile[stroke, low] * (1 - fraction) + profile[stroke, low + 1] * fraction - 0.5
    streak = torch.where(covered & ~outline, streak, torch.zeros_like(streak))
    # Dry brush: streaks show more toward the end of a stroke, where the brush runs out of paint.
    streak = streak * (0.5 + ownership.along)

    dome = (1 - ownership.across**2).clamp_min(0) ** 0.25
    thickness = radius[stroke] * (1.15 - 0.6 * ownership.along)
    height = torch.where(covered & ~outline, thickness * (0.5 * dome + 0.5 * streak), torch.zeros_like(streak))
    height = tile_exact_blur(height[None], max(0.7, 0.8 * unit))
    gx, gy = tile_exact_gradients(height)
    light = (gx[0] + gy[0]) * 0.7071  # slope toward the upper-left light
    shade = light / (1 + light.abs())
    # Seams: along its sides a stroke thins and the darker ground or the ridge's shadow shows. Only along
    # the sides: round the ends (where `along` is 0 or 1) a seam would outline each stroke like a pebble.
    sides = ((ownership.along.clamp(0, 1) * (1 - ownership.along.clamp(0, 1))) / 0.05).clamp(0, 1)
    seam = ((ownership.across.abs() - 0.65) / 0.35).clamp(0, 1) ** 2 * sides
    seam = torch.where(covered & ~outline, seam, torch.zeros_like(seam))
    if calm is not None:  # ... and lie flat: no relief, seams or bristle streaks where the paint is thin
        seam, streak, shade = seam * (1 - calm), streak * (1 - calm), shade * (1 - calm)
    if flat is not None:  # ... and in busy areas the paint lies flat and thin: no relief, no seams
        seam, shade = seam * (1 - flat), shade * (1 - flat)
    painted = colour.clone()
    painted[0] = painted[0] * (1 - 0.45 * style.edges * seam)
    painted[0] = painted[0] + style.bristles * streak * 0.6 + style.impasto * 0.18 * shade
    if grain is not None and style.grain > 0:
        painted[0] = painted[0] + style.grain * grain
    return painted
