"""The Chat tab as it stands before its engine lands: it says what it will hold."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.tabs.activity_tab import ActivityTab, empty_state_label


class _ComingTab(ActivityTab):
    description = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.splitter.addWidget(empty_state_label(self.description))


class ChatTab(_ComingTab):
    title = "Chat"
    description = (
        "<h2>Chat</h2><p>Talk with a small assistant that runs on this computer: it writes lyrics "
        "and titles, and asks the Paint and Compose tabs for pictures and melodies.</p>"
        "<p><i>The assistant is not installed in this build yet.</i></p>"
    )
