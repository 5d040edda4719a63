"""A Paint history entry can be unstarred and removed (session 16's painter's hour: neither could be done)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.tabs.paint.jobs import thumbnail_of
from tests.support.jobs import wait_for_job


def _answer(monkeypatch, button) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_an_entry_is_unstarred_and_removed_with_its_files_and_the_painting_stays(qtbot, paint, monkeypatch):
    painting = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    qtbot.waitUntil(lambda: paint.history_list.count() == 1 and painting.history_id is not None, timeout=10_000)
    assert paint.keep_current() and paint.history_list.item(0).text().startswith("★")
    menu = paint.history_strip.menu_for(paint.history_list.item(0))
    next(action for action in menu.actions() if action.text() == "Unstar").trigger()
    assert not paint.history_list.item(0).text().startswith("★")

    files = [painting.saved_path, painting.source_path, thumbnail_of(painting.saved_path)]
    paint.history_list.setCurrentRow(0)
    paint.history_list.setFocus()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    qtbot.keyClick(paint.history_list, Qt.Key.Key_Delete)
    assert asked and "Its picture and canvas are deleted" in asked[0]
    assert paint.history_list.count() == 1 and all(path.exists() for path in files)  # declined: nothing lost

    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.keyClick(paint.history_list, Qt.Key.Key_Delete)
    assert paint.history_list.count() == 0 and not any(path.exists() for path in files)
    assert paint.painting is painting and painting.history_id is None  # still on show, in memory
    assert paint.keep_current()  # and kept again: saved anew
    qtbot.waitUntil(lambda: paint.history_list.count() == 1, timeout=10_000)
    assert painting.saved_path is not None and painting.saved_path.exists()
