"""The light strokes in dark areas kept warm (`lit_in_darks`, session 16, for Munch): the cold darks cool a dark area
by its darkness, and a light pixel painted in it is spared that much of the cooling by its own lightness, as his rail
and planks stay orange beside the blue-green black; 0 for every style saved before."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.paint.strokes import raster as raster_module
from models.paint.strokes.wash import LIT_FROM, LIT_TO, apply_cool
from tests.test_paint_cold_darks import _paint, _style

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


def test_the_styles_amount_reaches_the_cooling(monkeypatch):
    """The raster passes the style's amount to the cooling (fails when it is left at 0)."""
    seen: list[float] = []

    def recording(painted, share, tint, lit=0.0):
        seen.append(lit)
        return apply_cool(painted, share, tint, lit)

    monkeypatch.setattr(raster_module, "apply_cool", recording)
    painted = _paint(_style(cold_darks=2.0, lit_in_darks=0.7))
    assert seen and all(lit == pytest.approx(0.7) for lit in seen)
    assert np.isfinite(painted).all()
