"""The painter's tint by tone (session 13, colour_map.tint_tones): each tone of the picture, darks to lights, moves
toward the painter's mean colour of that tone (Munch's blue-green darks, Van Gogh's chrome-yellow lights), its greys
more than its vivid colours, so an orange stays an orange. `tone_tint` is 0 in every style saved before it, which
paints exactly as before, with or without the measured tints."""

from __future__ import annotations

import math

import pytest
import torch

from models.paint.strokes.colour_map import TINT_LEVELS, ColourHabits, tint_tones, tone_tints
from models.paint.strokes.plan import Controls, plan_strokes
from models.paint.strokes.stroke_style import TENSOR_PREFIX, StrokeStyle

# The painter: blue-green darks, yellow lights (OKLab a, b), from darkest to lightest.
PAINTER = torch.stack([torch.linspace(-0.03, -0.01, TINT_LEVELS), torch.linspace(0.0, 0.06, TINT_LEVELS)], dim=1)
ORANGE = (0.14, 0.10)  # OKLab (a, b): chroma 0.17


def _picture() -> torch.Tensor:
    """(3, 48, 64) OKLab: brown and grey darks with one vivid orange patch, blue-grey lights."""
    generator = torch.Generator().manual_seed(0)
    lab = torch.zeros(3, 48, 64)
    lab[0] = torch.linspace(0.2, 0.9, 64)[None].expand(48, 64)
    lab[1:, :, :32] = torch.tensor([0.03, 0.03]).view(2, 1, 1)  # brown darks
    lab[1:, :, 32:] = torch.tensor([-0.01, -0.015]).view(2, 1, 1)  # blue-grey lights
    lab[1:] += 0.01 * torch.randn(2, 48, 64, generator=generator)
    lab[1:, :8, 8:16] = torch.tensor(ORANGE).view(2, 1, 1)
    return lab


def _hue(ab: torch.Tensor) -> torch.Tensor:
    return torch.atan2(ab[1], ab[0])


def test_each_tone_moves_to_the_painters_tint_and_a_vivid_colour_keeps_its_hue():
    lab = _picture()
    tinted = tint_tones(lab, PAINTER, 1.0)
    assert torch.equal(tinted[0], lab[0])  # lightness untouched
    before, after = tone_tints(lab), tone_tints(tinted)
    # Every tone lands near the painter's: from 0.02-0.11 away to within 0.015.
    assert float((before - PAINTER).norm(dim=1).min()) > 0.02
    assert float((after - PAINTER).norm(dim=1).max()) < 0.015
    # The orange patch, among the darks that moved most, turns by under 6 degrees (1 here; 10 if it took the tint as a grey does).
    turned = (_hue(tinted[1:, :8, 8:16]) - _hue(lab[1:, :8, 8:16])).abs().max()
    assert float(turned) < math.radians(6)
    # Half the amount, about half the way.
    halfway = tone_tints(tint_tones(lab, PAINTER, 0.5))
    assert torch.allclose(halfway, 0.5 * (before + after), atol=0.006)


def test_a_flat_area_takes_one_tint_not_a_gradient():
    """A sketch's flat sky spans many ranks of lightness; equal values share one rank, so it stays flat."""
    lab = _picture()
    lab[:, 16:, 32:] = torch.tensor([0.8, -0.02, -0.05]).view(3, 1, 1)
    tinted = tint_tones(lab, PAINTER, 1.0)[:, 16:, 32:]
    assert float(tinted[1:].reshape(2, -1).std(dim=1).max()) == 0.0
    assert float((tinted[1:, 0, 0] - torch.tensor([-0.02, -0.05])).norm()) > 0.03  # and it did move


def _style(**brushes) -> StrokeStyle:
    generator = torch.Generator().manual_seed(1)
    painting = torch.rand(3, 32, 32, generator=generator) * torch.tensor([1.0, 0.2, 0.2]).view(3, 1, 1)
    habits = ColourHabits.measure([painting - torch.tensor([0.0, 0.1, 0.05]).view(3, 1, 1)])
    values = dict(brush_size=0.05, length=4.0, outline=0.0, accents=0.0) | brushes
    return StrokeStyle(colours=habits).with_parameters(values)


def _plan(style: StrokeStyle):
    picture = _picture()[:, :32, :48]  # small: four plans in well under 2 s
    return plan_strokes(picture, style, Controls(palette=0.5), torch.Generator().manual_seed(3))


def test_a_style_saved_before_tints_loads_and_paints_as_before():
    style = _style()
    assert style.colours.tints is not None and style.tone_tint == 0.0
    old_tensors = {k: v for k, v in style.to_tensors().items() if k != TENSOR_PREFIX + "tints"}
    old_description = {k: v for k, v in style.to_json().items() if k != "tone_tint"}
    old = StrokeStyle.from_checkpoint(old_tensors, old_description)
    assert old.tone_tint == 0.0 and old.colours.tints is None
    # At 0 the tints change nothing; the amount, not the tensor, decides.
    plain = _plan(style).colour
    assert torch.equal(_plan(old).colour, plain)
    tinted = _plan(style.with_parameters({"tone_tint": 1.0}))
    assert not torch.equal(tinted.colour, plain)
    # The same seed paints the same tinted strokes.
    assert torch.equal(tinted.colour, _plan(style.with_parameters({"tone_tint": 1.0})).colour)


@pytest.mark.parametrize(
    "tints, description, said",
    [
        (None, {"tone_tint": 1.0}, "its tints are missing"),
        (torch.zeros(TINT_LEVELS + 1, 2), {}, r"\(tints\) are damaged"),
        (torch.full((TINT_LEVELS, 2), float("nan")), {}, r"\(tints\) are damaged"),
    ],
)
def test_damaged_or_missing_tints_are_a_clear_error(tints, description, said):
    style = _style()
    tensors = {k: v for k, v in style.to_tensors().items() if k != TENSOR_PREFIX + "tints"}
    if tints is not None:
        tensors[TENSOR_PREFIX + "tints"] = tints
    with pytest.raises(ValueError, match=said):
        StrokeStyle.from_checkpoint(tensors, style.to_json() | description)
