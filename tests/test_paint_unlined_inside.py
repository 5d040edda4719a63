"""No dark contours round the lit lumps inside a scene's pale kept thing (strokes/outline.py, `unlined_inside`): a
blossoming crown's lit lumps, drawn by the scene as lighter discs on its pale body, were each ringed in a dark line
like a cloud. The thing's outline keeps its dark line, and a picture with no kept things is painted as before."""

from __future__ import annotations

import torch

from models.paint.strokes import StrokeParams, plan
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.outline import INSIDE_REACH, inside_things
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

WIDTH, HEIGHT, CENTRE, CROWN, LUMP = 256, 192, (128, 96), 70, 30
GROUND, BODY, LIT = (90, 130, 60), (200, 176, 178), (250, 220, 225)  # a pale pink crown, its lit lump paler


def _distance() -> torch.Tensor:
    y, x = torch.meshgrid(torch.arange(HEIGHT), torch.arange(WIDTH), indexing="ij")
    return ((x - CENTRE[0]) ** 2 + (y - CENTRE[1]) ** 2).float().sqrt()


def _crown() -> tuple[torch.Tensor, torch.Tensor]:
    """(3, H, W) sRGB in [0, 1]: a pale crown on green ground with a lit lump in its middle; (H, W) its kept label."""
    distance = _distance()
    colour = torch.where(distance[None] < LUMP, torch.tensor(LIT)[:, None, None], torch.tensor(BODY)[:, None, None])
    colour = torch.where(distance[None] < CROWN, colour, torch.tensor(GROUND)[:, None, None])
    return colour.float() / 255, (distance < CROWN).long()


def test_inside_things_is_the_inside_of_a_kept_thing_away_from_its_outline():
    """1 inside the crown's label farther than INSIDE_REACH from its outline; 0 on and beyond it."""
    _, kept = _crown()
    inside = inside_things(kept, 1.0)[0]
    distance = _distance()
    assert float(inside[distance < CROWN - INSIDE_REACH - 2].min()) == 1.0
    assert float(inside[distance > CROWN - INSIDE_REACH + 1].max()) == 0.0


def _contours(amount: float, keep: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """How far from the crown's centre each contour's middle lies (px), and its paint's OKLab lightness, planned with
    `unlined_inside`."""
    picture, kept = _crown()
    style = _style(outline=0.6, outline_width=1.2, unlined_inside=amount)
    planned = plan_for(style, picture, StrokeParams(seed=1, palette=0.0), WIDTH, HEIGHT, keep=kept if keep else None)
    lines = planned.is_outline.nonzero()[:, 0]
    middles = planned.paths[lines, (planned.first[lines] + planned.last[lines]) // 2]
    return (middles - torch.tensor(CENTRE)).norm(dim=1), planned.colour[lines, 0]


def test_the_lit_lump_inside_a_kept_crown_loses_its_dark_ring_and_the_crown_keeps_its_outline():
    """At 0 the contours round the lit lump (20-40 px from the centre) are dark; at 1 nearly all of them are painted in
    the light of the two sides, and the crown's outline (60-80 px) is as dark as before."""
    assert ADDED_LATER["unlined_inside"] == 0.0
    body = float(to_oklab(torch.tensor(BODY).float()[:, None, None] / 255)[0].mean())
    (before, dark), (after, light) = _contours(0.0), _contours(1.0)
    on_lump = (before > LUMP - 10) & (before < LUMP + 10)
    assert int(on_lump.sum()) >= 3
    assert float(dark[on_lump].max()) < body - 0.2
    assert torch.equal(before, after)  # the same contours, only their colours
    unlined = light[on_lump] > body - 0.02
    assert float(unlined.float().mean()) > 0.9
    on_outline = (before > CROWN - 10) & (before < CROWN + 10)
    assert torch.equal(dark[on_outline], light[on_outline])


def test_without_kept_things_or_at_zero_it_is_never_worked_out(monkeypatch):
    """A photograph (no kept things) with the amount on, or a scene at 0, never reaches inside_things; a scene with
    it on does."""
    assert_reached_only_when_on(
        monkeypatch,
        [(plan, "inside_things")],
        lambda: (_contours(1.0, keep=False), _contours(0.0)),
        [lambda: _contours(1.0)],
    )
