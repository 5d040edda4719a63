"""A message withdrawn by its topic goes, and only it: the Paint tab hid its "can't draw" line by reading the bar's
text, so any message with those words went with it, and a rewording of that line would have left it up."""

from __future__ import annotations


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
