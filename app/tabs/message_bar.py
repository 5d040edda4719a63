"""The line above each tab's work where its messages appear: what happened, in a sentence, in the error
colour when something failed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.theme import ERROR_COLOUR


class MessageBar(QLabel):
    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setWordWrap(True)
        self.hide()

    def show_info(self, text: str) -> None:
        self.setStyleSheet("")
        self.setText(text)
        self.show()

    def show_error(self, text: str) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setText(text)
        self.show()
