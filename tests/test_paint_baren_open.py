"""Munch's blotches in the open areas only (strokes/surface.py, `baren_open`): the baren's blotches leave the busy
areas, where a photograph's detail already runs every way; at 0 they print there as before."""

from __future__ import annotations

import torch

from models.jobs import run_job
from models.paint.strokes import plan as plan_module
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import baren_areas
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.test_paint_flat_sky import _flat


def test_the_blotches_leave_the_busy_areas():
    # open high, open low, clearly open low, half busy, busy
    rows = [[1.0, 0.0, 0.0, 0.25, 0.0], [0.0, 0.4, 1.0, 0.25, 0.0], [0.0, 0.6, 0.0, 0.5, 1.0]]
    memberships = torch.tensor(rows)[:, None, :]
    assert torch.allclose(baren_areas(memberships, 0.0, 0.0, 1.0)[0, 0], torch.tensor([1.0, 0.4, 1.0, 0.5, 0.0]))
    # with the sky's and the ground's amounts: the busy share taken from what they leave
    areas = baren_areas(memberships, 0.5, 0.8, 0.5)[0, 0]
    assert torch.allclose(areas, torch.tensor([0.5, 0.7, 1.8, 0.875 * 0.75, 0.5]))


def test_at_0_the_busy_areas_keep_their_blotches(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["baren_open"] == 0.0 and _style().baren_open == 0.0
    params = StrokeParams(seed=1, palette=0.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "baren_areas")],
        at_zero=lambda: run_job(stroke_render_job(_style(grain=0.03, baren=1.0), _flat(), params)),
        switched_on=[
            lambda: run_job(stroke_render_job(_style(grain=0.03, baren=1.0, baren_open=1.0), _flat(), params)),
        ],
    )
