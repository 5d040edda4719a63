"""Where a picture's hues and soft edges sit by lightness: what the eye sees that mark statistics miss.

Not part of the painter match yet: added to its 34 statistics (`surface_and_layout_of_views`), they
narrowed the three choices the eye made against the match but reversed none, and held-out paintings
ranked above texture-filtered photographs less often (bench/painting_match_eye.py,
bench/painting_match_validation.py --with-layout; docs/style-engine.md). So the benches measure both.
Session 9 added how vivid each tone is (`tone_chroma`, since session 12 in hue_statistics.py and in the
match) and how far the lights' colour is from the darks' (`tone_contrast`) and how much colour changes from
mark to mark (`colour_marks`); bench/painting_match_candidates.py weighs them in candidate matches.

Two pictures can lay the same marks and still look nothing alike: Munch's lights are hot orange over
dark blue-green where a photograph's sky is blue; Turner's lights melt the shapes they touch while his
darks keep their edges. So, for the picture's own darks, mid-tones and lights (its lightness terciles,
so that a darker or lighter picture is compared in its own key):

- hue: the chroma-weighted mean hue direction of each tercile, as the mean of (a, b) over the mean
  chroma (at least 0.02) — a vector of length 1 when every colour of the tercile has one hue, near 0
  when its colours are grey or of every hue. How vivid the colours are is measured once for the whole picture
  (`chroma_mean` in picture_statistics.py), so this says which way the colours lean, not how far;
- edge softness: how sharp the shapes' edges are, in the lights and in the darks. A step blurred over
  s px, seen through Gaussians of 4 and 16 px, has its steepest slopes in the ratio
  sqrt(s² + 256) / sqrt(s² + 16): 4 for a sharp edge, near 1 for one melted over 16 px or more. The
  log of that ratio is averaged over the picture, each pixel weighted by the square of its slope at
  16 px, so the strong edges count and faint texture hardly does. At 4 px and finer a painting's own
  marks are crisp whatever its shapes do (a 1-to-4-px ratio was tried and moved with the brush, not
  with the shapes), so the scale is the shapes', not the strokes'.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .colour import srgb_to_oklab
from .picture_statistics import statistic_names, statistics_of_views, views

FINE, COARSE = 4.0, 16.0  # Gaussian scales (px at the measure's scale) whose slopes are compared
SHARP = math.log(COARSE / FINE)  # the log ratio of a perfectly sharp step; also a picture's value with no edges
TONES = ("darks", "mids", "lights")
GREY = 0.02  # OKLab chroma below which a colour reads as grey: a grey tercile's hue vector shrinks toward 0


def layout_statistic_names() -> list[str]:
    names = [f"hue_{axis}_{tone}" for tone in TONES for axis in ("a", "b")]
    return names + ["sharpness_darks", "sharpness_lights"]


def _gaussian(x: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = min(round(3 * sigma), min(x.shape[-2:]) - 1)  # reflect padding needs a pixel more than the radius
    kernel = torch.exp(-(torch.arange(-radius, radius + 1, dtype=x.dtype) ** 2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    x = F.pad(x, (radius, radius, radius, radius), mode="reflect")
    return F.conv2d(F.conv2d(x, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1))


def _slope(lightness: torch.Tensor, sigma: float) -> torch.Tensor:
    blurred = _gaussian(lightness, sigma)
    gx = F.pad(blurred, (1, 1, 0, 0), mode="replicate")
    gy = F.pad(blurred, (0, 0, 1, 1), mode="replicate")
    return (((gx[..., 2:] - gx[..., :-2]) / 2) ** 2 + ((gy[..., 2:, :] - gy[..., :-2, :]) / 2) ** 2).sqrt()


def _steepest_near(x: torch.Tensor, radius: int) -> torch.Tensor:
    """The largest value within `radius` px (a square), in two one-dimensional passes."""
    x = F.max_pool2d(x, (1, 2 * radius + 1), stride=1, padding=(0, radius))
    return F.max_pool2d(x, (2 * radius + 1, 1), stride=1, padding=(radius, 0))


def layout_statistics(lab: torch.Tensor) -> list[float]:
    """The statistics (in `layout_statistic_names()` order) of a (1, 3, H, W) OKLab picture."""
    lightness = lab[:, :1]
    flat, a, b = lightness.flatten(), lab[:, 1].flatten(), lab[:, 2].flatten()
    chroma = (a * a + b * b).sqrt()
    # Terciles by rank, not by value: a flat sketch's sky is a third of its pixels at one lightness.
    order = torch.argsort(flat, stable=True)
    values = []
    for tone in order.tensor_split(3):
        mass = max(float(chroma[tone].sum()), GREY * len(tone))
        values += [float(a[tone].sum()) / mass, float(b[tone].sum()) / mass]
    coarse = _slope(lightness, COARSE)
    # The fine slope is taken at its steepest nearby: the coarse slope of a sharp edge is wide.
    fine = _steepest_near(_slope(lightness, FINE), round(COARSE))
    ratio = torch.log(fine.clamp_min(1e-6) / coarse.clamp_min(1e-6)).clamp(0, SHARP)
    weight = coarse**2
    light = _gaussian(lightness, COARSE) > flat.median()
    for side in (~light, light):
        mass = float((weight * side).sum())
        values.append((float((ratio * weight * side).sum()) + 1e-9 * SHARP) / (mass + 1e-9))
    return values


def tone_contrast_names() -> list[str]:
    return ["colour_contrast", "warmth_contrast"]


def tone_contrast(lab: torch.Tensor) -> list[float]:
    """How far the lights' colour is from the darks' in a (1, 3, H, W) OKLab picture: the distance between
    the two terciles' mean (a, b), and how much yellower (+b) the lights are than the darks. Hot orange
    lights over blue-green darks (The Scream) are far apart; a khaki picture, lights and darks alike, is not."""
    order = torch.argsort(lab[:, 0].flatten(), stable=True)
    darks, _, lights = order.tensor_split(3)
    a, b = lab[:, 1].flatten(), lab[:, 2].flatten()
    gap = (float(a[lights].mean() - a[darks].mean()), float(b[lights].mean() - b[darks].mean()))
    return [float(np.hypot(*gap)), gap[1]]


def colour_marks_names() -> list[str]:
    return ["colour_marks", "colour_marks_ratio"]


def colour_marks(lab: torch.Tensor) -> list[float]:
    """How much the colour changes from mark to mark in a (1, 3, H, W) OKLab picture: the log energy of
    (a, b) band-passed to marks about 8-40 px across (a difference of Gaussians, sigma 1.5 and 8 px), and
    its log ratio to the lightness's energy in the same band. Munch lays strokes of other colours side by
    side; a muddied render changes lightness from stroke to stroke but hardly colour."""
    bands = [_gaussian(lab[:, i : i + 1], 1.5) - _gaussian(lab[:, i : i + 1], 8.0) for i in range(3)]
    colour = float(bands[1].pow(2).mean() + bands[2].pow(2).mean()) + 1e-9
    return [math.log(colour), math.log(colour / (float(bands[0].pow(2).mean()) + 1e-9))]


def surface_and_layout_names() -> list[str]:
    return statistic_names() + layout_statistic_names()


def surface_and_layout_of_views(picture: Image.Image | torch.Tensor) -> np.ndarray:
    """(5, D): the painter match's statistics and these, for the whole picture and its four corner views."""
    layout = []
    for view in views(picture):
        lab = srgb_to_oklab(view.clamp(0, 1).permute(1, 2, 0)).permute(2, 0, 1)[None].float()
        layout.append(layout_statistics(lab))
    return np.concatenate([statistics_of_views(picture), np.asarray(layout, dtype=np.float64)], axis=1)
