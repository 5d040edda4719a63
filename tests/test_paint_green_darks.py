"""A dark green area in his foliage's blue-green (`green_darks`, session 24, for Hokusai): the cold darks turned a
sketch's dark green tree crown his navy, a navy disc beside green hills; with it a green dark area's tint turns to
his trees' blue-green, while a grey or brown dark keeps his navy. 0 for every style saved before, and there the
plan never reaches it."""

from __future__ import annotations

import math

import numpy as np
import torch

from models.jobs import run_job
from models.paint.strokes import plan as plan_module
from models.paint.strokes.render import StrokeParams, plan_for, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.wash import FOLIAGE_HUE, cool_map, green_kept
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_cold_darks import _picture, _style

NAVY = torch.tensor([-0.029, -0.066])  # his darkest tint deepened (Hokusai's: hue 246 degrees)
GREEN, BROWN = (0.40, -0.082, 0.057), (0.35, 0.03, 0.04)  # OKLab: a sketch's dark green crown (hue 145), a brown trunk


def _hue(ab: torch.Tensor) -> float:
    return math.degrees(math.atan2(float(ab[1]), float(ab[0]))) % 360


def _sketch() -> torch.Tensor:
    """(3, 16, 96) OKLab: a dark green area on the left, a dark brown one on the right."""
    picture = torch.zeros(3, 16, 96)
    picture[:, :, :48] = torch.tensor(GREEN)[:, None, None]
    picture[:, :, 48:] = torch.tensor(BROWN)[:, None, None]
    return picture


def test_a_green_dark_takes_his_foliage_a_brown_one_keeps_his_navy():
    picture = _sketch()
    cool = cool_map(picture, 0.25, 1.0)
    kept = green_kept(cool, picture, NAVY, 0.25, 1.0)
    assert kept.shape == (3, 16, 96) and torch.equal(kept[:1], cool)  # the share is the cold darks' own
    assert abs(_hue(kept[1:, 8, 16]) - FOLIAGE_HUE) < 1
    assert torch.allclose(kept[1:, 8, 80], NAVY)
    assert torch.allclose(green_kept(cool, picture, NAVY, 0.25, 0.0)[1:, 8, 16], NAVY)  # at 0 his navy everywhere


def test_a_range_of_tints_is_turned_where_green_and_kept_elsewhere():
    """With `dark_range` the map already carries a tint per pixel: the green area's turns, the brown one's stays."""
    picture = _sketch()
    cool = cool_map(picture, 0.25, 1.0)
    ranged = torch.cat([cool, torch.tensor([0.01, 0.02])[:, None, None].expand(2, 16, 96)])
    kept = green_kept(ranged, picture, NAVY, 0.25, 1.0)
    assert abs(_hue(kept[1:, 8, 16]) - FOLIAGE_HUE) < 1
    assert torch.equal(kept[1:, :, 60:], ranged[1:, :, 60:])


def test_at_0_no_tint_is_turned(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["green_darks"] == 0.0 and _style().green_darks == 0.0
    params = StrokeParams(seed=3, palette=0.5)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "green_kept")],
        at_zero=lambda: run_job(stroke_render_job(_style(cold_darks=2.0), _picture(), params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(cold_darks=2.0, green_darks=1.0), _picture(), params))],
    )


def test_the_plan_carries_the_turned_tints():
    """The plan's map has a tint per pixel, his foliage's where the picture is dark green (fails when plan.py does not
    turn it); the raster lays such a map as it lays `dark_range`'s (test_paint_dark_range)."""
    image = np.ones((48, 64, 3)) * np.array([0.02, 0.18, 0.05])  # sRGB dark green
    source = torch.from_numpy(image.astype(np.float32)).permute(2, 0, 1)
    plan = plan_for(_style(cold_darks=2.0, green_darks=1.0), source, StrokeParams(seed=3, palette=0.5), 64, 48)
    assert plan.cool is not None and plan.cool.shape[0] == 3
    assert float(plan.cool[0, 24, 32]) > 0.1  # a dark the cold darks reach
    assert abs(_hue(plan.cool[1:, 24, 32]) - FOLIAGE_HUE) < 10
