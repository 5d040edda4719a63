"""The Paint tab's history strip in a narrow window: one column (it showed half a thumbnail and scrolled sideways,
under Xvfb, session 17). The panes side by side: tests/test_narrow_window.py."""

from __future__ import annotations

from PySide6.QtCore import QSize

from tests.test_history_strip_icons import strip  # noqa: F401  # the fixture


def test_a_narrow_history_strip_shows_its_entries_in_one_column_that_fits(strip, qtbot):  # noqa: F811
    widget, _ = strip
    widget.resize(QSize(90, 500))
    widget.show()
    qtbot.waitExposed(widget)
    entries = widget.list
    qtbot.waitUntil(lambda: entries.gridSize().width() <= entries.viewport().width())
    assert entries.horizontalScrollBar().maximum() == 0
    assert entries.iconSize().width() < entries.gridSize().width()
    widget.resize(QSize(400, 500))  # room for two columns: cells at their full size again
    qtbot.waitUntil(lambda: entries.gridSize() == QSize(150, 150))
