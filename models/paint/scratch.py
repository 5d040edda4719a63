"""Painting from scratch: a scene composed from a subject in words (or one the painter painted, chosen
by the seed), drawn as rough colour shapes, then painted by the style's renderer.

The one path for "Surprise me", `atelier paint --from-scratch` and the chat's paintings (all of them
reach it through `painting.paint_job` with a from-scratch `PaintRecipe`). The job yields the composed
`Scene` as a Preview before it paints: the app puts its sketch on the canvas to paint over, the CLI
prints what it placed and can save the sketch. The composer (scene/) only makes the sketch; the
painting goes through `render.render_job`, whatever renderer the style has.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from PIL import Image

from ..jobs import Event, JobError, Preview, Progress, Result, check_cancelled
from .scene.composer import Scene, compose_scene
from .scene.composition import load_composition
from .scene.words import subjects_for
from .sizes import check_output_size

if TYPE_CHECKING:
    from .recipe import SceneSketch
    from .render import RenderParams

# The sketch is drawn at the painting's size up to this (its memory stays bounded at any output size); the
# renderer paints at its working size and enlarges only the finished picture.
SKETCH_MAX_SIDE = 1536
# Surprise me paints its choices this small (long side), a few seconds each, and only the pick in full.
PREVIEW_SIDE = 384
# The things a subject is read by: the renderer keeps their shapes (strokes/keep.py) while the style has its way
# with the open areas around them (sky, clouds, water, ground: where Munch's bands and Turner's light live).
KEPT = frozenset(("harbour wall", "boats", "houses", "village", "church", "bridge", "trees", "cypresses"))
KEPT |= {"orchard", "figures", "moon", "lighthouse", "windmill"}


def subject_for(style_name: str, subject: str, seed: int) -> str:
    """The subject asked for (tidied), else one of the painter's own, chosen by the seed."""
    if subject.strip():
        return " ".join(subject.split())
    subjects = subjects_for(style_name)
    return subjects[int(np.random.default_rng([int(seed) & 0xFFFFFFFF, 7]).integers(len(subjects)))]


def sketch_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, SKETCH_MAX_SIDE / max(width, height))
    return max(64, round(width * scale)), max(64, round(height * scale))


def compose_for(style, subject: str, seed: int, size: tuple[int, int]) -> Scene:
    """The scene, composed the way the style's painter composes (the measurements kept beside the style,
    or the rule when it has none; see scene/composition.py). A painter who prints his skies flat (Hokusai's
    `flat_sky`) gets a sketch whose stars, moon and sun shed no halo: his blocks printed each halo as a pale flat
    blob, the stars' joined in pairs, round a night sky that his prints keep one graded blue."""
    flat_sky = style.strokes is not None and style.strokes.flat_sky > 0
    subject = subject_for(style.name, subject, seed)
    return compose_scene(subject, seed, sketch_size(size), load_composition(style.path), halos=not flat_sky)


def keep_labels(scene: Scene) -> torch.Tensor | None:
    """(H, W) integer labels of the scene's KEPT elements, one number each (0 elsewhere), at the sketch's size;
    None when it has none."""
    if scene.labels is None:
        return None
    numbers = np.zeros(len(scene.label_names), np.int64)
    kept = [index for index, name in enumerate(scene.label_names) if name in KEPT]
    numbers[kept] = np.arange(1, len(kept) + 1)
    labels = numbers[scene.labels]
    return torch.from_numpy(labels) if kept and labels.any() else None


# A scene's water, graded as a print's is (strokes/sea_grade.py); not its waves, whose foam is the bare paper.
WATER = frozenset(("sea", "lake", "river"))


def water_map(scene: Scene) -> torch.Tensor | None:
    """(H, W) 1 on the scene's WATER, 0 elsewhere, at the sketch's size; None when it has none."""
    if scene.labels is None:
        return None
    wet = np.isin(scene.labels, [index for index, name in enumerate(scene.label_names) if name in WATER])
    return torch.from_numpy(wet.astype(np.float32)) if wet.any() else None


# A scene's sky: where a painter's heat goes (Munch's burning sky) and the open masses end (strokes/plan.py).
SKY = frozenset(("sky", "clouds", "sun", "moon", "stars"))


def sky_map(scene: Scene) -> torch.Tensor | None:
    """(H, W) 1 on the scene's SKY, 0 elsewhere, at the sketch's size (all 0 where none shows); None without labels."""
    if scene.labels is None:
        return None
    open_sky = np.isin(scene.labels, [index for index, name in enumerate(scene.label_names) if name in SKY])
    return torch.from_numpy(open_sky.astype(np.float32))


