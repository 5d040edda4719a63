"""What a style keeps beside its checkpoint (in a references/ sub-folder), made from the paintings it
learned from:

- NAME.match.json (shipped styles only, written by build_scripts/make_style_references.py): the
  painter's range and its calibration (`painting_match.PaintingMatch`), what bench/painting_match_validation.py
  validated and what style work is measured against. The app shows no score from it: on the stroke
  renderer's pictures it does not agree with the eye yet (docs/style-engine.md);
- NAME.gatys.safetensors: the VGG16 statistics that "best quality" painting optimises towards
  (`gatys.best_quality_job`);
- NAME.composition.json: how the painter composes (horizon, focal point, masses), which paintings from
  scratch follow (`scene.composition`).

Written by build_scripts/make_style_references.py for the shipped styles, and after training for a
user's own.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from ..resources import resource
from .gatys import write_gatys_targets
from .images import load_image, load_image_folder
from .painting_match import match_path_for, measure_painting_match
from .render import RenderParams, render_in_style
from .style import load_style
from .vgg import VGGFeatures


def write_painting_match(style_path: str | os.PathLike, paintings: list[Image.Image]) -> Path:
    """The painter's range from `paintings`, anchored on the shipped photographs through the style's own
    feed-forward renderer (so the style must already be saved)."""
    style = load_style(style_path)
    texture_filter = lambda photo: render_in_style(style, photo, RenderParams(look="texture"))  # noqa: E731
    path = match_path_for(style_path)
    measure_painting_match(paintings, shipped_photographs(), texture_filter).save(path)
    return path


def shipped_photographs() -> list[Image.Image]:
    return [load_image(p, max_side=1024).image for p in sorted(resource("paint", "photos").glob("*.jpg"))]


def write_style_references(
    style_path: str | os.PathLike, paintings: list[Image.Image], vgg: VGGFeatures | None = None,
    source: str | None = None,
) -> list[Path]:
    """What the app needs beside a style it trained: the best-quality targets, and how the painter composes
    (`source` names the paintings; by default, how many there were)."""
    from .scene.composition import CompositionModel, composition_path_for

    composition = CompositionModel.fit(paintings, source=source or f"{len(paintings)} painting(s)")
    return [write_gatys_targets(style_path, paintings, vgg or VGGFeatures()),
            composition.save(composition_path_for(style_path))]


def write_style_references_from_folder(style_path: str | os.PathLike, folder: str | os.PathLike) -> list[Path]:
    """The same, from the paintings in a training folder (what it could not read is skipped)."""
    return write_style_references(style_path, [image for _, image in load_image_folder(folder, max_side=1024).images])
