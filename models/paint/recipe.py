"""The recipe a painting was made with, carried in its PNG file so that `--replay` can make it again.

Stored as JSON in a PNG text chunk named "atelier-recipe": engine, style name and checkpoint hash,
the render parameters, the seed and the input file (path and content hash).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

RECIPE_KEY = "atelier-recipe"


def file_sha256(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def save_png_with_recipe(image: Image.Image, path: str | os.PathLike, recipe: dict[str, Any]) -> Path:
    """Write `image` as PNG with the recipe in a text chunk (written to a temp file, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = PngImagePlugin.PngInfo()
    info.add_text(RECIPE_KEY, json.dumps(recipe, sort_keys=True))
    temporary = path.with_name(f".{path.name}.tmp")
    image.save(temporary, format="PNG", pnginfo=info)
    os.replace(temporary, path)
    return path


def read_recipe(path: str | os.PathLike) -> dict[str, Any]:
    """The recipe stored in a PNG made by Atelier; ValueError with a sentence when there is none."""
    with Image.open(path) as image:
        text = getattr(image, "text", {}).get(RECIPE_KEY) if image.format == "PNG" else None
    if not text:
        raise ValueError(
            f"{Path(path).name} has no Atelier recipe: only PNGs written by `atelier paint` can be replayed."
        )
    try:
        recipe = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"The recipe in {Path(path).name} is damaged.") from None
    if not isinstance(recipe, dict) or recipe.get("engine") != "paint":
        raise ValueError(f"{Path(path).name} was not made by the paint engine.")
    return recipe
