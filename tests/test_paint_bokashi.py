"""The graded sky (session 13, for Hokusai): `bokashi` deepens the top of the sky in its own hue, fading down into the
plain sky; a sun in the sky and the ground below keep their colours; tiles join exactly; 0 for every style saved
before, and at 0 nothing is graded."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.colour import srgb_to_oklab
from models.paint.strokes import StrokeParams, render_strokes
from models.paint.strokes.bokashi import DEPTH
from models.paint.strokes.render import plan_for
from tests.test_lost_edges import _style  # long wide strokes hatched level, nothing else on the canvas
from tests.tiling import assert_tiles_join

WIDTH, HEIGHT = 128, 96
SKY, SUN, GROUND = [0.62, 0.76, 0.92], [0.98, 0.85, 0.15], [0.35, 0.55, 0.25]
SUN_AT, SUN_RADIUS = (100, 12), 8


def _landscape() -> Image.Image:
    """A flat pale blue sky over the top half with a yellow sun near its top right; green ground below."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    image = np.where((ys < HEIGHT // 2)[..., None], SKY, GROUND)
    sun = (xs - SUN_AT[0]) ** 2 + (ys - SUN_AT[1]) ** 2 < SUN_RADIUS**2
    image = np.where(sun[..., None], SUN, image)
    return Image.fromarray((image * 255).round().astype(np.uint8))


def _paint(style, **params) -> np.ndarray:
    return np.asarray(render_strokes(_landscape(), style, StrokeParams(seed=3, palette=0.0, **params)), float) / 255


def _oklab(picture: np.ndarray) -> np.ndarray:
    return srgb_to_oklab(torch.from_numpy(picture).float().reshape(-1, 3)).reshape(picture.shape).numpy()


def test_the_top_of_the_sky_is_deepened_in_its_own_hue_and_fades_downward():
    plain, graded = _oklab(_paint(_style())), _oklab(_paint(_style(bokashi=1.0)))
    left = slice(6, 70)  # the sky away from the sun
    drop = (plain[..., 0] - graded[..., 0])[:, left].mean(1)  # lightness lost, by row
    assert drop[:4].mean() > 0.2  # a deep band along the top ...
    assert drop[:4].mean() > 2 * drop[int(0.12 * HEIGHT)] > 0  # ... fading fast ...
    assert abs(drop[int(DEPTH * HEIGHT) + 2 :]).max() < 1e-3  # ... and gone by the grade's depth
    blue = lambda lab: -lab[:4, left, 2].mean()  # noqa: E731  (OKLab b < 0: blue)
    assert blue(graded) > blue(plain) + 0.03  # a more vivid blue, not a grey


