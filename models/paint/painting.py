"""Make the painting a recipe describes: the one way from a `PaintRecipe` to pixels.

The Paint tab's renders and its exports at a larger size, `atelier paint` and its `--replay` all paint
through `paint_job`, so that the same recipe gives the same picture wherever it is made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import torch
from PIL import Image

from ..jobs import Event, JobError, Result
from .blending import blend_over
from .recipe import PaintRecipe
from .render import render_job
from .scratch import compose_again, paint_from_scratch_job, painted_over_maps
from .style import Style

if TYPE_CHECKING:
    from .scene.composer import Scene
    from .vgg import VGGFeatures

DEFAULT_SCRATCH_SIZE = (1024, 768)


def paint_job(
    recipe: PaintRecipe,
    style: Style,
    picture: Image.Image | None = None,
    *,
    preview_side: int | None = None,
    vgg: VGGFeatures | None = None,
    scene: Scene | None = None,
    device: torch.device | str | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """Paint `picture` (or a scene composed from the recipe's subject, for a from-scratch recipe) in `style`
    as `recipe` says: Progress events, then Result(PIL RGB image). `vgg` is the VGG16 trunk best quality looks through
    (loaded here when not given). `preview_side` (from scratch only): paint a small copy of the same scene, long
    side at most that, to choose among several quickly (Surprise me). `scene`: the scene `recipe.canvas_scene`
    names, composed at the picture's size, for a picture that is its sketch painted over (composed here when not
    given)."""
    if recipe.from_scratch:  # yields Preview(Scene) first: the sketch it paints, for the canvas
        params = recipe.render_params(recipe.size or DEFAULT_SCRATCH_SIZE)
        yield from paint_from_scratch_job(
            style, recipe.subject, params, preview_side=preview_side, device=device, cancel=cancel
        )
        return
    if picture is None:
        raise JobError("This painting needs the picture it was painted from.")
    maps = {}
    sketch = recipe.canvas_scene
    if sketch is not None:  # the scene's sketch, painted over: painted as that scene, the user's paint as paint
        picture = picture.convert("RGB")
        scene = scene if scene is not None else compose_again(sketch, picture.size, style)
        maps = painted_over_maps(scene, np.asarray(picture))
    if recipe.quality == "best":
        yield from _best_quality(recipe, style, picture.convert("RGB"), vgg, cancel, maps)
        return
    yield from render_job(style, picture, recipe.render_params(), device=device, cancel=cancel, **maps)


def _best_quality(
    recipe: PaintRecipe,
    style: Style,
    picture: Image.Image,
    vgg: VGGFeatures | None,
    cancel: threading.Event | None,
    maps: dict[str, torch.Tensor | None],
) -> Iterator[Event]:
    """Best quality: the stroke look optimises its strokes (models/paint/best/: each stroke's colour,
    position and width moved toward the painter's statistics, then drawn by the rasteriser), planned as a render
    plans them (with a scene's `maps`); the texture look optimises the pixels (gatys.py, minutes on a CPU). Then
    blended with the picture by the style strength, as a render's strength does."""
    from .best.strokes_job import best_strokes_job
    from .gatys import best_quality_job, load_gatys_targets
    from .vgg import VGGFeatures

    targets = load_gatys_targets(style.path) if style.path is not None else None
    if targets is None:
        raise JobError(
            f"The style {style.title} has no best-quality data yet: train it again with this version, "
            "or turn Best quality off."
        )
    vgg = vgg or VGGFeatures()
    if recipe.look == "strokes":
        params = recipe.render_params().stroke_params()
        job = best_strokes_job(picture, style.stroke_style, params, targets, vgg, steps=recipe.steps, cancel=cancel,
                               keep=maps.get("keep"), water=maps.get("water"), sky=maps.get("sky"),
                               glow=maps.get("glow"))
    else:
        job = best_quality_job(picture, targets, vgg, steps=recipe.steps, cancel=cancel)
    painted = None
    for event in job:
        if isinstance(event, Result):
            painted = event.value if event.value.mode == "RGB" else event.value.convert("RGB")
        else:
            yield event
    assert painted is not None
    if recipe.strength < 1.0:  # the strokes are drawn at the size asked for, the pixels at the picture's
        painted = blend_over(picture, painted, recipe.strength)
    # The pixels are optimised at the picture's own size and blended there, then enlarged: at 16,384 px a
    # side one RGB copy is 805 MB, and blending there would hold three.
    if recipe.size and painted.size != tuple(recipe.size):
        painted = painted.resize(recipe.size, Image.Resampling.LANCZOS)
    yield Result(painted)
