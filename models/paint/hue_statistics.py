"""Colour by tone: how vivid a picture's darks, mid-tones and lights are, and which way its hues lean.

The painter match's first colour statistics (picture_statistics.py) say how vivid and how varied the colours
are, not which hues they are: a render that put orange in every area, its darks as warm as its lights, measured
as near Munch as one with The Scream's hot lights over cold blue-green darks. Nothing here is learned; the hue
statistics are chroma-weighted trigonometric moments of the OKLab hue angle h = atan2(b, a), smooth in hue (no
sector edges for a colour to cross), bounded in [-1, 1], read along two fixed axes so that each has a name:
orange (h = 60 degrees: + orange, - blue) and a quarter turn on (h = 150 degrees: + yellow-green and olive,
- violet and magenta).

The painter match takes `tone_colour` (7 numbers, session 12): each lightness third's mean chroma (session 9's
tone chroma), the lights' hue lean, and the lights' lean less the darks' (warm lights over cool darks, whatever
the scene's own hue). The picture's thirds are by rank, so that a dark or a light picture is compared in its
own key and a flat sketch's sky counts as one tone. `hue_statistics` (10) are every moment that was tried
(bench/painting_match_candidates.py, docs/style-engine.md "Session 12"): the whole picture's lean and its
second moment (the axis the colours lie along, whichever end), the darks' lean; they ranked held-out paintings
below texture-filtered photographs more often (a painter's hues follow his subject: the Starry Night is his
one blue night among ten warm days), so they stay in the bench.
"""

from __future__ import annotations

import math

import torch

GREY = 0.02  # OKLab chroma below which a colour reads as grey: a grey tone's lean shrinks toward 0
ORANGE = math.radians(60.0)  # the first axis: OKLab hue of orange (red is about 30, yellow 110, blue 265)
# The least spread a painter's range may give a hue lean. The views of one painting agree on their hues far more
# closely (0.03-0.2) than a painter's paintings do (0.1-0.56 across Van Gogh's eleven and Hokusai's five, 0.1 the
# least), so a range of one painting (Munch, Turner) would count a small change of hue as many spreads.
HUE_LEAST_SPREAD = 0.1
TONES = ("darks", "mids", "lights")


def tone_chroma_names() -> list[str]:
    return [f"chroma_{tone}" for tone in TONES]


def tone_colour_names() -> list[str]:
    hue = ["hue_orange_lights", "hue_green_lights", "hue_contrast_orange", "hue_contrast_green"]
    return tone_chroma_names() + hue


def least_spreads() -> list[float]:
    """Per `tone_colour_names()` statistic, the least spread a painter's range may give it (0: none)."""
    return [HUE_LEAST_SPREAD if name.startswith("hue_") else 0.0 for name in tone_colour_names()]


def _thirds(lab: torch.Tensor) -> list[torch.Tensor]:
    """Indices of the darks, mid-tones and lights of a (1, 3, H, W) OKLab picture, by rank."""
    return list(torch.argsort(lab[:, 0].flatten(), stable=True).tensor_split(3))


def _lean(a: torch.Tensor, b: torch.Tensor) -> list[float]:
    """The first moment of hue, chroma-weighted — mean (a, b) over mean chroma (at least GREY) — on the orange
    and the green axes: length 1 when every colour has one hue, near 0 when grey or of every hue."""
    chroma = (a * a + b * b).sqrt()
    mass = max(float(chroma.sum()), GREY * chroma.numel())
    mean_a, mean_b = float(a.sum()) / mass, float(b.sum()) / mass
    return [
        mean_a * math.cos(ORANGE) + mean_b * math.sin(ORANGE),
        -mean_a * math.sin(ORANGE) + mean_b * math.cos(ORANGE),
    ]


def tone_chroma(lab: torch.Tensor, thirds: list[torch.Tensor] | None = None) -> list[float]:
    """How vivid the darks, mid-tones and lights of a (1, 3, H, W) OKLab picture are: each third's mean chroma."""
    chroma = (lab[:, 1].flatten() ** 2 + lab[:, 2].flatten() ** 2).sqrt()
    return [float(chroma[tone].mean()) for tone in thirds or _thirds(lab)]


def tone_colour(lab: torch.Tensor) -> list[float]:
    """The statistics (in `tone_colour_names()` order) of a (1, 3, H, W) OKLab picture."""
    a, b = lab[:, 1].flatten(), lab[:, 2].flatten()
    thirds = _thirds(lab)  # sorting is most of the cost: once
    darks, _, lights = thirds
    lean_lights, lean_darks = _lean(a[lights], b[lights]), _lean(a[darks], b[darks])
    contrast = [lean_lights[0] - lean_darks[0], lean_lights[1] - lean_darks[1]]
    return tone_chroma(lab, thirds) + lean_lights + contrast


def hue_statistic_names() -> list[str]:
    names = ["hue_orange", "hue_green", "hue_axis_orange_blue", "hue_axis_green_violet"]
    names += [f"hue_{axis}_{tone}" for tone in ("lights", "darks") for axis in ("orange", "green")]
    return names + ["hue_contrast_orange", "hue_contrast_green"]


def hue_statistics(lab: torch.Tensor) -> list[float]:
    """Every hue moment tried (in `hue_statistic_names()` order) of a (1, 3, H, W) OKLab picture."""
    a, b = lab[:, 1].flatten(), lab[:, 2].flatten()
    chroma = (a * a + b * b).sqrt()
    values = _lean(a, b)
    # Second moment: chroma * cos 2h = (a^2 - b^2) / chroma, chroma * sin 2h = 2ab / chroma.
    safe = chroma.clamp_min(1e-6)
    mass = max(float(chroma.sum()), GREY * chroma.numel())
    mean_cos2, mean_sin2 = float(((a * a - b * b) / safe).sum()) / mass, float((2 * a * b / safe).sum()) / mass
    values += [
        mean_cos2 * math.cos(2 * ORANGE) + mean_sin2 * math.sin(2 * ORANGE),
        -mean_cos2 * math.sin(2 * ORANGE) + mean_sin2 * math.cos(2 * ORANGE),
    ]
    darks, _, lights = _thirds(lab)
    for tone in (lights, darks):
        values += _lean(a[tone], b[tone])
    return values + [values[4] - values[6], values[5] - values[7]]
