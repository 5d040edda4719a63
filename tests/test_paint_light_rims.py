"""Contours round a light on their edge's crest (strokes/outline.py, `light_rims`): traced with inertia round a small
light disc in a pale sky (the README sketch's sun), thirty contours drifted up to 2 px off its edge, side by side, a
grey ring 5 px wide; moved onto the crest they lie on one line. A dark disc (a tree's crown) keeps its contours where
they were traced: moving every contour thinned the village sketch's wide lines, which the measure wanted."""

from __future__ import annotations

import torch

from models.paint.strokes import outline
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.outline import outline_strokes
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

WIDTH, HEIGHT, RADIUS, CENTRE = 256, 192, 30, (170, 60)
SKY = (185, 180, 160)  # L 0.77 and 0.92: the README sketch's cream sky and yellow sun after his colours
SUN, CROWN = (255, 230, 80), (60, 70, 40)


def _disc(colour: tuple[int, int, int]) -> torch.Tensor:
    """(3, H, W) OKLab: a disc 60 px across of `colour` in the sky."""
    y, x = torch.meshgrid(torch.arange(HEIGHT), torch.arange(WIDTH), indexing="ij")
    inside = ((x - CENTRE[0]) ** 2 + (y - CENTRE[1]) ** 2) < RADIUS**2
    picture = torch.where(inside, torch.tensor(colour)[:, None, None], torch.tensor(SKY)[:, None, None])
    return to_oklab(picture.float() / 255)


def _contours(colour: tuple[int, int, int], light_rims: float):
    style = _style(outline=0.6, outline_width=1.2, joined_line=1.0, light_rims=light_rims)
    return outline_strokes(_disc(colour), style, style.outline, 1.0, torch.Generator().manual_seed(1))


def _off_the_circle(strokes) -> torch.Tensor:
    """How far each traced point of the contours that run round the disc (a quarter of it and more) lies outside (+)
    or inside (-) its circle, px. A short straight piece hardly turns, so which side is the light is not told: left."""
    arcs = [i for i in range(strokes.count) if strokes.last[i] - strokes.first[i] >= RADIUS]
    points = torch.cat([strokes.paths[i, int(strokes.first[i]) : int(strokes.last[i]) + 1] for i in arcs])
    return (points - torch.tensor(CENTRE)).norm(dim=1) - RADIUS


def test_the_contours_round_a_sun_lie_on_one_line():
    drifting, colours_before = _contours(SUN, 0.0)
    on_crest, colours_after = _contours(SUN, 1.0)
    assert drifting.count == on_crest.count >= 12  # the same contours, each along a part of the rim
    spread_before, spread_after = (float(d.max() - d.min()) for d in map(_off_the_circle, (drifting, on_crest)))
    assert spread_before > 3.0  # side by side, a ring as wide as two lines and more
    assert spread_after < 1.5  # one line
    assert float(_off_the_circle(on_crest).abs().max()) < 1.0  # on the rim itself
    assert torch.equal(colours_before, colours_after)  # where, not how, they are drawn


def test_a_dark_crown_keeps_its_contours_where_they_were_traced():
    before, after = _contours(CROWN, 0.0)[0], _contours(CROWN, 1.0)[0]
    assert before.count >= 12 and torch.equal(before.paths, after.paths)


def test_at_0_no_contour_moves(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER): the old pixels."""
    assert ADDED_LATER["light_rims"] == 0.0 and _style().light_rims == 0.0
    assert_reached_only_when_on(
        monkeypatch,
        [(outline, "_round_lights"), (outline, "_on_crest")],
        at_zero=lambda: _contours(SUN, 0.0),
        switched_on=[lambda: _contours(SUN, 1.0)],
    )