def glow_map(scene: Scene) -> torch.Tensor | None:
    """(H, W) 0 to 1: the scene's halos (Scene.glow), at the sketch's size; None when it has none."""
    return None if scene.glow is None else torch.from_numpy(scene.glow)


def scene_maps(scene: Scene) -> dict[str, torch.Tensor | None]:
    """What the renderer is told of the scene's elements (render_job's keep, water, sky and glow)."""
    return {"keep": keep_labels(scene), "water": water_map(scene), "sky": sky_map(scene), "glow": glow_map(scene)}


def painted_over_maps(scene: Scene, canvas: np.ndarray) -> dict[str, torch.Tensor | None]:
    """The scene's maps for a canvas that is its sketch painted over (a Surprise pick the user painted on): the scene
    holds wherever the canvas is still its sketch, and where the user's paint differs from it no map says anything, so
    their paint is painted as a photograph's colours are (a stroke across the sky is no sky, a boat on the sea no sea).
    Without them the sketch was painted as a plain picture: a storm's slate sky took Munch's orange. A canvas of
    another size is not the sketch: no maps."""
    if canvas.shape != scene.sketch.shape:
        return dict.fromkeys(("keep", "water", "sky", "glow"))
    sketch = np.all(canvas == scene.sketch, axis=2)
    labels = None if scene.labels is None else np.where(sketch, scene.labels, 0)  # label 0 is no element
    glow = None if scene.glow is None else scene.glow * sketch
    return scene_maps(replace(scene, labels=labels, glow=glow))


def scene_style_path(sketch: SceneSketch, user_dirs: list[Path] | None = None) -> Path:
    """The checkpoint of the style `sketch` was composed for: where it was, else found again by its name."""
    from .style import find_style

    path = Path(sketch.style_path)
    return path if path.is_file() else find_style(path.stem, user_dirs)


def compose_again(sketch: SceneSketch, size: tuple[int, int], style) -> Scene:
    """The scene `sketch` names, composed at `size` (its canvas's) as it first was: with `style` when that is the
    style it was composed for, else with that one (loaded here)."""
    from .style import load_style

    if style.path is None or Path(style.path) != Path(sketch.style_path):
        style = load_style(scene_style_path(sketch))
    return compose_for(style, sketch.subject, sketch.seed, size)


def preview_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """`size` shrunk to at most `long_side` on its long side, its shape kept."""
    width, height = size
    scale = min(1.0, long_side / max(width, height))
    return max(8, round(width * scale)), max(8, round(height * scale))


def paint_from_scratch_job(
    style,
    subject: str,
    params: RenderParams,
    *,
    preview_side: int | None = None,
    device=None,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """Compose the scene of `subject` at `params.size` with `params.seed`, hand it over, paint it with
    `params` (strength, palette and whatever else the renderer takes): Progress, Preview(Scene),
    Progress..., Result(PIL image).

    With `preview_side`, the painting is a small copy (long side at most that), for choosing among several
    quickly; the scene is composed at the painting's own size all the same, because where things find room
    depends on the pixels they are drawn on: a scene composed small can differ from the full one (a boat
    that fits at one size moves at another), and the picked preview must be the picture painted in full."""
    from .render import render_job

    if params.size is None:
        raise ValueError("a painting from scratch needs a size")
    size = check_output_size(params.size)  # before anything is allocated for it
    yield Progress(0.0, "composing the scene")
    scene = compose_for(style, subject, params.seed, size)
    yield Preview(scene)
    check_cancelled(cancel)
    sketch = Image.fromarray(scene.sketch)
    if preview_side is not None:
        small = preview_size(size, preview_side)
        params = replace(params, size=small)
        sketch = sketch.resize(small, Image.Resampling.BOX)
    for event in render_job(style, sketch, params, device=device, cancel=cancel, **scene_maps(scene)):
        if isinstance(event, Progress):
            yield Progress(0.05 + 0.95 * (event.fraction or 0.0), event.message)
        else:
            yield event


def scene_and_painting(job: Iterator[Event]) -> tuple[Scene, Image.Image]:
    """Drive a from-scratch job (this module's, or `painting.paint_job` with a from-scratch recipe) to its
    end: the scene it composed and the painting it made."""
    scene = None
    for event in job:
        if isinstance(event, Preview) and isinstance(event.value, Scene):
            scene = event.value
        elif isinstance(event, Result):
            if scene is None:
                raise JobError("That painting was not made from a scene.")
            return scene, event.value
    raise JobError("The painting stopped before it was finished.")
