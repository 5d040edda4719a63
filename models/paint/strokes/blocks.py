"""The printer's blocks: a woodblock print is a few flat, graded colour areas, each cut on its own block and printed
in one ink, with the key block's lines over them, where a photograph has shading inside every area.

The picture the strokes aim at is divided among a few colours (k-means in OKLab); which block a pixel belongs to
is smoothed over a few pixels (the blocks' shares blurred, the largest taken), so an area's edge is one clean cut,
not the noise of a gradient crossing a threshold. Each area is then printed in its own colour graded slowly across
it: at each pixel the mean of the picture over its own block's pixels nearby (within GRADE px, weighted as a
Gaussian), so a sky keeps its slow grade and no area takes its neighbour's colour, while the shading inside an area
(a table's grain, a background's blur) goes.

The print is a map at the plan's size (`block_print`), laid over the paint by the raster (as far as the style's
`blocks`, 0 to 1), under the contours and the fine lines.
"""

from __future__ import annotations

import torch

from .filters import blur

COUNT = 8  # blocks (inks) per picture
ITERATIONS = 10  # k-means steps
SAMPLES = 20000  # pixels the blocks' colours are fitted on
CUT = 1.5  # px at 512: how far a pixel's block is smoothed with its neighbours'
GRADE = 12.0  # px at 512: how far an area's colour is averaged (its grade is slower than that)
CONTRAST = 1.3  # at most this many times further apart in lightness the blocks are printed than the picture's areas


def _nearest(pixels: torch.Tensor, centres: torch.Tensor) -> torch.Tensor:
    """(N,) which of the (K, 3) centres is nearest each of the (N, 3) pixels: |c|^2 - 2 p.c, the pixel's own |p|^2
    being the same for every centre (one product; torch.cdist took ten times as long)."""
    return ((centres * centres).sum(1) - 2 * pixels @ centres.T).argmin(1)


def block_colours(picture: torch.Tensor, count: int = COUNT) -> torch.Tensor:
    """(count, 3) the colours of a (3, H, W) OKLab picture's blocks (k-means, started at lightness quantiles)."""
    pixels = picture.reshape(3, -1).T
    pixels = pixels[:: max(1, pixels.shape[0] // SAMPLES)]
    order = pixels[:, 0].argsort()
    centres = pixels[order[((torch.arange(count) + 0.5) / count * len(order)).long()]].clone()
    for _ in range(ITERATIONS):
        nearest = _nearest(pixels, centres)
        sums = torch.zeros_like(centres).index_add_(0, nearest, pixels)
        counts = torch.bincount(nearest, minlength=count).float()[:, None]
        centres = torch.where(counts > 0, sums / counts.clamp_min(1), centres)
    return centres


def block_print(picture: torch.Tensor, unit: float, spread: float) -> torch.Tensor:
    """(3, H, W) OKLab: a (3, H, W) OKLab picture printed in a few flat, graded colour areas, their lightness spread
    toward `spread` (the painter's spread of lightness)."""
    _, height, width = picture.shape
    centres = block_colours(picture)
    count = len(centres)
    nearest = _nearest(picture.reshape(3, -1).T, centres)
    shares = torch.zeros((count, height * width)).scatter_(0, nearest[None], 1.0).reshape(count, height, width)
    block = blur(shares, CUT * unit).argmax(0)  # (H, W)
    inside = torch.zeros((count, height, width)).scatter_(0, block[None], 1.0)
    # Each block's colour near each pixel: the picture's mean over that block's pixels, Gaussian-weighted.
    sums = blur(
        torch.cat([picture[None] * inside[:, None], inside[:, None]], 1).reshape(count * 4, height, width), GRADE * unit
    ).reshape(count, 4, height, width)
    own = sums.gather(0, block[None, None].expand(1, 4, height, width))[0]
    printed = own[:3] / own[3:].clamp_min(1e-6)
    lightness = centres[block, 0]
    mean = lightness.mean()
    stretch = min(max(spread / float(lightness.std().clamp_min(1e-6)), 1.0), CONTRAST)
    printed[0] = (printed[0] + (stretch - 1) * (lightness - mean)).clamp(0.05, 0.98)
    return printed
