"""Busy detail drawn out along one flow (session 15, for Munch): `busy_flow` averages the simplified picture along its
own local edge direction where the picture is busy, before any stroke is planned, so that detail running every way
(a pagoda's, a garage's) lies along the edges as his shore and rail do; the edge itself stays, an open area stays
as it was, and at 0 it is never worked out (0 for every style saved before it: test_paint_strokes' ADDED_LATER)."""

from __future__ import annotations

import torch

from models.paint.strokes import plan as plan_module
from models.paint.strokes.busy_flow import along_flow
from models.paint.strokes.render import StrokeParams, plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

HEIGHT, WIDTH = 96, 128
EDGE_ROW = 48


def _checker(height: int = HEIGHT, width: int = WIDTH, size: int = 4, depth: float = 0.08) -> torch.Tensor:
    """(H, W) +-depth in squares of `size` px: detail that runs every way, busy at the 512-px scale."""
    ys, xs = torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij")
    return depth * (((ys // size + xs // size) % 2) * 2 - 1).float()


def _lab(lightness: torch.Tensor) -> torch.Tensor:
    return torch.stack([lightness, torch.zeros_like(lightness), torch.zeros_like(lightness)])


def test_busy_detail_is_drawn_out_along_an_edge_and_the_edge_stays():
    """A dark top and a light bottom under a checker: beside the edge the checker's squares are averaged along the
    edge (the rows lose most of their detail) while the step across it keeps nearly all its height."""
    step = torch.where(torch.arange(HEIGHT)[:, None] < EDGE_ROW, 0.3, 0.7).expand(HEIGHT, WIDTH)
    before = _lab(step + _checker())
    after = along_flow(before, 1.0, unit=1.0)
    beside = list(range(EDGE_ROW - 7, EDGE_ROW - 2)) + list(range(EDGE_ROW + 2, EDGE_ROW + 7))
    middle = slice(24, WIDTH - 24)  # away from the sides, where the samples stop at the border
    detail = lambda lab: float(lab[0, beside, middle].std(dim=1).mean())  # noqa: E731  along each row
    assert detail(after) < 0.4 * detail(before)
    height = lambda lab: float(lab[0, 56:64, middle].mean() - lab[0, 32:40, middle].mean())  # noqa: E731
    assert height(after) > 0.9 * height(before) > 0.3


def test_an_open_area_stays_as_it_was():
    """The left half one flat colour with a faint small spot in it (an open area: a lone detail is not busy), the right
    half busy: the spot is not drawn out, the busy half is."""
    lightness = torch.where(torch.arange(WIDTH)[None, :] < WIDTH // 2, 0.5, 0.5 + _checker())
    lightness[46:50, 18:22] = 0.7
    before = _lab(lightness)
    after = along_flow(before, 1.0, unit=1.0)
    assert float(after[0, 46:50, 18:22].min()) > 0.5 + 0.9 * 0.2  # the spot keeps its height (drawn out: ~a third)
    assert float((after[:, :, :12] - before[:, :, :12]).abs().max()) < 2e-3
    assert float((after[:, :, 84:] - before[:, :, 84:]).abs().mean()) > 0.02  # the busy half changed


def test_the_plan_reads_the_drawn_out_picture_and_at_zero_never_works_it_out(monkeypatch):
    lightness = 0.3 + 0.4 * (torch.arange(HEIGHT)[:, None] >= EDGE_ROW).float() + _checker()
    source = torch.stack([lightness.clamp(0, 1)] * 3)  # sRGB greys
    plan = lambda style: plan_for(style, source, StrokeParams(seed=3, palette=0.0), WIDTH, HEIGHT)  # noqa: E731
    flowing, plans = plan(_style(busy_flow=1.0)), []
    assert _style().busy_flow == 0.0
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "along_flow")],
        lambda: plans.append(plan(_style())),
        [lambda: plan(_style(busy_flow=1.0))],
    )
    # The edges that stop the paint are the drawn-out picture's: beside the edge the rows' checker is mostly gone.
    rows = list(range(EDGE_ROW - 7, EDGE_ROW - 2))
    detail = lambda plan: float(plan.guide[0, rows, 24:-24].std(dim=1).mean())  # noqa: E731
    assert detail(flowing) < 0.6 * detail(plans[0])


def test_flow_reach_draws_every_way_detail_out_farther_and_spares_what_runs_one_way():
    """`flow_reach` (Munch's, session 20): a checker (detail running every way) is drawn out farther, to less of its
    detail, at 2 than at 0; stripes that already run one way keep as much of their detail as at 0; 0 in a style saved
    before it."""
    assert ADDED_LATER["flow_reach"] == 0.0
    checker = _lab(0.5 + _checker(size=6))
    detail = lambda lab: float(lab[0, 24:-24, 24:-24].std())  # noqa: E731
    assert detail(along_flow(checker, 1.0, unit=1.0, reach=2.0)) < 0.8 * detail(along_flow(checker, 1.0, unit=1.0))
    xs = torch.arange(WIDTH)[None, :].expand(HEIGHT, WIDTH)
    stripes = _lab(0.5 + 0.08 * (((xs // 6) % 2) * 2 - 1).float())
    near = along_flow(stripes, 1.0, unit=1.0)
    assert detail(along_flow(stripes, 1.0, unit=1.0, reach=2.0)) > 0.95 * detail(near) > 0.05
