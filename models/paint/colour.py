"""Colour spaces for the palette: sRGB <-> OKLab, a perceptual space where distances match what the eye sees.

Arrays are torch tensors with the channel last (..., 3) and sRGB values in [0, 1].
OKLab is Björn Ottosson's (2020) space; the matrices are his published ones.
"""

from __future__ import annotations

import torch

_LINEAR_TO_LMS = torch.tensor(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ],
    dtype=torch.float64,
)
_LMS_TO_OKLAB = torch.tensor(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ],
    dtype=torch.float64,
)
_LMS_TO_LINEAR = torch.linalg.inv(_LINEAR_TO_LMS)
_OKLAB_TO_LMS = torch.linalg.inv(_LMS_TO_OKLAB)


def srgb_to_linear(srgb: torch.Tensor) -> torch.Tensor:
    srgb = srgb.clamp(0.0, 1.0)
    return torch.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(linear: torch.Tensor) -> torch.Tensor:
    linear = linear.clamp(0.0, 1.0)
    return torch.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear.clamp_min(1e-12) ** (1 / 2.4) - 0.055)


def srgb_to_oklab(srgb: torch.Tensor) -> torch.Tensor:
    """(..., 3) sRGB in [0, 1] -> (..., 3) OKLab (L in [0, 1], a and b roughly in [-0.4, 0.4])."""
    linear = srgb_to_linear(srgb)
    lms = linear @ _LINEAR_TO_LMS.to(linear).T
    return torch.sign(lms) * lms.abs() ** (1 / 3) @ _LMS_TO_OKLAB.to(linear).T


def oklab_to_srgb(oklab: torch.Tensor) -> torch.Tensor:
    """(..., 3) OKLab -> (..., 3) sRGB in [0, 1] (out-of-gamut colours are clipped)."""
    lms = (oklab @ _OKLAB_TO_LMS.to(oklab).T) ** 3
    return linear_to_srgb(lms @ _LMS_TO_LINEAR.to(oklab).T)
