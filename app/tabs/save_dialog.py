"""Asking where to export: Qt's save dialog, with the type chosen beside the name honoured.

Qt's own dialog gives a name typed without a suffix back as typed, the type chosen beside it apart: "WAV audio" and
"my song" wrote a MIDI file, "JSON" and "notes" Markdown (Compose and Chat, session 17). A name with none of the
types' suffixes takes the chosen type's first, added to the whole name ("take 2.1" -> "take 2.1.mid", not
"take 2.mid"). Paint's export does its own: its job turns another picture type's suffix into .png.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(parent: QWidget, title: str, name: str, types: list[tuple[str, tuple[str, ...]]]) -> Path | None:
    """The path the user chose to save to, or None if they cancelled. `types`: (description, suffixes) each, the
    first suffix the one a bare name takes ("MIDI file", (".mid", ".midi"))."""
    filters = ";;".join(f"{description} (*{suffixes[0]})" for description, suffixes in types)
    path, chosen = QFileDialog.getSaveFileName(parent, title, name, filters)
    if not path:
        return None
    known = {suffix for _, suffixes in types for suffix in suffixes}
    if Path(path).suffix.lower() in known:
        return Path(path)
    suffix = next((suffixes[0] for description, suffixes in types if chosen.startswith(description)), types[0][1][0])
    return Path(path + suffix)
