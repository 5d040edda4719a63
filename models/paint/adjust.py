"""Tone adjustments a request's mood words ask for: brightness, contrast and warmth, on an RGB picture."""

from __future__ import annotations

import numpy as np


def adjust_tone(pixels: np.ndarray, brightness: float = 0.0, contrast: float = 0.0, warmth: float = 0.0) -> np.ndarray:
    """Each control in [-1, 1], 0 leaves the picture as it is; returns a new uint8 RGB array.

    Contrast scales around mid-grey, brightness shifts, warmth moves red up and blue down (or the reverse).
    """
    image = pixels.astype(np.float32) / 255.0
    image = (image - 0.5) * (1.0 + contrast) + 0.5 + 0.5 * brightness
    image[..., 0] += 0.12 * warmth
    image[..., 2] -= 0.12 * warmth
    return np.clip(np.round(image * 255.0), 0, 255).astype(np.uint8)
