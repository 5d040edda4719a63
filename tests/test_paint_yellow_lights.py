"""The lights' hues turned toward the painter's (colour_map.turn_lights, the style's `yellow_lights`): Van Gogh's
lights lean to chrome yellow where a photograph's lean to peach and orange."""

from __future__ import annotations

import math

import torch

from models.paint.strokes.colour_map import turn_lights
from models.paint.strokes.stroke_style import ADDED_LATER

YELLOW = math.radians(102)  # the hue of Van Gogh's lightest tint


def _rings() -> torch.Tensor:
    """(3, 2, 72) OKLab: a ring of every hue in the darks (row 0) and the same ring in the lights (row 1)."""
    angles = torch.linspace(-math.pi, math.pi, 73)[:-1]
    ring = torch.stack([0.1 * torch.cos(angles), 0.1 * torch.sin(angles)])
    return torch.stack([torch.cat([torch.full((1, 72), light), ring]) for light in (0.3, 0.9)], dim=1)


def _off(hue: torch.Tensor) -> torch.Tensor:
    """How far (radians, 0 to pi) each hue lies from the yellow."""
    return (torch.remainder(hue - YELLOW + math.pi, 2 * math.pi) - math.pi).abs()


def test_the_lights_turn_toward_his_yellow_keeping_their_order_and_the_darks_stay():
    before = _rings()
    after = turn_lights(before, YELLOW, 1.0)
    hue_before, hue_after = torch.atan2(before[2], before[1]), torch.atan2(after[2], after[1])
    assert torch.allclose(after[:, 0], before[:, 0], atol=1e-6)  # the darks as they were
    assert torch.allclose(after[0], before[0]) and torch.allclose(after[1:].norm(dim=0), before[1:].norm(dim=0))
    lights_before, lights_after = _off(hue_before[1]), _off(hue_after[1])
    assert (lights_after <= lights_before + 1e-5).all()  # no light turns away from the yellow ...
    assert lights_after.mean() < lights_before.mean() - math.radians(8)  # ... and on the whole they turn to it
    # An orange (60 degrees) turns by 15 to 35 degrees; the blue opposite the yellow hardly moves.
    orange, blue = 48, 17  # the ring's hue is -180 + 5 * index degrees: 60 and -95 (265)
    assert math.radians(15) < float(lights_before[orange] - lights_after[orange]) < math.radians(35)
    assert float((hue_after[1, blue] - hue_before[1, blue]).abs()) < math.radians(2)
    # The order of hues round the circle is kept: from one hue to the next the ring still climbs.
    assert (torch.remainder(torch.diff(torch.cat([hue_after[1], hue_after[1, :1]])), 2 * math.pi) < math.pi).all()


def test_no_yellow_lights_changes_nothing_and_an_older_style_has_none():
    picture = _rings()
    assert torch.equal(turn_lights(picture, YELLOW, 0.0), picture)
    assert ADDED_LATER["yellow_lights"] == 0.0
