"""What a style keeps beside its checkpoint (in a references/ sub-folder), made from the paintings it
learned from:

- NAME.match.json: the style-match reference and its calibration (`measure.StyleMatch`), for the
  0-100 score shown with every full render;
- NAME.gatys.safetensors: the VGG16 statistics that "best quality" painting optimises towards
  (`gatys.best_quality_job`).

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
from .measure import match_path_for, measure_style_match
from .vgg import VGGFeatures


def shipped_photographs() -> list[Image.Image]:
    return [load_image(p, max_side=1024).image for p in sorted(resource("paint", "photos").glob("*.jpg"))]


def write_style_references(
    style_path: str | os.PathLike, paintings: list[Image.Image], vgg: VGGFeatures | None = None
) -> list[Path]:
    vgg = vgg or VGGFeatures()
    match_path = match_path_for(style_path)
    measure_style_match(vgg, paintings, shipped_photographs()).save(match_path)
    return [match_path, write_gatys_targets(style_path, paintings, vgg)]


def write_style_references_from_folder(style_path: str | os.PathLike, folder: str | os.PathLike) -> list[Path]:
    """The same, from the paintings in a training folder (what it could not read is skipped)."""
    return write_style_references(style_path, [image for _, image in load_image_folder(folder, max_side=1024).images])
