"""What the Paint history holds and how each entry is labelled.

The history holds what the user made on purpose: a Render, a Best quality render, a picked Surprise,
an export, a Keep. The full-size render that follows a pause in painting is shown but not kept; its
files are the one unsaved painting on disk (so it can still be dragged out), deleted when the next one
replaces it. A label leads with the time and the style and names only the settings that differ from
the controls' defaults ("14:02 · Munch · strength 60"), so neighbouring entries can be told apart.
"""

from __future__ import annotations

import time
from pathlib import Path

from app.store import Store
from app.tabs.paint.jobs import Painting, thumbnail_of

# The controls' starting values: a label names a setting only when it differs from these.
DEFAULT_STRENGTH, DEFAULT_PALETTE, DEFAULT_SEED = 1.0, 0.5, 7
DEFAULT_BRUSH_SCALE, DEFAULT_DETAIL, DEFAULT_OUTLINE = 1.0, 0.5, 1.0  # Stroke size 100%, Detail 50, Outline 100%


def painting_label(painting: Painting, style_title: str, how: str = "", when: float | None = None) -> str:
    """"14:02 · Munch · strength 60", "14:05 · Munch · from scratch: a stormy harbour · seed 8", "14:07 · Munch · exported",
    "14:09 · Munch · strokes 200% · detail 80"."""
    recipe = painting.recipe
    parts = [time.strftime("%H:%M", time.localtime(time.time() if when is None else when)), style_title]
    if recipe.quality == "best":
        parts.append("best quality")
    if recipe.from_scratch:
        parts.append(f"from scratch: {recipe.subject}" if recipe.subject else "from scratch")
    if how:
        parts.append(how)
    if round(recipe.strength * 100) != round(DEFAULT_STRENGTH * 100):
        parts.append(f"strength {round(recipe.strength * 100)}")
    # Best quality sets the palette aside (0), whatever the slider says: a "palette 0" there would mislead.
    if round(recipe.palette * 100) != round(DEFAULT_PALETTE * 100) and not recipe.from_scratch \
            and recipe.quality != "best":
        parts.append(f"palette {round(recipe.palette * 100)}")
    if recipe.look != "strokes":
        parts.append(recipe.look)  # the stroke controls below do nothing for the texture look
    else:
        if round(recipe.brush_scale * 100) != round(DEFAULT_BRUSH_SCALE * 100):
            parts.append(f"strokes {round(recipe.brush_scale * 100)}%")
        if round(recipe.detail * 100) != round(DEFAULT_DETAIL * 100):
            parts.append(f"detail {round(recipe.detail * 100)}")
        if round(recipe.outline * 100) != round(DEFAULT_OUTLINE * 100):
            parts.append(f"outline {round(recipe.outline * 100)}%")
    if recipe.seed != DEFAULT_SEED or recipe.from_scratch:
        parts.append(f"seed {recipe.seed}")
    return " · ".join(parts)


def add_painting(store: Store, painting: Painting, label: str, starred: bool = False) -> int:
    """Put a saved painting (its PNG and its canvas on disk) in the history; returns its id."""
    recipe = painting.recipe
    painting.history_id = store.add_item(
        "painting",
        title=label,
        model=f"{recipe.style}@{recipe.checkpoint_hash}",
        params=recipe.to_json(),
        seed=recipe.seed,
        paths=[str(painting.saved_path), str(painting.source_path)],
        starred=starred,
    )
    return painting.history_id


def delete_unsaved(painting: Painting | None) -> None:
    """Remove the files of a painting that never reached the history."""
    if painting is None or painting.history_id is not None or painting.saved_path is None:
        return
    delete_painting_files(painting.saved_path, painting.source_path)


def delete_painting_files(saved_path: Path | str, source_path: Path | str | None) -> None:
    """A kept painting's files: the picture, the canvas it came from and the picture's thumbnail."""
    for path in (saved_path, source_path, thumbnail_of(Path(saved_path))):
        if path is not None:
            Path(path).unlink(missing_ok=True)
