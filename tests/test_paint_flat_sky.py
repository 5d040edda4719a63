"""His skies flat, his grounds printed (strokes/surface.py, `flat_sky` and `baren_ground`): the baren's blotches leave
the open areas high in the picture and print more in those clearly low in it; tiles join; at 0 they are even."""

from __future__ import annotations

import numpy as np
import torch

from models.jobs import run_job
from models.paint.strokes import plan as plan_module
from models.paint.strokes.filters import blur
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import baren_areas
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.tiling import assert_tiles_join

HEIGHT, WIDTH = 160, 120


def test_the_blotches_leave_the_sky_and_gather_on_the_ground():
    # open high, open low (a little: under half its membership), clearly open low, busy
    memberships = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 0.4, 1.0, 0.0], [0.0, 0.6, 0.0, 1.0]])[:, None, :]
    areas = baren_areas(memberships, 1.0, 0.8)[0, 0]
    assert torch.allclose(areas, torch.tensor([0.0, 1.0, 1.8, 1.0]))
    assert torch.allclose(baren_areas(memberships, 0.5, 0.0)[0, 0], torch.tensor([0.5, 1.0, 1.0, 1.0]))


def _flat() -> torch.Tensor:
    """(3, H, W) sRGB: one flat mid-tone blue, open everywhere: its top a sky, its bottom a ground."""
    return torch.tensor([0.35, 0.4, 0.55])[:, None, None].expand(3, HEIGHT, WIDTH).clone()


def _blotches(**amounts: float) -> tuple[float, float]:
    """The texture broader than the fine grain (the lightness blurred 1.5 px, its spread) in the top and the bottom
    fifth of a render of `_flat`."""
    style = _style(grain=0.03, bare_lights=1.0, baren=1.0, **amounts)
    painted = np.asarray(run_job(stroke_render_job(style, _flat(), StrokeParams(seed=1, palette=0.0))), float)
    broad = blur(torch.from_numpy(painted.mean(2)).float()[None], 1.5)[0].numpy()
    fifth = HEIGHT // 5
    return float(broad[6:fifth, 6:-6].std()), float(broad[-fifth:-6, 6:-6].std())


def test_a_render_has_a_flat_sky_and_a_printed_ground():
    (sky, ground), (flat_sky, printed_ground) = _blotches(), _blotches(flat_sky=1.0, baren_ground=1.0)
    assert flat_sky < 0.75 * sky  # the blotches gone from the sky, its fine grain kept
    assert printed_ground > 1.3 * ground


def test_tiles_join_with_a_flat_sky():
    style = _style(grain=0.03, bare_lights=1.0, baren=1.0, flat_sky=1.0, baren_ground=0.8)
    assert_tiles_join(_flat(), style, (150, 200), palette=0.0)


def test_at_0_the_blotches_are_even(monkeypatch):
    """0 is their default and their value in a style saved before them (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["flat_sky"] == 0.0 and ADDED_LATER["baren_ground"] == 0.0
    assert _style().flat_sky == 0.0 and _style().baren_ground == 0.0
    params = StrokeParams(seed=1, palette=0.0)
    blotched = dict(grain=0.03, baren=1.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "baren_areas")],
        at_zero=lambda: run_job(stroke_render_job(_style(**blotched), _flat(), params)),
        switched_on=[
            lambda: run_job(stroke_render_job(_style(**blotched, flat_sky=1.0), _flat(), params)),
            lambda: run_job(stroke_render_job(_style(**blotched, baren_ground=1.0), _flat(), params)),
        ],
    )
