"""The message being typed in the Chat tab, and the conversation it belongs to, as a part that survives a crash.

Sent messages are already in the history; only the draft would be lost.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.recovery import Snapshot


class DraftRecovery(QObject):
    recovery_changed = Signal()

    def __init__(self, chat_tab) -> None:
        super().__init__(chat_tab)
        self.chat = chat_tab
        chat_tab.input.textChanged.connect(self.recovery_changed)
        chat_tab.sampling.private_check.toggled.connect(self.recovery_changed)  # private: the saved draft goes

    def recovery_snapshot(self) -> Snapshot | None:
        draft = self.chat.input.toPlainText()
        if not draft.strip() or self.chat.private:  # a private chat is never written to disk
            return None
        return Snapshot({"draft": draft, "conversation_id": self.chat.conversation_id})

    def restore_recovery_snapshot(self, snapshot: Snapshot) -> None:
        self.chat.show_draft(str(snapshot.state["draft"]), snapshot.state.get("conversation_id"))
