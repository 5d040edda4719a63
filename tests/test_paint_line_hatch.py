"""The key block's fine lines (session 12, for Hokusai): `line_hatch` lays thin dark lines along the flow over the flat
colour of the open areas low in the picture (his water and fields), none in the sky, none across an edge. 0 for every
style saved before, and at 0 the painting is as before."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.strokes import StrokeParams, render_strokes
from models.paint.strokes.render import plan_for
from tests.test_lost_edges import _style  # long wide strokes hatched level, nothing else on the canvas
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT = 128, 96
SKY, FIELD, WATER = [0.55, 0.70, 0.90], [0.35, 0.55, 0.25], [0.20, 0.40, 0.65]


def _landscape() -> Image.Image:
    """A flat sky over the top half; below it a green field on the left and blue water on the right (an edge at x 64)."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    image = np.where((xs < WIDTH // 2)[..., None], FIELD, WATER)
    image = np.where((ys < HEIGHT // 2)[..., None], SKY, image)
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _lines(style) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The points (N, P, 2), first and last valid points of the plan's lines (the style draws no outlines)."""
    source = torch.from_numpy(np.asarray(_landscape(), np.float32) / 255).permute(2, 0, 1)
    plan = plan_for(style, source, StrokeParams(seed=3, palette=0.0), WIDTH, HEIGHT)
    lines = plan.is_outline
    return plan.paths[lines], plan.first[lines], plan.last[lines]


def _paint(style) -> np.ndarray:
    return np.asarray(render_strokes(_landscape(), style, StrokeParams(seed=3, palette=0.0)), float) / 255


def test_lines_pattern_the_low_open_areas_and_leave_the_sky_flat():
    bare, lined = _paint(_style()), _paint(_style(line_hatch=1.0))
    lightness = lambda picture: picture.mean(-1)  # noqa: E731
    darker = lightness(bare) - lightness(lined) > 0.08
    low = darker[HEIGHT // 2 + 6 : -4, 4:-4]
    assert 0.03 < low.mean() < 0.5  # lines, a few pixels apart, not a dark fill
    assert np.array_equal(lined[: HEIGHT // 2 - 8], bare[: HEIGHT // 2 - 8])  # the sky as before


def test_lines_stop_at_an_edge():
    paths, first, last = _lines(_style(line_hatch=1.0, hatch_angle=0.0))
    assert paths.shape[0] > 10
    index = torch.arange(paths.shape[1])[None]
    valid = (index >= first[:, None]) & (index <= last[:, None])
    x = paths[..., 0]
    left_of_edge = torch.where(valid, x, torch.tensor(-1e9)).amax(1) < WIDTH // 2 + 1.5
    right_of_edge = torch.where(valid, x, torch.tensor(1e9)).amin(1) > WIDTH // 2 - 2.5
    assert bool((left_of_edge | right_of_edge).all())  # no line runs from the field into the water
    assert bool(left_of_edge.any()) and bool(right_of_edge.any())
    lowest = torch.where(valid, paths[..., 1], torch.tensor(1e9)).amin(1)
    assert float(lowest.min()) > HEIGHT // 2 - 2.5  # nor up into the sky


def test_tiles_join_without_seams_with_lines():
    style = _style(line_hatch=0.8, bristles=0.1, softness=0.5)
    assert_tiles_join(_landscape(), style, (150, 112))


def test_at_zero_no_lines_are_planned():
    """0 is its default and its value in a style saved before it."""
    style = _style()
    assert style.line_hatch == 0.0
    assert _lines(style)[0].shape[0] == 0
    assert _lines(style.with_parameters({"line_hatch": 0.5}))[0].shape[0] > 0
