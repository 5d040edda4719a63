"""The painting's coarse value contrast moved toward the style's (the style's `coarse_contrast`: strokes/tone_gain.py):
one lightness gain per picture, worked out from the plan's canvas; a low-contrast picture is painted with more
contrast between its 8-16 px patches and a high-contrast one with less; tiles join; 0 (the default) paints as before."""

from __future__ import annotations

import math

import pytest
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.picture_statistics import band_energy
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.tone_gain import GAIN, LEVEL, TOWARD, tone_gain
from tests.tiling import assert_tiles_join

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def _stripes(low: int, high: int) -> Image.Image:
    """A 512-px picture of grey vertical stripes 12 px wide (the measure's 8-16 px marks), `low` and `high` grey."""
    picture = Image.new("RGB", (512, 384), (low, low, low))
    for left in range(0, 512, 24):
        picture.paste((high, high, high), (left, 0, left + 12, 384))
    return picture


def _contrast(picture: torch.Tensor) -> float:
    """The root of the lightness's band energy at LEVEL of a (3, H, W) sRGB picture: what the amount aims at."""
    return math.sqrt(band_energy(to_oklab(picture)[0], LEVEL))


def _painted(picture: Image.Image, contrast: float) -> torch.Tensor:
    style = _style(coarse_contrast=contrast)
    params = StrokeParams(seed=2, palette=0.5)
    plan = plan_for(style, pil_to_tensor(picture), params, 512, 384)
    return list(rasterize(plan, style, 384, 512, seed=2, tile=1024))[-1][1]


def test_the_gain_goes_part_of_the_way_and_stops_at_its_bounds():
    canvas = to_oklab(pil_to_tensor(_stripes(90, 160)))
    own = _contrast(pil_to_tensor(_stripes(90, 160)))
    gain, mean = tone_gain(canvas, 2 * own)
    assert gain == pytest.approx(2**TOWARD, rel=1e-4)
    assert mean == pytest.approx(float(canvas[0].mean()))
    assert tone_gain(canvas, own / 2)[0] == pytest.approx(0.5**TOWARD, rel=1e-4)
    assert tone_gain(canvas, 1000 * own)[0] == GAIN[1] and tone_gain(canvas, own / 1000)[0] == GAIN[0]


@pytest.mark.parametrize("size", [(9, 4000), (8, 16384), (30, 300)])
def test_a_strip_too_thin_to_measure_is_left_as_painted(size):
    # `atelier paint --from-scratch --size 4000x9` failed here: the measure's pyramid cannot read so thin a picture.
    canvas = torch.rand(3, *size)
    assert tone_gain(canvas, 0.05) == (1.0, pytest.approx(float(canvas[0].mean())))


@pytest.mark.parametrize(("low", "high", "aim"), [(110, 140, "more"), (30, 230, "less")])
def test_a_pictures_coarse_contrast_is_painted_nearer_the_styles(low, high, aim):
    """The same plan's painting at 0 and with the amount halfway between the two paintings' contrasts: a faint
    picture's painting gains contrast between its 8-16 px patches, a stark one's loses it."""
    picture = _stripes(low, high)
    before = _painted(picture, 0.0)
    between = math.sqrt(_contrast(before) * _contrast(pil_to_tensor(_stripes(70, 190))))
    after = _painted(picture, between)
    moved = _contrast(after) / _contrast(before)
    assert moved > 1.05 if aim == "more" else moved < 0.95
    # the same strokes, only their lightness stretched: the colour is untouched
    assert torch.allclose(to_oklab(after)[1:], to_oklab(before)[1:], atol=0.02)


def test_tiles_join_with_the_gain():
    picture = Image.new("RGB", (256, 160), (90, 140, 200))
    picture.paste((220, 160, 60), (0, 0, 128, 160))
    assert_tiles_join(picture, _style(coarse_contrast=0.1), (700, 450), palette=0.5)


def test_at_0_the_picture_keeps_its_painted_contrast():
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER): no gain."""
    assert ADDED_LATER["coarse_contrast"] == 0.0 and _style().coarse_contrast == 0.0
    plan = plan_for(_style(), pil_to_tensor(_stripes(90, 160)), StrokeParams(seed=2, palette=0.5), 512, 384)
    assert plan.tone is None
