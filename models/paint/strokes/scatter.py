"""Scattered strokes: where neighbouring strokes would all run one way, each is turned its own way (Turner's).

Strokes follow the direction field (field.py), which is smooth inside regions: where it runs one way over an area,
a coffee table's grain, a petal, a sketch's sky, neighbouring strokes lie side by side and, in paints far apart in
lightness (bands.py, `band_contrast`), draw parallel stripes. His marks at 4-16 px are far less oriented than the
renders' (picture_statistics' `oriented_share2` +4.8 and `coherence2` +3.7 of his range's spreads over the six unseen
pictures at seeds 1-3, session 16): his sea is dark masses crossed by strokes laid every which way. So each stroke is
turned from the field by its own random angle, up to the style's `scatter` times a right angle, times how much the
field runs one way round its seed (`parallel_map`: the length of the field averaged over SPAN, squared). Where the
field already turns (a busy photograph's foliage and clutter, whose marks are already less oriented than his) the
strokes stay as they were. A stroke keeps its turn along its whole length, so it curves with the field. The angles
come from their own generator (the plan's other draws stay the same), and 0 works nothing out.
"""

from __future__ import annotations

import math

import torch

from .filters import blur, channel_norm, sample

SPAN = 12.0  # px at 512: the blur over which the field's directions are averaged (a few of the finer strokes' widths)
SCATTER_SEED = 0x5CA7  # added to the plan's seed: the turns' own generator
CURL_SEED = 0xC0A1  # added to the plan's seed: the bends' own generator


def parallel_map(field: torch.Tensor, unit: float) -> torch.Tensor:
    """(H, W) from 0 to 1: how much the doubled-angle `field` (2, H, W) runs one way round each pixel (1: all of it
    within SPAN one way; 0: every way)."""
    return channel_norm(blur(field, SPAN * unit)) ** 2


def turns(seeds: torch.Tensor, parallel: torch.Tensor, amount: float, generator: torch.Generator) -> torch.Tensor:
    """(N,) angles in radians by which the strokes seeded at `seeds` (N, 2) are turned from the field: uniform up
    to `amount` times a right angle either way, times the `parallel_map` at each seed."""
    spread = torch.rand(seeds.shape[0], generator=generator) * 2 - 1
    return spread * amount * (math.pi / 2) * sample(parallel[None], seeds)[:, 0]


def bends(
    seeds: torch.Tensor, parallel: torch.Tensor, amount: float, steps: int, generator: torch.Generator
) -> torch.Tensor:
    """(N,) radians a step by which the strokes seeded at `seeds` (N, 2) curl (brush.trace's `bend`): uniform up to
    `amount` times a right angle over `steps` either way, times the `parallel_map` at each seed, so that a stroke
    grown `steps` each way from its seed sweeps an arc of up to twice that."""
    spread = torch.rand(seeds.shape[0], generator=generator) * 2 - 1
    return spread * amount * (math.pi / 2) / max(1, steps) * sample(parallel[None], seeds)[:, 0]
