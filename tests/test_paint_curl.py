"""Curled strokes: each scattered stroke sweeps round one way along its length (the style's `curl`: scatter.bends,
brush.trace's `bend`, planned in plan.py; session 20, for Turner's sea and ground, whose strokes curl with the waves
where turned straight they lay as criss-cross sticks)."""

from __future__ import annotations

import math

import torch

from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.brush import trace
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


def _end_turns(most_bend: float | None) -> torch.Tensor:
    """Degrees between each end's last step and the seed's heading, for strokes curled a right angle each way along
    a field that runs straight across (20 steps each way, no inertia)."""
    field = torch.zeros(2, 64, 64)
    field[0] = 1.0  # the doubled angle 0: every direction horizontal
    seeds = torch.full((2, 2), 32.0)
    bend = torch.tensor([1.0, -1.0]) * (math.pi / 2) / 20
    strokes = trace(
        seeds,
        torch.full((2,), 0.5),
        field,
        lambda points: torch.ones(points.shape[0], dtype=torch.bool),
        max_steps=20,
        smoothing=0.0,
        turn=torch.zeros(2),
        bend=bend,
        most_bend=most_bend,
    )
    turns = []
    for index in range(2):
        path = strokes.paths[index, strokes.first[index] : strokes.last[index] + 1]
        middle = path[21] - path[19]  # the chord across the seed: its heading
        for end in (path[-1] - path[-2], path[0] - path[1]):
            cosine = (end * middle).sum() / (end.norm() * middle.norm())
            turns.append(math.degrees(math.acos(float(cosine.abs().clamp(max=1.0)))))
    return torch.tensor(turns)


def test_a_curl_held_by_most_bend_turns_no_further_and_runs_on_straight():
    """Curled a right angle each way, a stroke's ends turn nearly square to its middle, a half circle; held to 30
    degrees each way, its ends turn 30 degrees and no more (they run on along the field), either way round."""
    assert float(_end_turns(None).min()) > 80
    held = _end_turns(math.radians(30))
    assert float(held.max()) < 31 and float(held.min()) > 29


def test_curl_straight_holds_a_plans_curled_strokes_to_gentle_arcs():
    """The graded picture's strokes at curl 1: a good share turn more than 40 degrees between their halves; with
    curl_straight 7/9 (each end's curl held to 20 degrees) none does, and nearly as many still turn more than 10."""
    assert ADDED_LATER["curl_straight"] == 0.0
    rows = torch.linspace(0.2, 0.8, 96)[:, None].expand(96, 128)
    source = torch.stack([rows, rows * 0.9, rows * 0.7])
    plan = lambda held: plan_for(  # noqa: E731
        _style(scatter=1.0, curl=1.0, curl_straight=held, length=8.0),
        source,
        StrokeParams(seed=2, palette=0.0),
        128,
        96,
    )
    curled, held = _bent(plan(0.0)), _bent(plan(7 / 9))
    assert held.numel() > 20
    assert float((curled > math.radians(40)).float().mean()) > 0.1
    assert float((held > math.radians(40)).float().max()) == 0.0
    assert float((held > math.radians(10)).float().mean()) > 0.5 * float((curled > math.radians(10)).float().mean())
