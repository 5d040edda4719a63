"""Dashes of broken colour inside each stroke (the style's `dashes`: strands.dash_colours, signed strand weights)."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.brush import Ownership
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.strands import DASH_LIGHT, dash_colours, strand_weights
from models.paint.strokes.stroke_style import ADDED_LATER

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"bristles": 0.0, "impasto": 0.0, "edges": 0.0, "softness": 0.0, "grain": 0.0, "brush_size": 0.08}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def test_dashes_go_both_ways_lighter_and_paler_or_deeper_and_more_vivid():
    """Signed weights spread from -amount to amount (some strands lighter, some deeper) where the unsigned band
    strands stay from 0 to amount; the same keys draw the same dashes; the lighter colour is lighter and paler."""
    height, width = 41, 60
    ownership = Ownership(
        stroke=torch.zeros((height, width), dtype=torch.long),
        along=torch.linspace(0, 1, width)[None, :].expand(height, width),
        across=torch.linspace(-1, 1, height)[:, None].expand(height, width),
    )
    radius, is_outline = torch.tensor([20.0]), torch.tensor([False])
    signed = strand_weights(ownership, radius, is_outline, unit=1.0, seed=4, amount=0.8, signed=True)
    plain = strand_weights(ownership, radius, is_outline, unit=1.0, seed=4, amount=0.8)
    assert torch.equal(signed, strand_weights(ownership, radius, is_outline, unit=1.0, seed=4, amount=0.8, signed=True))
    assert float(plain.min()) >= 0.0
    assert float(signed.min()) < -0.2 and float(signed.max()) > 0.2  # both ways across one stroke
    assert float(signed.abs().max()) <= 0.8 + 1e-6
    blue = torch.tensor([[0.55, -0.03, -0.12]])
    lighter = dash_colours(blue)[0]
    assert abs(float(lighter[0] - blue[0, 0]) - DASH_LIGHT) < 1e-6
    assert float(lighter[1:].norm()) < float(blue[0, 1:].norm())  # paler (toward white), the same hue
    assert float((lighter[1:] / lighter[1:].norm() - blue[0, 1:] / blue[0, 1:].norm()).norm()) < 1e-5


def test_a_flat_sky_is_broken_into_lighter_and_deeper_dashes_keeping_its_tone():
    """A flat blue picture, the same plan drawn without and with dashes: the strokes' places and own colours are the
    same (none of the plan changes), the lightness on average stays within 0.01, but across the strokes it now varies
    (pale and deep dashes side by side), lighter pixels paler and darker ones more vivid. A style saved before dashes
    loads with none."""
    assert ADDED_LATER["dashes"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (128, 96), (70, 120, 200)))
    plan = plan_for(_style(dashes=1.0), source, StrokeParams(seed=2, palette=1.0), 128, 96)
    assert plan.key_map is not None and plan.strand is None
    plain, dashed = (
        to_oklab(list(rasterize(plan, _style(dashes=amount), 96, 128, seed=2))[-1][1]) for amount in (0.0, 1.0)
    )
    assert abs(float(plain[0].mean() - dashed[0].mean())) < 0.01
    change = dashed[0] - plain[0]
    assert float((change > 0.01).float().mean()) > 0.08 and float((change < -0.01).float().mean()) > 0.08
    chroma_change = dashed[1:].norm(dim=0) - plain[1:].norm(dim=0)
    moved = change.abs() > 0.01
    assert float(((chroma_change * change)[moved] < 0).float().mean()) > 0.9  # lighter: paler; darker: more vivid
    before = plan_for(_style(), source, StrokeParams(seed=2, palette=1.0), 128, 96)
    assert torch.equal(before.paths, plan.paths) and torch.equal(before.colour, plan.colour)
