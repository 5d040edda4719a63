"""The blaze (session 15, for Turner's lights): `blaze` lays the picture's hottest light into the wash as a pale core
and ragged tongues and veils of gold breaking out into the vapour round it, where the glow and the lost edges left a
sun a yellow disc with a soft rim. 0 for every style saved before (test_paint_strokes: ADDED_LATER), and 0 works
nothing out."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PIL import Image

from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes import plan as plan_module
from models.paint.strokes.blaze import (
    CORE_CHROMA,
    CORE_LIGHT,
    GOLD_CHROMA,
    VEIL,
    VEIL_COLOUR,
    blaze_field,
    blaze_gold,
    blazed,
)
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.render import plan_for
from tests.test_lost_edges import _style
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT = 256, 192
SUN, SUN_RADIUS = (48, 170), 14  # (y, x) in the sky's top right
TREE, TREE_RADIUS = (72, 136), 12  # a dark mass beside it, well within the blaze's reach


def _sky(sun: tuple[float, float, float] = (1.0, 0.92, 0.4)) -> Image.Image:
    """A grey-blue sky (OKLab L 0.66) with a sun and a dark tree in it."""
    image = np.array([0.45, 0.6, 0.7]) * np.ones((HEIGHT, WIDTH, 1))
    y, x = np.mgrid[:HEIGHT, :WIDTH]
    image[(y - SUN[0]) ** 2 + (x - SUN[1]) ** 2 < SUN_RADIUS**2] = sun
    image[(y - TREE[0]) ** 2 + (x - TREE[1]) ** 2 < TREE_RADIUS**2] = [0.08, 0.15, 0.08]
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _lab(picture: Image.Image) -> torch.Tensor:
    return to_oklab(torch.from_numpy(np.asarray(picture, np.float32) / 255).permute(2, 0, 1))


def _reach(share: torch.Tensor, angle: float) -> float:
    """How far from the sun's centre, along `angle`, the blaze's share first falls under a half."""
    for r in range(1, 120):
        y = round(SUN[0] + r * math.sin(angle))
        x = round(SUN[1] + r * math.cos(angle))
        if not (0 <= y < HEIGHT and 0 <= x < WIDTH) or float(share[y, x]) < 0.5:
            return float(r)
    return 120.0


def test_the_light_blazes_out_in_ragged_tongues_and_spares_the_darks():
    lab = _lab(_sky())
    share, heat, light = blaze_field(lab, 0.5, 7)
    assert torch.equal(share, blaze_field(lab, 0.5, 7)[0])
    assert not torch.equal(share, blaze_field(lab, 0.5, 8)[0])
    # The light's own colour is the sun's; its heart is blazed fully and hot, far from it nothing at all.
    assert float((light - lab[:, SUN[0], SUN[1]]).norm()) < 0.02
    assert float(share[SUN]) > 0.95 and float(heat[SUN]) > 0.95
    assert float(share[HEIGHT - 8 :, :40].max()) == 0.0
    assert float(heat[SUN[0], SUN[1] - 3 * SUN_RADIUS]) < 0.05
    # It reaches out past the sun's rim, and not as a circle: in tongues here, bitten back there.
    reaches = torch.tensor([_reach(share, 2 * math.pi * k / 48) for k in range(48)])
    assert float(reaches.max()) > 1.6 * SUN_RADIUS
    assert float(reaches.std() / reaches.mean()) > 0.15  # a blurred disc's is under 0.05
    # The dark tree inside its reach keeps its darkness.
    assert float(share[TREE[0] - 4 : TREE[0] + 5, TREE[1] - 4 : TREE[1] + 5].max()) < 0.05


def test_a_picture_with_no_hot_light_has_no_blaze():
    assert blaze_field(_lab(_sky(sun=(0.7, 0.7, 0.6))), 0.5, 7) is None  # its lightest, L 0.76, is not hot


def test_the_core_is_pale_and_the_veil_a_warm_gold():
    lab = _lab(_sky())
    field = blaze_field(lab, 0.5, 7)
    share, heat, light = field
    wash = torch.cat([lab, torch.ones(1, HEIGHT, WIDTH), torch.zeros(1, HEIGHT, WIDTH)])  # colour, openness, light
    gold = torch.tensor([0.008, 0.135])
    blazed_wash = blazed(wash, field, 1.0, gold)
    assert torch.equal(blazed(wash, field, 0.0, gold), wash)
    assert torch.equal(blazed_wash[3:], wash[3:])  # the wash is not opened: busy areas keep their strokes
    core = blazed_wash[:, SUN[0], SUN[1]]
    assert abs(float(core[0]) - CORE_LIGHT) < 0.01
    assert torch.allclose(core[1:3], CORE_CHROMA * gold, atol=0.005)  # pale: a cream of the gold
    # In the veil (blazed, not hot) the sky went about VEIL of the way to the light's lightness ...
    veil = (share > 0.98) & (heat < 0.02) & (wash[0] < 0.7)
    assert int(veil.sum()) > 50
    moved = (blazed_wash[0][veil] - wash[0][veil]) / (light[0] - wash[0][veil])
    assert abs(float(moved.mean()) - VEIL) < 0.05
    # ... and further, VEIL_COLOUR of the way, to the gold: a darker gold, not the greenish mix of gold and blue-grey.
    towards = wash[1:3][:, veil] + (blazed_wash[1:3][:, veil] - wash[1:3][:, veil]) / VEIL_COLOUR
    assert float((towards - gold[:, None]).norm(dim=0).max()) < 0.005


def test_the_gold_is_the_painters_lightest_paint_not_the_light_leaned_warmer():
    # Turner's paints (session 6's fit) end in his lights' cream-gold, L 0.78, chroma 0.144, hue 87 degrees.
    paints = torch.tensor([[0.2, -0.01, -0.02], [0.784, 0.0075, 0.1438], [0.63, -0.024, 0.096]])
    warmth = torch.tensor([-0.0136, 0.2127])
    assert torch.equal(blaze_gold(paints, warmth), paints[1, 1:])
    without_paints = blaze_gold(None, warmth)  # his warm side at the chroma of The Wreck's lights
    assert abs(float(without_paints.norm()) - GOLD_CHROMA) < 1e-6
    assert float(torch.dot(without_paints, warmth)) > 0.99 * GOLD_CHROMA * float(warmth.norm())
    # A sketch's lemon sun (chroma 0.17) blazes in his gold, no more vivid: leaning its own yellow warmer made 0.23.
    lab = _lab(_sky(sun=(1.0, 0.88, 0.2)))
    field = blaze_field(lab, 0.5, 7)
    assert float(field[2][1:].norm()) > 0.16
    wash = torch.cat([lab, torch.ones(1, HEIGHT, WIDTH), torch.zeros(1, HEIGHT, WIDTH)])
    blazed_wash = blazed(wash, field, 1.0, blaze_gold(paints, warmth))
    assert float(blazed_wash[1:3][:, field[0] > 0.5].norm(dim=0).max()) < 0.15


def _washed(**brushes) -> StrokeStyle:
    return _style(wash=0.8, sweep=1.0, scumble=1.0, **brushes)


def _small() -> torch.Tensor:
    return torch.from_numpy(np.asarray(_sky().resize((128, 96)), np.float32) / 255).permute(2, 0, 1)


def test_the_strokes_are_planned_as_without_it_and_far_from_the_light_nothing_changes():
    plans = [plan_for(_washed(blaze=b), _small(), StrokeParams(seed=4), 128, 96) for b in (0.0, 1.0)]
    for name in ("paths", "first", "last", "radius", "colour", "is_outline", "base", "guide", "reach"):
        assert torch.equal(getattr(plans[0], name), getattr(plans[1], name)), name
    assert torch.equal(plans[0].wash[3:], plans[1].wash[3:])
    changed = (plans[0].wash[:3] - plans[1].wash[:3]).norm(dim=0)
    assert float(changed[SUN[0] // 2, SUN[1] // 2]) > 0.05
    assert float(changed[-20:, :40].max()) == 0.0


def test_tiles_join_without_seams_with_the_blaze():
    assert_tiles_join(_sky().resize((128, 96)), _washed(blaze=1.0, glow=0.7, calm=1.0), (160, 120))


def test_at_zero_nothing_is_worked_out(monkeypatch):
    loaded = _washed()
    assert loaded.blaze == 0.0

    def refused(*args):
        raise AssertionError("the blaze was worked out at blaze 0")

    picture = _small()
    monkeypatch.setattr(plan_module, "blaze_field", refused)
    plan_for(loaded, picture, StrokeParams(seed=4), 128, 96)
    with pytest.raises(AssertionError, match="worked out"):
        plan_for(loaded.with_parameters({"blaze": 0.5}), picture, StrokeParams(seed=4), 128, 96)
