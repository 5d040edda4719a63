"""The Paint tab's jobs, run on its worker thread: load styles, render, paint from scratch, open, export, train.

Pictures cross between threads as RGB uint8 numpy arrays (never QPixmap, which belongs to the UI
thread). Loaded styles stay in the worker's cache, keyed by checkpoint path and modification time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.worker import JobContext
from models.jobs import JobError, Progress, Result

PREVIEW_LONG_SIDE = 384
HISTORY_THUMBNAIL_SIDE = 160
SURPRISE_LONG_SIDE = 512


@dataclass(eq=False)  # identity: comparing by value would compare whole audio/pixel arrays
class StyleEntry:
    name: str
    title: str
    path: Path
    swatches: np.ndarray  # (n, 3) uint8 palette colours, most common first
    thumbnail: np.ndarray | None  # a small render of a sample photo
    shipped: bool
    can_paint_from_scratch: bool


@dataclass(eq=False)  # identity: comparing by value would compare whole audio/pixel arrays
class Painting:
    """A finished render: the picture, the canvas it came from, and the recipe that makes it again."""

    pixels: np.ndarray
    source: np.ndarray
    recipe: dict[str, Any]
    preview: bool = False
    saved_path: Path | None = None
    source_path: Path | None = None
    history_id: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def _device(context: JobContext, setting: str):
    from models.device import pick_device

    choice = context.cache.get(("device", setting))
    if choice is None:
        choice = pick_device(setting=setting)
        context.cache[("device", setting)] = choice
        if choice.notice:
            context.notify(choice.notice)
    return choice.device


def cached_style(context: JobContext, path: Path, device_setting: str):
    from models.paint.style import load_style

    key = ("style", str(path), path.stat().st_mtime_ns, device_setting)
    style = context.cache.get(key)
    if style is None:
        style = load_style(path, device=_device(context, device_setting))
        context.cache[key] = style
    return style


def style_paths(user_dir: Path) -> list[tuple[Path, bool]]:
    from models.paint.style import list_shipped_styles

    shipped = [(path, True) for path in list_shipped_styles().values()]
    mine = [(path, False) for path in sorted(user_dir.glob("*.safetensors")) if ".training" not in path.name]
    return shipped + mine


def load_styles(user_dir: Path, thumbnails_dir: Path, device_setting: str):
    """Every style with its palette and a thumbnail (rendered once, then read from the cache folder)."""

    def job(context: JobContext):
        from PIL import Image

        from models.paint.thumbnail import render_thumbnail, thumbnail_path

        entries = []
        paths = style_paths(user_dir)
        for index, (path, shipped) in enumerate(paths):
            yield Progress(index / max(len(paths), 1), f"loading {path.stem}")
            try:
                style = cached_style(context, path, device_setting)
            except JobError as error:  # a damaged or foreign file: say so, list the others
                context.notify(str(error))
                continue
            # Shipped styles carry a ready thumbnail; the user's are rendered once and cached by checkpoint hash.
            ready = thumbnail_path(path)
            cached = thumbnails_dir / f"{style.checkpoint_hash}.png"
            if ready.exists() or cached.exists():
                thumbnail = np.asarray(Image.open(ready if ready.exists() else cached).convert("RGB"))
            else:
                picture = render_thumbnail(style, context.cancel)
                thumbnails_dir.mkdir(parents=True, exist_ok=True)
                picture.save(cached)
                thumbnail = np.asarray(picture)
            swatches = np.clip(np.round(style.palette.swatches() * 255), 0, 255).astype(np.uint8)
            entries.append(StyleEntry(style.name, style.title, path, swatches, thumbnail, shipped,
                                      style.layout is not None))
        yield Result(entries)

    return job


def render(style_path: Path, source: np.ndarray, *, strength: float, palette: float, seed: int, device_setting: str,
           preview: bool = False, scale: float = 1.0):
    """Render the canvas in a style; a preview is small and fast, a full render is saved by the caller."""

    def job(context: JobContext):
        from PIL import Image

        from models.paint.render import RenderParams, render_job

        style = cached_style(context, style_path, device_setting)
        height, width = source.shape[:2]
        if preview:
            factor = min(1.0, PREVIEW_LONG_SIDE / max(width, height))
        else:
            factor = scale
        size = (max(8, round(width * factor)), max(8, round(height * factor)))
        params = RenderParams(strength=strength, palette=palette, seed=seed, size=size)
        for event in render_job(style, Image.fromarray(source), params, cancel=context.cancel):
            if isinstance(event, Result):
                recipe = {"engine": "paint", "style": style.name, "checkpoint_hash": style.checkpoint_hash,
                          "strength": strength, "palette": palette, "seed": seed, "size": list(size),
                          "style_path": str(style_path)}
                yield Result(Painting(np.asarray(event.value.convert("RGB")), source, recipe, preview))
            else:
                yield event

    return job


def render_best(style_path: Path, source: np.ndarray, *, strength: float, seed: int):
    """Best quality: optimise the canvas itself towards the painter's statistics (minutes on a CPU), with
    a preview every few steps; style strength blends the result with the canvas as a render's does."""

    def job(context: JobContext):
        from PIL import Image

        from models.paint.gatys import BEST_STEPS, best_quality_job, load_gatys_targets
        from models.paint.style import file_hash

        targets = load_gatys_targets(style_path)
        if targets is None:
            raise JobError("This style has no best-quality data yet: train it again with this version, "
                           "or turn Best quality off.")
        vgg = _vgg(context)
        painted = None
        for event in best_quality_job(Image.fromarray(source), targets, vgg, steps=BEST_STEPS, cancel=context.cancel):
            if isinstance(event, Result):
                painted = np.asarray(event.value.convert("RGB"), dtype=np.float32)
            else:
                yield event
        pixels = np.clip(strength * painted + (1 - strength) * source.astype(np.float32), 0, 255).astype(np.uint8)
        height, width = source.shape[:2]
        recipe = {"engine": "paint", "quality": "best", "steps": BEST_STEPS, "style": style_path.stem,
                  "checkpoint_hash": file_hash(style_path), "strength": strength, "palette": 0.0, "seed": seed,
                  "size": [width, height], "style_path": str(style_path)}
        yield Result(Painting(pixels, source, recipe))

    return job


