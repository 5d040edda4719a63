"""His trees' leaf masses (`foliage`, session 24, for Hokusai; clumps since session 25): a dark area the picture paints
green is painted in clumps outlined by his key block, their tops lighter and in his blue-green, where a sketch's crown
was one flat dark disc; a brown dark is left as it was; tiles join; 0 for every style saved before, and there the plan
never reaches it."""

from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image

from models.jobs import run_job
from models.paint.strokes import plan as plan_module
from models.paint.strokes.foliage import LINE_DARK, SHADE, leaf_map, leaf_masses
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.wash import FOLIAGE_HUE
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_cold_darks import _style
from tests.test_paint_green_darks import _sketch
from tests.tiling import assert_tiles_join


def test_a_green_dark_is_shaded_into_masses_and_a_brown_one_is_not():
    picture = _sketch()  # a dark green half, a dark brown half
    leaves = leaf_map(picture, picture, 1.0, 1.0)
    assert float(leaves[0, 8, 16]) > 0.5 and float(leaves[0, 8, 80]) == 0.0
    flat = torch.zeros(3, 16, 96)
    flat[0] = 0.35
    shaded = leaf_masses(flat, leaves, 0, 0, 1, 1.0)
    green = shaded[0, :, :40]
    assert float(green.max() - green.min()) > SHADE  # lighter tops and darker feet, not one flat value
    assert torch.equal(shaded[:, :, 56:], flat[:, :, 56:])


def test_the_clumps_are_outlined_and_their_tops_lit_in_his_blue_green():
    """Fails with session 24's noise masses (no line darker than 0.1 L under the paint, the colour untouched)."""
    flat = torch.zeros(3, 96, 96)
    flat[0] = 0.35
    shaded = leaf_masses(flat, torch.ones(1, 96, 96), 0, 0, 1, 1.0)
    lines = shaded[0] < LINE_DARK * 0.35 + 0.02
    assert 0.03 < float(lines.float().mean()) < 0.3  # thin lines round the clumps, not a dark crown
    lit = shaded[0] > 0.35 + 0.1
    assert float(lit.float().mean()) > 0.1
    a, b = shaded[1][lit].mean(), shaded[2][lit].mean()
    assert abs(math.degrees(math.atan2(float(b), float(a))) - FOLIAGE_HUE) < 10


def test_the_masses_join_across_tiles():
    """Each output pixel is shaded from its own position (fails if the noise were read at a tile's own coordinates)."""
    picture = torch.zeros(3, 40, 64)
    picture[:] = torch.tensor([0.40, -0.082, 0.057])[:, None, None]
    leaves = leaf_map(picture, picture, 1.0, 1.0)
    whole = leaf_masses(picture, leaves, 0, 0, 3, 1.0)
    right = leaf_masses(picture[:, :, 32:], leaves[:, :, 32:], 0, 32, 3, 1.0)
    assert torch.equal(whole[:, :, 32:], right)


def test_tiles_join_in_a_painting():
    image = np.ones((60, 80, 3)) * np.array([0.05, 0.22, 0.07])  # sRGB dark green
    picture = Image.fromarray((image * 255).round().astype(np.uint8))
    assert_tiles_join(picture, _style(foliage=1.0), (160, 120), palette=0.5)


def test_at_0_no_masses(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["foliage"] == 0.0 and _style().foliage == 0.0
    image = np.ones((48, 64, 3)) * np.array([0.05, 0.22, 0.07])
    picture = Image.fromarray((image * 255).round().astype(np.uint8))
    params = StrokeParams(seed=3, palette=0.5)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "leaf_map")],
        at_zero=lambda: run_job(stroke_render_job(_style(), picture, params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(foliage=1.0), picture, params))],
    )


def test_a_scenes_kept_tree_is_clumped_though_lighter():
    """A from-scratch tree is a kept shape painted lighter than a sketch's crown (fails with the ramp kept as outside)."""
    picture = torch.zeros(3, 32, 96)
    picture[:] = torch.tensor([0.5, -0.082, 0.057])[:, None, None]  # a mid-light green, as a scene's crown aims
    inside = torch.zeros(32, 96)
    inside[:, :48] = 1.0
    leaves = leaf_map(picture, picture, 1.0, 1.0, inside)
    assert float(leaves[0, 16, 16]) > 0.5 and float(leaves[0, 16, 80]) < 0.35
