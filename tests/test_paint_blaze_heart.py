"""The blaze's heart kept whole (session 26, for Turner's lights): `blaze_heart` spares the blaze's heart (its heat
where it is laid) the darker sweeps and scumble patches (blaze.spared), which laid grey holes in a sun's cream core, so
that the hottest light stays the lightest place. 0 for every style saved before, and 0 works nothing out."""

from __future__ import annotations

import torch

from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.blaze import spared
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_blaze import SUN, _small, _washed


def test_the_heart_loses_the_darker_side_and_keeps_the_lighter():
    field = torch.tensor([[-2.0, -1.0, 1.0, 2.0]])
    heart = torch.tensor([[1.0, 0.5, 1.0, 0.0]])
    assert torch.equal(spared(field, heart), torch.tensor([[0.0, -0.5, 1.0, 2.0]]))
    assert torch.equal(spared(field, torch.zeros_like(field)), field)


def _heart_lightness(heart: float, scumble: float) -> torch.Tensor:
    """The wash's lightness over the sun's disc (the blaze's heart) of the small sky planned at seed 4."""
    style = _washed(blaze=1.0, blaze_heart=heart).with_parameters({"scumble": scumble})
    plan = plan_for(style, _small(), StrokeParams(seed=4), 128, 96)
    y, x = SUN[0] // 2, SUN[1] // 2
    return plan.wash[0, y - 4 : y + 5, x - 4 : x + 5]


def test_the_sun_keeps_its_cream_heart_under_the_scumble():
    """Without the scumble the heart is the blaze's pale core; scumbled hard (Turner's 2) a darker patch sinks part of it
    well below that; spared, no part of it goes darker than the core less a trace, and its lighter patches stay."""
    core = _heart_lightness(0.0, 0.0)
    holed, whole = _heart_lightness(0.0, 3.0), _heart_lightness(1.0, 3.0)
    assert float((holed - core).min()) < -0.03
    assert float((whole - core).min()) > -0.01
    assert float((whole - core).max()) > 0.01


def test_at_zero_nothing_is_worked_out(monkeypatch):
    """0 is the default and the value in a style saved before it (test_paint_strokes)."""
    assert ADDED_LATER["blaze_heart"] == 0.0
    loaded = _washed(blaze=1.0)
    assert loaded.blaze_heart == 0.0
    switched_on = loaded.with_parameters({"blaze_heart": 1.0})
    picture = _small()
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "spared")],
        lambda: plan_for(loaded, picture, StrokeParams(seed=4), 128, 96),
        [lambda: plan_for(switched_on, picture, StrokeParams(seed=4), 128, 96)],
    )