def test_a_sun_in_the_sky_and_the_ground_keep_their_colours():
    plain, graded = _paint(_style()), _paint(_style(bokashi=1.0))
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    inside_sun = (xs - SUN_AT[0]) ** 2 + (ys - SUN_AT[1]) ** 2 < (SUN_RADIUS - 3) ** 2
    assert np.abs(graded - plain)[inside_sun].max() < 0.04
    assert np.array_equal(graded[HEIGHT // 2 :], plain[HEIGHT // 2 :])


def test_tiles_join_without_seams_with_a_graded_sky():
    style = _style(bokashi=0.8, bristles=0.1, softness=0.5)
    assert_tiles_join(_landscape(), style, (150, 112))


def test_at_zero_nothing_is_graded():
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    style = _style()
    assert style.bokashi == 0.0
    source = torch.from_numpy(np.asarray(_landscape(), np.float32) / 255).permute(2, 0, 1)
    assert plan_for(style, source, StrokeParams(seed=3), WIDTH, HEIGHT).grade is None
    graded = style.with_parameters({"bokashi": 0.5})
    assert plan_for(graded, source, StrokeParams(seed=3), WIDTH, HEIGHT).grade is not None


def test_a_warm_open_area_at_the_top_is_not_a_sky():
    """The orange table-top at the top of a close-up photograph, deepened, would read as a burn: it is left as it is."""
    ys = np.mgrid[0:HEIGHT, 0:WIDTH][0]
    table = np.where((ys < HEIGHT // 2)[..., None], [0.85, 0.55, 0.30], GROUND)
    picture = Image.fromarray((table * 255).round().astype(np.uint8))
    plain, graded = (
        np.asarray(render_strokes(picture, style, StrokeParams(seed=3, palette=0.0)), float) / 255
        for style in (_style(), _style(bokashi=1.0))
    )
    assert np.abs(graded - plain).max() < 0.02


def test_deepening_keeps_the_hue_and_stops_at_printable_chroma():
    from models.paint.strokes.bokashi import CHROMA_CAP, apply_grade

    pale, vivid = [0.85, -0.02, -0.035], [0.6, -0.1, -0.17]  # a pale sky blue; a blue already past the cap
    painted = torch.tensor([pale, vivid]).T.reshape(3, 1, 2)
    deep = apply_grade(painted, torch.ones(1, 1, 2))
    chroma = lambda lab: lab[1:].norm(dim=0)[0]  # noqa: E731
    assert float(deep[0, 0, 0]) < 0.3  # dark
    assert 2.5 * float(chroma(painted)[0]) < float(chroma(deep)[0]) <= CHROMA_CAP + 1e-6  # more vivid, to the cap
    assert torch.allclose(chroma(deep)[1], chroma(painted)[1])  # a colour past the cap keeps its own chroma
    hue = lambda lab: torch.atan2(lab[2, 0], lab[1, 0])  # noqa: E731
    assert torch.allclose(hue(deep), hue(painted), atol=1e-5)


CREAM = [0.93, 0.92, 0.88]  # a pale cream-grey sky (OKLab L 0.94, b +0.014; warm enough to go olive, not a table-top)


def test_his_ink_grades_a_cream_sky_in_prussian_blue_where_its_own_hue_goes_olive():
    """Session 14: `bokashi_ink` prints his blue over the top of the sky (china's cream sky went olive-brown)."""
    ys = np.mgrid[0:HEIGHT, 0:WIDTH][0]
    cream = np.where((ys < HEIGHT // 2)[..., None], CREAM, GROUND)
    picture = Image.fromarray((cream * 255).round().astype(np.uint8))
    own, inked = (
        _oklab(np.asarray(render_strokes(picture, style, StrokeParams(seed=3, palette=0.0)), float) / 255)
        for style in (_style(bokashi=1.0), _style(bokashi=1.0, bokashi_ink=1.0))
    )
    top = slice(0, 3)
    assert own[top, :, 2].mean() > 0.02  # its own hue deepened: olive
    assert inked[top, :, 2].mean() < -0.05  # his ink: blue ...
    assert inked[top, :, 0].mean() < 0.35  # ... and deep
    assert np.abs(inked[HEIGHT // 2 :] - own[HEIGHT // 2 :]).max() < 1e-6  # the ground is not printed


def test_the_full_ink_on_his_paper_is_his_prussian_blue_and_no_grade_changes_nothing():
    from models.paint.strokes.bokashi import INK, PAPER, apply_grade

    paper = torch.tensor(PAPER).reshape(3, 1, 1).expand(3, 1, 3).contiguous()
    printed = apply_grade(paper, torch.tensor([1.0, 0.5, 0.0]).reshape(1, 1, 3), ink=1.0)
    assert torch.allclose(printed[:, 0, 0], torch.tensor(INK), atol=0.01)  # the top of his Kazusa sky
    assert 0.3 < float(printed[0, 0, 1]) < 0.6 and float(printed[2, 0, 1]) < -0.03  # halfway: a mid blue ...
    assert torch.allclose(printed[:, 0, 2], paper[:, 0, 2], atol=1e-4)  # ... and bare paper where there is no grade


def test_a_top_with_only_a_patch_of_open_wall_has_no_sky_to_grade():
    """The motorcycle's garage: shelves along the top with a patch of pale wall between them is not a sky."""
    from models.paint.strokes.bokashi import grade_map

    picture = torch.tensor([0.9, -0.01, -0.02]).reshape(3, 1, 1).expand(3, 64, 96)  # one pale sky colour
    memberships = torch.zeros(3, 64, 96)
    memberships[2] = 1.0  # busy everywhere ...
    memberships[0, :, 40:52] = 1.0  # ... but for a narrow open patch (12 of 96 columns)
    memberships[2, :, 40:52] = 0.0
    assert float(grade_map(picture, memberships, 1.0, 0.2).max()) == 0.0
    memberships[0, :, 20:80], memberships[2, :, 20:80] = 1.0, 0.0  # open over most of the width: a sky
    assert float(grade_map(picture, memberships, 1.0, 0.2).max()) > 0.5
