"""The grain on a stroke as bristle ridges running along it (the style's `ridges`: ridges.py, in raster.py), where
the undirected grain speckled each dry stroke like sequins (session 16, for Van Gogh)."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams
from models.paint.strokes import raster as raster_module
from models.paint.strokes.brush import Ownership
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.ridges import ridge_noise
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style
from tests.tiling import assert_tiles_join


def _correlation(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.flatten() - a.mean(), b.flatten() - b.mean()
    return float((a * b).sum() / (a.norm() * b.norm()))


def test_ridges_run_along_the_stroke_with_the_grains_spread():
    """One straight stroke 20 px wide lying along the rows: its ridged grain changes little three pixels along the
    stroke and nearly all three pixels across it (undirected grain changes as much either way), its spread is about 1
    like the grain's, and where no stroke lies it is 0."""
    height, width = 24, 400
    ys, xs = torch.meshgrid(torch.arange(height).float(), torch.arange(width).float(), indexing="ij")
    stroke = torch.where((ys >= 2) & (ys < 22), 0, -1)
    ownership = Ownership(stroke=stroke, along=xs / (width - 1), across=((ys - 11.5) / 10).clamp(-1, 1))
    noise = ridge_noise(ownership, torch.tensor([10.0]), torch.tensor([width - 1.0]), seed=5, unit=1.0)
    inside = noise[3:21]
    assert _correlation(inside[:, 3:], inside[:, :-3]) > 0.5  # along
    assert _correlation(inside[3:], inside[:-3]) < 0.3  # across
    assert 0.7 < float(inside.std()) < 1.3
    assert torch.equal(noise[:2], torch.zeros(2, width))
    assert not torch.equal(noise, ridge_noise(ownership, torch.tensor([10.0]), torch.tensor([399.0]), 6, 1.0))


def test_the_ridges_lay_their_grain_evenly_without_rare_deep_gaps():
    """Along a long straight stroke the ridged grain keeps a spread of about 1, but no value lies beyond 1.8 of it and
    its kurtosis is under 1.7 (a plain value noise's is 2.2 and 3 % of it lies below -1.8): under the ground's gaps
    those rare deep values were navy specks gathering as grit in a mid-toned sky (ridges.RIDGE_EVEN)."""
    height, width = 24, 2000
    ys, xs = torch.meshgrid(torch.arange(height).float(), torch.arange(width).float(), indexing="ij")
    stroke = torch.where((ys >= 2) & (ys < 22), 0, -1)
    ownership = Ownership(stroke=stroke, along=xs / (width - 1), across=((ys - 11.5) / 10).clamp(-1, 1))
    inside = ridge_noise(ownership, torch.tensor([10.0]), torch.tensor([width - 1.0]), seed=5, unit=1.0)[3:21]
    assert 0.9 < float(inside.std()) < 1.1
    assert float(inside.abs().max()) < 1.8
    assert float(inside.pow(4).mean() / inside.pow(2).mean() ** 2) < 1.7


def test_a_render_lays_the_ridges_only_when_asked_keeps_the_grains_strength_and_joins_its_tiles(monkeypatch):
    """A flat grey picture painted from one plan: with ridges its strokes' grain is another pattern of about the same
    strength (the picture's lightness spread within 0.75-1.3 of the speckle's); at 0 the ridges are never worked out
    (so a style saved before them paints as before); and tiles join exactly."""
    assert ADDED_LATER["ridges"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (128, 96), (128, 128, 128)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 128, 96)
    paint = lambda amount: list(rasterize(plan, _style(ridges=amount), 96, 128, seed=2))[-1][1]  # noqa: E731
    pictures: list[torch.Tensor] = []
    assert_reached_only_when_on(
        monkeypatch, [(raster_module, "ridge_noise")], lambda: pictures.append(paint(0.0)), [lambda: paint(1.0)]
    )
    monkeypatch.undo()
    speckled, ridged = to_oklab(pictures[0])[0], to_oklab(paint(1.0))[0]
    assert float((ridged - speckled).abs().mean()) > 0.01
    assert 0.75 < float(ridged.std() / speckled.std()) < 1.3
    assert_tiles_join(source, _style(ridges=1.0, smooth_strokes=0.5), (128, 96))
