"""Small image filters the stroke painter is built from: Gaussian blur, gradients, box means, OKLab images.

Images are (C, H, W) float tensors. Every filter pads by reflection, so a pixel near the border is
treated like one inside and a picture's edges get no halo.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F

from ..colour import _LMS_TO_LINEAR, _OKLAB_TO_LMS, linear_to_srgb, srgb_to_oklab


def picture_size(height: int, width: int) -> float:
    """The length brushes and filters are measured against: the long side, but no more than four times
    the short one, so that a very thin picture (a banner) is not painted with brushes wider than itself."""
    return float(min(max(height, width), 4 * min(height, width)))


def to_oklab(rgb: torch.Tensor) -> torch.Tensor:
    """(3, H, W) sRGB in [0, 1] -> (3, H, W) OKLab."""
    return srgb_to_oklab(rgb.permute(1, 2, 0)).permute(2, 0, 1).contiguous()


def _mix(matrix: torch.Tensor, channels: torch.Tensor | Sequence[torch.Tensor]) -> list[torch.Tensor]:
    # Written out per channel (not a matmul, whose summation order may depend on the image's shape),
    # so that every pixel gets the same arithmetic in a tile as in the whole picture.
    rows = matrix.tolist()
    return [channels[0] * row[0] + channels[1] * row[1] + channels[2] * row[2] for row in rows]


def to_rgb(lab: torch.Tensor) -> torch.Tensor:
    """(3, H, W) OKLab -> (3, H, W) sRGB in [0, 1] (out-of-gamut colours clipped), the same as
    `models.paint.colour.oklab_to_srgb`."""
    lms = [channel**3 for channel in _mix(_OKLAB_TO_LMS, lab)]
    return linear_to_srgb(torch.stack(_mix(_LMS_TO_LINEAR, lms)))


def channel_norm(image: torch.Tensor) -> torch.Tensor:
    """Euclidean length over the first (channel) dimension; `norm(dim=0)` is far slower on CPU."""
    return (image * image).sum(0).sqrt()


def row_norm(points: torch.Tensor) -> torch.Tensor:
    """Euclidean length of each row of an (N, C) tensor."""
    return (points * points).sum(1).sqrt()


def _pad(image: torch.Tensor, pad_x: int, pad_y: int) -> torch.Tensor:
    # Reflection needs the pad to be smaller than the side; replicate covers tiny pictures.
    mode = "reflect" if pad_x < image.shape[-1] and pad_y < image.shape[-2] else "replicate"
    return F.pad(image[None], (pad_x, pad_x, pad_y, pad_y), mode=mode)[0]


def gaussian_kernel(sigma: float) -> torch.Tensor:
    radius = max(1, math.ceil(3.0 * sigma))
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of a (C, H, W) image; large sigmas run on a smaller copy (the same to the eye)."""
    if sigma < 0.3:
        return image
    height, width = image.shape[-2:]
    # A wide Gaussian is smooth: blur a copy at 1/f the size and enlarge it, far cheaper than a wide kernel
    # (not for a picture so thin that the copy would lose it).
    factor = min(int(sigma // 4), min(height, width) // 4)
    if sigma > 8.0 and factor >= 2:
        small = F.interpolate(image[None], scale_factor=1 / factor, mode="area", recompute_scale_factor=False)[0]
        small = blur(small, sigma / factor)
        return F.interpolate(small[None], size=(height, width), mode="bilinear", align_corners=False)[0]
    kernel = gaussian_kernel(sigma).to(image)
    radius = kernel.numel() // 2
    channels = image.shape[0]
    padded = _channels_last(_pad(image, radius, radius)[None])
    horizontal = F.conv2d(padded, _channels_last(kernel.view(1, 1, 1, -1).expand(channels, 1, 1, -1)), groups=channels)
    vertical = F.conv2d(
        horizontal, _channels_last(kernel.view(1, 1, -1, 1).expand(channels, 1, -1, 1)), groups=channels
    )
    return vertical[0].contiguous()


def _channels_last(tensor: torch.Tensor) -> torch.Tensor:
    # oneDNN's depthwise convolution of a channels-last image is 3-10x faster on CPU than of a planar one (a
    # 1,024-px picture's 47-tap pass: 0.25 -> 0.04 s), and adds each pixel's taps in the same order: the same bits
    # (300 random images, filters and sizes, 1 and 2 threads).
    return tensor.contiguous(memory_format=torch.channels_last)


# Rows of output a shifted sum adds up at a time: its running total and each term then stay in the cache, where
# whole-tile temporaries went out to memory and back once per term (Turner's wide blurs: 4x faster, the same sums).
_BAND_ROWS = 64


def _shifted_sum(image: torch.Tensor, weights: list[float], dim: int) -> torch.Tensor:
    """Sum of the (C, H, W) image shifted by 0, 1, ... along `dim` (1: rows, 2: columns) times `weights`, added in
    that order, a band of rows at a time, each term into one buffer used again for the next."""
    radius = len(weights) // 2
    shape = list(image.shape)
    shape[dim] -= 2 * radius
    total = torch.empty(shape, dtype=image.dtype, device=image.device)
    term = torch.empty((shape[0], min(_BAND_ROWS, shape[1]), shape[2]), dtype=image.dtype, device=image.device)
    overlap = 2 * radius if dim == 1 else 0  # a band of rows summed down the picture reads the rows below it too
    for top in range(0, shape[1], _BAND_ROWS):
        rows = min(_BAND_ROWS, shape[1] - top)
        band, out, part = image.narrow(1, top, rows + overlap), total.narrow(1, top, rows), term.narrow(1, 0, rows)
        size = shape[dim] if dim == 2 else rows
        torch.mul(band.narrow(dim, 0, size), weights[0], out=out)
        for offset in range(1, len(weights)):
            torch.mul(band.narrow(dim, offset, size), weights[offset], out=part)
            out += part
    return total


class Box(NamedTuple):
    """Rows top to bottom - 1 and columns left to right - 1 of an image (a tile's pixels, the margin a filter needs)."""

    top: int
    bottom: int
    left: int
    right: int

    def grown(self, margin: int, height: int, width: int) -> Box:
        """`margin` more pixels on every side, within a (height, width) image."""
        return Box(
            max(0, self.top - margin),
            min(height, self.bottom + margin),
            max(0, self.left - margin),
            min(width, self.right + margin),
        )

    def size(self) -> tuple[int, int]:
        """(height, width)"""
        return self.bottom - self.top, self.right - self.left

    def inside(self, outer: Box) -> Box:
        """This box counted from the corner of `outer`."""
        return Box(self.top - outer.top, self.bottom - outer.top, self.left - outer.left, self.right - outer.left)

    def of(self, image: torch.Tensor, within: Box) -> torch.Tensor:
        """This box's part of an (..., H, W) image that holds the pixels of the box `within` (a view)."""
        top, bottom, left, right = self.inside(within)
        return image[..., top:bottom, left:right]


def kernel_reach(sigma: float) -> int:
    """How many pixels on each side `tile_exact_blur` reads (0: none, the image is returned as it is)."""
    return 0 if sigma < 0.3 else gaussian_kernel(sigma).numel() // 2


def tile_exact_blur(image: torch.Tensor, sigma: float, keep: Box | None = None) -> torch.Tensor:
    """`blur` as a sum of shifted copies: every pixel gets the same arithmetic whatever the image's size
    (a convolution may add in another order for another shape), so tiles agree with the whole to the bit.
    `keep`: only this box of the (C, H, W) image is blurred and returned, each of its pixels to the same bit."""
    whole = Box(0, image.shape[-2], 0, image.shape[-1])
    if sigma < 0.3:
        return image if keep is None else keep.of(image, whole)
    weights = gaussian_kernel(sigma).tolist()
    radius = len(weights) // 2
    padded = _pad(image, radius, radius)
    if keep is not None:  # the padded pixels the kept ones read: the box, widened by the radius on each side
        padded = padded[..., keep.top : keep.bottom + 2 * radius, keep.left : keep.right + 2 * radius]
    return _shifted_sum(_shifted_sum(padded, weights, 2), weights, 1)


def tile_exact_gradients(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """`gradients` as sums of shifted copies (see `tile_exact_blur`)."""
    padded = _pad(image, 1, 1)
    smooth_x = _shifted_sum(padded, [0.25, 0.5, 0.25], 2)
    smooth_y = _shifted_sum(padded, [0.25, 0.5, 0.25], 1)
    dx = _shifted_sum(smooth_y, [-0.5, 0.0, 0.5], 2)
    dy = _shifted_sum(smooth_x, [-0.5, 0.0, 0.5], 1)
    return dx, dy


def smoothstep(value: torch.Tensor, low: float, high: float) -> torch.Tensor:
    """0 up to `low`, 1 from `high`, the cubic 3t^2 - 2t^3 between: a ramp with no visible line where it starts or
    ends (`high` below `low` gives the falling ramp)."""
    ramp = ((value - low) / (high - low)).clamp(0, 1)
    return ramp * ramp * (3 - 2 * ramp)


def box_mean(image: torch.Tensor, radius: int) -> torch.Tensor:
    """Mean over the (2r+1)^2 square around each pixel."""
    if radius <= 0:
        return image
    padded = _pad(image, radius, radius)
    return F.avg_pool2d(padded[None], 2 * radius + 1, stride=1)[0]


def gradients(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Sobel derivatives (d/dx, d/dy) of each channel of a (C, H, W) image."""
    channels = image.shape[0]
    sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]], device=image.device) / 8.0
    weight = torch.stack([sobel, sobel.T])[:, None].repeat(channels, 1, 1, 1).to(image)
    out = F.conv2d(_channels_last(_pad(image, 1, 1)[None]), _channels_last(weight), groups=channels)[0].contiguous()
    return out[0::2], out[1::2]


def resize(image: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Resize a (C, H, W) image, averaging when it shrinks (no aliasing)."""
    if image.shape[-2:] == (height, width):
        return image
    shrinking = height < image.shape[-2] or width < image.shape[-1]
    mode = "bicubic" if not shrinking else "bilinear"
    return F.interpolate(image[None], size=(height, width), mode=mode, antialias=shrinking, align_corners=False)[0]


def sample(image: torch.Tensor, points: torch.Tensor) -> torch.Tensor:
    """Bilinear values of a (C, H, W) image at (N, 2) pixel positions (x, y); returns (N, C)."""
    height, width = image.shape[-2:]
    grid = torch.stack([(points[:, 0] + 0.5) / width * 2 - 1, (points[:, 1] + 0.5) / height * 2 - 1], dim=-1)
    values = F.grid_sample(
        image[None], grid.view(1, 1, -1, 2).to(image), mode="bilinear", padding_mode="border", align_corners=False
    )
    return values[0, :, 0].T
