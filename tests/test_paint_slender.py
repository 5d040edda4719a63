"""The broad strokes laid narrower in open areas (the style's `slender`, plan.py; session 18, for Van Gogh's long
dashes in a flat sky, where strokes as wide as the brush lay pebble-ovals side by side)."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams
from models.paint.strokes.plan import SLENDER
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.test_paint_smooth_strokes import _style


def _first_layer(picture: torch.Tensor, slender: float) -> tuple[torch.Tensor, torch.Tensor, float]:
    """The first (broadest) layer's paths and radii of a plan of `picture`, and the widest radius without `slender`."""
    plan = lambda amount: plan_for(_style(slender=amount), picture, StrokeParams(seed=4, palette=0.0), 160, 120)  # noqa: E731
    broad = plan(0.0)
    widest = float(broad.radius.max())
    count = int((broad.radius == widest).sum())  # the first layer: a stroke in every cell, before any finer one
    chosen = plan(slender)
    return chosen.paths[:count], chosen.radius[:count], widest


def test_in_an_open_area_the_broad_strokes_keep_their_paths_and_lose_width():
    assert ADDED_LATER["slender"] == 0.0
    flat = pil_to_tensor(Image.new("RGB", (160, 120), (90, 130, 200)))
    paths, radius, widest = _first_layer(flat, 0.0)
    slender_paths, slender_radius, _ = _first_layer(flat, 1.0)
    assert torch.equal(paths, slender_paths)  # the same strokes along the same paths ...
    assert torch.equal(radius, torch.full_like(radius, widest))
    # ... narrower: an open area, by nearly all of SLENDER
    assert float(slender_radius.max()) < widest * (1 - 0.9 * SLENDER)
    assert float(slender_radius.min()) >= widest * (1 - SLENDER) - 1e-5


def test_in_a_busy_area_the_broad_strokes_keep_their_width():
    noise = torch.rand((3, 30, 40), generator=torch.Generator().manual_seed(5)).repeat_interleave(4, 1)
    busy = noise.repeat_interleave(4, 2)  # 4-px squares of every colour: edges everywhere
    _, radius, widest = _first_layer(busy, 1.0)
    assert float(radius.median()) > widest * (1 - 0.2 * SLENDER)
