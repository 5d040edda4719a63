"""Mottle: the fine broken paint of a dry brush dragged over the whole picture, laid on last, over the wash.

The grain (surface.py) speckles the strokes' lightness, but the wash (wash.py) veils it in the open areas, and the
scumble (scumble.py) breaks them only in soft masses 8-20 px across: at 2-6 px a render's skies were smooth and its
busy areas only the strokes' own oriented streaks. Turner's paint is broken all over at that size (The Wreck's sky
and spray: lighter, warmer flecks of dry paint caught on the canvas over a darker, cooler ground), and the measure
saw it: his marks at 2-16 px are far less oriented than the renders' (coherence and oriented share at levels 1-3, +3
to +5 of his range's spreads), and his fine colour varies more beside his fine lightness.

`mottle_noise` is undirected noise a few pixels across (SIZE), seeded by each output pixel's position (as the grain
is: a tile draws the same as the whole picture), a little broken (BREAK: pushed toward its lighter and darker
extremes, flecks rather than a blur). `mottled` lays it on: lightness by LIGHTNESS at the style's `mottle` of 1, and
its colour leaning to the painter's warm side where lighter and away from it where darker (WARM per lightness), so
the flecks are broken colour, not grey film grain. By the style's learned `mottle` (0 to 1; 0 for every style saved
before it, and then nothing here is worked out).
"""

from __future__ import annotations

import torch

from .filters import Box
from .surface import grain_noise

SIZE = 1.2  # blur sigma in px at 512 of the flecks: about 3-6 px across
BREAK = 1.5  # tanh slope of the flecks' threshold (spread 1 noise): a little crisper than blurred noise
BROKEN_SPREAD = 0.735  # the spread of tanh(BREAK * noise) for noise of spread 1 (a constant: a tile's own would differ)
LIGHTNESS = 0.05  # OKLab lightness spread of the flecks at 1
WARM = 0.4  # OKLab a/b lean to the painter's warm side per unit of lightness: lighter flecks warmer, darker cooler
MOTTLE_SEED = 0x3077  # added to the render's seed: its own noise, not the grain's


def mottle_noise(top: int, left: int, height: int, width: int, seed: int, unit: float, keep: Box) -> torch.Tensor:
    """(keep's height, width) broken, undirected flecks of spread 1 for the output pixels of `keep` in the frame
    from (left, top) on."""
    noise = grain_noise(top, left, height, width, seed + MOTTLE_SEED, unit, keep, size=SIZE)
    return torch.tanh(BREAK * noise) / BROKEN_SPREAD


def mottled(painted: torch.Tensor, flecks: torch.Tensor, amount: float, warmth: torch.Tensor) -> torch.Tensor:
    """A (3, h, w) OKLab surface with the (h, w) `flecks` laid on by `amount` (0 to 1); `warmth` (2,): the painter's
    warm direction in OKLab a/b."""
    lean = warmth.to(painted) / warmth.norm().clamp_min(1e-6)
    lighter = amount * LIGHTNESS * flecks
    return torch.cat([painted[:1] + lighter[None], painted[1:] + WARM * lighter[None] * lean[:, None, None]])
