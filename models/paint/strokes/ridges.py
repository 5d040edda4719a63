"""The grain of a dry stroke as bristle ridges: streaks running along the stroke, not speckle.

A dry brush dragged over canvas leaves its bristles' tracks: thin parallel ridges of paint and grooves between them,
running the length of the stroke, each breaking off and coming back as the brush runs dry. The undirected grain
(surface.grain_noise) laid over a stroke reads as sequins glittering on it instead (Van Gogh's dry strokes, session
15). So each pixel of a stroke takes a value noise in the stroke's own coordinates: RIDGE_PITCH px across (from one
edge, following `across`, so the ridges draw together where the stroke tapers) and RIDGE_LENGTH px along (following
`along`), each cell a hash of the stroke's place in painting order and the cell: the same in any tile.
"""

from __future__ import annotations

import torch

from .brush import Ownership, Strokes
from .filters import smoothstep
from .strands import stroke_hash

RIDGE_PITCH = 2.5  # px at 512 from one ridge to the next (1-1.5: too fine to read, and too oriented by the measure)
RIDGE_LENGTH = 6.0  # px at 512 over which a ridge thickens, thins or breaks (10: long even streaks, too oriented)
# Spread of a value noise of uniform [-0.5, 0.5] cells interpolated by smoothstep in two directions: each direction's
# weights have a mean square sum of 26/35 (the integral of (1 - s)^2 + s^2 for s = 3f^2 - 2f^3).
_SPREAD = (1 / 12) ** 0.5 * 26 / 35
# The ridges' values v (of unit spread) are laid as sign(v) |v|^RIDGE_EVEN, scaled back to unit spread by _EVEN_SPREAD
# (that spread, measured on 8 million values): as much grain, but its deepest gaps a quarter shallower (-1.7 where
# they reached -2.3) and more of its middling ones. Under the ground's gaps (surface.ground_gaps) the rare deep values
# were the navy specks that gathered as grit in his mid-toned blue skies (the README sketch's at 3x), a few dark
# pixels where his own skies show a broken, even texture (session 23; kurtosis 2.2 -> 1.4).
RIDGE_EVEN = 0.5
_EVEN_SPREAD = 0.9126


def stroke_lengths(strokes: Strokes) -> torch.Tensor:
    """(N,) each stroke's path length in pixels (0 for a dab)."""
    steps = (strokes.paths[:, 1:] - strokes.paths[:, :-1]).norm(dim=-1)
    index = torch.arange(steps.shape[1])[None]
    real = (index >= strokes.first[:, None]) & (index < strokes.last[:, None])
    return (steps * real).sum(1)


def ridge_noise(
    ownership: Ownership, radius: torch.Tensor, length: torch.Tensor, seed: int, unit: float
) -> torch.Tensor:
    """(H, W) ridged grain of unit spread over the pixels of `ownership`, 0 where no stroke lies. `radius` and
    `length` (N,) per stroke in output pixels; `unit` the output's size over 512."""
    covered = ownership.stroke >= 0
    stroke = ownership.stroke.clamp_min(0)
    across = (ownership.across.clamp(-1, 1) + 1) * radius[stroke] / max(0.75, RIDGE_PITCH * unit)
    along = ownership.along.clamp(0, 1) * length[stroke] / (RIDGE_LENGTH * unit)
    ridge, run = across.floor(), along.floor()
    wa, wr = smoothstep(across - ridge, 0, 1), smoothstep(along - run, 0, 1)
    ridge, run = ridge.long(), run.long()

    def cell(i: torch.Tensor, j: torch.Tensor) -> torch.Tensor:
        return stroke_hash(stroke, i * 65_536 + j, seed + 6007) - 0.5

    value = (1 - wa) * ((1 - wr) * cell(ridge, run) + wr * cell(ridge, run + 1))
    value = value + wa * ((1 - wr) * cell(ridge + 1, run) + wr * cell(ridge + 1, run + 1))
    value = value / _SPREAD
    value = value.sign() * value.abs() ** RIDGE_EVEN / _EVEN_SPREAD
    return torch.where(covered, value, torch.zeros_like(value))
