"""A list that says what it is for while it is empty (the Paint history, the kept melodies): a new user saw a
blank panel headed "History" and did not learn what would appear there or how to bring a painting back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QListWidget, QWidget

MARGIN = 8  # px around the hint


class HintList(QListWidget):
    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        painter.drawText(self.viewport().rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, self.hint)
        painter.end()
