"""The sea's grade (strokes/sea_grade.py, `sea_grade`): a scene's water laid flat in graded blue as a woodblock print's
sea is (a band under the horizon, the front deepening, the middle pale), on the water alone and under its lines; a
photograph, which has no water map, and a style at 0 are painted as before."""

from __future__ import annotations

import numpy as np
import torch

from models.jobs import run_job
from models.paint.colour import oklab_to_srgb
from models.paint.render import RenderParams
from models.paint.scene.composer import compose_scene
from models.paint.scratch import water_map
from models.paint.strokes import plan as plan_module
from models.paint.strokes.bokashi import PAPER, apply_grade
from models.paint.strokes.brush import MAX_POINTS
from models.paint.strokes.hatching import STEPS as HATCH_STEPS
from models.paint.strokes.render import StrokeParams, plan_for, stroke_render_job
from models.paint.strokes.sea_grade import sea_grade_map, sea_paint
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

HEIGHT, WIDTH, HORIZON = 200, 60, 100


def _sea() -> torch.Tensor:
    """(H, W) water from the horizon (half way down) to the bottom."""
    water = torch.zeros((HEIGHT, WIDTH))
    water[HORIZON:] = 1
    return water


def test_his_paper_under_the_grade_reads_as_his_sea():
    """Over his paper, in his ink: his Kazusa Sea Route's sea, lightness by depth (0.51-0.69 at the horizon, the pale
    sea's 0.84 a fifth of the way down, 0.33 at the bottom); nothing above the horizon."""
    paper = torch.tensor(PAPER)[:, None, None].expand(3, HEIGHT, WIDTH)
    lightness = apply_grade(paper, sea_grade_map(_sea(), 1.0), ink=1.0)[0, :, 0]
    assert torch.equal(lightness[:HORIZON], paper[0, :HORIZON, 0])
    assert 0.45 < lightness[HORIZON] < 0.7
    assert lightness[HORIZON + 20 : HORIZON + 30].min() > 0.84  # the middle distance is pale
    assert 0.25 < lightness[-1] < 0.42
    assert (lightness[HORIZON + 30 :].diff() <= 1e-6).all()  # deepening all the way to the front


def test_a_river_narrowing_into_the_distance_is_graded_to_its_far_end():
    """Its far rows, narrower than a quarter of its widest, are graded as its horizon is, not left bare paper."""
    water = _sea()
    water[HORIZON : HORIZON + 10] = 0
    water[HORIZON : HORIZON + 10, 28:32] = 1
    grade = sea_grade_map(water, 1.0)[0]
    assert (grade[HORIZON : HORIZON + 10, 28:32] >= grade[HORIZON + 10, 30] - 1e-6).all()


