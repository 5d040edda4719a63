"""File ▸ Recent files: the pictures and MIDI files the user opened or exported lately, newest first."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QSettings

from app.settings import Settings

MAX_RECENT = 10


class RecentFiles:
    """The list is kept here and written to the settings file by a thread of its own, in order, at once (a crash
    keeps it): written on the UI thread, the settings file's sync took 12-27 ms of every Open (session 20)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        try:
            names = json.loads(settings.get("recent_files") or "[]")
        except ValueError:  # a hand-edited settings file: start the list again
            names = []
        self._paths = [Path(name) for name in names if isinstance(name, str)][:MAX_RECENT]
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recent files")

    def paths(self) -> list[Path]:
        return list(self._paths)

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        self._save([path] + [p for p in self._paths if p != path])

    def remove(self, path: Path) -> None:
        self._save([p for p in self._paths if p != Path(path)])

    def clear(self) -> None:
        self._save([])

    def flush(self) -> None:
        """Until every change so far is in the settings file."""
        self._writer.submit(lambda: None).result()

    def _save(self, paths: list[Path]) -> None:
        self._paths = paths[:MAX_RECENT]
        self._writer.submit(_write, self.settings.file_name, json.dumps([str(p) for p in self._paths]))


def _write(file_name: str, value: str) -> None:
    # A QSettings of the writer's own (one object is not for two threads); Qt shares the file's contents between
    # the process's QSettings of one file, so the window's sees the list too, and its own sync does not undo it.
    settings = QSettings(file_name, QSettings.Format.IniFormat)
    settings.setValue("recent_files", value)
    settings.sync()
