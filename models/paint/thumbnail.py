"""A style's thumbnail: a held-out photograph (a cat reads well small) rendered in the style."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from .data import shipped_photos
from .render import RenderParams, render_in_style

THUMBNAIL_SIDE = 96


def thumbnail_path(checkpoint: Path) -> Path:
    """Where a shipped style keeps its ready-made thumbnail, beside its checkpoint."""
    return checkpoint.with_name(f"{checkpoint.stem}.thumbnail.png")


def render_thumbnail(style, cancel=None) -> Image.Image:
    sample = shipped_photos(("chelsea",))[0]
    sample.thumbnail((THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))
    picture = render_in_style(style, sample, RenderParams(seed=1), cancel=cancel)
    picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return picture
