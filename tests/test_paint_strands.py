"""Thin strands of close colours inside Munch's broad strokes (band_strands, strands.py)."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.bands import banded_pairs
from models.paint.strokes.brush import Ownership, read_ownership
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.strands import STRAND_WIDTH, strand_weights

# A painter's few paints (OKLab), darkest first: near each other in pairs, so every paint has a clear neighbour.
PAINTS = torch.tensor(
    [
        [0.22, -0.03, 0.01],
        [0.3, -0.06, -0.03],
        [0.4, 0.02, 0.05],
        [0.5, 0.06, 0.1],
        [0.58, 0.15, 0.12],  # a blood orange ...
        [0.62, 0.09, 0.11],  # ... and the orange beside it
        [0.8, 0.0, 0.15],
        [0.9, 0.0, 0.05],
    ]
)
QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"bristles": 0.0, "impasto": 0.0, "edges": 0.0, "softness": 0.0, "grain": 0.0}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    values = {"bands": 1.0, "band_hue": 0.5, "band_contrast": 0.0, "brush_size": 0.08, **QUIET, **brushes}
    return StrokeStyle(colours=habits, paints=PAINTS).with_parameters(values)


def _drawn(plan, style: StrokeStyle) -> torch.Tensor:
    *_, (_, picture) = rasterize(plan, style, plan.height, plan.width, seed=2)
    return picture


def test_the_second_colour_is_the_nearest_paints_at_the_chosen_paints_lightness():
    """Each stroke's strands lean to the colour of the paint nearest its own (the orange's to the blood orange's)
    at its own paint's lightness; the same seed draws the same chosen colours."""
    colours = torch.tensor([[0.61, 0.1, 0.1], [0.59, 0.12, 0.11], [0.25, -0.04, 0.0]])
    chosen, other = banded_pairs(colours, PAINTS, 1.0, 0.5, torch.Generator().manual_seed(3))
    assert torch.equal(chosen, banded_pairs(colours, PAINTS, 1.0, 0.5, torch.Generator().manual_seed(3))[0])
    for stroke in range(3):
        own = int((PAINTS - chosen[stroke]).norm(dim=1).argmin())
        assert (PAINTS[own] - chosen[stroke]).norm() < 1e-6  # at strength 1 each stroke is one of the paints
        apart = ((PAINTS - PAINTS[own]) * torch.tensor([1.0, 4.0, 4.0])).norm(dim=1)
        apart[own] = float("inf")
        nearest = PAINTS[int(apart.argmin())]
        assert abs(float(other[stroke, 0] - chosen[stroke, 0])) < 1e-6
        assert torch.allclose(other[stroke, 1:], nearest[1:])


def test_a_broad_stroke_is_cut_into_many_thin_strands_across_and_none_on_an_outline():
    """One broad stroke (radius 20 px at 512): across it the weights change in steps about STRAND_WIDTH apart, along
    it a strand keeps its weight; an outline on top and the bare canvas get none; the same keys, the same strands."""
    height, width = 41, 120
    across = torch.linspace(-1, 1, height)[:, None].expand(height, width)
    along = torch.linspace(0, 1, width)[None, :].expand(height, width)
    owner = torch.zeros((height, width), dtype=torch.long)
    owner[:, :5] = -1  # bare canvas
    owner[:, -5:] = 1  # an outline
    ownership = Ownership(stroke=owner, along=along, across=across)
    radius, is_outline = torch.tensor([20.0, 20.0]), torch.tensor([False, True])
    weight = strand_weights(ownership, radius, is_outline, unit=1.0, seed=4, amount=1.0)
    assert torch.equal(weight, strand_weights(ownership, radius, is_outline, unit=1.0, seed=4, amount=1.0))
    assert float(weight[:, :5].abs().max()) == 0.0 and float(weight[:, -5:].abs().max()) == 0.0
    middle = weight[:, width // 2]
    steps = int(((middle[1:] - middle[:-1]).abs() > 0.05).sum())
    assert steps >= 2 * 40 / STRAND_WIDTH / 2  # many strands across the stroke's 40 px (each has two sides)
    assert 0.0 <= float(weight.min()) and float(weight.max()) <= 1.0 and float(weight.max()) > 0.5
    # Along the stroke, a strand's weight stays put where it is laid (it starts and ends, but does not flicker).
    row = weight[int(torch.argmax(weight[:, width // 2])), 5:-5] > 0
    assert int((row[1:] != row[:-1]).sum()) <= 2  # one run: laid from its start to its end
    half = strand_weights(ownership, radius, is_outline, unit=1.0, seed=4, amount=0.5)
    assert torch.allclose(half, weight * 0.5)


def test_strands_lay_close_colours_across_a_flat_band_and_keep_its_lightness():
    """A flat orange picture: at 0 no plan has strands; with them the paint moves, where it moves, toward each stroke's
    second colour (the pixels' change in a, b points the way of their stroke's second colour less its own), while
    the picture's lightness stays (within 0.01 on average)."""
    source = pil_to_tensor(Image.new("RGB", (128, 96), (205, 110, 50)))
    params = StrokeParams(seed=2, palette=1.0)
    assert plan_for(_style(), source, params, 128, 96).strand is None
    plan = plan_for(_style(band_strands=1.0), source, params, 128, 96)
    assert plan.strand is not None and plan.key_map is not None
    # The same plan drawn with and without its strands (the strands change no stroke's place or own colour).
    plain, stranded = (to_oklab(_drawn(plan, _style(band_strands=amount))) for amount in (0.0, 1.0))
    assert abs(float(plain[0].mean() - stranded[0].mean())) < 0.01
    owner = read_ownership(plan.key_map, plan.strokes()).stroke
    toward = (plan.strand - plan.colour)[owner.clamp_min(0)].permute(2, 0, 1)[1:]
    change = (stranded - plain)[1:]
    moved = change.norm(dim=0) > 0.01
    assert int(moved.sum()) > 100  # strands show on many pixels ...
    assert float(((change * toward).sum(0)[moved] > 0).float().mean()) > 0.9  # ... each toward its second colour
