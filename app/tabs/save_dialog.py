"""Asking where to export: Qt's save dialog, with the type chosen beside the name honoured, and where the file
dialogs open.

A dialog opens in the folder of the last file chosen in one (this session), else in the user's folder for the kind of
file (Pictures, Music, Documents). Qt's own start is the working folder: started by `make run`, the repository's,
where an export landed among the source files (seen under Xvfb, session 25).

Qt's own dialog gives a name typed without a suffix back as typed, the type chosen beside it apart: "WAV audio" and
"my song" wrote a MIDI file, "JSON" and "notes" Markdown (Compose and Chat, session 17). A name with none of the
types' suffixes takes the chosen type's first, added to the whole name ("take 2.1" -> "take 2.1.mid", not
"take 2.mid"). Paint's export does its own: its job turns another picture type's suffix into .png.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

Place = QStandardPaths.StandardLocation
_last_folder: Path | None = None  # of the last file chosen in a dialog


def dialog_folder(kind: QStandardPaths.StandardLocation) -> Path:
    """Where a file dialog opens: the last file's folder, else the user's folder for `kind`, else their home."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    folder = QStandardPaths.writableLocation(kind)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def remember_folder(path: str | Path) -> None:
    """A file chosen in a dialog: the next dialog opens in its folder."""
    global _last_folder
    _last_folder = Path(path).parent


def ask_save_path(parent: QWidget, title: str, name: str, types: list[tuple[str, tuple[str, ...]]],
                  kind: QStandardPaths.StandardLocation = Place.DocumentsLocation) -> Path | None:
    """The path the user chose to save to, or None if they cancelled. `types`: (description, suffixes) each, the
    first suffix the one a bare name takes ("MIDI file", (".mid", ".midi")); `kind`: the user's folder it opens in
    at first."""
    filters = ";;".join(f"{description} (*{suffixes[0]})" for description, suffixes in types)
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(dialog_folder(kind) / name), filters)
    if not path:
        return None
    remember_folder(path)
    known = {suffix for _, suffixes in types for suffix in suffixes}
    if Path(path).suffix.lower() in known:
        return Path(path)
    suffix = next((suffixes[0] for description, suffixes in types if chosen.startswith(description)), types[0][1][0])
    return Path(path + suffix)
