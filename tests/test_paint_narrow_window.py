"""The Paint tab in a narrow window: its three panes side by side, none drawn over another, the history in one column.

At the window's smallest (720 px) the panes at their smallest needed 825 px: the controls were drawn over the canvas
and the history strip showed half a thumbnail and scrolled sideways (under Xvfb, session 17). Session 16 found the
window needing 972 px to lay every tab out (Compose's panes need 968).
"""

from __future__ import annotations

from PySide6.QtCore import QSize

from tests.test_history_strip_icons import strip  # noqa: F401  # the fixture


def test_the_paint_tab_fits_the_narrowest_window(main_window, qtbot):
    main_window.resize(720, 480)
    main_window.show()
    qtbot.waitExposed(main_window)
    paint = main_window.activity_tabs[0]
    assert paint.minimumSizeHint().width() <= paint.width()
    panes = [paint.splitter.widget(index) for index in range(paint.splitter.count())]
    for left, right in zip(panes, panes[1:], strict=False):
        assert left.geometry().right() < right.geometry().left()
    for pane in panes:
        assert pane.width() >= max(pane.minimumSizeHint().width(), pane.minimumWidth())


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
