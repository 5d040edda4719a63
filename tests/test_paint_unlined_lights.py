"""Unlined lights (strokes/outline.py, `unlined_lights`): a light against light surroundings (a sun in a pale sky) loses
its dark contour (painted in the light and the sky mixed), a dark thing against the same sky keeps its own, and 0
draws every contour as before."""

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


def _contours(picture: torch.Tensor, unlined: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """The contours' colours (N, 3) OKLab."""
    style = _style(outline=0.6, unlined_lights=unlined)
    generator = generator or torch.Generator().manual_seed(1)
    strokes, colours = outline_strokes(picture, style, style.outline, UNIT, generator)
    assert strokes.count == colours.shape[0] >= 4  # every style rings a disc in the sky with a contour
    return colours


def test_a_light_in_a_light_sky_is_left_unlined():
    sun, sky, light = _disc(SUN), to_oklab(torch.tensor(SKY).float()[:, None, None] / 255)[0, 0, 0], 0.88
    lined, unlined, half = _contours(sun, 0.0), _contours(sun, 1.0), _contours(sun, 0.5)
    assert (lined[:, 0] < 0.5).all()  # a dark ring round the sun
    # Turner's blaze has no outline: its rim is painted half in the sun, half in the sky (L 0.69 and 0.88) ...
    assert ((unlined[:, 0] > sky) & (unlined[:, 0] < light)).all()
    assert abs(unlined[:, 0].median() - (sky + light) / 2) < 0.02
    # ... and half the amount goes half way.
    assert torch.allclose(half, (lined + unlined) / 2, atol=0.02)


def test_a_dark_thing_against_the_same_sky_keeps_its_contour():
    tree = _disc(TREE)
    assert torch.equal(_contours(tree, 1.0), _contours(tree, 0.0))


def test_the_contours_are_traced_as_before():
    """Only their colour changes: the plan's random draws after the contours, per stroke (the bands, the sky's
    sweeps), stay the same."""
    draws, counts = [], []
    for unlined in (0.0, 1.0):
        generator = torch.Generator().manual_seed(1)
        counts.append(_contours(_disc(SUN), unlined, generator).shape[0])
        draws.append(torch.rand(4, generator=generator))
    assert torch.equal(draws[0], draws[1]) and counts[0] == counts[1]


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
