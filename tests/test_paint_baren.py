"""A print's broad, soft blotches in its inks (strokes/surface.py, `baren`): the paper grain carries blotches 8-16 px
across besides its fine speckle, where a woodblock's baren pressed the ink unevenly; under `bare_lights` they lie in the
inks and leave the lights bare; tiles join; at 0 they are never worked out."""

from __future__ import annotations

import numpy as np
import torch

from models.jobs import run_job
from models.paint.strokes import raster as raster_module
from models.paint.strokes.filters import blur
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.test_paint_bare_lights import HEIGHT, WIDTH, _two_halves
from tests.tiling import assert_tiles_join


def _broad_and_fine(amount: float) -> tuple[float, float, float]:
    """The dark half's lightness band 8-16 px across (a difference of blurs) and 2-4 px across, and the light half's
    broad band, away from their edge."""
    params = StrokeParams(seed=1, size=(WIDTH, HEIGHT), palette=0.0)
    job = stroke_render_job(_style(grain=0.03, bare_lights=1.0, baren=amount), _two_halves(), params)
    painted = np.asarray(run_job(job), float).mean(2)
    lightness = torch.from_numpy(painted).float()[None]
    broad = (blur(lightness, 2.5) - blur(lightness, 6.0))[0].numpy()
    fine = (lightness - blur(lightness, 1.5))[0].numpy()
    dark, light = (slice(8, -8), slice(WIDTH // 2 + 14, -8)), (slice(8, -8), slice(8, WIDTH // 2 - 14))
    return float(broad[dark].std()), float(fine[dark].std()), float(broad[light].std())


def test_the_inks_take_broad_blotches_and_the_lights_stay_bare():
    (broad, fine, light), (blotched, fine_after, light_after) = _broad_and_fine(0.0), _broad_and_fine(1.0)
    assert blotched > 1.5 * broad  # the dark ink's 8-16 px band: blotches where it was nearly even
    assert fine_after > 0.8 * fine  # the fine speckle stays
    assert light_after < 0.5 + 1.2 * light  # the bare lights stay bare (sRGB levels)


def test_tiles_join_with_the_blotches():
    assert_tiles_join(_two_halves(), _style(grain=0.03, bare_lights=1.0, baren=1.0), (150, 100), palette=0.0)


def test_at_0_there_are_no_blotches(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["baren"] == 0.0 and _style().baren == 0.0
    params = StrokeParams(seed=1, size=(WIDTH, HEIGHT), palette=0.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(raster_module, "baren_grain")],
        at_zero=lambda: run_job(stroke_render_job(_style(grain=0.03), _two_halves(), params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(grain=0.03, baren=1.0), _two_halves(), params))],
    )
