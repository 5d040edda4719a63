"""The cold darks' run of hues (`dark_range`, session 18, for Munch): his dark areas take the hues of his dark paints,
olive to teal, in their own hue order (a brown dark his olive, a blue one his teal), where every dark took his one
darkest tint; 0 for every style saved before, and there the map is as it was."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import torch

from models.paint.strokes.render import StrokeParams, plan_for
from models.paint.strokes.wash import cool_map, dark_tints
from tests.test_paint_cold_darks import _picture, _style
from tests.tiling import assert_tiles_join

TINT = torch.tensor([-0.017, 0.009])  # his darkest tint, hue 152 degrees
# Three dark paints (olive hue 98, green 151, teal 175) and two light ones, as The Scream's (OKLab).
PAINTS = torch.tensor(
    [
        [0.24, -0.021, 0.012],
        [0.37, -0.031, 0.002],
        [0.40, -0.005, 0.039],
        [0.58, 0.141, 0.117],
        [0.69, 0.033, 0.101],
    ]
)


def _hue(ab: torch.Tensor) -> float:
    return math.degrees(math.atan2(float(ab[1]), float(ab[0]))) % 360


def _patches() -> torch.Tensor:
    """(2, 8, 96) OKLab (a, b) of three dark areas side by side: a brown, a grey, a blue."""
    area = torch.zeros(2, 8, 96)
    area[:, :, :32] = torch.tensor([0.02, 0.03])[:, None, None]
    area[:, :, 64:] = torch.tensor([-0.02, -0.03])[:, None, None]
    return area


def test_a_brown_dark_takes_his_olive_a_blue_one_his_teal_a_grey_one_between():
    tints = dark_tints(_patches(), torch.ones(8, 96), TINT, PAINTS, 1.0)
    brown, grey, blue = (_hue(tints[:, 4, x]) for x in (16, 48, 80))
    assert brown < 120 < 145 < grey < 155 < 165 < blue < 176


def test_at_zero_every_dark_takes_his_darkest_tint():
    tints = dark_tints(_patches(), torch.ones(8, 96), TINT, PAINTS, 0.0)
    assert torch.allclose(tints, TINT[:, None, None].expand(2, 8, 96))


def test_the_map_carries_the_tints_only_with_a_range():
    """cool_map: the share alone without `ranged`, the same share with the tints after it (fails when the tints are
    left out)."""
    aim = torch.zeros(3, 8, 96)
    aim[0] = 0.25
    aim[1:] = _patches()
    alone = cool_map(aim, 0.25, 1.0, reach=1.0)
    ranged = cool_map(aim, 0.25, 1.0, reach=1.0, ranged=(TINT, PAINTS, 1.0))
    assert alone.shape == (1, 8, 96) and ranged.shape == (3, 8, 96)
    assert torch.equal(ranged[:1], alone)


def test_the_styles_range_reaches_the_plan():
    """The plan's map has the tints with `dark_range` and paints, not without (fails when plan.py does not pass it)."""
    source = torch.from_numpy(np.asarray(_picture(), np.float32) / 255).permute(2, 0, 1)[:, ::2, ::2]
    plan = lambda style: plan_for(style, source, StrokeParams(seed=3, palette=0.5), 64, 48)  # noqa: E731
    one = plan(replace(_style(cold_darks=2.0), paints=PAINTS)).cool
    run = plan(replace(_style(cold_darks=2.0, dark_range=1.0), paints=PAINTS)).cool
    assert one is not None and run is not None
    assert one.shape[0] == 1 and run.shape[0] == 3


def test_tiles_join_with_the_tints():
    """The tints are a plan-size map drawn at each output pixel's own position, as the share is."""
    style = replace(_style(cold_darks=1.5, cold_reach=1.0, dark_range=1.0), paints=PAINTS)
    assert_tiles_join(_picture(), style, (160, 120), palette=0.5)
