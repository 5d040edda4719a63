"""Colour by tone in the painter match: the lights' hue and the lights' lean against the darks' see a picture that
is orange everywhere as unlike one with hot lights over cold darks, and a range of one painting's views does not
count a small change of hue as many spreads."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from models.paint.colour import srgb_to_oklab
from models.paint.hue_statistics import (
    HUE_LEAST_SPREAD,
    hue_statistic_names,
    hue_statistics,
    tone_colour,
    tone_colour_names,
)
from models.paint.images import pil_to_tensor
from models.paint.painting_match import PainterRange
from models.paint.picture_statistics import statistic_names, surface_statistic_names


def _sky_over_hill(sky: tuple[int, int, int], hill: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (384, 256), sky)
    ImageDraw.Draw(image).polygon([(0, 140), (200, 110), (384, 150), (384, 256), (0, 256)], fill=hill)
    return image


def _lab(image: Image.Image):
    return srgb_to_oklab(pil_to_tensor(image).permute(1, 2, 0)).permute(2, 0, 1)[None]


def _tone_colour(image: Image.Image) -> dict[str, float]:
    return dict(zip(tone_colour_names(), tone_colour(_lab(image)), strict=True))


def test_hot_lights_over_cold_darks_lean_apart_where_orange_everywhere_does_not():
    scream = _tone_colour(_sky_over_hill((235, 120, 40), (20, 70, 80)))  # orange sky, dark blue-green hill
    orange = _tone_colour(_sky_over_hill((235, 120, 40), (90, 45, 20)))  # the same sky over a dark brown hill
    for picture in (scream, orange):  # both skies lean to orange, and they are the lights
        assert picture["hue_orange_lights"] > 0.9 and abs(picture["hue_green_lights"]) < 0.3, picture
    assert scream["hue_contrast_orange"] > 1.4 and orange["hue_contrast_orange"] < 0.3, (scream, orange)
    grey = _tone_colour(_sky_over_hill((200, 200, 200), (40, 40, 40)))
    assert max(abs(v) for v in grey.values()) < 0.02, grey  # a grey picture leans nowhere and is not vivid


def _hue(image: Image.Image) -> dict[str, float]:
    return dict(zip(hue_statistic_names(), hue_statistics(_lab(image)), strict=True))


def test_the_hue_axes_name_the_colours_they_say():
    assert _hue(Image.new("RGB", (64, 64), (60, 90, 200)))["hue_orange"] < -0.8  # blue: the orange axis's far end
    olive = _hue(Image.new("RGB", (64, 64), (120, 125, 40)))
    assert olive["hue_green"] > 0.6 and olive["hue_orange"] > 0.3  # olive: yellow-green, half way from orange
    # Orange and blue side by side cancel in the first moment and lie along the orange-blue axis in the second.
    halves = Image.new("RGB", (64, 64), (235, 120, 40))
    ImageDraw.Draw(halves).rectangle([32, 0, 64, 64], fill=(40, 90, 230))
    both = _hue(halves)
    assert both["hue_axis_orange_blue"] > 0.7 and abs(both["hue_orange"]) < 0.3, both


def test_a_range_of_one_paintings_views_keeps_the_hue_spreads_at_least_at_their_floor():
    rng = np.random.default_rng(0)
    statistics = rng.normal(0.0, 1.0, (5, len(statistic_names())))
    hue = [i for i, name in enumerate(statistic_names()) if name.startswith("hue_")]
    assert len(hue) == 4 and min(hue) >= len(surface_statistic_names())
    statistics[:, hue] = 0.5 + rng.normal(0.0, 0.01, (5, len(hue)))  # five views that agree on their hue
    spreads = np.sqrt(np.diag(np.linalg.inv(PainterRange.from_statistics(statistics).precision)))
    assert np.allclose(spreads[hue], HUE_LEAST_SPREAD, rtol=0.02), spreads[hue]
    others = [i for i in range(len(spreads)) if i not in hue]  # the others keep their own variance (+ 1e-4)
    assert np.allclose(spreads[others] ** 2, statistics.var(0, ddof=1)[others] + 1e-4)
    # A bench's extra statistics beyond the match's own have no floor.
    extra = np.concatenate([statistics, np.full((5, 1), 0.5)], axis=1)
    assert np.sqrt(np.diag(np.linalg.inv(PainterRange.from_statistics(extra).precision)))[-1] < 0.02
