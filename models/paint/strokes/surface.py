"""The paint surface of a rendered tile: wet blending, bristle streaks, and a little relief lit from the upper left.

All of it is local (a few pixels at most, `SURFACE_REACH`), so tiles painted with that much halo join
exactly. The relief is deliberately low: paint height is a slightly domed body with grooves where the
bristles ran, thinning toward the stroke's end; lit from the upper left it shows the direction of
each stroke and its edges without turning the picture into embossed metal.
"""

from __future__ import annotations

import math

import torch

from .brush import Ownership
from .filters import tile_exact_blur, tile_exact_gradients

BRISTLES = 10


def surface_reach(unit: float, softness: float) -> int:
    """How many pixels of halo a tile needs so that its surface equals the whole picture's."""
    return int(math.ceil(3 * max(softness * unit, 0.8 * unit, 0.7))) + 4


def finish_surface(
    colour: torch.Tensor,
    ownership: Ownership,
    radius: torch.Tensor,
    is_outline: torch.Tensor,
    profile: torch.Tensor,
    style,
    unit: float,
) -> torch.Tensor:
    """(3, h, w) OKLab colours of the strokes on top -> the painted surface (3, h, w) OKLab.

    `radius`, `is_outline`, `profile` (N, BRISTLES + 1) are per stroke, indexed by `ownership.stroke`."""
    covered = ownership.stroke >= 0
    stroke = ownership.stroke.clamp_min(0)
    outline = is_outline[stroke] & covered
    if style.softness > 0:
        # Wet-in-wet: neighbouring strokes blend where they meet (Turner's haze, a glazed look).
        softened = tile_exact_blur(colour, style.softness * unit)
        colour = torch.where(outline[None], colour, colour + 0.75 * (softened - colour))
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
    painted = colour.clone()
    painted[0] = painted[0] * (1 - 0.45 * style.edges * seam)
    painted[0] = painted[0] + style.bristles * streak * 0.6 + style.impasto * 0.18 * shade
    return painted
