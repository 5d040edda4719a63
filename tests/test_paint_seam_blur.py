"""The seams along the strokes' sides blurred (the style's `seam_blur`: strokes/surface.py): a seam follows its stroke's
pixel-stepped edge, and unblurred it drew a dotted dark line; blurred, the same darkening lies as a soft line; tiles
join; 0 (the default) keeps the crisp seams."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import blur, to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.tiling import assert_tiles_join

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"impasto": 0.0, "edges": 0.6, "softness": 0.0, "brush_size": 0.03, "bristles": 0.0, "grain": 0.0}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def test_blurred_seams_darken_as_much_without_the_dots():
    """One plan of a flat mid-grey picture, marked only by its seams: blurred 0.8 px at 512, the seams' finest
    (single-pixel) texture falls by over a third and the paint is darkened as much on the whole."""
    source = pil_to_tensor(Image.new("RGB", (512, 512), (128, 128, 128)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 512, 512)

    def lightness(amount: float) -> torch.Tensor:
        return to_oklab(list(rasterize(plan, _style(seam_blur=amount), 512, 512, seed=2, tile=1024))[-1][1])[0]

    crisp, soft = lightness(0.0), lightness(0.8)
    fine = lambda lightness: float((lightness - blur(lightness[None], 0.7)[0]).std())  # noqa: E731
    assert fine(soft) < 0.65 * fine(crisp)
    assert abs(float(soft.mean()) - float(crisp.mean())) < 1e-3


def test_tiles_join_with_blurred_seams():
    picture = Image.new("RGB", (256, 160), (90, 140, 200))
    picture.paste((220, 160, 60), (0, 0, 128, 160))
    assert_tiles_join(picture, _style(seam_blur=0.8), (700, 450), palette=0.0)


def test_at_0_the_seams_stay_crisp():
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["seam_blur"] == 0.0 and _style().seam_blur == 0.0
