"""The line above each tab's work where its messages appear: what happened, in a sentence, in the error
colour when something failed.

The line keeps its place while no message is on show: appearing, it pushed the canvas down (and shrank it) by a
line, under a stroke in progress too, and hiding pulled it back up. A message longer than a line still takes more."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.theme import ERROR_COLOUR


class MessageBar(QLabel):
    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setWordWrap(True)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.setSizePolicy(policy)
        self.setMinimumHeight(self.fontMetrics().height())
        self.topic = ""  # what the message on show is about, for `withdraw`; "" for any other message
        self.hide()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt's name)
        if not visible:
            self.clear()  # the place kept is one line, not the last message's lines
        super().setVisible(visible)

    def show_info(self, text: str, topic: str = "") -> None:
        """`topic`: what the message is about, so that it can be withdrawn once no longer true (and only it)."""
        self.setStyleSheet("")
        self._show(text, topic)

    def show_error(self, text: str) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self._show(text, "")

    def _show(self, text: str, topic: str) -> None:
        self.topic = topic
        self.setText(text)
        self.show()

    def withdraw(self, topic: str) -> None:
        """Hide the message on show if it is about `topic`; another message put up since stays."""
        if self.topic == topic:
            self.hide()

    def take_back(self, text: str) -> None:
        """Hide `text` if it is the message on show: it is said where the user is looking instead (a dialog)."""
        if self.text() == text:
            self.hide()
