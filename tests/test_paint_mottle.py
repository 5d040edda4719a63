"""The mottle (session 16, for Turner's broken paint): `mottle` lays fine, undirected flecks of lighter, warmer and
darker, cooler paint over the whole painted picture, last, where the wash left his skies smooth. 0 for every style
saved before it (test_paint_strokes: ADDED_LATER), and 0 works nothing out."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams
from models.paint.strokes import mottle as mottle_module
from models.paint.strokes import raster as raster_module
from models.paint.strokes.filters import Box, to_oklab
from models.paint.strokes.mottle import LIGHTNESS, mottle_noise, mottled
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT = 128, 96


def _sky() -> Image.Image:
    """A grey-blue sky over a green hill."""
    image = np.array([0.45, 0.6, 0.7]) * np.ones((HEIGHT, WIDTH, 1))
    image[HEIGHT * 2 // 3 :] = [0.3, 0.5, 0.25]
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _washed(**brushes):
    return _style(wash=0.8, sweep=1.0, scumble=1.0, **brushes)


def _painted(style, seed: int = 3) -> torch.Tensor:
    plan = plan_for(style, pil_to_tensor(_sky()), StrokeParams(seed=seed), WIDTH, HEIGHT)
    return to_oklab(list(rasterize(plan, style, HEIGHT, WIDTH, seed=seed))[-1][1])


def test_the_flecks_are_fine_undirected_and_the_same_for_a_pixel_in_any_tile():
    whole = mottle_noise(0, 0, 200, 200, 5, 1.0, Box(0, 200, 0, 200))
    assert abs(float(whole.std()) - 1) < 0.1 and abs(float(whole.mean())) < 0.1
    # Fine: neighbours agree, pixels 8 apart hardly at all.
    assert float((whole[:, 1:] * whole[:, :-1]).mean()) > 0.6
    assert abs(float((whole[:, 8:] * whole[:, :-8]).mean())) < 0.15
    # Undirected: as alike along the rows as down the columns.
    across, down = float((whole[:, 2:] * whole[:, :-2]).mean()), float((whole[2:] * whole[:-2]).mean())
    assert abs(across - down) < 0.1
    # A tile's flecks are the whole picture's there (the noise is seeded by each pixel's position) ...
    tile = mottle_noise(50, 60, 90, 80, 5, 1.0, Box(20, 70, 20, 60))
    assert torch.equal(tile, whole[70:120, 80:120])
    assert not torch.equal(whole, mottle_noise(0, 0, 200, 200, 6, 1.0, Box(0, 200, 0, 200)))  # ... and the seed's


def test_lighter_flecks_are_warmer_and_darker_ones_cooler():
    painted = torch.tensor([0.6, -0.01, -0.03])[:, None, None].expand(3, 40, 40)
    flecks = mottle_noise(0, 0, 40, 40, 1, 1.0, Box(0, 40, 0, 40))
    warmth = torch.tensor([0.0, 0.2])
    laid = mottled(painted, flecks, 1.0, warmth)
    lighter = laid[0] - painted[0]
    assert abs(float(lighter.std()) - LIGHTNESS) < 0.01
    warmer = laid[2] - painted[2]
    assert float(torch.corrcoef(torch.stack([lighter.flatten(), warmer.flatten()]))[0, 1]) > 0.99
    assert torch.equal(laid[1], painted[1])  # his warm side is all b here: a is untouched
    half = mottled(painted, flecks, 0.5, warmth)
    assert torch.allclose(half - painted, 0.5 * (laid - painted), atol=1e-6)


def test_a_washed_sky_is_broken_by_it_and_keeps_its_tone():
    """The wash leaves the sky smooth at a few pixels; the mottle breaks it there, the sky's mean colour stays."""
    plain, mottled_sky = (_painted(_washed(mottle=amount))[:, 4:50, 4:-4] for amount in (0.0, 1.0))
    fine = lambda lab: float((lab[0, :, 1:] - lab[0, :, :-1]).abs().mean())  # noqa: E731
    assert fine(mottled_sky) > 2 * fine(plain)
    assert float((mottled_sky.mean((1, 2)) - plain.mean((1, 2))).abs().max()) < 0.01


def test_tiles_join_without_seams_with_the_mottle():
    assert_tiles_join(_sky(), _washed(mottle=1.0, grain=0.05), (160, 120))


def test_at_zero_nothing_is_worked_out(monkeypatch):
    assert ADDED_LATER["mottle"] == 0.0
    loaded = _washed()
    assert loaded.mottle == 0.0
    assert_reached_only_when_on(
        monkeypatch,
        [(raster_module, "mottle_noise"), (mottle_module, "grain_noise")],
        lambda: _painted(loaded),
        [lambda: _painted(loaded.with_parameters({"mottle": 0.5}))],
    )