def _vgg(context: JobContext):
    """The VGG16 trunk, loaded once per worker (the style match and best quality look through it)."""
    from models.paint.vgg import VGGFeatures

    vgg = context.cache.get("vgg16")
    if vgg is None:
        vgg = context.cache["vgg16"] = VGGFeatures()
    return vgg


def style_match(style_path: Path, pixels: np.ndarray):
    """How close a render's brushwork is to the painter's, 0-100 (None when the style has no match file)."""

    def job(context: JobContext):
        from PIL import Image

        from models.paint.measure import StyleMatch, match_path_for

        match = StyleMatch.load(match_path_for(style_path))
        if match is None:
            yield Result(None)
            return
        yield Progress(None, "measuring the style match")
        yield Result(match.score(_vgg(context), Image.fromarray(pixels))[1])

    return job


def paint_from_scratch(style_path: Path, size: tuple[int, int], seeds: list[int], device_setting: str):
    """Several new paintings in the style, one per seed."""

    def job(context: JobContext):
        from models.paint.scratch import paint_from_scratch as paint

        style = cached_style(context, style_path, device_setting)
        if style.layout is None:
            raise JobError(f"The style {style.title} cannot paint from scratch: it was trained without a "
                           "composition model. Retrain it, or choose another style.")
        factor = min(1.0, SURPRISE_LONG_SIDE / max(size))
        small = (max(64, round(size[0] * factor)), max(64, round(size[1] * factor)))
        paintings = []
        for index, seed in enumerate(seeds):
            yield Progress(index / len(seeds), f"painting {index + 1} of {len(seeds)}")
            picture = np.asarray(paint(style, small, seed=seed).convert("RGB"))
            recipe = {"engine": "paint", "style": style.name, "checkpoint_hash": style.checkpoint_hash,
                      "from_scratch": True, "seed": seed, "size": list(small), "style_path": str(style_path)}
            paintings.append(Painting(picture, picture, recipe))
            if context.cancel.is_set():
                break
        yield Result(paintings)

    return job


