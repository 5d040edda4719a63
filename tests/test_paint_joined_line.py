"""Joined contours (strokes/outline.py, `joined_line`): a thin contour, traced in steps wider than itself and stamped
one disc a step, is drawn as one unbroken line instead of a row of beads; 0 draws every contour as before."""

from __future__ import annotations

import torch

from models.paint.strokes import outline
from models.paint.strokes.brush import MAX_POINTS, KeyMap, Strokes, stamp
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.outline import outline_strokes
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

WIDTH, HEIGHT, UNIT = 256, 192, 1.0  # at the measure's scale: a contour steps 2.5 px


def _ring_picture() -> torch.Tensor:
    """(3, H, W) OKLab: a dark green disc 120 px across in a blue sky (the README sketch's tree)."""
    y, x = torch.meshgrid(torch.arange(HEIGHT), torch.arange(WIDTH), indexing="ij")
    inside = ((x - WIDTH / 2) ** 2 + (y - HEIGHT / 2) ** 2) < 60**2
    picture = torch.where(
        inside, torch.tensor((40, 100, 50))[:, None, None], torch.tensor((110, 160, 225))[:, None, None]
    )
    return to_oklab(picture.float() / 255)


def _contours(joined: float, width: float = 0.8):
    style = _style(outline=0.6, outline_width=width, joined_line=joined)
    return outline_strokes(_ring_picture(), style, style.outline, UNIT, torch.Generator().manual_seed(1))


def _owners(strokes) -> torch.Tensor:
    """(H, W) which contour each pixel is painted by, -1 where none."""
    key_map = KeyMap.empty(HEIGHT, WIDTH)
    stamp(key_map, strokes, torch.arange(strokes.count))
    return torch.where(key_map.inner() >= 0, key_map.inner() // MAX_POINTS, -1)


def _unbroken_share(strokes, traced, contours: int = 12) -> float:
    """The share of points along the middle of the first traced contours (10 a step, their tapered ends left out)
    whose pixel that contour paints, each stamped alone (the ring's contours overlap)."""
    hits, total = 0, 0
    for i in range(contours):
        one = slice(i, i + 1)
        painted = _owners(Strokes(strokes.paths[one], strokes.first[one], strokes.last[one], strokes.radius[one])) >= 0
        first, last = int(traced.first[i]), int(traced.last[i])
        quarter = (last - first) // 4
        path = traced.paths[i, first + quarter : last - quarter + 1]
        along = torch.arange(10)[None, :, None] / 10
        points = torch.round(path[:-1, None] + along * (path[1:] - path[:-1])[:, None]).long().reshape(-1, 2)
        hits += int(painted[points[:, 1], points[:, 0]].sum())
        total += points.shape[0]
    return hits / total


def test_a_thin_contour_is_one_line_not_a_row_of_beads():
    beaded, _ = _contours(0.0)
    joined, _ = _contours(1.0)
    assert beaded.count == joined.count >= 8
    assert (beaded.radius < 1.25).all()  # half the 2.5 px step: the discs of a step do not touch
    assert _unbroken_share(beaded, beaded) < 0.9  # 0.82: gaps between the beads
    assert _unbroken_share(joined, beaded) > 0.99


def test_the_joined_line_is_the_same_line():
    """Every pixel the beads painted is painted (the traced points are all kept), and the line is no wider than a
    disc: the new points lie on the curve between the old ones."""
    beaded, colours_beaded = _contours(0.0)
    joined, colours_joined = _contours(1.0)
    painted_before, painted_after = _owners(beaded) >= 0, _owners(joined) >= 0
    assert painted_after[painted_before].all()
    assert painted_after.sum() < 1.5 * painted_before.sum()
    assert torch.equal(colours_beaded, colours_joined)


def test_a_share_joins_that_share_of_the_contours():
    beaded, _ = _contours(0.0)
    half, _ = _contours(0.5)
    # A contour left beaded has its new points on the points before them: its discs are where they were.
    moved = (half.paths[:, 1::2] != half.paths[:, 0:-1:2]).any(dim=(1, 2))
    assert abs(moved.float().mean().item() - 0.5) < 0.1
    assert torch.equal(half.paths[:, 0::2], beaded.paths)


def test_at_0_no_contour_is_joined(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER): the old pixels."""
    assert ADDED_LATER["joined_line"] == 0.0 and _style().joined_line == 0.0
    assert_reached_only_when_on(
        monkeypatch, [(outline, "_joined")], at_zero=lambda: _contours(0.0), switched_on=[lambda: _contours(1.0)]
    )
