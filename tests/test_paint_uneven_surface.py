"""The surface's finest texture laid unevenly from place to place (the style's `uneven_surface`: surface.load_map in
raster.py): thin, smooth patches beside loaded ones."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import load_map

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"impasto": 0.0, "edges": 0.0, "softness": 0.0, "brush_size": 0.03, "bristles": 0.25, "grain": 0.02}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def test_the_load_is_even_at_0_and_in_thin_and_loaded_patches_at_1():
    """At 0 the load is 1 everywhere; at 1 about a third of the picture is bare (under 0.05), as much of it is
    loaded past 1.3, and its mean square stays about 1 (as much texture on the whole); patches, not pixels: a
    pixel's neighbour has nearly its load; half the amount moves each pixel half as far from 1."""
    assert ADDED_LATER["uneven_surface"] == 0.0
    assert torch.equal(load_map(0, 0, 64, 64, seed=1, unit=1.0, amount=0.0), torch.ones(64, 64))
    load = load_map(0, 0, 1024, 1024, seed=1, unit=1.0, amount=1.0)
    assert 0.2 < float((load < 0.05).float().mean()) < 0.45
    assert 0.2 < float((load > 1.3).float().mean()) < 0.45
    assert abs(float(load.pow(2).mean()) - 1.0) < 0.15
    assert float((load[:, 1:] - load[:, :-1]).abs().max()) < 0.2
    half = load_map(0, 0, 1024, 1024, seed=1, unit=1.0, amount=0.5)
    assert torch.allclose(half - 1, (load - 1) / 2, atol=1e-5)
    other = load_map(0, 0, 1024, 1024, seed=2, unit=1.0, amount=1.0)
    assert float((other - load).abs().mean()) > 0.2  # another seed, other patches


def test_a_tile_reads_the_same_load_as_the_whole_picture():
    """The load of a box of pixels is that box of the whole picture's, to the bit, at any size."""
    whole = load_map(0, 0, 300, 400, seed=5, unit=2.5, amount=0.7)
    assert torch.equal(load_map(123, 77, 100, 150, seed=5, unit=2.5, amount=0.7), whole[123:223, 77:227])


def test_a_render_with_an_uneven_surface_is_textured_in_places_and_smooth_in_others():
    """A flat grey picture with bristle streaks, one plan: with `uneven_surface` 1 the finest band's energy varies far
    more from one 32-px block to the next than without, its energy over the picture is kept within a third, and the
    picture drawn in 96-px tiles is the one drawn whole."""
    source = pil_to_tensor(Image.new("RGB", (256, 256), (128, 128, 128)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 256, 256)

    def fine_band(amount: float, tile: int = 512) -> torch.Tensor:
        picture = list(rasterize(plan, _style(uneven_surface=amount), 256, 256, seed=2, tile=tile))[-1][1]
        lightness = to_oklab(picture)[0][None, None]
        return (lightness - F.avg_pool2d(lightness, 5, 1, 2, count_include_pad=False))[0, 0]

    def unevenness(band: torch.Tensor) -> float:
        return float(torch.log(F.avg_pool2d(band[None, None] ** 2, 32) + 1e-7).std())

    even, uneven = fine_band(0.0), fine_band(1.0)
    assert unevenness(uneven) > 1.5 * unevenness(even)
    assert 0.67 < float(uneven.pow(2).mean() / even.pow(2).mean()) < 1.5
    whole = list(rasterize(plan, _style(uneven_surface=1.0), 256, 256, seed=2))[-1][1]
    assert torch.equal(list(rasterize(plan, _style(uneven_surface=1.0), 256, 256, seed=2, tile=96))[-1][1], whole)
