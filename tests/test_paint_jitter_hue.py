"""Broken colour in the stroke's own hue (session 12, for Van Gogh): `jitter_hue` takes the part of each stroke's colour
jitter that would turn it another hue, so the strokes of one blue sky are lighter, darker, duller and more vivid blues
rather than blue, pink and lime. 0 for every style saved before, and at 0 the strokes are as before."""

from __future__ import annotations

import math

import torch

from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.plan import Controls, plan_strokes
from models.paint.strokes.stroke_style import StrokeStyle

SKY = (0.70, -0.03, -0.09)  # OKLab: a clear blue sky, chroma 0.095


def _plan(colour=SKY, **brushes):
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    values = dict(brush_size=0.03, length=4.0, threshold=0.03, outline=0.0, accents=0.0, jitter=0.05) | brushes
    style = StrokeStyle(colours=habits).with_parameters(values)
    sky = torch.tensor(colour).view(3, 1, 1).expand(3, 64, 96).clone()
    return plan_strokes(sky, style, Controls(palette=0.0), torch.Generator().manual_seed(4))


def _hue_spread(colour: torch.Tensor) -> float:
    """Circular spread (radians) of the strokes' hues around the sky's."""
    hue = torch.atan2(colour[:, 2], colour[:, 1]) - math.atan2(SKY[2], SKY[1])
    return float(torch.atan2(hue.sin(), hue.cos()).abs().mean())


def _first_layer(plan) -> torch.Tensor:
    """The colours of the widest brush's strokes: seeded everywhere, the same strokes whatever their colours (the
    finer layers go where the canvas still differs, which the colours change)."""
    return plan.colour[plan.radius == plan.radius.max()]


def test_jitter_keeps_the_strokes_hue_and_still_varies_lightness_and_chroma():
    free, kept = _first_layer(_plan()), _first_layer(_plan(jitter_hue=1.0))
    assert free.shape == kept.shape and free.shape[0] > 20
    # Any direction: the strokes scatter round the hue circle by about 15 degrees on average; kept: by almost none.
    assert _hue_spread(free) > 0.15 and _hue_spread(kept) < 0.02
    # The broken colour is still there: lightness exactly as without (the same random numbers), chroma varied.
    assert torch.equal(free[:, 0], kept[:, 0])
    assert float(kept[:, 1:].norm(dim=1).std()) > 0.015


def test_at_zero_and_on_greys_the_strokes_are_as_before():
    """0 is its default and its value in every style saved before it; a grey has no hue to keep."""
    assert StrokeStyle(colours=ColourHabits.measure([torch.rand(3, 8, 8)])).jitter_hue == 0.0
    grey = (0.6, 0.0, 0.0)
    assert torch.equal(_plan(grey).colour, _plan(grey, jitter_hue=1.0).colour)
