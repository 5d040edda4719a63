"""Broad sweeps in the wash (session 10, for Turner's skies): `sweep` lays the wash of the open areas in broad
sweeps along the strokes' flow, lighter and warmer, darker and greyer, where a flat sky was one even tint. 0 for
every style saved before, and 0 works nothing out."""

from __future__ import annotations

import functools

import numpy as np
import torch
from PIL import Image

from models.paint.strokes import StrokeParams, StrokeStyle, render_strokes
from models.paint.strokes import plan as plan_module
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.sweeps import sweep_field, swept
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT, HILL = 96, 64, 48


def _flat_sky() -> Image.Image:
    """An even pale blue sky over a green hill: one open area and one shape edge."""
    image = np.array([0.55, 0.7, 0.9]) * np.ones((HEIGHT, WIDTH, 1))
    image[HILL:] = [0.27, 0.55, 0.24]
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _paint(style: StrokeStyle) -> torch.Tensor:
    """The flat sky painted, as (3, H, W) OKLab."""
    painted = render_strokes(_flat_sky(), style, StrokeParams(seed=3, palette=0.0))
    return to_oklab(torch.from_numpy(np.asarray(painted, np.float32) / 255).permute(2, 0, 1))


def _washed(**brushes) -> StrokeStyle:
    return _style(wash=0.8, **brushes)


@functools.cache
def _painted(sweep: float) -> torch.Tensor:
    """The flat sky painted with a wash, at that sweep (each painted once for the tests that compare them)."""
    return _paint(_washed(sweep=sweep))


def test_a_flat_sky_is_laid_in_broad_lighter_warmer_and_darker_greyer_sweeps():
    before, after = _painted(0.0)[:, 4:40, 4:-4], _painted(1.0)[:, 4:40, 4:-4]
    # An even sky before (strokes of one colour under the wash); broad changes of lightness after, a few hundredths.
    assert float(before[0].std()) < 0.01
    assert float(after[0].std()) > 0.03
    # The lighter sweeps lean to the painter's warm side and the darker ones are greyer.
    habits = _washed().colours
    warmth = habits.warmth / habits.warmth.norm()
    lightness = (after[0] - after[0].mean()).flatten()
    lean = (after[1:] * warmth[:, None, None]).sum(0).flatten()
    assert float(torch.corrcoef(torch.stack([lightness, lean]))[0, 1]) > 0.5
    chroma = after[1:].norm(dim=0).flatten()
    darker, lighter = lightness < -0.03, lightness > 0.03
    assert darker.any() and lighter.any()
    assert float(chroma[darker].mean()) < float(before[1:].norm(dim=0).mean()) - 0.005


def test_the_sweeps_run_along_the_flow_and_fade_in_the_lower_open_areas():
    """On a level flow the sweeps change far more slowly along it (across the picture) than across it (down), and
    open areas low in the picture get SWEEP_LOWER of their strength."""
    height, width = 128, 192
    level = torch.stack([torch.ones(height, width), torch.zeros(height, width)])  # doubled angle 0: horizontal
    upper = (torch.arange(height) < height // 2).float()[:, None].expand(height, width)
    memberships = torch.stack([upper, 1 - upper, torch.zeros(height, width)])
    sweeps = sweep_field(level, memberships, 1.0, torch.Generator().manual_seed(0))
    sky = sweeps[8:56]
    along = (sky[:, 1:] - sky[:, :-1]).abs().mean()
    across = (sky[1:] - sky[:-1]).abs().mean()
    assert float(along) < 0.5 * float(across)
    assert float(sweeps[72:120].std()) < 0.6 * float(sky.std())
    # `swept` at 0 leaves the colour as it was.
    colour = torch.rand(3, height, width)
    assert torch.equal(swept(colour, sweeps, 0.0, torch.tensor([0.0, 1.0])), colour)


def _step(painted: torch.Tensor) -> float:
    """OKLab distance between the sky just above the hill's edge and the hill just below it."""
    return float((painted[:, HILL - 6 : HILL - 3].mean((1, 2)) - painted[:, HILL + 3 : HILL + 6].mean((1, 2))).norm())


def test_the_hill_keeps_its_edge_under_the_sweeps():
    """The sweeps lie in the wash, which veils open areas only: the sky-to-hill step stays a step."""
    before, after = _painted(0.0), _painted(1.0)
    assert _step(after) > 0.7 * _step(before)


def test_tiles_join_without_seams_with_sweeps():
    style = _washed(sweep=1.0, glow=0.7, calm=1.0, softness=1.0, swirl_open_upper=0.9)
    assert_tiles_join(_flat_sky(), style, (160, 96))


def test_at_zero_nothing_is_worked_out(monkeypatch):
    """0 is the default and the value in a style saved before sweeps (test_paint_strokes)."""
    loaded = _washed()
    assert loaded.sweep == 0.0
    switched_on = loaded.with_parameters({"sweep": 0.5})
    assert_reached_only_when_on(
        monkeypatch, [(plan_module, "sweep_field")], lambda: _paint(loaded), [lambda: _paint(switched_on)]
    )
