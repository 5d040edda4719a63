"""A low key: the picture the strokes aim at darkened in its mid-tones and darks, its lights kept (the style's
`low_key`: low_key.py, applied in plan.py; session 18, for Turner's dark masses round a few bright lights), and his
few lights: a picture's lights beyond its lightest share sunk (`dim_lights`: low_key.dimmed; session 21)."""

from __future__ import annotations

import torch

from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.low_key import LIGHT_SHARE, dimmed, lowered
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style


def test_the_darks_and_mid_tones_sink_further_than_the_lights_and_the_colour_stays():
    """Lightness 0.1 to 0.9 in steps, with a colour: at 0.4 black and white stay, every tone darkens and keeps its
    order, the mid-tones by more than the lights; a and b are untouched; 0 changes nothing."""
    lightness = torch.tensor([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0])
    lab = torch.stack([lightness, torch.full_like(lightness, 0.05), torch.full_like(lightness, -0.02)])[:, None]
    low = lowered(lab, 0.4)
    assert torch.equal(low[1:], lab[1:])
    assert float(low[0, 0, 0]) == 0.0 and float(low[0, 0, -1]) == 1.0
    assert bool((low[0, 0, 1:-1] < lab[0, 0, 1:-1]).all())
    assert bool((low[0, 0, 1:] > low[0, 0, :-1]).all())
    drop = lab[0, 0] - low[0, 0]
    assert float(drop[3]) > 0.1 and float(drop[5]) < 0.05  # L 0.5 sinks to 0.38, 0.9 only to 0.86
    assert torch.equal(lowered(lab, 0.0), lab)


def test_a_plan_aims_darker_only_when_asked_and_not_at_palette_zero(monkeypatch):
    """A picture grading from dark to light: at low_key 1 the strokes' paint is darker on average than at 0, by more in
    the mid-tones than in the lights; at palette 0 (the picture's own colours) and at 0 it is never worked out."""
    assert ADDED_LATER["low_key"] == 0.0
    rows = torch.linspace(0.1, 0.9, 96)[:, None].expand(96, 128)
    source = torch.stack([rows, rows * 0.9, rows * 0.7])
    plan = lambda amount, palette=0.5: plan_for(  # noqa: E731
        _style(low_key=amount), source, StrokeParams(seed=2, palette=palette), 128, 96
    )
    plans = []
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "lowered")],
        lambda: plans.extend([plan(0.0), plan(1.0, palette=0.0), plan(0.0, palette=0.0)]),
        [lambda: plan(1.0)],
    )
    monkeypatch.undo()
    assert torch.equal(plans[1].colour, plans[2].colour)
    low = plan(1.0)
    assert float(low.colour[:, 0].mean()) < float(plans[0].colour[:, 0].mean()) - 0.03


def test_the_lights_beyond_the_lightest_share_sink_in_order_and_the_darks_and_colour_stay():
    """Lightness evenly from 0 to 1 with a colour: at 0.5 the darks (to 0.4) and the lightest LIGHT_SHARE keep their
    lightness, the lights between sink (by up to 0.15: L 0.68, twice the share from the top, by most of it), every tone
    keeps its order;
    a and b are untouched; 0 changes nothing."""
    lightness = torch.linspace(0, 1, 1001)
    lab = torch.stack([lightness, torch.full_like(lightness, 0.03), torch.full_like(lightness, 0.08)])[:, None]
    dim = dimmed(lab, 0.5)
    assert torch.equal(dim[1:], lab[1:])
    drop = lab[0, 0] - dim[0, 0]
    assert float(drop[:401].abs().max()) == 0.0
    assert float(drop[round(1000 * (1 - LIGHT_SHARE)) + 2 :].abs().max()) == 0.0
    assert float(drop[680]) > 0.12 and float(drop.max()) <= 0.15 + 1e-6
    assert bool((dim[0, 0, 1:] > dim[0, 0, :-1]).all())
    assert torch.equal(dimmed(lab, 0.0), lab)


def test_a_plan_dims_its_lights_only_when_asked_and_not_at_palette_zero(monkeypatch):
    """A picture grading from dark to light: at dim_lights 1 fewer of the strokes' paints are lighter than 0.6 than at
    0; at palette 0 (the picture's own colours) and at 0 it is never worked out."""
    assert ADDED_LATER["dim_lights"] == 0.0
    rows = torch.linspace(0.1, 0.9, 96)[:, None].expand(96, 128)
    source = torch.stack([rows, rows * 0.9, rows * 0.7])
    plan = lambda amount, palette=0.5: plan_for(  # noqa: E731
        _style(dim_lights=amount), source, StrokeParams(seed=2, palette=palette), 128, 96
    )
    plans = []
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "dimmed")],
        lambda: plans.extend([plan(0.0), plan(1.0, palette=0.0), plan(0.0, palette=0.0)]),
        [lambda: plan(1.0)],
    )
    monkeypatch.undo()
    assert torch.equal(plans[1].colour, plans[2].colour)
    light_share = lambda p: float((p.colour[:, 0] > 0.6).float().mean())  # noqa: E731
    assert light_share(plan(1.0)) < light_share(plans[0]) - 0.05
