"""Where the file dialogs open: the user's folder for the kind of file, then the folder of the last file chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from app.tabs import save_dialog
from app.tabs.save_dialog import Place, ask_save_path


@pytest.fixture
def offered(monkeypatch, tmp_path) -> list[str]:
    """What each save dialog is given to start from; it answers with a file in tmp_path/chosen."""
    monkeypatch.setattr(save_dialog, "_last_folder", None)
    (tmp_path / "chosen").mkdir()
    starts: list[str] = []

    def dialog(parent, title, start, filters):
        starts.append(start)
        return str(tmp_path / "chosen" / Path(start).name), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return starts


def test_a_save_dialog_opens_in_the_users_folder_for_the_kind_then_where_the_last_file_went(qtbot, offered, tmp_path,
                                                                                             monkeypatch):
    # Qt's start was the working folder: run by `make run`, an export went in among the repository's files.
    music = tmp_path / "Music"
    music.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation",
                        staticmethod(lambda kind: str(music) if kind == Place.MusicLocation else ""))
    assert ask_save_path(None, "Export melody", "tune.mid", [("MIDI file", (".mid",))], Place.MusicLocation) == (
        tmp_path / "chosen" / "tune.mid")
    assert offered[-1] == str(music / "tune.mid")
    ask_save_path(None, "Export conversation", "conversation.md", [("Markdown", (".md",))])
    assert offered[-1] == str(tmp_path / "chosen" / "conversation.md")


def test_with_no_folder_for_the_kind_a_save_dialog_opens_at_home(qtbot, offered, monkeypatch):
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda kind: ""))
    ask_save_path(None, "Export conversation", "conversation.md", [("Markdown", (".md",))])
    assert offered[-1] == str(Path.home() / "conversation.md")
