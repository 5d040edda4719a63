"""The open ground kept rough (the style's `rough_ground`: wash.rough_ground, applied in plan.py; session 19, for
Turner's foreground sea in broken strokes under a veiled sky, where a sketch's flat ground was veiled like its sky)."""

from __future__ import annotations

import torch

from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.field import region_memberships
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.wash import rough_ground
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style


def test_the_openness_falls_low_in_the_picture_and_stays_high_up_and_in_busy_areas():
    """A flat picture with a busy band of stripes down its right side: at 0.6 the open areas' openness falls by up to
    0.6 toward the bottom, by almost nothing at the top; the busy band stays closed; 0 changes nothing."""
    picture = torch.full((3, 64, 96), 0.5)
    picture[0, :, 72:] = (torch.arange(24) % 4 < 2).float()  # busy stripes
    memberships = region_memberships(picture, unit=96 / 512)
    openness = 1 - memberships[2:3]
    rough = rough_ground(openness, memberships, 0.6)
    assert torch.equal(rough_ground(openness, memberships, 0.0), openness)
    assert bool((rough <= openness + 1e-6).all())
    top, bottom = rough[0, 1, 20] / openness[0, 1, 20], rough[0, -2, 20] / openness[0, -2, 20]
    assert float(top) > 0.95 and 0.4 < float(bottom) < 0.45  # 1 - 0.6 x (its lowness, nearly 1 at the bottom)
    assert float(rough[0, -2, 90]) < 0.05  # the busy band was closed and stays so


def test_a_plans_ground_is_less_open_only_when_asked(monkeypatch):
    """A flat sketch-like picture: at 1 its plan's openness (where the wash and the calm lie) is lower in the bottom
    rows than at 0 and the same in the top rows; at 0 rough_ground is never worked out."""
    assert ADDED_LATER["rough_ground"] == 0.0
    source = torch.stack([torch.full((96, 128), 0.5), torch.full((96, 128), 0.4), torch.full((96, 128), 0.3)])
    plan = lambda amount: plan_for(  # noqa: E731
        _style(wash=0.8, rough_ground=amount), source, StrokeParams(seed=2), 128, 96
    )
    plans = []
    assert_reached_only_when_on(
        monkeypatch, [(plan_module, "rough_ground")], lambda: plans.append(plan(0.0)), [lambda: plan(1.0)]
    )
    monkeypatch.undo()
    smooth, rough = plans[0].wash[3], plan(1.0).wash[3]
    assert float(rough[-4:].mean()) < float(smooth[-4:].mean()) - 0.5
    assert torch.allclose(rough[:4], smooth[:4], atol=0.05)
