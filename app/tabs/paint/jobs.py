"""The Paint tab's jobs, run on its worker thread: load styles, render, paint from scratch, open, export, train.

Pictures cross between threads as RGB uint8 numpy arrays (never QPixmap, which belongs to the UI
thread). Loaded styles stay in the worker's cache, keyed by checkpoint path, modification time and device.
Every picture is made through `models.paint.painting.paint_job` from a `PaintRecipe`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.log import logger
from app.tabs.images import Snapshot, array_to_image
from app.worker import JobContext
from models.jobs import JobError, Progress, Result
from models.paint.recipe import PaintRecipe

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from models.paint.recipe import SceneSketch
    from models.paint.scene.composer import Scene
    from models.paint.style import Style

PREVIEW_LONG_SIDE = 384
HISTORY_THUMBNAIL_SIDE = 160


@dataclass(eq=False)  # identity: comparing by value would compare whole audio/pixel arrays
class StyleEntry:
    name: str
    title: str
    path: Path
    swatches: np.ndarray  # (n, 3) uint8 palette colours, most common first
    thumbnail: np.ndarray | None  # a small render of a sample photo
    shipped: bool


@dataclass(eq=False)  # identity: comparing by value would compare whole audio/pixel arrays
class Painting:
    """A finished render: the picture, the canvas it came from, and the recipe that makes it again."""

    pixels: np.ndarray
    source: np.ndarray
    recipe: PaintRecipe
    preview: bool = False
    saved_path: Path | None = None
    source_path: Path | None = None
    history_id: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # A full render's pixels as the view shows them, made on the worker (see PaintTab._picture); handed over once.
    picture: QImage | None = None


def cached_style(context: JobContext, path: Path) -> Style:
    """A style loaded on the job's device, kept in the worker's cache (keyed by checkpoint and its mtime)."""
    from models.paint.style import load_style

    device = context.device
    return context.cached(("style", str(path), path.stat().st_mtime_ns, str(device)),
                          lambda: load_style(path, device=device))


def cached_scene(context: JobContext, sketch: SceneSketch, size: tuple[int, int]) -> Scene | None:
    """The scene whose sketch is on the canvas, composed again at the canvas's size (`size`): once for all the
    previews and renders of that canvas (0.1-1 s each time, several seconds under load). One is kept: a scene holds
    a few pictures of the canvas's size. None when the style it was composed for is gone (removed, or damaged): the
    canvas is painted as a plain picture rather than not at all."""
    from app.paths import paint_styles_dir
    from models.checkpoint import CheckpointError
    from models.paint.scratch import compose_again, scene_style_path

    kept = context.cache.get("canvas scene")
    if kept is None or kept[0] != (sketch, size):
        try:
            style = cached_style(context, scene_style_path(sketch, [paint_styles_dir()]))
        except CheckpointError as error:
            logger.warning("the scene under the canvas cannot be composed again: %s", error)
            return None
        kept = context.cache["canvas scene"] = ((sketch, size), compose_again(sketch, size, style))
    return kept[1]


def style_paths(user_dir: Path) -> list[tuple[Path, bool]]:
    from models.paint.style import list_shipped_styles

    shipped = [(path, True) for path in list_shipped_styles().values()]
    mine = [(path, False) for path in sorted(user_dir.glob("*.safetensors")) if ".training" not in path.name]
    return shipped + mine


def load_styles(user_dir: Path, thumbnails_dir: Path):
    """Every style with its palette and a thumbnail (rendered once, then read from the cache folder)."""

    def job(context: JobContext):
        entries = []
        paths = style_paths(user_dir)
        for index, (path, shipped) in enumerate(paths):
            yield Progress(index / max(len(paths), 1), f"loading {path.stem}")
            try:
                style = cached_style(context, path)
            except JobError as error:  # a damaged or foreign file: say so, list the others
                context.notify(str(error))
                continue
            thumbnail = style_thumbnail(style, path, thumbnails_dir, context)
            swatches = np.clip(np.round(style.palette.swatches() * 255), 0, 255).astype(np.uint8)
            entries.append(StyleEntry(style.name, style.title, path, swatches, thumbnail, shipped))
        yield Result(entries)

    return job


def style_thumbnail(style: Style, path: Path, thumbnails_dir: Path, context: JobContext) -> np.ndarray:
    """Shipped styles carry a ready thumbnail; the user's are rendered once and cached by checkpoint hash.
    A cached thumbnail that cannot be read (cut short by a crash) is rendered again, and one that cannot be
    kept (a read-only or full disk) is shown all the same: neither costs the user the list of styles."""
    import io

    from PIL import Image

    from models.files import atomic_write_bytes
    from models.paint.thumbnail import render_thumbnail, thumbnail_path

    cached = thumbnails_dir / f"{style.checkpoint_hash}.png"
    for ready in (thumbnail_path(path), cached):
        if ready.exists():
            try:
                with Image.open(ready) as kept:
                    return np.asarray(kept.convert("RGB"))
            except (OSError, ValueError, Image.DecompressionBombError):
                logger.warning("the thumbnail %s cannot be read: rendered again", ready)
    picture = render_thumbnail(style, context.cancel)
    try:
        thumbnails_dir.mkdir(parents=True, exist_ok=True)
        png = io.BytesIO()
        picture.save(png, format="PNG")
        atomic_write_bytes(cached, png.getvalue())
    except OSError as error:  # the window already says when the data folder is read-only or full
        logger.warning("the thumbnail of %s was not kept: %s", path.name, error)
    return np.asarray(picture)


def render_recipe(style_path: Path, *, strength: float, palette: float, seed: int, size: tuple[int, int],
                  best: bool = False, look: str = "strokes", brush_scale: float = 1.0, detail: float = 0.5,
                  outline: float = 1.0) -> PaintRecipe:
    """The recipe of a render of the canvas with the Paint tab's settings (the style's name and hash are
    filled in when it is loaded)."""
    return PaintRecipe(style=style_path.stem, style_path=str(style_path), strength=strength,
                       palette=0.0 if best else palette, seed=seed, size=size, quality="best" if best else "fast",
                       look=look, brush_scale=brush_scale, detail=detail, outline=outline)


def scratch_recipe(style_path: Path, subject: str, seed: int, size: tuple[int, int], *, strength: float,
                   palette: float, look: str = "strokes", brush_scale: float = 1.0, detail: float = 0.5,
                   outline: float = 1.0) -> PaintRecipe:
    """The recipe of a painting from scratch of `subject` (empty: one the painter painted, chosen by the seed)."""
    return PaintRecipe(style=style_path.stem, style_path=str(style_path), from_scratch=True, subject=subject.strip(),
                       seed=seed, size=size, strength=strength, palette=palette, look=look, brush_scale=brush_scale,
                       detail=detail, outline=outline)


def paint(recipe: PaintRecipe, source: np.ndarray | Snapshot | None, preview: bool = False):
    """Make the painting `recipe` describes from the canvas `source` (a snapshot is read here, on the worker); a
    from-scratch recipe composes its scene instead, and the painting keeps the scene's sketch as the canvas it came
    from (the Paint tab puts it on the canvas to paint over; a recipe of that canvas names the scene, which is
    composed again for it, see painting.paint_job). A preview is small and fast (from scratch: the scene of
    the full painting, painted small, its recipe the full one's); a full render is saved by the caller."""

    def job(context: JobContext):
        from PIL import Image

        from models.jobs import Preview
        from models.paint.painting import paint_job
        from models.paint.scratch import PREVIEW_SIDE, subject_for

        pixels = source.pixels() if isinstance(source, Snapshot) else source
        path = Path(recipe.style_path)
        style = cached_style(context, path)
        made = recipe.replace(style=style.name, checkpoint_hash=style.checkpoint_hash)
        if made.from_scratch:
            made = made.replace(subject=subject_for(style.name, made.subject, made.seed))
        preview_side = None
        if preview and made.from_scratch:  # the same scene as in full (its recipe keeps the full size), small
            preview_side = PREVIEW_SIDE
        elif preview and made.size is not None:
            factor = min(1.0, PREVIEW_LONG_SIDE / max(made.size))
            made = made.replace(size=(max(8, round(made.size[0] * factor)), max(8, round(made.size[1] * factor))))
        picture = Image.fromarray(pixels) if pixels is not None else None
        vgg = _vgg(context) if made.quality == "best" else None
        under = made.canvas_scene
        canvas_scene = None
        if under is not None and not made.from_scratch and pixels is not None:
            canvas_scene = cached_scene(context, under, (pixels.shape[1], pixels.shape[0]))
            if canvas_scene is None:
                made = made.over_scene(None)
        scene = None
        for event in paint_job(made, style, picture, preview_side=preview_side, vgg=vgg, scene=canvas_scene,
                               device=context.device, cancel=context.cancel):
            if isinstance(event, Preview) and made.from_scratch:
                scene = event.value  # the composed scene: kept, not shown as a preview
            elif isinstance(event, Result):
                painted = np.asarray(event.value.convert("RGB"))
                canvas = scene.sketch if scene is not None else pixels if pixels is not None else painted
                extras = {"scene": scene.describe(), "placed": scene.placed} if scene is not None else {}
                yield Result(Painting(painted, canvas, made, preview, extras=extras))
            else:
                yield event

    return job


def paint_and_keep(recipe: PaintRecipe, source: np.ndarray | Snapshot | None, folder: Path):
    """A full render, then kept on disk with its recipe: one job, so nothing half-saved is shown."""

    def job(context: JobContext):
        painting = None
        for event in paint(recipe, source)(context):
            if isinstance(event, Result):
                painting = event.value
            else:
                yield event
        assert painting is not None  # paint() ends with its Result or raises
        painting.picture = array_to_image(painting.pixels)  # for the view, made here (see PaintTab._picture)
        yield from save_painting(painting, folder)(context)

    return job


def _vgg(context: JobContext):
    """The VGG16 trunk, loaded once per worker (best quality looks through it)."""
    from models.paint.vgg import VGGFeatures

    return context.cached("vgg16", VGGFeatures)


@dataclass(eq=False)
class OpenedPicture:
    pixels: np.ndarray  # the picture
    canvas: QImage  # what goes on the canvas (the picture, or a painting's own canvas), made here, off the UI thread
    painting: Painting | None = None  # when Atelier painted it: the painting, its recipe and its canvas


def paint_for_request(recipe: PaintRecipe):
    """A painting from scratch asked for in words (Chat), by the tab's own job: the scene its subject describes,
    painted in the style, so "Open in Paint" puts the scene's sketch on the canvas."""

    def job(context: JobContext):
        from models.paint.style import find_style, list_shipped_styles

        installed = list_shipped_styles()
        name = recipe.style or (next(iter(installed)) if installed else None)
        if name is None:
            raise JobError("Painting is not available yet: no painting styles are installed.")
        path = find_style(name)
        for event in paint(recipe.replace(style=path.stem, style_path=str(path)), None)(context):
            if isinstance(event, Result):
                event.value.extras["title"] = cached_style(context, path).title
            yield event

    return job


def open_image(path: Path, max_side: int = 2048):
    """Read a picture the user dropped or opened, robustly (corrupt, huge, EXIF-rotated, CMYK...). A PNG
    Atelier painted comes with its recipe, and the canvas it was painted from when that is still there."""

    def job(context: JobContext):
        from models.paint.images import ImageRejected, load_image
        from models.paint.recipe import read_recipe

        yield Progress(None, "reading the picture")  # after the title, "Opening photo.jpg": not its name again
        try:
            loaded = load_image(path, max_side=max_side)
        except ImageRejected as error:
            raise JobError(f"{path.name} cannot be opened: {error}. Choose another image.") from None
        pixels = np.asarray(loaded.image.convert("RGB"))
        try:
            recipe = read_recipe(path)
        except ValueError:  # not a PNG Atelier painted (or its recipe is damaged): a picture like any other
            recipe = None
        if recipe is None:
            yield Result(OpenedPicture(pixels, array_to_image(pixels)))
            return
        source, canvas = (Path(recipe.input_path) if recipe.input_path else None), pixels
        if source is not None and source.is_file():
            try:
                canvas = np.asarray(load_image(source, max_side=max_side).image.convert("RGB"))
            except ImageRejected:
                source = None
        else:
            source = None
        painting = Painting(pixels, canvas, recipe, saved_path=path, source_path=source, picture=array_to_image(pixels))
        yield Result(OpenedPicture(pixels, array_to_image(canvas), painting))

    return job


def _free_stem(folder: Path, stem: str) -> str:
    """`stem`, or `stem-2`, `stem-3`...: the first whose painting, canvas and thumbnail are not in `folder` yet. Two
    renders of one style and seed in the same second (a render, then the same canvas painted again) shared one name,
    and the second overwrote the first's files under both history entries."""
    candidate, number = stem, 1
    while any((folder / f"{candidate}{end}").exists() for end in (".png", "-canvas.png", "-thumbnail.png")):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def thumbnail_of(saved_path: Path) -> Path:
    return saved_path.with_name(f"{saved_path.stem}-thumbnail.png")


def save_painting(painting: Painting, folder: Path):
    """Keep a full render on disk: PNG with its recipe, the canvas it came from, a thumbnail for the history."""

    def job(context: JobContext):
        from PIL import Image

        from models.paint.recipe import save_png_with_recipe

        folder.mkdir(parents=True, exist_ok=True)
        stem = _free_stem(folder, f"{time.strftime('%Y%m%d-%H%M%S')}-{painting.recipe.style}-seed{painting.recipe.seed}")
        source_path = folder / f"{stem}-canvas.png"
        Image.fromarray(painting.source).save(source_path)
        painting.recipe = painting.recipe.replace(input_path=str(source_path))
        picture = Image.fromarray(painting.pixels)
        saved = save_png_with_recipe(picture, folder / f"{stem}.png", painting.recipe)
        # The history strip shows this small copy: decoding the full picture there would stall the UI.
        picture.thumbnail((HISTORY_THUMBNAIL_SIDE, HISTORY_THUMBNAIL_SIDE))
        picture.save(thumbnail_of(saved))
        painting.saved_path, painting.source_path = saved, source_path
        yield Result(painting)

    return job


def export(painting: Painting, path: Path, scale: float = 1.0):
    """Export as PNG (recipe embedded) or JPEG, at the rendered size or larger (painted again, not stretched)."""

    def job(context: JobContext):
        from PIL import Image

        from models.files import atomic_write_bytes
        from models.paint.images import IMAGE_SUFFIXES
        from models.paint.recipe import save_png_with_recipe

        pixels, recipe = painting.pixels, painting.recipe
        if scale != 1.0:  # a from-scratch painting composes its scene again at the larger size
            height, width = painting.pixels.shape[:2]
            larger = recipe.replace(size=(round(width * scale), round(height * scale)))
            for event in paint(larger, painting.source)(context):
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
            yield Result(path)
            return
        # Any other name is written as a PNG, and the result is the file written: "Exported e.tiff." was said of
        # e.png, and "Exported c." of c.png. Another picture type's suffix gives way; any other stays in the name
        # ("sunset v1.2" is not "sunset v1.png").
        written = path
        if path.suffix.lower() != ".png":
            written = path.with_suffix(".png") if path.suffix.lower() in IMAGE_SUFFIXES else path.with_name(f"{path.name}.png")
        save_png_with_recipe(picture, written, recipe)
        yield Result(written)

    return job


def read_history_entry(item_id: int, recipe: PaintRecipe, saved_path: Path, source_path: Path):
    """A history entry's painting and canvas read back, as an opened painting is: with its QImages made here, not on
    the UI thread."""

    def job(context: JobContext):
        from PIL import Image

        pictures = []
        for path in (saved_path, source_path):
            try:
                with Image.open(path) as image:
                    pictures.append(np.asarray(image.convert("RGB")))
            except FileNotFoundError:
                raise JobError(f"{path.name} is no longer in the data folder; this history entry cannot be "
                               "restored.") from None
            except (OSError, ValueError, Image.DecompressionBombError):  # cut short by a crash or a full disk
                raise JobError(f"{path.name} in the data folder is damaged; this history entry cannot be "
                               "restored.") from None
        result, canvas = pictures
        painting = Painting(result, canvas, recipe, saved_path=saved_path, source_path=source_path,
                            history_id=item_id, picture=array_to_image(result))
        yield Result(OpenedPicture(result, array_to_image(canvas), painting))

    return job
