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

    def recovery_snapshot(self) -> Snapshot | None:
        draft = self.chat.input.toPlainText()
        if not draft.strip():
            return None
        return Snapshot({"draft": draft, "conversation_id": self.chat.conversation_id})

    def restore_recovery_snapshot(self, snapshot: Snapshot) -> None:
        conversation_id = snapshot.state.get("conversation_id")
        known = {row[0] for row in self.chat.store.conversations()}
        if isinstance(conversation_id, int) and conversation_id in known:
            self.chat.open_conversation(conversation_id)
        self.chat.input.setPlainText(str(snapshot.state["draft"]))
