"""How far the cold darks reach (`cold_reach`, session 17, for Munch): the cooling of his dark areas (wash.cool_map)
reaches lighter and more vivid dark areas, so that the olive and brown dark bands his paints give a dark area turn to
his blue-green black too, not only the greys, while a dark red keeps half its colour and a light area none; 0 for every
style saved before (test_paint_strokes: ADDED_LATER), and there the map is as it was."""

from __future__ import annotations

import numpy as np
import torch

from models.paint.strokes.render import StrokeParams, plan_for
from models.paint.strokes.wash import cool_map
from tests.test_paint_cold_darks import _picture, _style


def _shares(reach: float) -> torch.Tensor:
    """The share (amount 1) in four wide patches: a dark grey (L 0.25), a dark olive band (L 0.45, chroma 0.04), a dark
    red (L 0.3, chroma 0.14), a light (L 0.8); each patch's middle."""
    aim = torch.zeros(3, 16, 128)
    aim[0] = torch.tensor([0.25, 0.45, 0.3, 0.8]).repeat_interleave(32)
    aim[1, :, 32:64], aim[2, :, 32:64] = -0.005, 0.04  # olive
    aim[1, :, 64:96] = 0.14  # red
    share = cool_map(aim, 0.25, 1.0, reach=reach)[0]
    return share[8, 16::32]


def test_the_olive_dark_takes_most_of_the_tint_a_red_half_a_light_none():
    """At 1 the olive band takes most of the share where at 0 it took a third; the grey all of it either way, the red
    under half and the light none (fails with the reach ignored)."""
    before, after = _shares(0.0), _shares(1.0)
    assert float(before[0]) == float(after[0]) == 1.0
    assert float(before[1]) < 0.4 < 0.75 < float(after[1])
    assert float(before[2]) < float(after[2]) < 0.5
    assert float(before[3]) == float(after[3]) == 0.0


def test_the_styles_reach_reaches_the_plan():
    """The plan's map is the style's reach's (fails when plan.py does not pass it)."""
    source = torch.from_numpy(np.asarray(_picture(), np.float32) / 255).permute(2, 0, 1)[:, ::2, ::2]
    plan = lambda style: plan_for(style, source, StrokeParams(seed=3, palette=0.5), 64, 48)  # noqa: E731
    near, far = plan(_style(cold_darks=2.0)).cool, plan(_style(cold_darks=2.0, cold_reach=1.0)).cool
    assert near is not None and far is not None
    assert float(far.sum()) > float(near.sum())
