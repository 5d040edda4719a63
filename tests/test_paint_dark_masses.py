"""Dark masses and calm open areas (session 9, for Turner): `dark_keep` spares the picture's own darks the lost
edges and the glow, so a dark mass keeps its edge and its darkness against the light; `calm` lays the open areas'
strokes thin and smooth, so a flat sky has no wood-grain ripples while shapes keep their edges. Both are 0 for
every style saved before, and 0 works nothing out."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from models.jobs import run_job
from models.paint.strokes import StrokeParams, StrokeStyle, render_strokes
from models.paint.strokes import plan as plan_module
from models.paint.strokes.fitting import fit_stroke_style
from tests.test_lost_edges import _style  # long wide strokes straight across the edge, nothing else
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT, BOUNDARY = 96, 64, 43
DARK, LIGHT = np.array([0.1, 0.2, 0.12]), np.array([0.95, 0.88, 0.66])  # a dark green hull, a pale gold sky


def _halves(left: np.ndarray, right: np.ndarray) -> Image.Image:
    image = np.where(np.arange(WIDTH)[None, :, None] < BOUNDARY, left, right) * np.ones((HEIGHT, 1, 1))
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _paint(picture: Image.Image, style: StrokeStyle, **params) -> np.ndarray:
    return np.asarray(render_strokes(picture, style, StrokeParams(seed=3, palette=0.0, **params)), float) / 255


def _mixed_columns(painted: np.ndarray) -> int:
    """How many columns are on average 15-85% of the way from the dark to the light: the edge's width."""
    way = ((painted - DARK) * (LIGHT - DARK)).sum(-1).mean(0) / ((LIGHT - DARK) ** 2).sum()
    return int(((way > 0.15) & (way < 0.85)).sum())


def test_a_dark_mass_keeps_its_edge_and_its_darkness_against_the_light():
    """Lost edges and a strong glow melted a dark shape's edge into the light beside it and lifted its darks;
    with the darks kept, the dark side within 8 px of the edge stays dark and the edge stays a step."""
    picture = _halves(DARK, LIGHT)
    melting = _style(lost_edges=1.0, glow=1.0)
    before, after = _paint(picture, melting), _paint(picture, melting.with_parameters({"dark_keep": 1.0}))
    near = slice(BOUNDARY - 8, BOUNDARY - 1)  # the dark side, beside the edge
    lifted_before = before[:, near].mean() - DARK.mean()
    lifted_after = after[:, near].mean() - DARK.mean()
    assert lifted_after < 0.5 * lifted_before
    assert _mixed_columns(after) < _mixed_columns(before)  # a narrower passage from dark to light: a crisper edge
    # The light side still glows: the darks' keeping does not dim the light.
    assert after[:, BOUNDARY + 4 :].mean() >= before[:, BOUNDARY + 4 :].mean() - 0.01


def _flat_sky() -> Image.Image:
    """A pale blue sky with a faint gradient over a green hill: an open area and one shape edge."""
    rows = np.linspace(0, 1, HEIGHT)[:, None, None]
    image = np.array([0.55, 0.7, 0.9]) * (1 - 0.15 * rows) * np.ones((1, WIDTH, 1))
    image[48:] = [0.27, 0.55, 0.24]
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _ripple(painted: np.ndarray) -> float:
    """The sky's fine lightness variation: each pixel against its 5 x 5 neighbourhood's mean."""
    grey = painted[4:40, 4:-4].mean(-1)
    padded = np.pad(grey, 2, mode="edge")
    local = sum(padded[y : y + grey.shape[0], x : x + grey.shape[1]] for y in range(5) for x in range(5)) / 25
    return float(np.abs(grey - local).mean())


def _step(painted: np.ndarray) -> float:
    """How far the rows just above the hill's edge differ from the rows just below it."""
    return float(np.abs(painted[44:46].mean((0, 1)) - painted[50:52].mean((0, 1))).sum())


def test_calm_open_areas_lose_their_ripples_and_keep_their_edges():
    rough = _style(
        brush_size=0.03, length=6.0, swirl_open_upper=0.95, hatch_pull=0.0, jitter=0.05, bristles=0.25,
        impasto=1.0, edges=0.5, threshold=0.03,
    )  # fmt: skip
    calm = rough.with_parameters({"calm": 1.0})
    before, after = _paint(_flat_sky(), rough), _paint(_flat_sky(), calm)
    assert _ripple(after) < 0.5 * _ripple(before)
    # The hill's edge is a step still: the rows just above and below it differ as much as before.
    assert _step(after) > 0.9 * _step(before)


def test_tiles_join_without_seams_with_dark_masses_and_calm():
    picture = _halves(DARK, LIGHT)
    style = _style(lost_edges=0.8, glow=0.7, wash=0.5, dark_keep=1.0, calm=1.0, softness=1.0, bristles=0.2)
    assert_tiles_join(picture, style, (160, 96))


def test_at_zero_nothing_is_worked_out(monkeypatch):
    """0 is both amounts' default and their value in a style saved before them (test_paint_strokes)."""
    loaded = _style(lost_edges=0.8, glow=0.7)
    assert loaded.dark_keep == 0.0 and loaded.calm == 0.0
    maps = []
    real = plan_module.wash_maps
    monkeypatch.setattr(plan_module, "wash_maps", lambda *a: maps.append(real(*a)) or maps[-1])
    _paint(_halves(DARK, LIGHT), loaded)
    assert maps[0].shape[0] == 5  # no map of the darks kept was made


def test_a_fit_of_some_parameters_alone_moves_no_other(monkeypatch):
    """`only` (train_styles.py --only): the search moves the named parameters and keeps every other where the
    style had it. The renders and the measure are stood in for (the real ones take seconds a try): a render's
    "statistics" are the mean of all its parameters (each in its bounds' unit) and the distance is how far that
    is from 0.9, so any parameter's move changes the distance and a search that moved them all would find a
    nearer one."""
    from models.paint.strokes import fitting

    statistic_count = len(fitting.statistic_names())

    class Range:
        mean = np.zeros(statistic_count)

        @classmethod
        def from_pictures(cls, pictures):
            return cls()

        def distance_of_statistics(self, statistics):
            return abs(float(statistics.mean()) - 0.9)

    rendered: list[float] = []  # what each stand-in render stands for, in the order they are measured

    def render(picture, candidate, params):
        rendered.append(float(fitting._to_unit(candidate.brush_parameters()).mean()))
        return Image.new("RGB", (8, 8))

    monkeypatch.setattr(fitting, "render_strokes", render)
    monkeypatch.setattr(fitting, "picture_statistics", lambda picture: np.full(statistic_count, rendered.pop(0)))
    monkeypatch.setattr(fitting, "PainterRange", Range)
    painting = _halves(DARK, LIGHT).resize((80, 60))
    start = _style().brush_parameters()
    strokes, report = run_job(
        fit_stroke_style([painting], [_flat_sky()], max_evaluations=12, start_from=start, only=["calm", "jitter"])
    )
    assert report.evaluations == 12 and report.distance_end < report.distance_start  # it did move something
    moved = {name for name, value in strokes.brush_parameters().items() if value != pytest.approx(start[name])}
    assert moved and moved <= {"calm", "jitter", "hatch_angle"}  # the hatch angle is measured, never searched
    with pytest.raises(ValueError, match="not searched"):
        next(fit_stroke_style([painting], [_flat_sky()], only=["outline"]))
