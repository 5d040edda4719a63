"""A green ground drawn as his grass (strokes/grass.py, `grass`): bands of thin blades over the green open ground low in
the picture, nothing on a grey one or in the sky; tiles join; at 0 nothing is drawn."""

from __future__ import annotations

import numpy as np
import torch

from models.jobs import run_job
from models.paint.strokes import plan as plan_module
from models.paint.strokes.field import region_memberships
from models.paint.strokes.filters import blur, to_oklab
from models.paint.strokes.grass import grass_map
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.tiling import assert_tiles_join

HEIGHT, WIDTH = 256, 192
SKY = torch.tensor([0.75, 0.82, 0.9])
GREEN = torch.tensor([0.35, 0.55, 0.25])
GREY = torch.tensor([0.5, 0.5, 0.5])


def _ground(colour: torch.Tensor) -> torch.Tensor:
    """(3, H, W) sRGB: a pale sky over a flat ground of `colour`, the lower half."""
    picture = SKY[:, None, None].expand(3, HEIGHT, WIDTH).clone()
    picture[:, HEIGHT // 2 :] = colour[:, None, None]
    return picture


def test_grass_is_the_green_ground_low_in_the_picture():
    green, grey = to_oklab(_ground(GREEN)), to_oklab(_ground(GREY))
    on_green = grass_map(green, region_memberships(green, 0.5), 0.5)[0]
    assert float(on_green[: HEIGHT // 2].max()) == 0.0  # the sky
    assert float(on_green[-HEIGHT // 8 :].min()) > 0.9  # the foot of the field
    assert float(grass_map(grey, region_memberships(grey, 0.5), 0.5).max()) == 0.0


def _render(picture: torch.Tensor, **amounts: float) -> np.ndarray:
    style = _style(outline=0.3, grain=0.03, **amounts)
    return np.asarray(run_job(stroke_render_job(style, picture, StrokeParams(seed=1, palette=0.0))), float).mean(2)


def _shapes(lightness: np.ndarray) -> float:
    """The spread of the lightness at 8-32 px at 512 (a difference of blurs): the size of his grass bands."""
    picture = torch.from_numpy(lightness).float()[None]
    unit = HEIGHT / 512
    return float((blur(picture, 4 * unit) - blur(picture, 16 * unit)).std())


def test_a_green_ground_is_drawn_in_bands_of_blades_and_the_sky_is_left():
    plain, grassy = _render(_ground(GREEN)), _render(_ground(GREEN), grass=1.0)
    foot = slice(HEIGHT - HEIGHT // 4, HEIGHT - 6)
    assert _shapes(grassy[foot, 6:-6]) > 2 * _shapes(plain[foot, 6:-6])
    assert np.array_equal(grassy[: HEIGHT // 4], plain[: HEIGHT // 4])
    assert np.array_equal(_render(_ground(GREY), grass=1.0), _render(_ground(GREY)))  # no grass on a grey floor


def test_tiles_join_with_grass():
    assert_tiles_join(_ground(GREEN), _style(outline=0.3, grass=1.0), (150, 200), palette=0.0)


def test_at_0_no_grass_is_drawn(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["grass"] == 0.0 and _style().grass == 0.0
    params = StrokeParams(seed=1, palette=0.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "grass_blades")],
        at_zero=lambda: run_job(stroke_render_job(_style(), _ground(GREEN), params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(grass=1.0), _ground(GREEN), params))],
    )
