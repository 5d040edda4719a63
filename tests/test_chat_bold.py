"""The conversation shows an answer's **bold** as bold, not as asterisks.

Session 14, used as a new user would: "hello, who are you?" answered with the help text, and every tab's name
read "**Paint**", "**Compose**", "**Chat**" (/work/helpers/firsthour/shots/62_chat_answer.png); the chat model
writes **bold** too.
"""

from __future__ import annotations

from app.tabs.chat.conversation_view import ChatMessage, ConversationView
from models.assistant.help import HELP_TEXT


def test_the_help_texts_bold_names_show_bold_without_asterisks(qtbot):
    view = ConversationView()
    qtbot.addWidget(view)
    shown = view.message_html(ChatMessage("assistant", HELP_TEXT))
    assert "<b>Paint</b>" in shown and "<b>Compose</b>" in shown and "<b>Chat</b>" in shown
    assert "**" not in shown
    view.show_messages([ChatMessage("user", "who are you?"), ChatMessage("assistant", HELP_TEXT)])
    assert "**" not in view.toPlainText()


def test_bold_is_escaped_markup_and_a_lone_pair_of_asterisks_stays(qtbot):
    view = ConversationView()
    qtbot.addWidget(view)
    shown = view.message_html(ChatMessage("assistant", "**<i>x</i>** and 2 ** 3 and a*b"))
    assert "<b>&lt;i&gt;x&lt;/i&gt;</b>" in shown and "2 ** 3" in shown and "a*b" in shown


def test_what_the_user_typed_is_shown_as_typed(qtbot):
    view = ConversationView()
    qtbot.addWidget(view)
    assert "**not bold**" in view.message_html(ChatMessage("user", "**not bold**"))
