"""File ▸ Recent files: the pictures and MIDI files the user opened or exported lately, newest first."""

from __future__ import annotations

import json
from pathlib import Path

from app.settings import Settings

MAX_RECENT = 10


class RecentFiles:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def paths(self) -> list[Path]:
        try:
            names = json.loads(self.settings.get("recent_files") or "[]")
        except ValueError:  # a hand-edited settings file: start the list again
            names = []
        return [Path(name) for name in names if isinstance(name, str)][:MAX_RECENT]

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self._save([path] + [p for p in self.paths() if p != path])

    def remove(self, path: Path) -> None:
        self._save([p for p in self.paths() if p != Path(path)])

    def clear(self) -> None:
        self._save([])

    def _save(self, paths: list[Path]) -> None:
        self.settings.set("recent_files", json.dumps([str(p) for p in paths[:MAX_RECENT]]))
        self.settings.sync()
