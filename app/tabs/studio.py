"""What the tabs offer one another, passed in by the window: Chat asks for paintings and melodies through
these and shows them, and never reaches into another tab (an import-linter contract keeps the tab
packages independent). The Paint tab is the `Painter`, the Compose tab the `Composer`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from app.worker import JobHandle
from models.music.request import MelodyRequest
from models.paint.recipe import PaintRecipe


class PaintingResult(Protocol):
    """A painting made for someone else (app.tabs.paint.jobs.Painting)."""

    pixels: np.ndarray
    recipe: PaintRecipe
    extras: dict[str, Any]  # "title": the style's title


class MelodyResult(Protocol):
    """A melody made for someone else (app.tabs.compose.jobs.Variation)."""

    full_title: str  # its label with everything that made it
    melody: Any  # the notes (models.music.melody.Melody)
    request: MelodyRequest
    audio: Any  # its sound once rendered, else None


class Painter(Protocol):
    def paint_for_request(self, recipe: PaintRecipe, on_done: Callable[[PaintingResult], None],
                          on_failed: Callable[[str], None]) -> JobHandle:
        """Paint `recipe` (from scratch) on the Paint tab's worker."""
        ...

    def open_painting(self, painting: PaintingResult) -> None:
        """Show `painting` in the Paint tab, on its canvas to paint over, and bring the tab forward."""
        ...

    def busy_with(self) -> str | None:
        """The title of the job the Paint tab's worker runs now (a painting asked for waits behind it), or None."""
        ...


class Composer(Protocol):
    def compose_for_request(self, request: MelodyRequest, on_written: Callable[[MelodyResult], None] | None,
                            on_failed: Callable[[str], None],
                            on_sound: Callable[[MelodyResult], None] | None = None) -> JobHandle:
        """Write the first melody of `request` on the Compose tab's worker; `on_written` gets it at once,
        `on_sound` once its sound is rendered."""
        ...

    def selected_variation(self) -> MelodyResult | None:
        """The melody selected in the Compose tab (None before anything is generated): "my last melody"."""
        ...

    def play_melody(self, melody: MelodyResult) -> bool:
        """Play it (False when its sound is not rendered yet)."""
        ...

    def open_melody(self, melody: MelodyResult) -> None:
        """Show it in the Compose tab and bring the tab forward."""
        ...
