"""A message withdrawn by its topic goes, and only it: the Paint tab hid its "can't draw" line by reading the bar's
text, so any message with those words went with it, and a rewording of that line would have left it up."""

from __future__ import annotations

import pytest


def test_withdraw_hides_only_a_message_about_its_topic(qtbot):
    from app.tabs.message_bar import MessageBar

    bar = MessageBar("Message")
    qtbot.addWidget(bar)
    bar.show_info("I can't draw “cat” yet.", topic="undrawn words")
    assert not bar.isHidden()
    bar.withdraw("undrawn words")
    assert bar.isHidden()

    bar.show_info("I can't draw “cat” yet.", topic="undrawn words")
    bar.show_error("The render failed: the model can't draw at this size.")  # another message since
    bar.withdraw("undrawn words")
    assert not bar.isHidden() and "failed" in bar.text()


def test_a_message_appearing_or_going_does_not_move_the_work_below_it(qtbot):
    # It pushed the canvas down a line (and shrank it) as it appeared, under a stroke in progress too.
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from app.tabs.message_bar import MessageBar

    area = QWidget()
    qtbot.addWidget(area)
    layout = QVBoxLayout(area)
    bar, work = MessageBar("Message"), QWidget()
    layout.addWidget(bar)
    layout.addWidget(work, 1)
    area.resize(600, 400)
    area.show()
    qtbot.waitExposed(area)
    QApplication.processEvents()
    placed = work.geometry()
    bar.show_error("corrupt.png cannot be opened: broken data stream. Choose another image.")
    QApplication.processEvents()
    assert work.geometry() == placed
    bar.hide()
    QApplication.processEvents()
    assert work.geometry() == placed and bar.isHidden()


@pytest.mark.parametrize("grows_up", [False, True])
def test_a_message_longer_than_a_line_is_drawn_over_the_work_which_stays_put(qtbot, grows_up):
    # Compose's two-line motif errors pushed the variations down a line, and the window's layout jumped as they went.
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from app.tabs.message_bar import MessageBar

    area = QWidget()
    qtbot.addWidget(area)
    layout = QVBoxLayout(area)
    bar, work = MessageBar("Message", grows_up=grows_up), QWidget()
    for widget in ((work, bar) if grows_up else (bar, work)):  # a bar under the work (Chat) grows up over it
        layout.addWidget(widget, 1 if widget is work else 0)
    area.resize(300, 400)
    area.show()
    qtbot.waitExposed(area)
    QApplication.processEvents()
    placed, line = work.geometry(), bar.geometry()
    bar.show_error("The motif's notes go from G2 to D3, outside the Range (A3 to D6): set the Range to G2 to D6 to "
                   "take them in, or clear the motif.")
    QApplication.processEvents()
    assert work.geometry() == placed
    shown = bar.geometry()
    assert shown.height() >= 3 * line.height()  # the whole sentence is on show
    assert (shown.bottom() == line.bottom()) if grows_up else (shown.top() == line.top())
    assert area.children().index(bar) > area.children().index(work)  # drawn over it
    area.resize(500, 400)  # the window widened: fewer lines, still from the bar's own line
    QApplication.processEvents()
    wider = bar.geometry()
    assert work.geometry().height() == placed.height() and wider.height() < shown.height()
    assert (wider.bottom() == line.bottom()) if grows_up else (wider.top() == line.top())  # the height is the same
    bar.show_info("Kept.")
    QApplication.processEvents()
    assert bar.geometry().height() == line.height() and work.geometry().height() == placed.height()
    bar.hide()
    QApplication.processEvents()
    assert bar.geometry().height() == line.height()
