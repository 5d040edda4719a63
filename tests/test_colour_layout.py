"""The colour-layout statistics see what they claim: which way the lights' hue leans, and how soft the shapes'
edges are in the lights and in the darks."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from models.paint import colour_layout, hue_statistics
from models.paint.colour import srgb_to_oklab
from models.paint.colour_layout import (
    layout_statistic_names,
    layout_statistics,
    surface_and_layout_names,
    surface_and_layout_of_views,
)
from models.paint.images import pil_to_tensor
from models.paint.picture_statistics import statistic_names


def _statistics(image: Image.Image) -> dict[str, float]:
    lab = srgb_to_oklab(pil_to_tensor(image).permute(1, 2, 0)).permute(2, 0, 1)[None]
    return dict(zip(layout_statistic_names(), layout_statistics(lab), strict=True))


def _sky_over_hill(sky: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (384, 256), sky)
    ImageDraw.Draw(image).polygon([(0, 140), (200, 110), (384, 150), (384, 256), (0, 256)], fill=(30, 60, 45))
    return image


def _disc(shade: int, ground: int, blur: float) -> Image.Image:
    image = Image.new("RGB", (384, 256), (ground,) * 3)
    ImageDraw.Draw(image).ellipse([110, 50, 270, 210], fill=(shade,) * 3)
    return image.filter(ImageFilter.GaussianBlur(blur)) if blur else image


def test_an_orange_sky_and_a_teal_sky_lean_opposite_ways_in_the_lights_and_alike_in_the_darks():
    orange, teal = _statistics(_sky_over_hill((235, 140, 50))), _statistics(_sky_over_hill((110, 190, 195)))
    assert orange["hue_a_lights"] > 0.4 and orange["hue_b_lights"] > 0.6  # toward orange: +a, +b
    assert teal["hue_a_lights"] < -0.4 and teal["hue_b_lights"] < 0  # toward teal: -a, -b
    assert abs(orange["hue_a_darks"] - teal["hue_a_darks"]) < 0.05  # the dark green hill is the same in both
    assert abs(orange["hue_b_darks"] - teal["hue_b_darks"]) < 0.05


def test_a_melted_edge_reads_softer_than_a_sharp_one_in_the_lights_and_in_the_darks():
    for tone, shade in (("lights", 235), ("darks", 25)):
        sharp, melted = (_statistics(_disc(shade, 120, blur))[f"sharpness_{tone}"] for blur in (0, 12))
        assert sharp > 1.2 and melted < sharp - 0.3, (tone, sharp, melted)


def test_a_soft_light_shape_leaves_the_darks_sharpness_alone():
    # A light disc melted and a dark bar kept: only the lights' edges read softer.
    def picture(blur: float) -> Image.Image:
        image = _disc(235, 120, blur)
        ImageDraw.Draw(image).rectangle([300, 20, 340, 236], fill=(20, 20, 20))
        return image

    sharp, melted = _statistics(picture(0)), _statistics(picture(12))
    assert melted["sharpness_lights"] < sharp["sharpness_lights"] - 0.3
    assert abs(melted["sharpness_darks"] - sharp["sharpness_darks"]) < 0.1


def test_the_candidate_measure_adds_the_layout_to_the_painter_matchs_statistics_view_by_view(monkeypatch):
    # The 34 surface statistics are stood in for (they have their own tests); the layout is computed per view.
    monkeypatch.setattr(colour_layout, "statistics_of_views", lambda picture: np.zeros((5, len(statistic_names()))))
    image = _sky_over_hill((235, 140, 50))
    values = surface_and_layout_of_views(image)
    assert values.shape == (5, len(statistic_names()) + 8) and np.isfinite(values).all()
    assert surface_and_layout_names()[-8:] == layout_statistic_names()
    assert (values[:, -3] > 0.6).all() and values[0, -8] < -0.8  # orange lights in every view; the hill in the darks


def test_hot_lights_over_cool_darks_are_more_vivid_and_further_apart_than_khaki_lights_over_khaki_darks():
    def tones(sky: tuple[int, int, int], hill: tuple[int, int, int]) -> dict[str, float]:
        image = Image.new("RGB", (384, 256), sky)
        ImageDraw.Draw(image).polygon([(0, 140), (200, 110), (384, 150), (384, 256), (0, 256)], fill=hill)
        lab = srgb_to_oklab(pil_to_tensor(image).permute(1, 2, 0)).permute(2, 0, 1)[None]
        names = hue_statistics.tone_chroma_names() + colour_layout.tone_contrast_names()
        return dict(zip(names, hue_statistics.tone_chroma(lab) + colour_layout.tone_contrast(lab), strict=True))

    hot, khaki = tones((240, 120, 40), (20, 60, 70)), tones((190, 175, 130), (80, 75, 55))
    assert hot["chroma_lights"] > khaki["chroma_lights"] + 0.08, (hot, khaki)
    assert hot["colour_contrast"] > khaki["colour_contrast"] + 0.1, (hot, khaki)
    assert hot["warmth_contrast"] > 0.1 and abs(khaki["warmth_contrast"]) < hot["warmth_contrast"] / 2, (hot, khaki)
    grey = tones((200, 200, 200), (40, 40, 40))
    assert max(grey["chroma_lights"], grey["chroma_darks"], grey["colour_contrast"]) < 0.01, grey


def test_strokes_of_other_colours_side_by_side_are_colour_marks_and_strokes_of_one_colour_are_not():
    # Stripes 16 px wide, alternating orange and blue, against the same stripes in two greys of the same
    # lightness contrast: the lightness bands are alike, only the colour changes from mark to mark.
    def stripes(first: tuple[int, int, int], second: tuple[int, int, int]) -> dict[str, float]:
        image = Image.new("RGB", (256, 192), first)
        draw = ImageDraw.Draw(image)
        for x in range(16, 256, 32):
            draw.rectangle([x, 0, x + 15, 191], fill=second)
        lab = srgb_to_oklab(pil_to_tensor(image).permute(1, 2, 0)).permute(2, 0, 1)[None]
        return dict(zip(colour_layout.colour_marks_names(), colour_layout.colour_marks(lab), strict=True))

    coloured, grey = stripes((230, 120, 40), (60, 90, 200)), stripes((150, 150, 150), (110, 110, 110))
    assert coloured["colour_marks"] > grey["colour_marks"] + 5, (coloured, grey)
    assert coloured["colour_marks_ratio"] > grey["colour_marks_ratio"] + 5, (coloured, grey)
