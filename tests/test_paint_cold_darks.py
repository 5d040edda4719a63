"""The cold darks (session 14, for Munch): `cold_darks` moves the picture's dark, dull areas to the painter's tint of his
darkest tone, over the glow, so that his blue-green black stays beside his hot lights; the lights, the lightness and a
vivid dark (a red saucer) keep theirs, a scene's kept shape all of its colour; tiles join exactly; 0 for every style
saved before, and at 0 no map is made. `deep_darks` (session 19, for Hokusai) lays that tint deeper in its own hue."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest
import torch
from PIL import Image

from models.paint.colour import srgb_to_oklab
from models.paint.strokes import StrokeParams, render_strokes
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import TENSOR_PREFIX, StrokeStyle
from models.paint.strokes.wash import cool_map
from tests.test_lost_edges import _style as _plain_style  # long wide strokes hatched level, nothing else on the canvas
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT = 128, 96
DARK, LIGHT, RED = [0.12, 0.12, 0.12], [1.0, 0.90, 0.75], [0.50, 0.03, 0.03]  # sRGB: grey-black, warm light, dark red
RED_BOX = (slice(30, 66), slice(8, 30))  # rows, columns of the red patch in the dark half
TINT = torch.tensor([-0.04, 0.02])  # the painter's darkest tint (OKLab a, b): blue-green


def _picture() -> Image.Image:
    """Dark grey on the left half with a dark red patch in it, a warm light on the right half, brightest beside the
    darks (whose glow reaches into them)."""
    fade = np.clip(1.15 - 0.5 * np.arange(WIDTH) / WIDTH, 0, 1)[None, :, None]  # 1 to 0.65 across the light half
    image = np.where((np.arange(WIDTH) < WIDTH // 2)[None, :, None], DARK, np.array(LIGHT) * fade) * np.ones(
        (HEIGHT, 1, 1)
    )
    image[RED_BOX] = RED
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _style(**brushes) -> StrokeStyle:
    """A painter of nearly grey paint (a grey stays grey under his colour habits) whose darkest tint is TINT."""
    generator = torch.Generator().manual_seed(0)
    painting = torch.cat(
        [torch.rand(1, 32, 32, generator=generator), 0.005 * torch.randn(2, 32, 32, generator=generator)]
    )
    habits = ColourHabits.measure([painting])
    habits.tints[0] = TINT
    return dataclasses.replace(_plain_style(glow=1.0, **brushes), colours=habits)


def _paint(style: StrokeStyle) -> np.ndarray:
    painted = render_strokes(_picture(), style, StrokeParams(seed=3, palette=0.5))
    return srgb_to_oklab(torch.from_numpy(np.asarray(painted, np.float32) / 255)).numpy()


@functools.cache
def _plain_and_cold() -> tuple[np.ndarray, np.ndarray]:
    """Painted without and with cold darks (2 x palette 0.5: the whole way); painted once for the tests below."""
    return _paint(_style()), _paint(_style(cold_darks=2.0))


def test_the_dark_area_takes_the_painters_tint_over_the_glow_and_the_lights_stay():
    plain, cold = _plain_and_cold()
    darks, glowing = (slice(4, 26), slice(4, 56)), (slice(4, 26), slice(44, 56))  # the dark grey above the red patch
    assert float(plain[glowing][..., 1:].mean()) > 0.01  # the glow warmed the darks beside the light (a, b > 0) ...
    assert float(plain[glowing][..., 0].mean()) > float(plain[4:26, 4:20, 0].mean()) + 0.1  # ... and lifted them
    assert float(np.abs(cold[darks][..., 1:] - TINT.numpy()).max()) < 0.008  # every pixel his tint, lifted or not
    assert float(np.abs(cold[..., 0] - plain[..., 0]).max()) < 0.01  # lightness as it was (sRGB rounding)
    lights = (slice(None), slice(WIDTH // 2 + 16, None))
    assert np.array_equal(cold[lights], plain[lights])  # the lights untouched, to the bit


def test_deep_darks_lay_the_tint_deeper_in_its_own_hue():
    """`deep_darks` (Hokusai's): the dark area takes his tint times 1 + the amount, its hue and lightness kept; 0 (its
    default and its value in a style saved before it) is the tint as it was."""
    assert _style().deep_darks == 0.0 and torch.equal(_style().darkest_tint, TINT)
    assert torch.allclose(_style(deep_darks=0.5).darkest_tint, 1.5 * TINT)
    _, cold = _plain_and_cold()
    deep = _paint(_style(cold_darks=2.0, deep_darks=0.5))
    darks = (slice(4, 26), slice(4, 56))
    assert float(np.abs(deep[darks][..., 1:] - 1.5 * TINT.numpy()).max()) < 0.008  # every pixel 1.5 times the tint
    assert float(np.abs(deep[..., 0] - cold[..., 0]).max()) < 0.01  # lightness as it was (sRGB rounding)
    lights = (slice(None), slice(WIDTH // 2 + 16, None))
    assert np.array_equal(deep[lights], cold[lights])  # the lights untouched, to the bit


def test_a_vivid_dark_keeps_most_of_its_colour():
    plain, cold = _plain_and_cold()
    red = (slice(RED_BOX[0].start + 6, RED_BOX[0].stop - 6), slice(RED_BOX[1].start + 6, RED_BOX[1].stop - 6))
    before, after = plain[red][..., 1:].mean((0, 1)), cold[red][..., 1:].mean((0, 1))
    moved = float(np.linalg.norm(after - before)) / float(np.linalg.norm(TINT.numpy() - before))
    assert 0.0 < moved < 0.3  # a fifth of the way at most where a grey goes all the way
    turned = abs(np.degrees(np.arctan2(after[1], after[0]) - np.arctan2(before[1], before[0])))
    assert turned < 10  # still a red


def test_the_map_spares_lights_vivid_areas_and_kept_shapes():
    aim = torch.zeros(3, 32, 96)
    aim[0, :, :32], aim[0, :, 32:64], aim[0, :, 64:] = 0.25, 0.25, 0.8  # dark grey, dark red, light
    aim[1, :, 32:64] = 0.14
    inside = torch.zeros(32, 96)
    inside[:12, :32] = 1.0  # a kept shape in the dark grey
    share = cool_map(aim, 0.25, 0.7, inside)[0]
    assert share.shape == (32, 96)
    assert torch.allclose(share[20:, 4:28], torch.tensor(0.7))  # dark and dull: the whole amount
    assert float(share[20:, 40:56].max()) < 0.7 * 0.2  # dark but vivid: under a fifth
    assert float(share[:, 72:].abs().max()) == 0.0  # light: none
    assert float(share[:8, :28].abs().max()) == 0.0  # kept: none


def test_tiles_join_without_seams_with_cold_darks():
    style = _style(cold_darks=1.5, bristles=0.1, softness=0.5)
    assert_tiles_join(_picture(), style, (150, 112), palette=0.5)


def test_at_zero_or_without_the_palette_no_map_is_made():
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    source = torch.from_numpy(np.asarray(_picture(), np.float32) / 255).permute(2, 0, 1)[:, ::2, ::2]  # small: quick
    plan = lambda style, palette: plan_for(style, source, StrokeParams(seed=3, palette=palette), 64, 48)  # noqa: E731
    assert _style().cold_darks == 0.0 and plan(_style(), 0.5).cool is None
    assert plan(_style(cold_darks=1.0), 0.0).cool is None  # the picture's own colours: no painter's tint
    assert plan(_style(cold_darks=1.0), 0.5).cool is not None


def test_a_style_without_tints_cannot_cool_its_darks():
    style = _style()
    tensors = {k: v for k, v in style.to_tensors().items() if k != TENSOR_PREFIX + "tints"}
    with pytest.raises(ValueError, match="cools its darks but its tints are missing"):
        StrokeStyle.from_checkpoint(tensors, style.to_json() | {"cold_darks": 1.0})