def test_the_water_is_laid_flat_in_his_sea_under_its_lines():
    """A slate-grey sea painted from the plan: at 1 each row of the water is his printed sea's colour at its depth,
    its contours and fine lines over it as they were; at 0 (or with no water) the paint as before."""
    height, width = 96, 128
    picture = torch.zeros((3, height, width))
    picture[:, :48] = torch.tensor([0.85, 0.88, 0.9])[:, None, None]  # a pale sky
    picture[:, 48:] = torch.tensor([0.35, 0.42, 0.48])[:, None, None]  # a slate sea
    picture[:, 70:72, 20:100] = 0.1  # a dark wave line on it
    water = torch.zeros((height, width))
    water[48:] = 1
    params = StrokeParams(seed=1, size=(width, height))
    style = _style(sea_grade=1.0, outline=0.6)

    def painted(wet: torch.Tensor | None) -> torch.Tensor:
        job = stroke_render_job(style, picture, params, water=wet)
        return torch.from_numpy(np.asarray(run_job(job), np.float32) / 255)

    plain, graded = painted(None), painted(water)
    assert torch.equal(plain[:48], graded[:48])  # the sky as it was
    printed = oklab_to_srgb(sea_paint(water, 1.0)[:3].permute(1, 2, 0)).clamp(0, 1)
    plan = plan_for(style, picture, params, width, height, water=water)
    lined = (plan.key_map.inner() >= 0) & plan.is_outline[(plan.key_map.inner() // MAX_POINTS).clamp_min(0)]
    sea = ~lined
    sea[:48] = False
    assert (graded[sea] - printed[sea]).abs().max() < 2 / 255
    assert lined[48:].any() and torch.equal(plain[lined], graded[lined])  # the lines over it as they were


def test_only_the_water_is_graded():
    water = _sea()
    water[150:170, 20:40] = 0  # a boat on it
    grade = sea_grade_map(water, 1.0)[0]
    assert (grade[150:170, 20:40] == 0).all() and (grade[150:170, :20] > 0).all()
    assert (grade[:HORIZON] == 0).all()


def test_a_scenes_sea_is_its_water_and_its_boats_are_not():
    scene = compose_scene("a harbour with boats", 2, (160, 120))
    water = water_map(scene)
    assert water is not None
    boats = torch.from_numpy(scene.mask("boats"))
    sea = torch.from_numpy(scene.mask("sea"))
    assert boats.any() and (water[boats] == 0).all() and (water[sea] == 1).all()
    assert water_map(compose_scene("a quiet village at dusk", 1, (160, 120))) is None  # no water, no map


def test_at_0_or_with_no_water_nothing_is_graded(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER); a photograph has
    no water map."""
    assert ADDED_LATER["sea_grade"] == 0.0 and _style().sea_grade == 0.0
    source = torch.rand((3, 48, 64), generator=torch.Generator().manual_seed(0))
    water = torch.zeros((48, 64))
    water[24:] = 1
    params = StrokeParams(seed=RenderParams().seed)

    def plan(amount: float, wet: torch.Tensor | None):
        return plan_for(_style(sea_grade=amount), source, params, 64, 48, water=wet)

    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "sea_paint")],
        at_zero=lambda: (plan(0.0, water), plan(1.0, None)),
        switched_on=[lambda: plan(1.0, water)],
    )


def test_tiles_join_with_a_graded_sea():
    """Drawn at another size than the plan's, whole and in 64-px tiles: the same pixels."""
    picture = torch.rand((3, 48, 64), generator=torch.Generator().manual_seed(3))
    water = torch.zeros((48, 64))
    water[20:] = 1
    style = _style(sea_grade=0.8, outline=0.6)

    def painted(tile: int) -> np.ndarray:
        params = StrokeParams(seed=2, size=(150, 112), tile=tile)
        return np.asarray(run_job(stroke_render_job(style, picture, params, water=water)))

    assert np.array_equal(painted(4096), painted(64))


def test_a_scene_with_water_has_no_fine_lines_in_the_sky_above_it():
    """The fine hatching takes open areas low in the picture for ground or water; over a scene's low horizon they are
    its sky, which his prints leave plain. With the water known no line is seeded above its horizon."""
    height, width, horizon = 96, 128, 72
    picture = torch.zeros((3, height, width))
    picture[:, :horizon] = torch.tensor([0.9, 0.85, 0.7])[:, None, None]  # a pale dawn sky down to the horizon
    picture[:, horizon:] = torch.tensor([0.3, 0.4, 0.5])[:, None, None]  # the sea
    water = torch.zeros((height, width))
    water[horizon:] = 1
    style = _style(line_hatch=1.0)  # no outline: every line of the plan is a hatch line

    def line_seeds(wet: torch.Tensor | None) -> torch.Tensor:
        plan = plan_for(style, picture, StrokeParams(seed=1), width, height, water=wet)
        return plan.paths[plan.is_outline][:, HATCH_STEPS, 1]  # each line is traced both ways from its seed

    assert (line_seeds(None) < horizon).any()  # the position alone lines the low sky
    seeds = line_seeds(water)
    assert seeds.numel() > 0 and (seeds >= horizon).all()
