"""His trees' leaf masses (`foliage`, session 24, for Hokusai; clumps since session 25, as large as their crown and
stippled since session 26): a dark area the picture paints green is painted in clumps outlined by his key block, their
tops lighter and in his blue-green, dotted with his stipple, where a sketch's crown was one flat dark disc; a brown dark
is left as it was; a scene's tree is clumped whole, its lit lumps unringed; tiles join; 0 for every style saved before,
and there the plan never reaches it."""

from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image

from models.jobs import run_job
from models.paint.strokes import foliage
from models.paint.strokes import plan as plan_module
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.foliage import ACROSS, CLUMP, DOT_DARK, LINE_DARK, SHADE, leaf_map, leaf_masses
from models.paint.strokes.render import StrokeParams, plan_for, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.wash import FOLIAGE_HUE
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style as _lined_style
from tests.test_paint_cold_darks import _style
from tests.test_paint_green_darks import _sketch
from tests.test_paint_unlined_inside import CENTRE, CROWN, GROUND, HEIGHT, LUMP, WIDTH, _distance
from tests.tiling import assert_tiles_join


def _everywhere(height: int, width: int) -> torch.Tensor:
    """A leaf map (2, H, W) all leaves, in clumps of CLUMP px."""
    return torch.stack([torch.ones(height, width), torch.full((height, width), CLUMP)])


def test_a_green_dark_is_shaded_into_masses_and_a_brown_one_is_not():
    picture = _sketch()  # a dark green half, a dark brown half
    leaves = leaf_map(picture, picture, 1.0, 1.0)
    assert float(leaves[0, 8, 16]) > 0.5 and float(leaves[0, 8, 80]) == 0.0
    flat = torch.zeros(3, 16, 96)
    flat[0] = 0.35
    shaded = leaf_masses(flat, leaves, 0, 0, 1, 1.0, leaves, (1.0, 1.0))
    green = shaded[0, :, :40]
    assert float(green.max() - green.min()) > SHADE  # lighter tops and darker feet, not one flat value
    assert torch.equal(shaded[:, :, 56:], flat[:, :, 56:])


def test_the_clumps_are_outlined_and_their_tops_lit_in_his_blue_green():
    """Fails with session 24's noise masses (no line darker than 0.1 L under the paint, the colour untouched)."""
    flat = torch.zeros(3, 96, 96)
    flat[0] = 0.35
    leaves = _everywhere(96, 96)
    shaded = leaf_masses(flat, leaves, 0, 0, 1, 1.0, leaves, (1.0, 1.0))
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
    whole = leaf_masses(picture, leaves, 0, 0, 3, 1.0, leaves, (1.0, 1.0))
    right = leaf_masses(picture[:, :, 32:], leaves[:, :, 32:], 0, 32, 3, 1.0, leaves, (1.0, 1.0))
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


def _discs(diameters: tuple[int, ...], height: int = 160, width: int = 320) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """(3, H, W) OKLab: dark green discs of `diameters` side by side on a pale ground; each disc's (H, W) mask."""
    y, x = torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij")
    picture = torch.zeros(3, height, width)
    picture[:] = torch.tensor([0.85, 0.0, 0.02])[:, None, None]
    masks, left = [], 8
    for diameter in diameters:
        centre = (left + diameter / 2, height / 2)
        masks.append(((x - centre[0]) ** 2 + (y - centre[1]) ** 2).float().sqrt() < diameter / 2)
        picture[:, masks[-1]] = torch.tensor([0.40, -0.082, 0.057])[:, None]
        left += diameter + 24
    return picture, masks


def test_a_crowns_clumps_are_as_large_as_the_crown():
    """A crown ACROSS clumps wide whatever its size, one size all over it: one 20-px lattice for every crown made fish
    scales of a large crown and two or three clumps of a small one."""
    picture, (small, large) = _discs((56, 112))
    cells = leaf_map(picture, picture, 1.0, 1.0)[1]
    for mask, diameter in ((small, 56), (large, 112)):
        assert float(cells[mask].min()) == float(cells[mask].max())  # one lattice in a crown: no seam
        assert abs(float(cells[mask][0]) - diameter / ACROSS) < 1.5
    assert float(cells[large][0]) > 1.8 * float(cells[small][0])


def test_his_stipple_dots_the_green_its_lit_tops_too(monkeypatch):
    """Dark dots (his Ryogoku tree's stipple) over the clumps: against the same clumps without them, a tenth or more of
    the pixels darker, in small dots, over the lit tops as over the rest."""
    flat = torch.zeros(3, 96, 96)
    flat[0] = 0.35
    leaves = _everywhere(96, 96)
    dotted = leaf_masses(flat, leaves, 0, 0, 1, 1.0, leaves, (1.0, 1.0))
    monkeypatch.setattr(foliage, "DOT_SHARE", 0.0)
    plain = leaf_masses(flat, leaves, 0, 0, 1, 1.0, leaves, (1.0, 1.0))
    darker = dotted[0] < plain[0] - 0.05
    assert 0.1 < float(darker.float().mean()) < 0.35
    lit = plain[0] > 0.35 + 0.1
    assert float(darker[lit].float().mean()) > 0.1
    core = (dotted[0] - plain[0]) < (DOT_DARK - 1) * plain[0] + 0.01  # a dot's middle: its full dark
    assert float(core.float().mean()) > 0.02
    # small dots, not blotches: a dot pixel's 5 x 5 surround is mostly undotted
    around = torch.nn.functional.avg_pool2d(darker[None, None].float(), 5, 1, 2)[0, 0]
    assert float(around[darker].mean()) < 0.45


GREEN_BODY, GREEN_LIT = (40, 90, 50), (150, 190, 90)  # a scene's crown: dark green, its lit lump yellow-green


def test_a_scenes_tree_is_clumped_whole_and_its_lit_lump_not_ringed():
    """A scene's tree (a kept thing) is clumped whatever its light, its lit lump too (aim L 0.72 inside a kept shape was
    hardly clumped), and the lump is drawn by its clumps, not ringed by a contour like a hole in the crown; the crown's
    outline keeps its line."""
    lit = to_oklab(torch.tensor(GREEN_LIT).float()[:, None, None] / 255).expand(3, 32, 96).clone()
    inside = torch.zeros(32, 96)
    inside[:, :48] = 1.0
    assert float(leaf_map(lit, lit, 1.0, 1.0, inside)[0, 16, 16]) > 0.5
    colour = torch.where(
        _distance()[None] < LUMP, torch.tensor(GREEN_LIT)[:, None, None], torch.tensor(GREEN_BODY)[:, None, None]
    )
    colour = torch.where(_distance()[None] < CROWN, colour, torch.tensor(GROUND)[:, None, None])
    kept = (_distance() < CROWN).long()
    middles = {}
    for amount in (0.0, 1.0):
        style = _lined_style(outline=0.6, outline_width=1.2, foliage=amount)
        planned = plan_for(style, colour.float() / 255, StrokeParams(seed=1, palette=0.0), WIDTH, HEIGHT, keep=kept)
        lines = planned.is_outline.nonzero()[:, 0]
        middle = planned.paths[lines, (planned.first[lines] + planned.last[lines]) // 2]
        middles[amount] = (middle - torch.tensor(CENTRE)).norm(dim=1)
    on_lump = [int(((m > LUMP - 8) & (m < LUMP + 8)).sum()) for m in middles.values()]
    on_outline = [int(((m > CROWN - 8) & (m < CROWN + 8)).sum()) for m in middles.values()]
    assert on_lump[0] >= 3 and on_lump[1] == 0
    assert on_outline[1] >= on_outline[0] - 1
