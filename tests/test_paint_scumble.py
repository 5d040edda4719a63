"""Scumble in the wash (session 14, for Turner's open areas): `scumble` lays the wash of the open areas in soft masses
of lighter, warmer and darker, greyer paint, a little broken, in broad passages, where the sweeps alone left them
smooth. 0 for every style saved before (test_paint_strokes: ADDED_LATER), and 0 works nothing out."""

from __future__ import annotations

import functools

import numpy as np
import torch

from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes import plan as plan_module
from models.paint.strokes.filters import blur
from models.paint.strokes.render import plan_for
from models.paint.strokes.scumble import SCUMBLE_LOWER, scumble_field
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.test_paint_sweeps import HILL, _flat_sky, _paint, _step
from tests.tiling import assert_tiles_join

SIDE = 160


def _open(upper: bool) -> torch.Tensor:
    """Region memberships (upper open, lower open, busy) of a picture that is all open sky, or all open ground."""
    ones, zeros = torch.ones(SIDE, SIDE), torch.zeros(SIDE, SIDE)
    return torch.stack([ones, zeros, zeros] if upper else [zeros, ones, zeros])


def _washed(**brushes) -> StrokeStyle:
    return _style(wash=0.8, **brushes)


@functools.cache
def _painted(scumble: float) -> torch.Tensor:
    """The flat sky painted with a wash, at that scumble (each painted once for the tests that compare them)."""
    return _paint(_washed(scumble=scumble))


def test_the_scumble_is_broken_undirected_and_laid_in_passages():
    field = scumble_field(_open(True), 1.0, 5)
    assert torch.equal(field, scumble_field(_open(True), 1.0, 5))
    assert not torch.equal(field, scumble_field(_open(True), 1.0, 6))
    # Undirected: it changes as fast across the picture as down it.
    along_x = float((field[:, 1:] - field[:, :-1]).abs().mean())
    along_y = float((field[1:] - field[:-1]).abs().mean())
    assert 0.8 < along_x / along_y < 1.25
    # Soft masses a little broken by the canvas's tooth: of its spread 0.5% is within 2 px (the drag alone 0.1%, the
    # patches' edges unblurred 1.2%, the crinkly edges tried first 5%).
    fine = field - blur(field[None], 2.0)[0]
    assert 0.002 < float(fine.pow(2).mean() / field.pow(2).mean()) < 0.008
    # In broad passages: some of the open area is scumbled hard, some hardly at all.
    local = blur(field[None].pow(2), 8.0)[0].sqrt()
    assert float((local < 0.25).float().mean()) > 0.05
    assert float((local > 0.6).float().mean()) > 0.3
    # Weaker in the open areas low in the picture (ground) than in the sky, the same flecks.
    assert torch.allclose(scumble_field(_open(False), 1.0, 5), SCUMBLE_LOWER * field)


def test_a_flat_sky_is_scumbled_in_soft_lighter_warmer_and_darker_greyer_masses():
    before, after = _painted(0.0)[:, 4:40, 4:-4], _painted(1.0)[:, 4:40, 4:-4]
    assert float(before[0].std()) < 0.01
    assert float(after[0].std()) > 0.02
    # Soft masses, not crinkly stains: under half of the change is within 2 px (0.44; the crinkly edges tried first 0.68).
    change = after[0] - before[0]
    assert float((change - blur(change[None], 2.0)[0]).std()) < 0.55 * float(change.std())
    # The lighter flecks lean to the painter's warm side more than the darker ones, which are greyer than the sky.
    habits = _washed().colours
    warmth = habits.warmth / habits.warmth.norm()
    lightness = (after[0] - after[0].mean()).flatten()
    lean = (after[1:] * warmth[:, None, None]).sum(0).flatten()
    darker, lighter = lightness < -0.02, lightness > 0.02
    assert darker.any() and lighter.any()
    assert float(lean[lighter].mean()) > float(lean[darker].mean()) + 0.003
    chroma = after[1:].norm(dim=0).flatten()
    assert float(chroma[darker].mean()) < float(before[1:].norm(dim=0).mean()) - 0.003
    # The scumble lies in the wash, which veils open areas only: the hill keeps its edge.
    assert _step(_painted(1.0)) > 0.7 * _step(_painted(0.0))


def test_the_strokes_are_planned_as_without_it():
    """The scumble draws from its own generator: every stroke, contour and map but the wash's colour is the same."""
    picture = torch.from_numpy(np.asarray(_flat_sky(), np.float32) / 255).permute(2, 0, 1)
    keep = torch.zeros(picture.shape[1:], dtype=torch.int64)
    keep[HILL + 4 :, 20:60] = 1  # a kept shape: its contours draw from the plan's generator after the wash
    plans = [
        plan_for(_washed(scumble=s, outline=0.5, sweep=1.0), picture, StrokeParams(seed=4), *_flat_sky().size, keep)
        for s in (0.0, 1.0)
    ]
    for name in ("paths", "first", "last", "radius", "colour", "is_outline", "base", "guide", "reach"):
        assert torch.equal(getattr(plans[0], name), getattr(plans[1], name)), name
    assert bool(plans[0].is_outline.any())
    assert torch.equal(plans[0].wash[3:], plans[1].wash[3:])
    assert not torch.equal(plans[0].wash[:3], plans[1].wash[:3])
    # ... and a kept shape keeps its own wash.
    inside = (slice(None), slice(HILL + 8, None), slice(26, 54))
    assert torch.equal(plans[0].wash[inside], plans[1].wash[inside])


def test_tiles_join_without_seams_with_the_scumble():
    style = _washed(scumble=1.0, sweep=1.0, glow=0.7, calm=1.0, softness=1.0, swirl_open_upper=0.9)
    assert_tiles_join(_flat_sky(), style, (160, 96))


def test_at_zero_nothing_is_worked_out(monkeypatch):
    loaded = _washed()
    assert loaded.scumble == 0.0
    switched_on = loaded.with_parameters({"scumble": 0.5})
    assert_reached_only_when_on(
        monkeypatch, [(plan_module, "scumble_field")], lambda: _paint(loaded), [lambda: _paint(switched_on)]
    )
