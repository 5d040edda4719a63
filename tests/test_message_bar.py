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
