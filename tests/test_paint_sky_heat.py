"""The band heat kept to the sky (`sky_heat`, session 16, for Munch): his lights burn in his paints in a sky, while a
floor or a wall of the same light colour keeps its own hue family; at 0 nothing of it is worked out. The sky is the one
found by sky.sky_map (session 18; tests/test_paint_sky.py): here above a dark horizon line."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes import plan as plan_module
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab, to_rgb
from models.paint.strokes.render import plan_for
from tests.learned_amounts import assert_reached_only_when_on

# Dark greens, a blue-grey, blood orange, yellow, a pale blue (OKLab), darkest first.
PAINTS = torch.tensor(
    [
        [0.25, -0.06, 0.03],
        [0.32, -0.08, 0.05],
        [0.6, -0.02, -0.08],
        [0.64, 0.14, 0.12],
        [0.76, 0.03, 0.15],
        [0.86, -0.02, -0.06],
        [0.9, 0.0, 0.02],
        [0.95, 0.0, 0.0],
    ]
)
QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
WIDTH, HEIGHT = 64, 96


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    values = {"bands": 1.0, "band_hue": 1.0, "band_heat": 1.0, **QUIET, **brushes}
    return StrokeStyle(colours=habits, paints=PAINTS).with_parameters(values)


def _light_blue() -> torch.Tensor:
    """(3, H, W) sRGB: one even light blue, as high in the picture (a sky) as low (a floor, a wall), the two parted by
    a dark horizon line across the middle."""
    blue = to_rgb(torch.tensor([0.7, -0.03, -0.1])[:, None, None])
    picture = blue.expand(3, HEIGHT, WIDTH).clamp(0, 1).clone()
    picture[:, HEIGHT // 2 - 2 : HEIGHT // 2 + 2] = 0.1
    return picture


def _top_and_bottom_colours(style: StrokeStyle, picture: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The OKLab colours of the fill strokes in the top and the bottom sixth of the picture, as planned."""
    plan = plan_for(style, picture, StrokeParams(seed=1, palette=1.0), WIDTH, HEIGHT)
    middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
    fill, row = ~plan.is_outline, middle[:, 1]
    top, bottom = fill & (row < HEIGHT / 6), fill & (row > HEIGHT * 5 / 6)
    assert top.sum() > 5 and bottom.sum() > 5
    return plan.colour[top], plan.colour[bottom]


def _mean_b(style: StrokeStyle) -> tuple[float, float]:
    """The mean OKLab b (+ yellow-orange, - blue) of the fill strokes in the top and the bottom sixth of the picture."""
    top, bottom = _top_and_bottom_colours(style, _light_blue())
    return float(top[:, 2].mean()), float(bottom[:, 2].mean())


def test_the_heat_kept_to_the_sky_leaves_a_light_floor_its_own_hue():
    """Band heat 1 takes every light stroke to the warm paints; with the heat kept to the sky the top's strokes are
    as warm, while the bottom's keep to the blue paints (fails with `sky_heat` ignored, or applied to the sky too)."""
    hot_top, hot_bottom = _mean_b(_style())
    sky_top, sky_bottom = _mean_b(_style(sky_heat=1.0))
    assert hot_top > 0.1 and hot_bottom > 0.1  # blood orange and yellow everywhere
    assert sky_top > 0.05  # still mostly the warm paints (without any heat: -0.08)
    assert sky_bottom < -0.03  # the blue-grey and the pale blue


def test_at_zero_the_sky_is_never_worked_out(monkeypatch):
    """At 0 the heat is one amount for every stroke, as in a style saved before (`sky_held_heat` never reached)."""
    source = pil_to_tensor(Image.new("RGB", (48, 32), (170, 190, 230)))
    params = StrokeParams(seed=1, palette=1.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "sky_held_heat")],
        lambda: plan_for(_style(), source, params, 48, 32),
        [lambda: plan_for(_style(sky_heat=0.5), source, params, 48, 32)],
    )


def test_a_light_blue_wall_high_in_the_picture_but_not_open_to_the_top_keeps_its_hue():
    """The same blue under a dark line close along the top (a wall below a ceiling's edge): high in the picture, so the
    open upper half called it sky, but not reached from the top edge; its strokes keep to the blue paints (fails with
    the sky taken as the open upper half)."""
    picture = _light_blue()
    picture[:, 3:6] = 0.1
    style = _style(sky_heat=1.0)
    plan = plan_for(style, picture, StrokeParams(seed=1, palette=1.0), WIDTH, HEIGHT)
    middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
    wall = ~plan.is_outline & (middle[:, 1] > 10) & (middle[:, 1] < HEIGHT / 2 - 6)
    assert wall.sum() > 5
    assert float(plan.colour[wall, 2].mean()) < -0.03


def _sky_over_sand() -> torch.Tensor:
    """(3, H, W) sRGB: the light blue sky above the dark horizon line, a light sand floor (L 0.72, chroma 0.06) below."""
    picture = _light_blue()
    picture[:, HEIGHT // 2 + 2 :] = to_rgb(torch.tensor([0.72, 0.02, 0.055])[:, None, None]).clamp(0, 1)
    return picture


def _mean_chroma(style: StrokeStyle) -> tuple[float, float]:
    """The mean OKLab chroma of the fill strokes in the top and the bottom sixth of the sky over sand."""
    top, bottom = _top_and_bottom_colours(style, _sky_over_sand())
    return float(top[:, 1:].norm(dim=1).mean()), float(bottom[:, 1:].norm(dim=1).mean())


def test_the_vivid_paints_kept_to_the_sky_leave_a_floor_duller():
    """`sky_vivid` keeps the preference for the most vivid paints (`band_vivid`) to the sky as `sky_heat` keeps the
    heat: the sand floor's strokes take duller paints, the sky's as vivid as before (fails with `sky_vivid` ignored)."""
    paints = PAINTS.clone()
    paints[6] = torch.tensor([0.72, 0.02, 0.07])  # a dull sand paint beside the yellow
    vivid_top, vivid_bottom = _mean_chroma(replace(_style(sky_heat=1.0, band_vivid=1.0), paints=paints))
    kept_top, kept_bottom = _mean_chroma(replace(_style(sky_heat=1.0, band_vivid=1.0, sky_vivid=1.0), paints=paints))
    assert kept_top == pytest.approx(vivid_top, abs=0.01)
    assert kept_bottom < vivid_bottom - 0.02
