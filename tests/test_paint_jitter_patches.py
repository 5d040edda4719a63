"""The strokes' colour jitter varied from place to place (the style's `jitter_patches`, plan.py; session 21, for Van
Gogh: passages of flat colour beside passages of contrasting strokes, where an even jitter broke every part of the
picture alike). 0 for every style saved before, and at 0 the strokes are as before."""

from __future__ import annotations

import torch

from models.paint.strokes import plan as plan_module
from models.paint.strokes.patches import place_noise
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_jitter_hue import _first_layer, _plan


def test_the_place_noise_is_smooth_varies_and_depends_on_the_place_alone():
    ys, xs = torch.meshgrid(torch.arange(0.0, 256), torch.arange(0.0, 256), indexing="ij")
    points = torch.stack([xs.flatten(), ys.flatten()], 1)
    noise = place_noise(points, 64.0, 7).view(256, 256)
    assert float(noise.min()) >= 0 and float(noise.max()) < 1
    assert float(noise.std()) > 0.1  # one place differs from the next ...
    assert float((noise[:, 1:] - noise[:, :-1]).abs().max()) < 0.05  # ... smoothly, with no seams
    order = torch.randperm(points.shape[0], generator=torch.Generator().manual_seed(1))
    assert torch.equal(place_noise(points[order], 64.0, 7), noise.flatten()[order])
    assert not torch.equal(place_noise(points, 64.0, 8), noise.flatten())  # its own noise per salt


def test_some_passages_lie_flat_and_others_break_more():
    plain = _first_layer(_plan(jitter=0.0))
    even, patchy = _first_layer(_plan()), _first_layer(_plan(jitter_patches=1.0))
    assert plain.shape == even.shape == patchy.shape and plain.shape[0] > 20
    # The same random numbers: each stroke's jitter is its even jitter times its place's factor (0 to 3).
    factor = (patchy - plain).norm(dim=1) / (even - plain).norm(dim=1)
    assert float((factor < 1e-3).float().mean()) > 0.05  # flat passages: no jitter at all
    assert float((factor > 1.5).float().mean()) > 0.05  # broken ones: more than the even jitter
    assert float(factor.max()) <= 3 + 1e-4


def test_at_zero_the_strokes_are_as_before(monkeypatch):
    """0 is its default and its value in every style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["jitter_patches"] == 0.0
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "place_noise")],
        at_zero=lambda: _plan(),
        switched_on=[lambda: _plan(jitter_patches=1.0)],
    )
