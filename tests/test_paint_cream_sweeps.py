"""The lighter sweeps toward his cream (session 24, for Turner's sky lights): `cream_sweeps` sends that share of a
lighter sweep's or scumble patch's move in the wash toward a pale cream-gold (sweeps.creamed), where lightening and
warming a sky's light ran past white into a lemon yellow. 0 for every style saved before, and 0 works nothing out."""

from __future__ import annotations

import math

import torch

from models.paint.strokes import plan as plan_module
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.sweeps import CREAM_LIGHT, SWEEP_LIGHT, creamed, sweep_cream, swept
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_sweeps import _paint, _washed

GOLD = torch.tensor([0.007, 0.143])  # Turner's lightest paint's a, b (blaze.blaze_gold)
WARMTH = torch.tensor([0.02, 0.05])


def _colour(lightness: float, chroma: float, hue_degrees: float) -> torch.Tensor:
    hue = math.radians(hue_degrees)
    return torch.tensor([lightness, chroma * math.cos(hue), chroma * math.sin(hue)])[:, None, None]


def test_a_mid_tone_gains_its_lift_and_a_light_goes_no_further_than_the_cream():
    cream = sweep_cream(GOLD)
    mid = creamed(_colour(0.5, 0.04, 200), torch.full((1, 1, 1), 0.08), cream)
    assert math.isclose(float(mid[0]), 0.58, abs_tol=1e-6)  # the lift it had, now along the way to the cream
    lemon = creamed(_colour(0.86, 0.18, 100), torch.full((1, 1, 1), 0.08), cream)
    assert torch.allclose(lemon[:, 0, 0], cream)  # more lift than room: the cream itself, not past it
    assert math.isclose(float(cream[0]), CREAM_LIGHT, abs_tol=1e-6) and float(cream[1:].norm()) < float(GOLD.norm())


def test_only_the_lighter_sweeps_are_creamed_and_none_at_zero():
    colour = _colour(0.86, 0.18, 100).expand(3, 1, 4).clone()
    sweeps = torch.tensor([[-2.0, -0.5, 0.5, 2.0]])
    plain = swept(colour, sweeps, 1.0, WARMTH)
    cream = sweep_cream(GOLD)
    assert torch.equal(swept(colour, sweeps, 1.0, WARMTH, cream, 0.0), plain)
    creamy = swept(colour, sweeps, 1.0, WARMTH, cream, 1.0)
    assert torch.equal(creamy[:, :, :2], plain[:, :, :2])  # the darker sweeps as before
    # The lighter ones: lemon past white before (L 0.86 + 2 x SWEEP_LIGHT, chroma up), the cream now.
    assert float(plain[0, 0, 3]) > 0.86 + SWEEP_LIGHT and float(plain[1:, 0, 3].norm()) > 0.18
    assert torch.allclose(creamy[:, 0, 3], cream)
    half = swept(colour, sweeps, 1.0, WARMTH, cream, 0.5)
    assert torch.allclose(half[:, 0, 3], (plain[:, 0, 3] + creamy[:, 0, 3]) / 2)


def test_at_zero_nothing_is_worked_out(monkeypatch):
    """0 is the default and the value in a style saved before it (test_paint_strokes)."""
    assert ADDED_LATER["cream_sweeps"] == 0.0
    loaded = _washed(sweep=1.0)
    assert loaded.cream_sweeps == 0.0
    switched_on = loaded.with_parameters({"cream_sweeps": 1.0})
    assert_reached_only_when_on(
        monkeypatch, [(plan_module, "sweep_cream")], lambda: _paint(loaded), [lambda: _paint(switched_on)]
    )
