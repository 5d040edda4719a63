"""Flat paint in busy areas (session 11, for Munch): `busy_flat` fades the relief and the seams where the picture is
busy, so a photograph's detail is laid in flat, thin strokes while open areas (and flat sketches, all open) keep the
style's relief. 0 for every style saved before, and 0 works nothing out."""

from __future__ import annotations

import numpy as np
from PIL import Image

from models.paint.strokes import StrokeParams, render_strokes
from models.paint.strokes import plan as plan_module
from tests.test_lost_edges import _style  # long wide strokes, nothing else on the canvas
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT = 128, 64


def _busy_and_open() -> Image.Image:
    """Left half busy (a checker of 6-px squares, two close greens), right half one open flat ochre."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    checker = ((ys // 6 + xs // 6) % 2)[..., None]
    busy = np.where(checker, [0.30, 0.55, 0.30], [0.45, 0.70, 0.40])
    image = np.where((xs < WIDTH // 2)[..., None], busy, [0.80, 0.65, 0.35])
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _paint(style, **params) -> np.ndarray:
    picture = _busy_and_open()
    return np.asarray(render_strokes(picture, style, StrokeParams(seed=3, palette=0.0, **params)), float) / 255


def _embossed(**more):
    return _style(brush_size=0.03, length=6.0, threshold=0.03, **more)


def test_busy_areas_lose_their_relief_and_open_areas_keep_it():
    bare = _paint(_embossed())
    relief = _paint(_embossed(impasto=1.0, edges=0.6))
    flat = _paint(_embossed(impasto=1.0, edges=0.6, busy_flat=1.0))
    busy, open_ = np.s_[8:-8, 8 : WIDTH // 2 - 16], np.s_[8:-8, WIDTH // 2 + 16 : -8]
    relief_in = {
        name: float(np.abs(relief[part] - bare[part]).mean()) for name, part in (("busy", busy), ("open", open_))
    }
    assert relief_in["busy"] > 0.005 and relief_in["open"] > 0.005  # the style's relief shows on both sides
    # Busy: most of the relief is gone. Open: it stays as it was.
    assert np.abs(flat[busy] - bare[busy]).mean() < 0.5 * relief_in["busy"]
    assert np.abs(flat[open_] - relief[open_]).mean() < 0.2 * relief_in["open"]


def test_tiles_join_without_seams_with_busy_flat():
    style = _embossed(impasto=1.0, edges=0.6, bristles=0.2, busy_flat=0.7)
    picture = _busy_and_open()
    assert_tiles_join(picture, style, (144, 72))


def test_at_zero_nothing_is_worked_out(monkeypatch):
    """0 is its default and its value in a style saved before it; without wash, glow or calm no maps are made."""
    style = _embossed(impasto=1.0, edges=0.6)
    assert style.busy_flat == 0.0
    made = []
    real = plan_module.wash_maps
    monkeypatch.setattr(plan_module, "wash_maps", lambda *a: made.append(real(*a)) or made[-1])
    _paint(style)
    assert made == []
    _paint(style.with_parameters({"busy_flat": 0.5}))
    assert len(made) == 1
