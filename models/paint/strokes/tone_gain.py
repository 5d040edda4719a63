"""The painting's coarse value contrast brought toward the painter's: one lightness gain per picture.

The colour map and the bands set each stroke's lightness from the painter's paints, whatever the picture's own
contrast: a photograph whose values change strongly from one 8-16 px patch to the next (a pagoda's dark eaves
against its light walls, a cup's shadows) came out flatter than the painter paints, and a flat sketch or a
low-contrast photograph (a grey garage) came out with more contrast than he paints. Here the plan's canvas (each
pixel in the colour of the stroke on top, the base under any gap) is measured once, as the painter match measures a
painting (the lightness's 8-16 px band at 512 px), and the whole painting's lightness is stretched about the
canvas's mean lightness by one gain: part of the way toward the painter's contrast, so a picture keeps some of its
own. One gain and one mean for the whole picture, worked out from the plan: every tile and every output size takes
the same, so tiles join, and a preview's plan gives about the gain of the full render's.
"""

from __future__ import annotations

import math

import torch

from ..picture_statistics import LONG_SIDE, band_energy

LEVEL = 3  # the measure's pyramid level whose contrast is matched: marks 8-16 px across at 512 px
# How far (in the log of the contrast) a picture moves toward the style's contrast: half way was the nearest to
# Munch's paintings on the sheet's 36 renders (a third and three quarters were each farther by 0.01-0.02).
TOWARD = 0.5
# The gain at most and at least: a nearly flat picture (a blank sketch) is not stretched into noise, nor a busy one
# flattened to grey.
GAIN = (0.6, 1.6)
# The measure's pyramid needs the picture's short side at least this long at its 512-px long side (it fails under
# 33): a thinner strip (4000x9) has no 8-16 px contrast to match and is left as painted.
SHORTEST = 64


def tone_gain(canvas: torch.Tensor, contrast: float) -> tuple[float, float]:
    """(gain, mean) for a plan's (3, H, W) OKLab canvas: the gain that moves its lightness contrast at LEVEL (the
    root of the band's mean energy) TOWARD the way to `contrast`, and the canvas's mean lightness to stretch about."""
    lightness = canvas[0]
    mean = float(lightness.mean())
    if min(lightness.shape) * LONG_SIDE < SHORTEST * max(lightness.shape):
        return 1.0, mean
    own = math.sqrt(band_energy(lightness, LEVEL))
    gain = min(max((contrast / own) ** TOWARD, GAIN[0]), GAIN[1])
    return gain, mean


def gained(painted: torch.Tensor, gain: float, mean: float) -> torch.Tensor:
    """A (3, H, W) OKLab painting with its lightness stretched by `gain` about `mean` (colour as it was)."""
    out = painted.clone()
    out[0] = mean + gain * (painted[0] - mean)
    return out
