"""The Chat tab: conversations on the left, the conversation in the middle, sampling settings on the right.

A message is either conversation (streamed from the built-in model) or a creative request, recognised
by a deterministic parser: paintings are asked of the `Painter`, melodies of the `Composer` (the Paint and
Compose tabs, through app.tabs.studio), lines and lyrics of this tab's verse writer; each comes back
inline in the conversation.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.log import logger
from app.settings import Settings
from app.store import Store, StoreError
from app.tabs.activity_tab import ActivityTab
from app.tabs.chat import jobs
from app.tabs.chat.conversation_view import ChatMessage, ConversationView
from app.tabs.chat.conversations_panel import ConversationsPanel
from app.tabs.chat.creative import CreativeRequests
from app.tabs.chat.sampling_panel import SamplingPanel
from app.tabs.message_bar import MessageBar
from app.tabs.narrow import narrow_button
from app.tabs.save_dialog import ask_save_path
from app.tabs.studio import Composer, Painter
from app.worker import JobHandle
from models.files import atomic_write_bytes
from models.jobs import Token

TITLE_LENGTH = 48


class MessageInput(QPlainTextEdit):
    """Enter sends; Shift+Enter starts a new line."""

    send_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.send_requested.emit()
            return
        super().keyPressEvent(event)


class ChatTab(CreativeRequests, ActivityTab):
    title = "Chat"

    def __init__(self, store: Store, settings: Settings, painter: Painter, composer: Composer,
                 parent: QWidget | None = None) -> None:
        super().__init__(settings, parent)
        self.store = store
        self.painter, self.composer = painter, composer  # the Paint and Compose tabs, as app.tabs.studio has them
        self.conversation_id: int | None = None
        self.messages: list[ChatMessage] = []
        self.attachments: dict[str, object] = {}  # key -> Painting or Variation made in this session
        self._reply_job: JobHandle | None = None
        self._answering = False  # Send reads Stop: an answer is on its way
        self._deleted: tuple[str, list[ChatMessage]] | None = None
        self._kept_draft = ""  # the message typed but not sent that Save kept on closing, for the next start

        self.splitter.addWidget(self._build_conversations())
        self.splitter.addWidget(self._build_conversation())
        self.sampling = SamplingPanel()
        self.sampling.private_check.toggled.connect(self._on_private_toggled)
        self.splitter.addWidget(self.sampling)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 760, 240])

        self.worker.job_partial.connect(self._on_partial)
        self.worker.job_failed.connect(self._on_failed)
        self.worker.job_cancelled.connect(self._on_cancelled)
        # Whatever changes the conversation shows it again: the answer actions follow what is shown.
        self.view.textChanged.connect(self._update_answer_actions)
        self.refresh_conversations()
        self._update_answer_actions()
        self._restore_kept_draft()

    # Layout ------------------------------------------------------------------------------------

    def _build_conversations(self) -> QWidget:
        self.conversations = ConversationsPanel({
            "new": self.new_conversation, "search": self.refresh_conversations, "rename": self.rename_current,
            "delete": self.delete_current, "export": self.choose_export, "undo": self.undo_delete})
        self.conversations.chosen.connect(self.open_conversation)
        panel = self.conversations
        self.conversation_list, self.search_edit, self.new_button = panel.list, panel.search_edit, panel.new_button
        self.undo_row, self.undo_label, self.undo_button = panel.undo_row, panel.undo_label, panel.undo_button
        return panel

    def _build_conversation(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        margins = layout.contentsMargins()
        layout.setContentsMargins(0, margins.top(), 0, margins.bottom())  # the splitter's handles part the panes
        self.view = ConversationView()
        self.view.anchorClicked.connect(self._on_link)
        layout.addWidget(self.view, 1)
        self.message_bar = MessageBar("Chat message", grows_up=True)  # under the conversation
        layout.addWidget(self.message_bar)
        actions = QHBoxLayout()
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.clicked.connect(self.regenerate)
        self.edit_button = QPushButton("Edit last message")
        self.edit_button.clicked.connect(self.edit_last)
        self.copy_button = QPushButton("Copy answer")
        self.copy_button.clicked.connect(self.copy_last_answer)
        for button in (self.regenerate_button, self.edit_button, self.copy_button):
            button.setAccessibleName(button.text())
            actions.addWidget(narrow_button(button))
        actions.addStretch(1)
        layout.addLayout(actions)
        row = QHBoxLayout()
        self.input = MessageInput()
        self.input.setAccessibleName("Message")
        self.input.setPlaceholderText("Ask for a painting, a melody, lyrics… or just chat. Enter sends.")
        self.input.setMaximumHeight(90)
        self.input.send_requested.connect(self.send)
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send_or_stop)
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        layout.addLayout(row)
        return area

    def showEvent(self, event: QShowEvent) -> None:
        """The message box takes the keys whenever the tab comes forward: after Ctrl+3 the focus went to a button,
        what the user typed was lost up to the first space, and that space pressed Send (seen under Xvfb)."""
        super().showEvent(event)
        self.input.setFocus()

    # Conversations -----------------------------------------------------------------------------

    def refresh_conversations(self) -> None:
        query = self.conversations.query()
        rows = self.store.search_conversations(query) if query else self.store.conversations()
        self.conversations.show_conversations(rows, self.conversation_id)

    def new_conversation(self) -> None:
        self.stop()
        self.conversation_id = None
        self.messages = []
        self.view.show_messages([])
        self.conversation_list.clearSelection()
        self.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        self.stop()
        self.sampling.private_check.blockSignals(True)
        self.sampling.private_check.setChecked(False)
        self.sampling.private_check.blockSignals(False)
        self.conversation_id = conversation_id
        self.messages = [ChatMessage(m.role, m.content, m.meta, m.id) for m in self.store.messages(conversation_id)]
        self._show_attachments()
        self.view.show_messages(self.messages)

    def _on_private_toggled(self, private: bool) -> None:
        self.new_conversation()

    @property
    def private(self) -> bool:
        return self.sampling.private_check.isChecked()

    def rename_current(self) -> None:
        if self.conversation_id is None:
            return
        title, ok = QInputDialog.getText(self, "Rename conversation", "Title:")
        if ok and title.strip():
            self.rename(title.strip())

    def rename(self, title: str) -> None:
        if self.conversation_id is not None:
            self.store.rename_conversation(self.conversation_id, title)
            self.refresh_conversations()

    def delete_current(self) -> None:
        if self.conversation_id is None:
            return
        titles = {c[0]: c[1] for c in self.store.conversations()}
        self._deleted = (titles.get(self.conversation_id, ""), list(self.messages))
        self.store.delete_conversation(self.conversation_id)
        self.conversations.offer_undo(self._deleted[0])
        self.new_conversation()
        self.refresh_conversations()

    def undo_delete(self) -> None:
        if self._deleted is None:
            return
        title, messages = self._deleted
        self._deleted = None
        self.conversation_id, ids = self.store.restore_conversation(
            title, [(m.role, m.content, m.meta) for m in messages]
        )
        for message, message_id in zip(messages, ids, strict=True):
            message.id = message_id
        self.undo_row.hide()
        self.refresh_conversations()
        self.open_conversation(self.conversation_id)

    def _save(self, message: ChatMessage) -> None:
        if self.private:
            return
        first = message.content.replace("\n", " ")  # titles a new conversation
        title = first[:TITLE_LENGTH] + ("…" if len(first) > TITLE_LENGTH else "")
        try:
            self.conversation_id, message.id = self.store.add_to_conversation(
                self.conversation_id, message.role, message.content, message.meta, title=title
            )
        except StoreError as error:  # a full or read-only disk: the message stays on screen, unsaved
            self.show_message(f"{error} This message is not saved in the history.")
            return
        self.refresh_conversations()

    # Sending -----------------------------------------------------------------------------------

    def primary_action(self) -> bool:
        self.send()
        return True

    def send_or_stop(self) -> None:
        if self._reply_job is not None:
            self.stop()
        else:
            self.send()

    def send(self, text: str | None = None) -> bool:
        from models.text.chat import clean_message_text  # binary pastes, forged template markers

        text = clean_message_text(self.input.toPlainText() if text is None else text).strip()
        if not text:
            self.show_message("Type a message first.")
            return False
        if self._reply_job is not None:
            self.show_message("Wait for the answer, or stop it (Esc), before sending another message.")
            return False
        self.hide_message()
        self.input.clear()
        message = ChatMessage("user", text)
        self.messages.append(message)
        self._save(message)
        self._respond(text)
        return True

    def _respond(self, text: str) -> None:
        from models.assistant.requests import NOTHING_TO_MAKE_AGAIN, last_creative_message, parse_request

        request = parse_request(text)
        if request.kind in ("again", "change"):  # "another one", "make it sadder": the last request, with a new seed
            asked = last_creative_message([m.content for m in self.messages if m.role == "user"])
            if asked is None:
                self._add_answer(NOTHING_TO_MAKE_AGAIN)
                return
            request = parse_request(asked)
        if request.kind == "chat":
            self._start_reply()
        elif request.kind == "painting":
            self._paint(request)
        elif request.kind == "melody":
            self._compose(request)
        elif request.kind == "play":
            self._play_last()
        else:
            self._write_verse(request)

    def _start_reply(self) -> None:
        history = [{"role": m.role, "content": m.content} for m in self.messages if m.role in ("user", "assistant")]
        self.view.begin_stream(self.messages)
        self._reply_job = self.run_job("Answering", jobs.reply(history, self.sampling.settings(),
                                                             self.settings.get("chat_server_url")), self._on_reply)
        self._set_busy(True)

    def _on_partial(self, handle: JobHandle, event) -> None:
        if handle is self._reply_job and isinstance(event, Token):
            self.view.append_stream(event.text)

    def _on_reply(self, reply) -> None:
        self._reply_job = None
        self._set_busy(False)
        self._add_answer(reply.text, {"tokens_per_second": round(reply.tokens_per_second, 1), "seed": reply.seed,
                                      "finish": reply.finish_reason})

    def _add_answer(self, text: str, meta: dict | None = None) -> ChatMessage:
        message = ChatMessage("assistant", text, meta or {})
        self.messages.append(message)
        self._save(message)
        self.view.show_messages(self.messages)
        return message

    def stop(self) -> None:
        """Stop the answer: the part written is kept now, not when the worker gets to its next cancel check, which can
        be seconds away on a busy machine (the model reads the conversation 256 tokens per step, then one token per
        step; Esc once showed "cancelling…" for over 1.5 s). The job's late end is then not this answer's (New
        conversation stopped an answer, and its end saved the part written as a new conversation of its own)."""
        if self._reply_job is not None:
            self._reply_job.cancel()
            self._keep_stopped_answer()

    def cancel_running_job(self) -> bool:
        """Esc stops the answer being written; a stopped one may still run on the worker, and is not it."""
        if self._reply_job is not None:
            self.stop()
            return True
        return super().cancel_running_job()

    def _on_cancelled(self, handle: JobHandle) -> None:
        if handle is self._reply_job:  # cancelled elsewhere: the status bar's button, the window closing
            self._keep_stopped_answer()

    def _keep_stopped_answer(self) -> None:
        self._reply_job = None
        self._set_busy(False)
        self._add_answer(self.view.streamed_text(), {"stopped": True})

    def _on_failed(self, handle: JobHandle, message: str) -> None:
        if handle is self._reply_job:
            self._reply_job = None
            self._set_busy(False)
            written = self.view.streamed_text()
            if written.strip():  # the part of the answer already shown is kept, as when it is stopped
                self._add_answer(written, {"stopped": True})
            else:
                self.view.show_messages(self.messages)
        self.show_message(message)

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setText("Stop" if busy else "Send")
        self.send_button.setAccessibleName("Stop" if busy else "Send")
        self._answering = busy
        self._update_answer_actions()

    def _update_answer_actions(self) -> None:
        """Regenerate and Edit last message need a message of the user's and no answer on its way, Copy answer an
        answer with words (an answer stopped before its first word copied nothing): on a new chat all three were
        enabled and did nothing."""
        asked = any(message.role == "user" for message in self.messages)
        self.regenerate_button.setEnabled(asked and not self._answering)
        self.edit_button.setEnabled(asked and not self._answering)
        self.copy_button.setEnabled(bool(self._last_answer().strip()))

    # Regenerate, edit, copy, export ------------------------------------------------------------

    def _drop_last(self, role: str) -> ChatMessage | None:
        if not self.messages or self.messages[-1].role != role:
            return None
        message = self.messages.pop()
        if message.id is not None and not self.private:
            self.store.delete_message(message.id)
        return message

    def regenerate(self) -> bool:
        if self._reply_job is not None or not self.messages:
            return False
        self._drop_last("assistant")
        if not self.messages or self.messages[-1].role != "user":
            return False
        self._respond(self.messages[-1].content)
        return True

    def edit_last(self) -> bool:
        if self._reply_job is not None:
            return False
        self._drop_last("assistant")
        message = self._drop_last("user")
        if message is None:
            return False
        self.input.setPlainText(message.content)
        self.view.show_messages(self.messages)
        self.input.setFocus()
        return True

    def _last_answer(self) -> str:
        """The latest answer's text: '' when there is none yet."""
        answers = [m for m in self.messages if m.role == "assistant"]
        return answers[-1].content if answers else ""

    def copy_last_answer(self) -> bool:
        answer = self._last_answer()
        if not answer.strip():
            return False
        QApplication.clipboard().setText(answer)
        return True

    def choose_export(self) -> None:
        if not self.messages:
            return
        path = ask_save_path(self, "Export conversation", "conversation.md",
                             [("Markdown", (".md",)), ("JSON", (".json",))])
        if path:
            self.export_to(path)

    # File and Edit menus (app/menus.py) ---------------------------------------------------------

    def export(self) -> bool:
        if not self.messages:
            return False
        self.choose_export()
        return True

    def undo(self) -> bool:
        if self._deleted is None:
            return False
        self.undo_delete()
        return True

    def copy(self) -> bool:
        return self.copy_last_answer()

    def paste(self) -> bool:
        self.input.setFocus()
        self.input.paste()
        return True

    def export_to(self, path: Path) -> Path:
        if path.suffix.lower() == ".json":
            data = [{"role": m.role, "content": m.content, "meta": m.meta} for m in self.messages]
            text = json.dumps({"conversation": data}, indent=2, ensure_ascii=False)
        else:
            text = "\n\n".join(f"**{'You' if m.role == 'user' else 'Atelier'}:**\n\n{m.content}" for m in self.messages)
        atomic_write_bytes(path, (text + "\n").encode("utf-8"))
        return path

    # The message typed but not sent ---------------------------------------------------------------

    how_save_keeps = "Save keeps the message you were writing for the next time Atelier opens."

    def unsaved_work(self) -> str:
        if self._draft() in ("", self._kept_draft):
            return ""
        return "a message not sent"

    def keep_unsaved_work(self) -> None:
        self._kept_draft = self._draft()  # written by remember() as the window closes
        return None

    def remember(self) -> None:
        kept = self._draft() == self._kept_draft != ""
        self.settings.set("chat_draft", json.dumps({"draft": self._kept_draft, "conversation_id": self.conversation_id})
                          if kept else "")

    def _draft(self) -> str:
        """The message being typed; "" in a private chat, which is never written to disk (its draft goes with it)."""
        text = self.input.toPlainText()
        return "" if self.private or not text.strip() else text

    def _restore_kept_draft(self) -> None:
        """The message Save kept when the window last closed, back where it was typed; kept still (closing does not
        ask about it again) until it is changed, sent or cleared."""
        kept = self.settings.get("chat_draft")
        if not kept:
            return
        try:
            state = json.loads(kept)
            self.show_draft(str(state["draft"]), state.get("conversation_id"))
        except (ValueError, TypeError, KeyError) as error:  # written by another version, or damaged
            logger.warning("the kept chat message could not be restored: %s", error)
            return
        self._kept_draft = self._draft()

    def show_draft(self, draft: str, conversation_id: object) -> None:
        """Put a message being typed back in the input, in its conversation if that still exists."""
        known = {row[0] for row in self.store.conversations()}
        if isinstance(conversation_id, int) and conversation_id in known:
            self.open_conversation(conversation_id)
        self.input.setPlainText(draft)

    # Messages ----------------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = True) -> None:
        (self.message_bar.show_error if error else self.message_bar.show_info)(text)

    def hide_message(self) -> None:
        self.message_bar.hide()
