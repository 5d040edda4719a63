"""The Paint history's labels name every setting that differs from the controls' defaults.

Used as a new user would (session 14, /work/helpers/firsthour/shots/21_best_cancelled_idle.png), five renders at
different stroke sizes, detail and outlines all read "18:34 · Van Gogh", and a Best quality render read
"palette 0" though the Palette slider stood at 50 (Best quality sets the palette aside).
"""

from __future__ import annotations

import numpy as np

from app.tabs.paint.history import painting_label
from app.tabs.paint.jobs import Painting, render_recipe

WHEN = 0.0  # the label's time is not what these tests are about


def label(**settings) -> str:
    defaults = {"strength": 1.0, "palette": 0.5, "seed": 7, "size": (64, 48)}
    recipe = render_recipe(__import__("pathlib").Path("van-gogh.safetensors"), **{**defaults, **settings})
    pixels = np.zeros((48, 64, 3), np.uint8)
    return painting_label(Painting(pixels, pixels, recipe), "Van Gogh", when=WHEN).split(" · ", 1)[1]


def test_the_default_render_is_named_by_its_style_alone():
    assert label() == "Van Gogh"


def test_the_stroke_controls_and_the_look_are_named_when_they_differ():
    assert label(brush_scale=0.25) == "Van Gogh · strokes 25%"
    assert label(detail=1.0) == "Van Gogh · detail 100"
    assert label(outline=0.0) == "Van Gogh · outline 0%"
    assert label(brush_scale=4.0, detail=0.0, outline=2.0) == "Van Gogh · strokes 400% · detail 0 · outline 200%"
    assert label(look="texture") == "Van Gogh · texture"


def test_the_texture_look_is_not_labelled_with_stroke_controls_it_does_not_use():
    assert label(look="texture", brush_scale=2.0, detail=0.0, outline=0.0) == "Van Gogh · texture"


def test_best_quality_is_not_labelled_with_a_palette_the_user_did_not_set():
    assert label(best=True) == "Van Gogh · best quality"
    assert label(best=True, strength=0.6) == "Van Gogh · best quality · strength 60"
