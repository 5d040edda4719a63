"""Dark paints' colour: the strokes that take their darker paint take its colour further than the bands' strength, so a
photograph's brown darks are laid in the painter's blue-greys (the style's `band_dark_colour`: bands.dark_paints_colour;
session 23, for Turner, whose renders' darks leaned olive where The Wreck's lean blue)."""

from __future__ import annotations

from dataclasses import replace

import torch

from models.paint.strokes import StrokeParams, bands
from models.paint.strokes.bands import banded_pairs
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style

# Turner's eight paints (OKLab, rounded): greys and grey-greens, two yellows, the lightest a lemon cream.
TURNER = torch.tensor(
    [
        [0.20, -0.01, -0.02],
        [0.31, -0.03, 0.01],
        [0.37, 0.01, 0.06],
        [0.43, -0.04, 0.02],
        [0.49, -0.04, 0.06],
        [0.56, -0.03, 0.04],
        [0.63, -0.02, 0.10],
        [0.78, 0.01, 0.14],
    ]
)
BROWN = [0.5, 0.03, 0.07]  # a photograph's brown table, warmer than any of his dark paints


def _banded(amount: float) -> torch.Tensor:
    colours = torch.tensor([BROWN]).repeat(3000, 1)
    generator = torch.Generator().manual_seed(0)
    return banded_pairs(colours, TURNER, 0.5, 0.15, generator, contrast=1.0, dark_colour=amount)[0]


def _plan(**amount: float):
    """The plan of a brown picture grading from dark to light, painted in bands of Turner's paints far apart."""
    rows = torch.linspace(0.25, 0.75, 96)[:, None].expand(96, 128)
    source = torch.stack([rows * 1.1, rows, rows * 0.7]).clamp(0, 1)
    style = replace(_style(bands=1.0, band_hue=0.15, band_contrast=1.0, **amount), paints=TURNER)
    return plan_for(style, source, StrokeParams(seed=2, palette=0.5), 128, 96)


def test_the_dark_strokes_take_their_paints_colour_and_the_light_ones_and_every_lightness_stay():
    """Banded half the way: at 0 a dark stroke is half its brown; at 1 it is its paint's colour, as light as at 0;
    at 0.5 halfway between. The light strokes are the same at every amount."""
    plain, half, full = _banded(0.0), _banded(0.5), _banded(1.0)
    dark = plain[:, 0] < 0.5
    assert 0.2 < float(dark.float().mean()) < 0.8
    assert torch.equal(plain[:, 0], full[:, 0])
    assert torch.equal(plain[~dark], full[~dark])
    assert torch.allclose(full[dark, 1:], TURNER[0, 1:].expand(int(dark.sum()), 2))  # L 0.5 - reach 0.3: his darkest
    assert torch.allclose(half[dark, 1:], (plain[dark, 1:] + full[dark, 1:]) / 2)


def test_a_plan_lays_its_darks_in_the_dark_paints_colour_only_when_asked(monkeypatch):
    """A brown picture grading from dark to light, in bands of Turner's paints far apart: at band_dark_colour 1 its
    darker strokes are bluer (lower OKLab b) than at 0, its lightest the same; at 0 it is never worked out."""
    assert ADDED_LATER["band_dark_colour"] == 0.0
    plans = []
    assert_reached_only_when_on(
        monkeypatch,
        [(bands, "dark_paints_colour")],
        lambda: plans.append(_plan(band_dark_colour=0.0)),
        [lambda: _plan(band_dark_colour=1.0)],
    )
    monkeypatch.undo()
    plain, dark = plans[0].colour, _plan(band_dark_colour=1.0).colour
    assert torch.equal(plain[:, 0], dark[:, 0])
    darker = plain[:, 0] < float(plain[:, 0].median())
    assert float(dark[darker, 2].mean()) < float(plain[darker, 2].mean()) - 0.01


def test_the_light_strokes_paints_dulled_their_hue_and_every_lightness_kept(monkeypatch):
    """Banded all the way: at band_dull_lights 0.5 a light stroke has half its paint's a and b (so its hue), a dark
    stroke and every lightness as at 0; a plan's lighter strokes less vivid at 1; at 0 never worked out."""
    colours = torch.tensor([BROWN]).repeat(3000, 1)
    banded = lambda dull: banded_pairs(  # noqa: E731
        colours, TURNER, 1.0, 0.15, torch.Generator().manual_seed(0), contrast=1.0, dull_lights=dull
    )[0]
    plain, dull = banded(0.0), banded(0.5)
    light = plain[:, 0] > 0.5
    assert 0.2 < float(light.float().mean()) < 0.8
    assert torch.equal(plain[:, 0], dull[:, 0]) and torch.equal(plain[~light], dull[~light])
    assert torch.allclose(dull[light, 1:], plain[light, 1:] / 2)
    assert ADDED_LATER["band_dull_lights"] == 0.0
    plans = []
    assert_reached_only_when_on(
        monkeypatch,
        [(bands, "dulled_light_paints")],
        lambda: plans.append(_plan(band_dull_lights=0.0)),
        [lambda: _plan(band_dull_lights=1.0)],
    )
    monkeypatch.undo()
    before, after = plans[0].colour, _plan(band_dull_lights=1.0).colour
    lighter = before[:, 0] > float(before[:, 0].median())
    assert float(after[lighter, 1:].norm(dim=1).mean()) < float(before[lighter, 1:].norm(dim=1).mean()) - 0.01
