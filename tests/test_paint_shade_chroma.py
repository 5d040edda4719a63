"""The relief's light and shade move the paint's chroma with its lightness (the style's `shade_chroma`, session 26, for
Munch: strokes/surface.py): a seam or a shaded side of an orange stroke is a shadow of that orange, not a darker, as
vivid orange-brown line; a lit ridge pales toward white; the lightness is as it was; 0 (the default) keeps the chroma."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import channel_norm, to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import shade_chroma
from tests.tiling import assert_tiles_join

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"impasto": 0.8, "edges": 0.6, "softness": 0.0, "brush_size": 0.03, "bristles": 0.0, "grain": 0.0}
ORANGE = (200, 130, 80)  # a light orange whose shadows stay inside the sRGB gamut


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def test_the_chroma_falls_as_far_as_the_lightness():
    lightness = torch.tensor([0.6, 0.6, 0.5, 0.1, 0.5])
    darker = torch.tensor([0.12, 0.0, 0.0, 0.02, 0.0])  # a fifth of its lightness off; none; ...; under the floor
    lighter = torch.tensor([0.0, 0.0, 0.1, 0.0, 0.9])  # ...; a fifth of the way to white; past white
    factor = shade_chroma(lightness, darker, lighter, 1.0)
    assert torch.allclose(factor, torch.tensor([0.8, 1.0, 0.8, 0.9, 0.0]))
    assert torch.equal(shade_chroma(lightness, darker, lighter, 0.0), torch.ones(5))


def test_an_orange_strokes_shadows_lose_its_chroma_not_its_lightness():
    """One plan of a flat orange picture, marked only by its relief and seams: with the amount at 1 a pixel shaded to
    a share of the paint's lightness keeps no more than that share of its chroma (at 0 it kept all of it, a darker
    orange-brown); the lightness is as it was."""
    source = pil_to_tensor(Image.new("RGB", (256, 256), ORANGE))
    plan = plan_for(_style(), source, StrokeParams(seed=3, palette=0.0), 256, 256)
    paint = to_oklab(source)[:, 128, 128]

    def painted(amount: float) -> torch.Tensor:
        return to_oklab(list(rasterize(plan, _style(shade_chroma=amount), 256, 256, seed=3, tile=1024))[-1][1])

    kept, shaded = painted(0.0), painted(1.0)
    assert float((kept[0] - shaded[0]).abs().mean()) < 1e-3
    shadow = kept[0] < paint[0] - 0.05  # the seams and the shaded sides, well below the paint
    assert shadow.float().mean() > 0.02
    share = kept[0][shadow] / paint[0]  # how much of its lightness each shadowed pixel kept
    chroma = channel_norm(paint[1:, None, None])[0, 0]
    assert (channel_norm(kept[1:])[shadow] / chroma).mean() > 0.97
    # ... at 1 no more of its chroma than of its lightness (a seam on a lit side pales as well: less)
    kept_chroma = channel_norm(shaded[1:])[shadow] / chroma
    assert bool((kept_chroma <= share + 0.03).all()) and float(kept_chroma.mean()) < float(share.mean())


def test_tiles_join_with_the_chroma_shaded():
    picture = Image.new("RGB", (256, 160), (90, 140, 200))
    picture.paste(ORANGE, (0, 0, 128, 160))
    assert_tiles_join(picture, _style(shade_chroma=2.0), (700, 450), palette=0.0)


def test_at_0_the_chroma_stays():
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["shade_chroma"] == 0.0 and _style().shade_chroma == 0.0
