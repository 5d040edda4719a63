"""The painter's tint by tone (session 13, colour_map.tint_tones): each colour of the picture moves toward the painter's
mean colour of its tone, darks to lights (Munch's blue-green darks, Van Gogh's chrome-yellow lights), a grey fully and
a vivid colour far less, so an orange stays an orange and a blue sky blue. `tone_tint` is 0 in every style saved before it, which
paints exactly as before, with or without the measured tints."""

from __future__ import annotations

import math

import pytest
import torch

from models.paint.strokes.colour_map import TINT_LEVELS, TONE_TOLERANCE, ColourHabits, lightness_ranks, tint_tones
from models.paint.strokes.plan import Controls, plan_strokes
from models.paint.strokes.stroke_style import ADDED_LATER, TENSOR_PREFIX, StrokeStyle

# The painter: blue-green darks, yellow lights (OKLab a, b), from darkest to lightest.
PAINTER = torch.stack([torch.linspace(-0.03, -0.01, TINT_LEVELS), torch.linspace(0.0, 0.06, TINT_LEVELS)], dim=1)
ORANGE = (0.14, 0.10)  # OKLab (a, b): chroma 0.17
SKY = (-0.03, -0.08)  # a clear blue sky: chroma 0.085
PALE_SKY = (-0.02, -0.04)  # a pale blue sky: chroma 0.045
SUN = (0.0, 0.17)  # a yellow sun: chroma 0.17


def _picture() -> torch.Tensor:
    """(3, 48, 64) OKLab, lightness rising left to right: grey darks with one vivid orange patch, a pale blue band
    across the lights and grey lights below it."""
    generator = torch.Generator().manual_seed(0)
    lab = torch.zeros(3, 48, 64)
    lab[0] = torch.linspace(0.2, 0.9, 64)[None].expand(48, 64)
    lab[1:] = 0.005 * torch.randn(2, 48, 64, generator=generator)  # greys
    lab[1:, :8, 8:16] = torch.tensor(ORANGE).view(2, 1, 1)
    lab[1:, :8, 40:] = torch.tensor(SKY).view(2, 1, 1)
    return lab


def _hue(ab: torch.Tensor) -> torch.Tensor:
    return torch.atan2(ab[1], ab[0])


def test_greys_take_their_tones_tint_and_vivid_colours_keep_their_hue():
    lab = _picture()
    tinted = tint_tones(lab, PAINTER, 1.0)
    assert torch.equal(tinted[0], lab[0])  # lightness untouched
    greys = (slice(None), slice(16, None))
    # The greys of every tone take the painter's tint of that tone: the darks' (columns 0-15) blue-green, the
    # lights' (48-63) yellow; each column's mean within 0.01 of his tint, where they were 0.03-0.06 from it.
    darks, lights = tinted[1:, 16:, :16].mean(dim=(1, 2)), tinted[1:, 16:, 48:].mean(dim=(1, 2))
    assert float((darks - PAINTER[:2].mean(0)).norm()) < 0.01
    assert float((lights - PAINTER[-2:].mean(0)).norm()) < 0.01
    assert float(tinted[1:][greys].reshape(2, -1).std(dim=1).max()) > 0.01  # not one tint for the whole picture
    # The orange patch turns by under 3 degrees; the blue sky among the yellow lights stays blue (under 12 degrees).
    for patch, most in (((slice(None), slice(0, 8), slice(8, 16)), 3), ((slice(None), slice(0, 8), slice(40, 64)), 12)):
        turned = (_hue(tinted[1:][patch]) - _hue(lab[1:][patch])).abs().max()
        assert float(turned) < math.radians(most)
    # Half the amount, half the way.
    halfway = tint_tones(lab, PAINTER, 0.5)
    assert torch.allclose(halfway[1:][greys], 0.5 * (lab[1:] + tinted[1:])[greys], atol=0.002)


