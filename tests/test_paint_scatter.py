"""Scattered strokes: where the field runs one way, each stroke is turned its own way (the style's `scatter`:
scatter.py, planned in plan.py; session 17, for Turner's strokes laid every which way across his dark masses)."""

from __future__ import annotations

import math

import torch

from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.render import plan_for
from models.paint.strokes.scatter import parallel_map, turns
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style


def _doubled(angle: torch.Tensor) -> torch.Tensor:
    return torch.stack([torch.cos(2 * angle), torch.sin(2 * angle)])


def test_the_field_runs_one_way_where_it_is_even_and_not_where_it_turns_every_way():
    """An even field is all one way (1); a field turning at random from pixel to pixel hardly any (under 0.1)."""
    even = parallel_map(_doubled(torch.full((64, 64), 0.3)), unit=1.0)
    assert float(even.min()) > 0.99
    random = torch.rand((64, 64), generator=torch.Generator().manual_seed(0)) * math.pi
    assert float(parallel_map(_doubled(random), unit=1.0)[16:48, 16:48].mean()) < 0.1


def test_turns_spread_up_to_the_amount_of_a_right_angle_where_the_field_runs_one_way():
    """Where all one way, at 1 the turns spread evenly to a right angle either way, at 0.5 to half of one; where the
    field runs every way, none."""
    seeds = torch.rand((2000, 2), generator=torch.Generator().manual_seed(1)) * 31
    one_way, every_way = torch.ones(32, 32), torch.zeros(32, 32)
    full = turns(seeds, one_way, 1.0, torch.Generator().manual_seed(2))
    assert float(full.abs().max()) <= math.pi / 2 + 1e-6
    assert 0.4 * math.pi / 2 < float(full.abs().mean()) < 0.6 * math.pi / 2  # uniform: a mean of half the reach
    assert float(full.gt(0).float().mean()) > 0.4 and float(full.lt(0).float().mean()) > 0.4
    assert float(turns(seeds, one_way, 0.5, torch.Generator().manual_seed(2)).abs().max()) <= math.pi / 4 + 1e-6
    assert float(turns(seeds, every_way, 1.0, torch.Generator().manual_seed(2)).abs().max()) == 0.0


def _directions(plan) -> torch.Tensor:
    """Each stroke's angle from the horizontal (0 to a right angle), of strokes at least two radii long."""
    ends = plan.paths[torch.arange(plan.count), plan.last] - plan.paths[torch.arange(plan.count), plan.first]
    long = ends.norm(dim=1) > 2 * plan.radius
    return torch.atan2(ends[long, 1].abs(), ends[long, 0].abs())


def test_a_plan_scatters_its_strokes_only_when_asked(monkeypatch):
    """A picture grading smoothly from top to bottom: its field runs across, and at 0 nearly every stroke runs across
    with it; at 1 a good share of them run more than 30 degrees from it. At 0 the turns are never worked out (a style
    saved before them paints as before)."""
    assert ADDED_LATER["scatter"] == 0.0
    rows = torch.linspace(0.2, 0.8, 96)[:, None].expand(96, 128)
    source = torch.stack([rows, rows * 0.9, rows * 0.7])
    plan = lambda amount: plan_for(_style(scatter=amount), source, StrokeParams(seed=2, palette=0.0), 128, 96)  # noqa: E731
    plans = []
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "turns"), (plan_module, "parallel_map")],
        lambda: plans.append(plan(0.0)),
        [lambda: plan(1.0)],
    )
    monkeypatch.undo()
    along = _directions(plans[0])
    scattered = _directions(plan(1.0))
    assert along.numel() > 20 and scattered.numel() > 20
    assert float((along > math.radians(30)).float().mean()) < 0.1
    assert float((scattered > math.radians(30)).float().mean()) > 0.3
