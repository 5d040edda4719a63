"""The line above each tab's work where its messages appear: what happened, in a sentence, in the error
colour when something failed.

The bar takes one line's place in the layout, message or not: appearing, it pushed the canvas down (and shrank it) by
a line, under a stroke in progress too, and hiding pulled it back up. A message longer than a line draws its further
lines over the work beside the bar (below it, or above it for a bar under the work), on the window's colour, and the
work under them keeps its place and its clicks."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QMoveEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.theme import ERROR_COLOUR


class MessageBar(QLabel):
    def __init__(self, accessible_name: str, parent: QWidget | None = None, grows_up: bool = False) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setWordWrap(True)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self.setAutoFillBackground(True)  # lines drawn over the work hide what is under them
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # a stroke may start under them
        self.grows_up = grows_up
        self._slot = QRect()  # the one line the layout gives
        self._placing = False
        self.topic = ""  # what the message on show is about, for `withdraw`; "" for any other message
        self.hide()

    def _line_height(self) -> int:
        margins = self.contentsMargins()
        return self.fontMetrics().height() + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), self._line_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().minimumSizeHint().width(), self._line_height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name): the layout's place never grows with the text
        return False

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt's name)
        if not visible:
            self.clear()  # the place kept is one line, not the last message's lines
            self._fit()
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
        self._fit()

    def withdraw(self, topic: str) -> None:
        """Hide the message on show if it is about `topic`; another message put up since stays."""
        if self.topic == topic:
            self.hide()

    def take_back(self, text: str) -> None:
        """Hide `text` if it is the message on show: it is said where the user is looking instead (a dialog)."""
        if self.text() == text:
            self.hide()

    # The layout's line, and the lines over the work -------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._placed_by_layout()

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 (Qt's name)
        super().moveEvent(event)
        self._placed_by_layout()

    def _placed_by_layout(self) -> None:
        if not self._placing:
            self._slot = self.geometry()
            self._fit()

    def _fit(self) -> None:
        """Stretch over the work by the lines the message needs beyond the layout's one."""
        slot = self._slot if self._slot.isValid() else self.geometry()
        rect = QRect(slot)
        need = super().heightForWidth(slot.width()) if self.text() else 0
        if need > slot.height():
            if self.grows_up:
                rect.setTop(slot.bottom() + 1 - need)
            else:
                rect.setHeight(need)
        if rect != self.geometry():
            self._placing = True
            try:
                self.setGeometry(rect)
            finally:
                self._placing = False
        if rect != slot:
            self.raise_()  # over the work, which the layout put after it
