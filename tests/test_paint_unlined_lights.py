"""Unlined lights (strokes/outline.py, `unlined_lights`): a light against light surroundings (a sun in a pale sky) loses
its contour, a dark thing against the same sky keeps its own, and 0 draws every contour as before."""

from __future__ import annotations

import torch

from models.paint.strokes.filters import to_oklab
from models.paint.strokes.outline import lit_sides, outline_strokes
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.test_lost_edges import _style

WIDTH, HEIGHT, UNIT = 128, 96, 0.5
SKY = (110, 160, 225)  # the README sketch's sky (OKLab L 0.69)
SUN = (250, 215, 70)  # its sun (L 0.88)
TREE = (40, 100, 50)  # its tree (L 0.45)


def _disc(colour: tuple[int, int, int]) -> torch.Tensor:
    """(3, H, W) OKLab: a disc of `colour` 40 px across in the middle of the sky."""
    y, x = torch.meshgrid(torch.arange(HEIGHT), torch.arange(WIDTH), indexing="ij")
    inside = ((x - WIDTH / 2) ** 2 + (y - HEIGHT / 2) ** 2) < 20**2
    picture = torch.where(inside, torch.tensor(colour)[:, None, None], torch.tensor(SKY)[:, None, None])
    return to_oklab(picture.float() / 255)


def _contours(picture: torch.Tensor, unlined: float, generator: torch.Generator | None = None) -> int:
    style = _style(outline=0.6, unlined_lights=unlined)
    generator = generator or torch.Generator().manual_seed(1)
    strokes, _ = outline_strokes(picture, style, style.outline, UNIT, generator)
    return strokes.count


def test_a_light_in_a_light_sky_is_left_unlined():
    sun = _disc(SUN)
    assert _contours(sun, 0.0) >= 4  # every style rings the sun with a contour
    assert _contours(sun, 1.0) == 0  # Turner's blaze has no outline


def test_a_dark_thing_against_the_same_sky_keeps_its_contour():
    tree = _disc(TREE)
    assert _contours(tree, 0.0) >= 4
    assert _contours(tree, 1.0) == _contours(tree, 0.0)


def test_the_plan_draws_the_same_random_numbers_after_them():
    """The sky's sweeps and the bands are drawn after the contours: unlining the sun must not re-roll them."""
    draws = []
    for unlined in (0.0, 1.0):
        generator = torch.Generator().manual_seed(1)
        _contours(_disc(SUN), unlined, generator)
        draws.append(torch.rand(4, generator=generator))
    assert torch.equal(draws[0], draws[1])


def test_the_darker_side_of_the_edge_decides():
    """On the sun's rim the darker side is the sky, light: 1; on the tree's rim it is the tree, dark: 0. In the open
    sky, far from any edge, the sky itself."""
    rim = (HEIGHT // 2, WIDTH // 2 + 20)  # on the disc's edge, to its right
    sun, tree = lit_sides(_disc(SUN), UNIT)[0], lit_sides(_disc(TREE), UNIT)[0]
    assert sun[rim] > 0.95 and tree[rim] < 0.05
    assert sun[5, 5] > 0.95 and tree[5, 5] > 0.95


def test_nothing_fades_by_default():
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["unlined_lights"] == 0.0 and _style().unlined_lights == 0.0
