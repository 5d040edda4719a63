"""The Chat tab's left panel: New chat, search, the saved conversations, rename / delete / export, and the
Undo line a deleted conversation leaves behind."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.tabs.hint_list import HintList
from app.tabs.narrow import narrow_button

CONVERSATIONS_HINT = "Each chat is kept here (unless Don't save this chat is ticked); click one to go on with it."


class ConversationsPanel(QWidget):
    chosen = Signal(int)  # the id of a conversation clicked in the list

    def __init__(self, actions: dict[str, Callable[[], object]], parent: QWidget | None = None) -> None:
        """`actions`: what New chat, Rename, Delete, Export, Undo and a new search do."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.new_button = QPushButton("New chat")
        self.new_button.clicked.connect(actions["new"])
        layout.addWidget(self.new_button)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search titles and messages")
        self.search_edit.setAccessibleName("Search conversations")
        self.search_edit.textChanged.connect(actions["search"])
        layout.addWidget(self.search_edit)
        self.list = HintList(CONVERSATIONS_HINT)
        self.list.setAccessibleName("Conversations")
        # Long titles end in "…" (the whole title is the tooltip) rather than scrolling sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(lambda item: self.chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.list)
        row = QHBoxLayout()
        for text in ("Rename", "Delete", "Export"):
            button = QPushButton(text)
            button.setAccessibleName(f"{text} conversation")
            button.clicked.connect(actions[text.lower()])
            row.addWidget(narrow_button(button))
        layout.addLayout(row)
        self.undo_row = QWidget()
        undo_layout = QHBoxLayout(self.undo_row)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        self.undo_label = QLabel()
        # A long title wraps inside the panel instead of widening it.
        self.undo_label.setWordWrap(True)
        self.undo_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo delete")
        self.undo_button.clicked.connect(actions["undo"])
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_row.hide()
        layout.addWidget(self.undo_row)

    def query(self) -> str:
        return self.search_edit.text().strip()

    def show_conversations(self, rows: Sequence[tuple[int, str, float]], current: int | None) -> None:
        """(id, title, ...) rows, newest first; the current conversation selected."""
        self.list.clear()
        self.list.hint = f"No chat has “{self.query()}” in it." if self.query() else CONVERSATIONS_HINT
        for conversation_id, title, *_ in rows:
            item = QListWidgetItem(title or "Untitled")
            item.setToolTip(title or "Untitled")
            item.setData(Qt.ItemDataRole.UserRole, conversation_id)
            self.list.addItem(item)
            if conversation_id == current:
                self.list.setCurrentItem(item)

    def offer_undo(self, title: str) -> None:
        self.undo_label.setText(f"Deleted “{title}”.")
        self.undo_row.show()
