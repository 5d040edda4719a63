"""Curled strokes: each scattered stroke sweeps round one way along its length (the style's `curl`: scatter.bends,
brush.trace's `bend`, planned in plan.py; session 20, for Turner's sea and ground, whose strokes curl with the waves
where turned straight they lay as criss-cross sticks)."""

from __future__ import annotations

import math

import torch

from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.render import plan_for
from models.paint.strokes.scatter import bends
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style


def test_bends_spread_up_to_the_amount_of_a_right_angle_over_the_steps_where_the_field_runs_one_way():
    """At 1 over 10 steps a stroke bends up to a tenth of a right angle a step, either way; at 0.5 half that; where the
    field runs every way, not at all."""
    seeds = torch.rand((2000, 2), generator=torch.Generator().manual_seed(1)) * 31
    one_way, every_way = torch.ones(32, 32), torch.zeros(32, 32)
    full = bends(seeds, one_way, 1.0, 10, torch.Generator().manual_seed(2))
    assert float(full.abs().max()) <= math.pi / 20 + 1e-6
    assert float(full.abs().mean()) > 0.4 * math.pi / 20  # uniform: a mean of half the reach
    assert float(full.gt(0).float().mean()) > 0.4 and float(full.lt(0).float().mean()) > 0.4
    assert float(bends(seeds, one_way, 0.5, 10, torch.Generator().manual_seed(2)).abs().max()) <= math.pi / 40 + 1e-6
    assert float(bends(seeds, every_way, 1.0, 10, torch.Generator().manual_seed(2)).abs().max()) == 0.0


def _bent(plan) -> torch.Tensor:
    """Each stroke's turn in radians between the chords of its two halves (0 for a straight stroke), of strokes with
    at least four points each way of their middle."""
    middle = (plan.first + plan.last) // 2
    index = torch.arange(plan.count)
    long = (middle - plan.first >= 4) & (plan.last - middle >= 4)
    start, centre, end = plan.paths[index, plan.first], plan.paths[index, middle], plan.paths[index, plan.last]
    one, two = centre - start, end - centre
    cross = one[:, 0] * two[:, 1] - one[:, 1] * two[:, 0]
    return torch.atan2(cross.abs(), (one * two).sum(1))[long]


def test_a_plans_scattered_strokes_curl_only_when_asked(monkeypatch):
    """A picture grading smoothly from top to bottom, its strokes scattered: at 0 nearly every long stroke is straight
    (its field runs straight across); at 1 a good share turn more than 20 degrees between their halves. At 0 the bends
    are never worked out (a style saved before them paints as before)."""
    assert ADDED_LATER["curl"] == 0.0
    rows = torch.linspace(0.2, 0.8, 96)[:, None].expand(96, 128)
    source = torch.stack([rows, rows * 0.9, rows * 0.7])
    plan = lambda amount: plan_for(  # noqa: E731
        _style(scatter=1.0, curl=amount, length=8.0), source, StrokeParams(seed=2, palette=0.0), 128, 96
    )
    plans = []
    assert_reached_only_when_on(
        monkeypatch, [(plan_module, "bends")], lambda: plans.append(plan(0.0)), [lambda: plan(1.0)]
    )
    monkeypatch.undo()
    straight, curled = _bent(plans[0]), _bent(plan(1.0))
    assert straight.numel() > 20 and curled.numel() > 20
    assert float((straight > math.radians(20)).float().mean()) < 0.1
    assert float((curled > math.radians(20)).float().mean()) > 0.3
