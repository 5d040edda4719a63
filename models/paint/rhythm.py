"""Regular rhythm: does light and dark paint repeat at one spacing, like woven stripes?

A painter's marks vary from one to the next; a photograph's texture is irregular except in brick walls
and fabrics; a renderer that lays parallel bands of alternating light and dark (the striped skies a
Turner refit chose, which the eye rejected: his light is a haze, not a weave) repeats one spacing
across a whole area. The mark statistics (picture_statistics.py) see the bands' energy and direction but
not their regularity, so a regular stripe and an irregular hatch of the same energy look alike to them.

Measured on the picture's lightness at the measure's scale, band-passed to repeats about 8-40 px apart
(a difference of Gaussians), in 64-px tiles: each tile's autocorrelation, read along rays from its centre.
Irregular texture's autocorrelation falls to zero and stays small; stripes repeat, so beyond the first
zero crossing it rises again, to near 1 at the stripes' spacing when they are perfectly regular. A
tile's *echo* is the highest value beyond the first zero crossing along any ray. The picture's
statistics: the echo averaged over tiles weighted by their band energy (busy tiles count, flat ones
hardly), and the share of that energy in tiles whose echo passes ECHO (clearly repeating).

Not part of the painter match. Measured in session 9 (bench/painting_match_candidates.py): the striped
refit's renders echo only about 1 SD more than the Wreck's views (its bands' spacing wanders: they read as
woven to the eye, not as a regular period), so the statistic did not reverse that pair; it raised held-out
paintings against texture-filtered photographs slightly (0.944 -> 0.949).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

TILE = 64  # px at the measure's scale: two repeats of the widest spacing described
FINE, COARSE = 1.5, 8.0  # Gaussian sigmas of the band-pass: repeats about 8 to 40 px apart pass it
ANGLES = 24  # rays over half a turn (the autocorrelation is symmetric)
ECHO = 0.35  # an echo this high reads as repetition (band-passed noise: about 0.1-0.2)


def rhythm_statistic_names() -> list[str]:
    return ["echo", "echo_share"]


def _gaussian(x: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = min(math.ceil(3 * sigma), min(x.shape[-2:]) - 1)
    kernel = torch.exp(-(torch.arange(-radius, radius + 1, dtype=x.dtype) ** 2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    x = F.pad(x, (radius, radius, radius, radius), mode="reflect")
    return F.conv2d(F.conv2d(x, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1))


def _rays() -> torch.Tensor:
    """(ANGLES, TILE/2 - 1) flat indices into a TILE x TILE autocorrelation (zero lag at the centre) along
    rays over half a turn, 1 to TILE/2 - 1 px out."""
    radii = torch.arange(1, TILE // 2, dtype=torch.float64)
    angles = torch.arange(ANGLES, dtype=torch.float64) * math.pi / ANGLES
    y = (TILE // 2 + radii[None] * torch.sin(angles)[:, None]).round().long().clamp(0, TILE - 1)
    x = (TILE // 2 + radii[None] * torch.cos(angles)[:, None]).round().long().clamp(0, TILE - 1)
    return y * TILE + x


_RAYS = _rays()


def _overlap() -> torch.Tensor:
    """How many pixel pairs each lag of a TILE x TILE tile's autocorrelation (zero lag at the centre) sums."""
    lags = (TILE - (torch.arange(TILE, dtype=torch.float64) - TILE // 2).abs()).clamp_min(1)
    return lags[:, None] * lags[None, :]


_OVERLAP = _overlap()


def tile_echoes(lightness: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(echo, band energy) of each TILE x TILE tile of a (1, 1, H, W) lightness picture."""
    band = (_gaussian(lightness, FINE) - _gaussian(lightness, COARSE)).double()
    tiles = band.unfold(2, TILE, TILE).unfold(3, TILE, TILE).reshape(-1, TILE, TILE)
    tiles = tiles - tiles.mean((1, 2), keepdim=True)
    energy = tiles.pow(2).mean((1, 2))
    # Zero-padded to twice the tile: the tile's own autocorrelation, not that of its periodic repeat; each
    # lag divided by the pixel pairs it sums, so that a far lag is an average like a near one.
    size = (2 * TILE, 2 * TILE)
    correlation = torch.fft.irfft2(torch.fft.rfft2(tiles, s=size).abs().pow(2), s=size)
    correlation = torch.fft.fftshift(correlation, dim=(1, 2))[
        :, TILE // 2 : TILE + TILE // 2, TILE // 2 : TILE + TILE // 2
    ]
    correlation = correlation / _OVERLAP
    correlation = correlation / correlation[:, TILE // 2, TILE // 2].clamp_min(1e-12)[:, None, None]
    along = correlation.reshape(len(tiles), -1)[:, _RAYS.flatten()].reshape(len(tiles), ANGLES, -1)
    beyond = torch.cumsum((along <= 0).double(), dim=2) > 0
    echo = torch.where(beyond, along, torch.zeros_like(along)).amax((1, 2)).clamp(0, 1)
    return echo, energy


def rhythm_statistics(lightness: torch.Tensor) -> list[float]:
    """The statistics (in `rhythm_statistic_names()` order) of a (1, 1, H, W) lightness picture."""
    if min(lightness.shape[-2:]) < TILE:
        return [0.0, 0.0]
    echo, energy = tile_echoes(lightness)
    total = float(energy.sum()) + 1e-12
    return [float((echo * energy).sum()) / total, float((energy * (echo > ECHO)).sum()) / total]
