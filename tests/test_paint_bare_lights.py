"""The lights left as bare paper (strokes/surface.py, `bare_lights`): a woodblock's lights are smooth paper and its
grain lies in the inks; at 0 the grain is even, as before."""

from __future__ import annotations

import numpy as np
import torch

from models.jobs import run_job
from models.paint.strokes import surface as surface_module
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import bare_lights
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

HEIGHT, WIDTH = 64, 96


def test_the_grain_leaves_the_lights_for_the_inks():
    grain = torch.ones(3, 4)
    lightness = torch.tensor([0.0, 0.25, 0.5, 1.0]).expand(3, 4)
    assert torch.allclose(bare_lights(grain, lightness, 1.0)[0], torch.tensor([2.0, 1.5, 1.0, 0.0]))
    assert torch.allclose(bare_lights(grain, lightness, 0.5)[0], torch.tensor([1.5, 1.25, 1.0, 0.5]))


def _two_halves() -> torch.Tensor:
    """(3, H, W) sRGB: a pale paper-cream left half beside a dark blue right half."""
    picture = torch.empty((3, HEIGHT, WIDTH))
    picture[:, :, : WIDTH // 2] = torch.tensor([0.95, 0.93, 0.86])[:, None, None]
    picture[:, :, WIDTH // 2 :] = torch.tensor([0.12, 0.16, 0.3])[:, None, None]
    return picture


def test_a_render_has_smooth_lights_and_grained_darks():
    params = StrokeParams(seed=1, size=(WIDTH, HEIGHT), palette=0.0)

    def texture(amount: float) -> tuple[float, float]:
        """The pixel-to-pixel roughness of the light and the dark half, away from their edge."""
        job = stroke_render_job(_style(grain=0.03, bare_lights=amount), _two_halves(), params)
        painted = np.asarray(run_job(job), float).mean(2)
        rough = np.abs(np.diff(painted, axis=1))
        return float(rough[4:-4, 4 : WIDTH // 2 - 8].mean()), float(rough[4:-4, WIDTH // 2 + 8 : -4].mean())

    (light, dark), (bare_light, inked_dark) = texture(0.0), texture(1.0)
    assert bare_light < 0.4 * light and inked_dark > 1.2 * dark


def test_at_0_the_grain_is_even(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["bare_lights"] == 0.0 and _style().bare_lights == 0.0
    params = StrokeParams(seed=1, size=(WIDTH, HEIGHT), palette=0.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(surface_module, "bare_lights")],
        at_zero=lambda: run_job(stroke_render_job(_style(grain=0.03), _two_halves(), params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(grain=0.03, bare_lights=1.0), _two_halves(), params))],
    )
