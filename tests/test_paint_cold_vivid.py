"""How vivid a dark may be and still go cold (`cold_vivid`, session 25, for Munch): the cold darks (wash.cool_map) take
more of a vivid dark area (an orange or red-brown dark, which his darkest third never has: olive to teal), a grey's
and a light's share as before; 0 for every style saved before (test_paint_strokes: ADDED_LATER), and there the map is
as it was."""

from __future__ import annotations

import numpy as np
import torch

from models.paint.strokes.render import StrokeParams, plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.wash import cool_map
from tests.test_paint_cold_darks import _picture, _style


def _shares(vivid: float | None) -> torch.Tensor:
    """The share (amount 1, reach 1) in three wide patches: a dark grey (L 0.25), a dark orange-brown (L 0.4, chroma
    0.14), a light (L 0.8); each patch's middle."""
    aim = torch.zeros(3, 16, 96)
    aim[0] = torch.tensor([0.25, 0.4, 0.8]).repeat_interleave(32)
    aim[1, :, 32:64], aim[2, :, 32:64] = 0.07, 0.121  # hue 60: orange-brown
    extra = {} if vivid is None else {"vivid": vivid}
    return cool_map(aim, 0.25, 1.0, reach=1.0, **extra)[0][8, 16::32]


def test_a_vivid_dark_takes_more_of_the_tint_a_grey_and_a_light_as_before():
    """At 0.5 the orange-brown dark takes over 0.6 of the share where at 0 it took under 0.45; the grey all of it
    either way, the light none (fails with the amount ignored)."""
    assert ADDED_LATER["cold_vivid"] == 0.0
    before, after = _shares(0.0), _shares(0.5)
    assert torch.equal(before, _shares(None))
    assert float(before[0]) == float(after[0]) == 1.0
    assert float(before[1]) < 0.45 < 0.6 < float(after[1])
    assert float(before[2]) == float(after[2]) == 0.0


def test_the_styles_amount_reaches_the_plan():
    """The plan's map is the style's amount's (fails when plan.py does not pass it): the dark red patch cools more."""
    source = torch.from_numpy(np.asarray(_picture(), np.float32) / 255).permute(2, 0, 1)[:, ::2, ::2]
    plan = lambda style: plan_for(style, source, StrokeParams(seed=3, palette=0.5), 64, 48)  # noqa: E731
    near = plan(_style(cold_darks=2.0, cold_reach=1.0)).cool
    far = plan(_style(cold_darks=2.0, cold_reach=1.0, cold_vivid=1.0)).cool
    assert near is not None and far is not None
    assert float(far[0].sum()) > float(near[0].sum())