def open_image(path: Path, max_side: int = 2048):
    """Read a picture the user dropped or opened, robustly (corrupt, huge, EXIF-rotated, CMYK...)."""

    def job(context: JobContext):
        from models.paint.images import ImageRejected, load_image

        yield Progress(None, f"opening {path.name}")
        try:
            loaded = load_image(path, max_side=max_side)
        except ImageRejected as error:
            raise JobError(f"{path.name} cannot be opened: {error}. Choose another image.") from None
        yield Result(np.asarray(loaded.image.convert("RGB")))

    return job


def thumbnail_of(saved_path: Path) -> Path:
    return saved_path.with_name(f"{saved_path.stem}-thumbnail.png")


def save_painting(painting: Painting, folder: Path):
    """Keep a full render on disk: PNG with its recipe, the canvas it came from, a thumbnail for the history."""

    def job(context: JobContext):
        from PIL import Image

        from models.paint.recipe import save_png_with_recipe

        stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{painting.recipe['style']}-seed{painting.recipe['seed']}"
        source_path = folder / f"{stem}-canvas.png"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(painting.source).save(source_path)
        picture = Image.fromarray(painting.pixels)
        saved = save_png_with_recipe(picture, folder / f"{stem}.png", {**painting.recipe, "input": str(source_path)})
        # The history strip shows this small copy: decoding the full picture there would stall the UI.
        picture.thumbnail((HISTORY_THUMBNAIL_SIDE, HISTORY_THUMBNAIL_SIDE))
        picture.save(thumbnail_of(saved))
        painting.saved_path, painting.source_path = saved, source_path
        yield Result(painting)

    return job


def export(painting: Painting, path: Path, device_setting: str, scale: float = 1.0):
    """Export as PNG (recipe embedded) or JPEG, at the rendered size or larger (re-rendered, not stretched)."""

    def job(context: JobContext):
        from PIL import Image

        from models.files import atomic_write_bytes
        from models.paint.recipe import save_png_with_recipe

        pixels = painting.pixels
        recipe = dict(painting.recipe)
        if scale != 1.0 and not recipe.get("from_scratch"):
            for event in render(Path(recipe["style_path"]), painting.source, strength=recipe["strength"],
                                palette=recipe["palette"], seed=recipe["seed"], device_setting=device_setting,
                                scale=scale * recipe["size"][0] / painting.source.shape[1])(context):
                if isinstance(event, Result):
                    pixels, recipe = event.value.pixels, event.value.recipe
                else:
                    yield event
        picture = Image.fromarray(pixels)
        if path.suffix.lower() in (".jpg", ".jpeg"):
            import io

            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=92)
            atomic_write_bytes(path, buffer.getvalue())
        else:
            save_png_with_recipe(picture, path.with_suffix(".png") if path.suffix.lower() != ".png" else path, recipe)
        yield Result(path)

    return job


def read_pictures(paths: list[Path]):
    """Load several saved PNGs (a history entry's canvas and result)."""

    def job(context: JobContext):
        from PIL import Image

        pictures = []
        for path in paths:
            try:
                with Image.open(path) as image:
                    pictures.append(np.asarray(image.convert("RGB")))
            except OSError:
                raise JobError(f"{path.name} is no longer in the data folder; this history entry cannot be "
                               "restored.") from None
        yield Result(pictures)

    return job
