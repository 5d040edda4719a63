"""Broad streaks that turn light paint toward orange (the style's `warm_streaks`: surface.py)."""

from __future__ import annotations

import math

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import WARM_HUE, warm_streaks

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"impasto": 0.0, "edges": 0.0, "softness": 0.0, "brush_size": 0.03, "bristles": 0.0, "grain": 0.0}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def _hue(lab: torch.Tensor) -> torch.Tensor:
    return torch.atan2(lab[2], lab[1])


def test_warm_streaks_turn_light_paint_toward_orange_and_never_past_it():
    """Light red and light yellow paint turn toward orange where the streak is warm, by at most the amount, and
    keep their chroma and lightness; dark paint, light blue paint and the streaks' cool side are left alone."""
    hues = torch.tensor([math.radians(20.0), math.radians(100.0), math.radians(58.0)])
    lab = torch.stack([torch.full((3,), 0.8), 0.12 * hues.cos(), 0.12 * hues.sin()])[:, None, :]  # (3, 1, 3)
    warm = warm_streaks(lab, torch.full((1, 3), 0.5), 0.3)
    turned = _hue(warm)[0] - hues
    assert torch.allclose(turned, torch.tensor([0.3, -0.3, math.radians(2.0)]), atol=1e-5)  # the last stops at orange
    assert abs(float(_hue(warm)[0, 2]) - WARM_HUE) < 1e-5
    assert torch.allclose(warm[1:].norm(dim=0), lab[1:].norm(dim=0), atol=1e-6)
    assert torch.equal(warm[0], lab[0])
    assert torch.equal(warm_streaks(lab, torch.full((1, 3), -0.5), 0.3), lab)  # the cool side
    dark = lab.clone()
    dark[0] = 0.25
    assert torch.allclose(warm_streaks(dark, torch.full((1, 3), 0.5), 0.3), dark)
    blue = torch.tensor([0.8, 0.12 * math.cos(math.radians(250.0)), 0.12 * math.sin(math.radians(250.0))])
    blue = blue[:, None, None]
    assert torch.allclose(warm_streaks(blue, torch.full((1, 1), 0.5), 0.3), blue)


def test_warm_streaks_streak_a_light_red_picture_and_join_across_tiles():
    """A light red picture, one plan: with `warm_streaks` its hue varies across the strokes toward orange and only
    toward it; at 0 (the default) it is one paint; the picture drawn in 96-px tiles is the one drawn whole."""
    assert ADDED_LATER["warm_streaks"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (256, 256), (240, 120, 120)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 256, 256)

    def painted(amount: float, tile: int = 512) -> torch.Tensor:
        return list(rasterize(plan, _style(warm_streaks=amount), 256, 256, seed=2, tile=tile))[-1][1]

    plain, warm = to_oklab(painted(0.0)), to_oklab(painted(0.5))
    moved = _hue(warm) - _hue(plain)
    assert float(moved.std()) > 0.05
    assert float(moved.min()) > -0.01
    assert torch.equal(painted(0.5, tile=96), painted(0.5))
