"""The light strokes in dark areas kept warm (`lit_in_darks`, session 16, for Munch): the cold darks cool a dark area
by its darkness, and a pixel painted in it with a light paint is spared that much of the cooling, as his rail and planks
stay orange beside the blue-green black; since session 17 judged by the lightness of the stroke's own paint (its flat
colour, softened a pixel), not by each pixel's, so that a stroke's bristles and seams are not speckled with the tint;
0 for every style saved before."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.paint.strokes import raster as raster_module
from models.paint.strokes.wash import LIT_FROM, LIT_TO, apply_cool, paint_lightness
from tests.test_paint_cold_darks import _paint, _picture, _style
from tests.tiling import assert_tiles_join

TINT = torch.tensor([-0.02, 0.01])
WARM = [0.06, 0.08]  # OKLab a, b of an orange paint


def _cooled(lit: float) -> torch.Tensor:
    """Three pixels of one orange paint, dark, half-way and light, in an area that takes the whole tint."""
    lightness = [0.3, (LIT_FROM + LIT_TO) / 2, 0.7]
    painted = torch.tensor([lightness, [WARM[0]] * 3, [WARM[1]] * 3]).view(3, 1, 3)
    return apply_cool(painted, torch.ones(1, 1, 3), TINT, lit)[:, 0]


def test_a_light_pixel_in_a_dark_area_keeps_its_paint_and_a_dark_one_takes_the_tint():
    """At 1 the light pixel keeps its orange, the half-way one is cooled half, the dark one all the way; at 0 all
    three take the tint (fails with the sparing ignored, or judged by the area rather than the pixel)."""
    spared, cooled = _cooled(1.0), _cooled(0.0)
    assert torch.allclose(spared[1:, 0], TINT) and torch.allclose(cooled[1:, 0], TINT)  # the dark pixel: the tint
    assert torch.allclose(spared[1:, 2], torch.tensor(WARM))  # the light one: its own paint
    assert torch.allclose(spared[1:, 1], (torch.tensor(WARM) + TINT) / 2)  # the smoothstep's middle
    assert torch.allclose(cooled[1:], TINT[:, None].expand(2, 3))
    assert torch.equal(spared[0], cooled[0])  # lightness untouched


def test_the_sparing_is_judged_by_the_paint_not_the_pixel():
    """A dark seam or bristle streak (L 0.3) on a light paint (0.7) keeps the paint's colour, and a light fleck on a
    dark paint takes the tint (fails when each pixel is judged by its own lightness)."""
    painted = torch.tensor([[0.3, 0.7], WARM[:1] * 2, WARM[1:] * 2]).view(3, 1, 2)
    paint = torch.tensor([0.7, 0.3]).view(1, 1, 2)
    cooled = apply_cool(painted, torch.ones(1, 1, 2), TINT, 1.0, paint)[:, 0]
    assert torch.allclose(cooled[1:, 0], torch.tensor(WARM))  # the seam on the light stroke: its paint
    assert torch.allclose(cooled[1:, 1], TINT)  # the fleck on the dark stroke: the tint
    assert torch.equal(cooled[0], painted[0, 0])  # lightness untouched


def test_the_styles_amount_and_the_strokes_paint_reach_the_cooling(monkeypatch):
    """The raster passes the style's amount to the cooling, and the lightness of the strokes' flat paint, which is
    smoother than the painted pixels' (fails when the amount is left at 0 or each pixel is judged by its own)."""
    seen: list[tuple[float, torch.Tensor, torch.Tensor | None]] = []

    def recording(painted, share, tint, lit=0.0, paint=None):
        seen.append((lit, painted[:1], paint))
        return apply_cool(painted, share, tint, lit, paint)

    monkeypatch.setattr(raster_module, "apply_cool", recording)
    painted = _paint(_style(cold_darks=2.0, lit_in_darks=0.7, bristles=0.3, edges=0.4))
    assert seen and all(lit == pytest.approx(0.7) for lit, _, _ in seen)
    for _, pixels, paint in seen:
        assert paint is not None and paint.shape == pixels.shape
        roughness = lambda x: float((x[..., 1:] - x[..., :-1]).abs().mean())  # noqa: E731
        assert roughness(paint) < 0.5 * roughness(pixels)  # no bristles, relief or seams in it
    assert np.isfinite(painted).all()


def test_the_paint_is_softened_a_pixel():
    """The flat colours' lightness, blurred at LIT_SOFTNESS px (at 512): a stroke's edge ramps over a few pixels."""
    flat = torch.zeros(3, 8, 16)
    flat[0, :, 8:] = 1.0
    lightness = paint_lightness(flat, 1.0)[0, 0]
    assert lightness.shape == (16,) and float(lightness[0]) == pytest.approx(0.0, abs=1e-4)
    assert 0.0 < float(lightness[7]) < 0.5 < float(lightness[8]) < 1.0


def test_tiles_join_with_the_paint_judging_the_sparing():
    """The flat colours are blurred across the tile's halo, so the tiles join exactly (fails with the blur cut at the
    tile's edge)."""
    style = _style(cold_darks=1.5, cold_reach=1.0, lit_in_darks=1.0, bristles=0.1, softness=0.5)
    assert_tiles_join(_picture(), style, (512, 384), palette=0.5)  # at 512 the blur is a whole pixel