def test_paper_gives_pale_lights_his_tint_and_leaves_vivid_lights_and_the_rest():
    """`paper` (session 15, Hokusai): a print's pale lights are its bare paper, so a pale blue sky among the lights takes
    the painter's lightest tint, where the tint by tone alone keeps it blue; a yellow sun there keeps its yellow; the
    darks and mid-tones are as the tint by tone alone leaves them."""
    lab = _picture()
    lab[1:, 8:16, 40:] = torch.tensor(PALE_SKY).view(2, 1, 1)
    lab[1:, 16:24, 52:] = torch.tensor(SUN).view(2, 1, 1)
    tinted = tint_tones(lab, PAINTER, 1.0)
    papered = tint_tones(lab, PAINTER, 1.0, paper=1.0)
    assert torch.equal(papered[0], lab[0])  # lightness untouched
    sky, sun = (slice(None), slice(8, 16), slice(52, 64)), (slice(None), slice(16, 24), slice(52, 64))  # ranks over 0.8
    # The pale sky lands on his tint of its tone: within 0.01 (it was 0.1 from it, and stays 0.05 away without paper).
    on_tint = (papered[1:][sky].mean(dim=(1, 2)) - PAINTER[-1]).norm()
    kept_blue = (tinted[1:][sky].mean(dim=(1, 2)) - PAINTER[-1]).norm()
    assert float(on_tint) < 0.01 < 0.05 < float(kept_blue)
    # The sun moves a fifth of its way to the tint at most (0.2 of the way): a colour the printer cut a block for.
    moved = (papered[1:][sun] - tinted[1:][sun]).norm(dim=0).max()
    assert float(moved / (lab[1:][sun] - PAINTER[-1][:, None, None]).norm(dim=0).min()) < 0.21
    # Below the lights' ranks (columns 0-31: ranks under 0.5) nothing changes, the orange patch included.
    assert torch.equal(papered[:, :, :32], tinted[:, :, :32])
    # Half the paper, half the way from where the tint leaves the sky.
    half = tint_tones(lab, PAINTER, 1.0, paper=0.5)
    assert torch.allclose(half[1:][sky], 0.5 * (tinted[1:] + papered[1:])[sky], atol=0.003)
    # With no tint by tone the paper still works, and at 0 nothing moves.
    assert float((tint_tones(lab, PAINTER, 0.0, paper=1.0)[1:][sky].mean(dim=(1, 2)) - PAINTER[-1]).norm()) < 0.01
    assert torch.equal(tint_tones(lab, PAINTER, 0.0, paper=0.0), lab)


def test_a_flat_area_takes_one_tint_not_a_gradient():
    """A sketch's flat sky spans many ranks of lightness; equal values share one rank, so it stays flat."""
    lab = _picture()
    lab[:, 16:, 32:] = torch.tensor([0.8, -0.01, -0.02]).view(3, 1, 1)
    tinted = tint_tones(lab, PAINTER, 1.0)[:, 16:, 32:]
    assert float(tinted[1:].reshape(2, -1).std(dim=1).max()) == 0.0
    assert float((tinted[1:, 0, 0] - torch.tensor([-0.01, -0.02])).norm()) > 0.03  # and it did move


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


def test_a_hair_off_a_flat_area_takes_its_tone_within_the_tolerance():
    """`tone_tolerance` (session 22, Hokusai): a JPEG's ringing beside a sun in a flat sky strays a hair from the sky's
    lightness; ranked alone, the darker stray fell to the bottom of the sky's ranks, out of the paper, and kept the
    sky's blue among its cream: a ring of pale specks. Within the tolerance it takes about the sky's rank and tint."""
    lab = _picture()
    lab[:, 16:, 32:] = torch.tensor([0.8, -0.02, -0.04]).view(3, 1, 1)
    lab[0, 30:34, 40:48] = 0.795  # a hair darker than the sky
    lab[0, 36:40, 40:48] = 0.805  # a hair lighter

    def off_the_sky(tolerance: float) -> tuple[float, float]:
        papered = tint_tones(lab, PAINTER, 1.0, paper=1.0, tolerance=tolerance)[1:]
        sky = papered[:, 20:28, 50:60].mean(dim=(1, 2))
        darker, lighter = (papered[:, rows, 40:48].mean(dim=(1, 2)) for rows in (slice(30, 34), slice(36, 40)))
        return float((darker - sky).norm()), float((lighter - sky).norm())

    darker, lighter = off_the_sky(0.0)
    assert darker > 0.03  # 0.039: the stray kept most of its blue
    darker, lighter = off_the_sky(TONE_TOLERANCE)
    assert darker < 0.01 and lighter < 0.01  # 0.005, 0.003
    # The ranks run smoothly through the sky's tone and are the old ones at 0.
    ranks = lightness_ranks(lab[0].flatten(), TONE_TOLERANCE).view(48, 64)
    assert float(ranks[30, 40]) < float(ranks[20, 50]) < float(ranks[36, 40])
    assert torch.equal(lightness_ranks(lab[0].flatten(), 0.0), lightness_ranks(lab[0].flatten()))
    assert ADDED_LATER["tone_tolerance"] == 0.0 and _style().tone_tolerance == 0.0
