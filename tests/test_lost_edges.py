"""Lost edges (strokes/lost_edges.py): strokes carry across edges in the light where the painter loses them,
stop at them in the dark, and a style that does not lose edges paints exactly as before."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.strokes import StrokeParams, StrokeStyle, render_strokes
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT, BOUNDARY = 96, 64, 43
# Two pairs of colours about 0.12 apart in OKLab (as a sketch's neighbouring shapes), one light, one dark.
LIGHT_PAIR = (np.array([0.93, 0.85, 0.62]), np.array([0.78, 0.84, 0.96]))  # pale gold sky, pale blue haze
DARK_PAIR = (np.array([0.12, 0.3, 0.1]), np.array([0.4, 0.24, 0.1]))  # dark green and brown, 0.12 apart


def _style(**brushes) -> StrokeStyle:
    """Long wide strokes hatched straight across the edge, nothing else on the canvas: the worst case for spill."""
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    values = dict(
        brush_size=0.05, length=14.0, smoothing=0.85, threshold=0.12, hatch_angle=0.0, hatch_pull=1.0,
        swirl_open_upper=0.0, swirl_open_lower=0.0, swirl_busy=0.0, outline=0.0, softness=0.0, grain=0.0,
        jitter=0.0, accents=0.0, bristles=0.0, impasto=0.0, edges=0.0, wash=0.0, glow=0.0,
    )  # fmt: skip
    return StrokeStyle(colours=habits).with_parameters(values | brushes)


def _paint(pair: tuple[np.ndarray, np.ndarray], style: StrokeStyle) -> np.ndarray:
    """A picture of the pair's two colours side by side, painted."""
    image = np.where(np.arange(WIDTH)[None, :, None] < BOUNDARY, pair[0], pair[1]) * np.ones((HEIGHT, 1, 1))
    picture = Image.fromarray((image * 255).round().astype(np.uint8))
    return np.asarray(render_strokes(picture, style, StrokeParams(seed=3, palette=0.0)), float) / 255


def _spill(pair: tuple[np.ndarray, np.ndarray], painted: np.ndarray) -> int:
    """Pixels more than 2 px beyond the edge, on either side, nearer the other side's colour."""
    left, right = pair
    nearer_left = ((painted - left) ** 2).sum(-1) < ((painted - right) ** 2).sum(-1)
    columns = np.arange(WIDTH)
    return int(nearer_left[:, columns > BOUNDARY + 2].sum() + (~nearer_left[:, columns < BOUNDARY - 2]).sum())


def _mixed_columns(pair: tuple[np.ndarray, np.ndarray], painted: np.ndarray) -> int:
    """How many columns are, on average, a mix of the two colours (15-85% of the way): the edge's width."""
    left, right = pair
    way = ((painted - left) * (right - left)).sum(-1) / ((right - left) ** 2).sum()
    return int(((way.mean(0) > 0.15) & (way.mean(0) < 0.85)).sum())


def test_an_edge_in_the_light_is_lost_and_one_in_the_dark_kept():
    kept, lost = _style(), _style(lost_edges=1.0)
    painted = _paint(LIGHT_PAIR, kept)
    assert _spill(LIGHT_PAIR, painted) == 0  # every style's strokes stop at a strong edge
    # Turner's: the light shapes dissolve into each other, the edge a soft passage (12 columns against 5) ...
    assert _mixed_columns(LIGHT_PAIR, _paint(LIGHT_PAIR, lost)) >= 2 * _mixed_columns(LIGHT_PAIR, painted)
    # ... and the dark ones are painted exactly as by a painter who keeps every edge.
    assert (_paint(DARK_PAIR, lost) == _paint(DARK_PAIR, kept)).all()


def test_tiles_join_without_seams_where_edges_are_lost():
    """The loss is decided on the plan (its maps travel with it), so a tiled render is the whole one."""
    rng = np.random.default_rng(4)
    image = np.where(np.arange(WIDTH)[None, :, None] < BOUNDARY, *LIGHT_PAIR) * np.ones((HEIGHT, 1, 1))
    image[40:, :] = DARK_PAIR[0]
    picture = Image.fromarray(((image + rng.normal(0, 0.03, image.shape)).clip(0, 1) * 255).astype(np.uint8))
    style = _style(lost_edges=0.8, softness=1.0, wash=0.5, outline=0.6, bristles=0.1)
    assert_tiles_join(picture, style, (192, 128))
