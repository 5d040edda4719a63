"""The even wash (session 16, for Turner): `even_wash` mixes the wash's paints as if their pairs were sought without the
band contrast, so strokes of paints far apart in lightness lie over a soft wash with no seam where its pair of paints
changes (a crisp curve across a photograph's sky at band_contrast 1). 0 for every style saved before it
(test_paint_strokes: ADDED_LATER): the wash as it was."""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.test_lost_edges import _style

# Turner's eight paints (session 6's fit), OKLab, from his dark slate to his cream-gold
PAINTS = torch.tensor(
    [
        [0.1977, -0.0068, -0.0234],
        [0.3098, -0.0311, 0.0059],
        [0.3732, 0.0098, 0.0624],
        [0.4319, -0.0392, 0.0239],
        [0.4845, -0.0418, 0.0597],
        [0.5613, -0.0305, 0.0425],
        [0.63, -0.0236, 0.0962],
        [0.7842, 0.0071, 0.1435],
    ]
)


def _plan(even_wash: float):
    """A sky darkening evenly from top to bottom, painted with contrasting pairs of his paints under a wash."""
    rows = np.linspace(0.85, 0.45, 96)[:, None, None] * np.array([0.9, 0.85, 0.7]) * np.ones((96, 128, 1))
    picture = pil_to_tensor(Image.fromarray((rows * 255).round().astype(np.uint8)))
    style = _style(wash=0.8, bands=1.0, band_contrast=1.0, even_wash=even_wash)
    return plan_for(dataclasses.replace(style, paints=PAINTS), picture, StrokeParams(seed=1, palette=1.0), 128, 96)


def test_an_even_wash_has_no_seam_where_its_pair_of_paints_changes():
    uneven, even = _plan(0.0), _plan(1.0)
    steps = [(plan.wash[:3, 1:] - plan.wash[:3, :-1]).norm(dim=0) for plan in (uneven, even)]
    assert float(steps[0].max()) > 0.2  # a crisp seam across the sky (0.31)
    assert float(steps[1].max()) < 0.03  # an even grade (0.012)
    # Only the wash's colour: the strokes keep their contrasting paints, the wash its openness and light.
    assert torch.equal(uneven.colour, even.colour)
    assert torch.equal(uneven.wash[3:], even.wash[3:])


def test_a_style_saved_before_it_has_the_wash_as_it_was():
    assert ADDED_LATER["even_wash"] == 0.0
    assert _style().even_wash == 0.0
