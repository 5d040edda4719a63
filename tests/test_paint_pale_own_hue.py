"""A scene's pale kept thing keeps its own hue where the painter's tone tints would turn it into another hue family
(colour_map.own_hues, `pale_own_hue`): his tints are cream in the lights, and they painted a blossoming crown's pink
(the scene's blossom) in cream. A wall whose hue they barely turn, a grey, a dark thing and a thing not kept keep
his tints, and a picture with no kept things is painted as before."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.scratch import compose_for, keep_labels, sky_map
from models.paint.strokes import StrokeParams, plan
from models.paint.strokes.colour_map import own_hues
from models.paint.strokes.filters import sample, to_oklab
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.style import list_shipped_styles, load_style
from tests.learned_amounts import assert_reached_only_when_on

CREAM = (0.86, -0.004, 0.05)  # a light tint of his (hue 95 degrees)


def _lab(*colours: tuple[float, float, float]) -> torch.Tensor:
    """(3, 1, N) OKLab: the colours side by side."""
    return torch.tensor(colours).T[:, None, :]


def test_a_pale_kept_colour_keeps_its_hue_only_where_the_tint_turned_it_far():
    """Tinted to his cream: a pale pink kept thing gets its pink back at 1 and half of it at 0.5; a pale beige one (hue
    80, turned 15 degrees), a near grey, a dark pink and a pink not kept stay cream."""
    pink, beige, grey, dark = (0.86, 0.03, 0.006), (0.86, 0.004, 0.022), (0.86, 0.003, 0.002), (0.5, 0.03, 0.006)
    untinted = _lab(pink, beige, grey, dark, pink)
    tinted = _lab(CREAM, CREAM, CREAM, (0.5, -0.004, 0.05), CREAM)
    lightness = untinted[0]
    kept = torch.tensor([[1.0, 1.0, 1.0, 1.0, 0.0]])
    whole = own_hues(tinted, untinted, lightness, kept, 1.0)
    half = own_hues(tinted, untinted, lightness, kept, 0.5)
    assert torch.allclose(whole[:, 0, 0], untinted[:, 0, 0])
    assert torch.allclose(half[:, 0, 0], (tinted[:, 0, 0] + untinted[:, 0, 0]) / 2)
    assert torch.allclose(whole[:, 0, 1:], tinted[:, 0, 1:])
    assert torch.equal(whole[0], tinted[0])  # the lightness untouched


def _crown_hues(amount: float, keep: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """The OKLab hue (degrees) of each stroke whose middle lies on a pale blossoming crown's body (the orchard's
    label, sketch lightness 0.6-0.8) of the scene "an orchard in spring" (seed 1, 256 x 192), planned in Van Gogh's
    style with `pale_own_hue` at `amount` (`keep`: with the scene's kept things), and of the sketch there."""
    style = load_style(list_shipped_styles()["van-gogh"])
    scene = compose_for(style, "an orchard in spring", 1, (256, 192))
    sketch = pil_to_tensor(Image.fromarray(scene.sketch))
    lightness = to_oklab(sketch)
    labels = torch.from_numpy(np.asarray(scene.labels)).long()
    body = (labels == scene.label_names.index("orchard")) & (lightness[0] > 0.6) & (lightness[0] < 0.8)
    strokes = style.stroke_style.with_parameters({"pale_own_hue": amount})
    kept = keep_labels(scene) if keep else None
    planned = plan_for(strokes, sketch, StrokeParams(seed=1), 256, 192, keep=kept, sky=sky_map(scene))
    middles = planned.paths[torch.arange(planned.count), (planned.first + planned.last) // 2]
    on_body = (sample(body[None].float(), middles)[:, 0] > 0.99) & ~planned.is_outline
    colours, own = planned.colour[on_body], lightness[:, body]
    return torch.rad2deg(torch.atan2(colours[:, 2], colours[:, 1])), torch.rad2deg(torch.atan2(own[2], own[1]))


def test_a_scenes_pale_pink_crowns_are_painted_pinker_not_cream():
    """The sketch's crowns are pink (hue within 20 degrees of 0); at 0 the strokes on them take his cream (median hue
    over 90 degrees); at 1 their median hue turns at least 20 degrees back toward the pink."""
    assert ADDED_LATER["pale_own_hue"] == 0.0
    before, own = _crown_hues(0.0)
    after, _ = _crown_hues(1.0)
    assert abs(float(own.median())) < 20
    assert len(before) >= 50 and len(after) >= 50
    assert float(before.median()) > 90
    assert float(after.median()) < float(before.median()) - 20


def test_without_kept_things_or_at_zero_it_is_never_worked_out(monkeypatch):
    """A photograph (no kept things) with the amount on, or a scene at 0, never reaches own_hues; a scene with it on
    does."""
    assert_reached_only_when_on(
        monkeypatch,
        [(plan, "own_hues")],
        lambda: (_crown_hues(1.0, keep=False), _crown_hues(0.0)),
        [lambda: _crown_hues(1.0)],
    )
