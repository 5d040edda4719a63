"""The grain as gaps that show the ground (strokes/surface.py, `ground_gaps`): a dry brush's paint breaks over the
canvas's tooth, so on pale paint the grain opens darker gaps and never lightens it, and on the palest paint (a snowfield)
neither, nor do the seams along the strokes' sides show a dark ground there; at 0 the grain shifts both ways, as
before; tiles join."""

from __future__ import annotations

import math

import numpy as np
import torch

from models.jobs import run_job
from models.paint.strokes import surface as surface_module
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import GROUND_LIGHTNESS, PALE_GROUND, PALE_TURN, ground_gaps
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.test_paint_bare_lights import WIDTH, _two_halves
from tests.tiling import assert_tiles_join


def test_the_gaps_move_toward_the_ground_and_the_paint_stays(monkeypatch):
    monkeypatch.setattr(surface_module, "PALE_GROUND", 1.0)  # the lean alone: no pale ground under the palest paint
    shift = torch.tensor([-0.1, 0.0, 0.1]).expand(2, 3)
    lightness = torch.tensor([[0.98], [0.02]]).expand(2, 3)  # pale paint, dark paint: far from the ground's
    gaps = ground_gaps(shift, lightness, 1.0)
    one_side = (0.5 - 1 / (2 * math.pi)) ** 0.5  # the spread of unit normal noise with one side set to 0
    assert torch.allclose(gaps, torch.tensor([[-0.1, 0.0, 0.0], [0.0, 0.0, 0.1]]) / one_side, atol=1e-4)
    half_spread = (0.5 * (1 + 0.5**2) - 0.5**2 / (2 * math.pi)) ** 0.5  # the same with the other side halved
    assert torch.allclose(
        ground_gaps(shift, lightness, 0.5)[0], torch.tensor([-0.1, 0.0, 0.05]) / half_spread, atol=1e-4
    )
    # Paint as light as the ground shows gaps neither way: the grain as it was.
    assert torch.equal(ground_gaps(shift, torch.full((2, 3), GROUND_LIGHTNESS), 1.0), shift)


def test_a_render_keeps_its_pale_paint_from_glittering_lighter(monkeypatch):
    monkeypatch.setattr(surface_module, "PALE_GROUND", 1.0)
    params = StrokeParams(seed=1, size=(WIDTH, 64), palette=0.0)

    def pale_half(amount: float) -> tuple[float, float]:
        """How far the pale half's lightest and darkest twentieth lie from its middle, away from the edge."""
        job = stroke_render_job(_style(grain=0.03, ground_gaps=amount), _two_halves(), params)
        pale = np.asarray(run_job(job), float).mean(2)[4:-4, 4 : WIDTH // 2 - 8]
        low, middle, high = np.percentile(pale, [5, 50, 95])
        return float(high - middle), float(middle - low)

    (lighter, darker), (lighter_gaps, darker_gaps) = pale_half(0.0), pale_half(1.0)
    assert lighter_gaps < 0.3 * lighter and darker_gaps > 1.3 * darker


def test_over_the_palest_paint_the_gaps_fade(monkeypatch):
    shift = torch.tensor([-0.1, 0.1]).expand(3, 2)
    lightness = torch.tensor([[PALE_GROUND], [PALE_GROUND + PALE_TURN / 2], [PALE_GROUND + PALE_TURN]]).expand(3, 2)
    gaps = ground_gaps(shift, lightness, 1.0)
    monkeypatch.setattr(surface_module, "PALE_GROUND", 1.0)
    lean_alone = ground_gaps(shift, lightness, 1.0)
    assert torch.equal(gaps[0], lean_alone[0]) and torch.allclose(gaps[1], lean_alone[1] / 2)
    assert bool(gaps[2].abs().max() < 1e-6) and bool(lean_alone[2].abs().max() > 0.1)  # a snowfield: no dark grit


def test_a_render_of_the_palest_paint_shows_neither_glitter_nor_grit():
    params = StrokeParams(seed=1, size=(WIDTH, 64), palette=0.0)

    def spread(amount: float) -> float:
        job = stroke_render_job(_style(grain=0.03, ground_gaps=amount), _two_halves(), params)
        pale = np.asarray(run_job(job), float).mean(2)[4:-4, 4 : WIDTH // 2 - 8]  # paper cream, OKLab L 0.95
        low, high = np.percentile(pale, [5, 95])
        return float(high - low)

    assert spread(1.0) < 0.5 * spread(0.0)


def test_over_the_palest_paint_the_seams_fade_and_elsewhere_stay():
    """The seams (`edges`) along the strokes' sides drew thin dark stitching through Van Gogh's pale skies at 2-3x."""
    params = StrokeParams(seed=1, size=(WIDTH, 64), palette=0.0)

    def halves(amount: float) -> tuple[np.ndarray, np.ndarray]:
        job = stroke_render_job(_style(edges=1.0, ground_gaps=amount), _two_halves(), params)
        painted = np.asarray(run_job(job), float).mean(2)[4:-4]  # no grain: the seams alone
        return painted[:, 4 : WIDTH // 2 - 8], painted[:, WIDTH // 2 + 8 : -4]

    def darker(pale: np.ndarray) -> float:
        """How far the darkest twentieth lies below the middle."""
        low, middle = np.percentile(pale, [5, 50])
        return float(middle - low)

    (pale, dark), (pale_gaps, dark_gaps) = halves(0.0), halves(1.0)
    assert darker(pale) > 0.05 * 255 and darker(pale_gaps) < 0.1 * darker(pale)
    assert np.array_equal(dark, dark_gaps)  # dark blue paint: the ground the seams show is dark


def test_tiles_join_with_the_gaps():
    assert_tiles_join(_two_halves(), _style(grain=0.03, ground_gaps=1.0), (150, 100), palette=0.0)


def test_at_0_the_grain_shifts_both_ways(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["ground_gaps"] == 0.0 and _style().ground_gaps == 0.0
    params = StrokeParams(seed=1, size=(WIDTH, 64), palette=0.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(surface_module, "ground_gaps"), (surface_module, "pale_ground")],
        at_zero=lambda: run_job(stroke_render_job(_style(grain=0.03), _two_halves(), params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(grain=0.03, ground_gaps=1.0), _two_halves(), params))],
    )
