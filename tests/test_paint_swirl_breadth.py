"""Broader swirls (the style's `swirl_breadth`: field.SWIRL_SCALE times 1 + it): neighbouring strokes turn together."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.field import direction_field, region_memberships
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER


def _agreement(field: torch.Tensor, apart: int) -> float:
    """Mean cosine of the doubled angles of pixels `apart` px apart across and down: 1 where the field keeps its way."""
    across = (field[:, :, apart:] * field[:, :, :-apart]).sum(0).mean()
    down = (field[:, apart:, :] * field[:, :-apart, :]).sum(0).mean()
    return float(across + down) / 2


def test_broader_swirls_turn_together_over_a_strokes_length():
    """A flat picture swirling everywhere (no edges: the swirls alone): at breadth 1 directions 41 px apart (at 512 px;
    a coarse stroke's length) agree far more than at 0, where the curls are about that wide; at 0 the field is the one
    a style saved before breadth gets, and the same seed gives the same field."""
    assert ADDED_LATER["swirl_breadth"] == 0.0
    flat = to_oklab(torch.full((3, 160, 200), 0.5))
    memberships = region_memberships(flat, 200 / 512)

    def field(breadth: float | None) -> torch.Tensor:
        extra = {} if breadth is None else {"swirl_breadth": breadth}
        return direction_field(
            flat, memberships, torch.ones(3), unit=200 / 512, hatch_angle=0.0, hatch_pull=0.0,
            generator=torch.Generator().manual_seed(5), **extra,
        )

    narrow, broad = field(0.0), field(1.0)
    assert torch.equal(narrow, field(None)) and torch.equal(broad, field(1.0))
    # 16 px at 200 px is 41 px at 512; measured 0.35 at breadth 1 against 0.15 at 0
    assert _agreement(broad, 16) > max(1.8 * _agreement(narrow, 16), _agreement(narrow, 16) + 0.1)


def test_the_plan_follows_the_broader_swirls():
    """A style's breadth reaches its plan: a swirling style's strokes lie elsewhere at breadth 1 than at 0."""
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    source = pil_to_tensor(Image.new("RGB", (96, 72), (70, 120, 200)))
    plans = [
        plan_for(
            StrokeStyle(colours=habits).with_parameters({"swirl_open_upper": 1.0, "swirl_open_lower": 1.0, "swirl_breadth": b}),
            source,
            StrokeParams(seed=2, palette=1.0),
            96,
            72,
        )
        for b in (0.0, 1.0)
    ]
    assert plans[0].count > 10
    assert not torch.equal(plans[0].paths[:, :3], plans[1].paths[:, :3])
