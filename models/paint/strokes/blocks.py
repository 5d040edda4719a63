"""The printer's blocks: a woodblock print is a few flat, graded colour areas, each cut on its own block and printed
in one ink, with the key block's lines over them, where a photograph has shading inside every area.

The picture the strokes aim at is divided among a few colours (k-means in OKLab); which block a pixel belongs to
is smoothed over a few pixels (the blocks' shares blurred, the largest taken), so an area's edge is one clean cut,
not the noise of a gradient crossing a threshold. Each area is then printed in its own colour graded slowly across
it: at each pixel the straight grade fitted to the picture over its own block's pixels nearby (within GRADE px,
weighted as a Gaussian), so a sky keeps its slow grade unbroken across the blocks it is cut into and no area takes
its neighbour's colour, while the shading inside an area (a table's grain, a background's blur) goes.

The print is a map at the plan's size (`block_print`), laid over the paint by the raster (as far as the style's
`blocks`, 0 to 1), under the contours and the fine lines.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .filters import blur

COUNT = 8  # blocks (inks) per picture
ITERATIONS = 10  # k-means steps
SAMPLES = 20000  # pixels the blocks' colours are fitted on
CUT = 1.5  # px at 512: how far a pixel's block is smoothed with its neighbours'
GRADE = 24.0  # px at 512: how far an area's grade is fitted (shading finer than that goes)
RIDGE = 1.0  # px at 512: a block's grade across a part of it thinner than about this is held to 0 (its mean)
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


def _graded(picture: torch.Tensor, block: torch.Tensor, count: int, sigma: float, ridge: float) -> torch.Tensor:
    """(3, H, W): at each pixel, the (3, H, W) picture's straight grade fitted over its own block's pixels nearby
    (within `sigma` px, weighted as a Gaussian), read at that pixel. A mean over the block's pixels pulled a grade
    toward the block's middle, so a sky graded across several blocks was printed in steps at their edges; a fitted
    grade (a plane a + b.u per block, first-order normalized convolution) goes on across an edge that only a grade
    crosses. `ridge` (px) holds the slope across a thinner part of a block to ~0 (it takes its mean there).

    The sums the fit needs are smooth, so they are taken on a grid `factor` px apart: each pixel's terms added into
    its block's cell (one pass over the picture, where a blur per block and term took 8 x 15 full-size maps), blurred
    there, solved there, and the grade enlarged back and read at each pixel from its own block's map."""
    _, height, width = picture.shape
    factor = max(1, min(int(sigma // 4), min(height, width) // 4))
    rows, columns = -(-height // factor), -(-width // factor)
    # Coordinates in sigmas from the middle: the sums about a pixel below stay well within float32 at any plan size.
    y = ((torch.arange(height) - height / 2) / sigma)[:, None].expand(height, width).reshape(-1)
    x = ((torch.arange(width) - width / 2) / sigma)[None].expand(height, width).reshape(-1)
    colour = picture.reshape(3, -1)
    terms = torch.stack([torch.ones_like(x), x, y, x * x, x * y, y * y, *colour, *(colour * x), *(colour * y)], 1)
    cell = ((torch.arange(height) // factor)[:, None] * columns + torch.arange(width) // factor).reshape(-1)
    sums = torch.zeros((count * rows * columns, terms.shape[1])).index_add_(
        0, block.reshape(-1) * rows * columns + cell, terms
    )
    sums = sums.reshape(count, rows * columns, -1).transpose(1, 2).reshape(-1, rows, columns)
    sums = blur(sums, sigma / factor).reshape(count, -1, rows, columns)
    s, sx, sy, sxx, sxy, syy = sums[:, :6].unbind(1)
    t, tx, ty = sums[:, 6:9], sums[:, 9:12], sums[:, 12:15]
    # The same sums about each cell's middle (u = x - its x, v = y - its y); then solve
    # [[s su sv] [su suu suv] [sv suv svv]] (a, bu, bv) = (t, tu, tv) for a, the grade there (Cramer's rule).
    py = (((torch.arange(rows) + 0.5) * factor - 0.5 - height / 2) / sigma)[:, None]
    px = (((torch.arange(columns) + 0.5) * factor - 0.5 - width / 2) / sigma)[None]
    held = (ridge / sigma) ** 2 * s
    su, sv = sx - px * s, sy - py * s
    suu = sxx - 2 * px * sx + px * px * s + held
    svv = syy - 2 * py * sy + py * py * s + held
    suv = sxy - px * sy - py * sx + px * py * s
    s, su, sv, suu, svv, suv = (term[:, None] for term in (s, su, sv, suu, svv, suv))
    tu, tv = tx - px * t, ty - py * t
    minor = suu * svv - suv * suv
    det = s * minor - su * (su * svv - suv * sv) + sv * (su * suv - suu * sv)
    a = (t * minor - su * (tu * svv - suv * tv) + sv * (tu * suv - suu * tv)) / torch.where(s > 1e-6, det, 1.0)
    # Enlarged as (a s, s) and divided after, so a pixel near a far-off cell of its block takes little of it.
    fitted = torch.cat([a * s, s], 1).reshape(count * 4, rows, columns)
    if factor > 1:
        fitted = F.interpolate(fitted[None], scale_factor=factor, mode="bilinear", align_corners=False)[0]
    fitted = fitted[:, :height, :width].reshape(count, 4, height, width)
    own = fitted.gather(0, block[None, None].expand(1, 4, height, width))[0]
    return own[:3] / own[3:].clamp_min(1e-6)


def block_print(picture: torch.Tensor, unit: float, spread: float) -> torch.Tensor:
    """(3, H, W) OKLab: a (3, H, W) OKLab picture printed in a few flat, graded colour areas, their lightness spread
    toward `spread` (the painter's spread of lightness)."""
    _, height, width = picture.shape
    centres = block_colours(picture)
    count = len(centres)
    nearest = _nearest(picture.reshape(3, -1).T, centres)
    shares = torch.zeros((count, height * width)).scatter_(0, nearest[None], 1.0).reshape(count, height, width)
    block = blur(shares, CUT * unit).argmax(0)  # (H, W)
    printed = _graded(picture, block, count, GRADE * unit, RIDGE * unit)
    lightness = centres[block, 0]
    mean = lightness.mean()
    stretch = min(max(spread / float(lightness.std().clamp_min(1e-6)), 1.0), CONTRAST)
    # Spread about the mean of the printed grade itself (not by each block's ink), so a grade stays unbroken.
    printed[0] = (mean + stretch * (printed[0] - mean)).clamp(0.05, 0.98)
    return printed
