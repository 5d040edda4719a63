"""Regenerate, Edit last message and Copy answer are enabled only when there is something for them to do.

Session 14, used as a new user would: on a new chat all three were enabled and clicking them did nothing, with no
word (/work/helpers/firsthour/shots/60_chat_empty_buttons.png).
"""

from __future__ import annotations

from app.tabs.chat.conversation_view import ChatMessage


def enabled(chat) -> dict[str, bool]:
    return {b.text(): b.isEnabled() for b in (chat.regenerate_button, chat.edit_button, chat.copy_button)}


def test_the_answer_actions_follow_the_conversation(qtbot, main_window):
    chat = main_window.activity_tabs[2]
    chat.new_conversation()
    assert enabled(chat) == {"Regenerate": False, "Edit last message": False, "Copy answer": False}
    chat.messages = [ChatMessage("user", "hello"), ChatMessage("assistant", "Hello! How can I help?")]
    chat.view.show_messages(chat.messages)
    assert enabled(chat) == {"Regenerate": True, "Edit last message": True, "Copy answer": True}
    chat._set_busy(True)  # an answer on its way: neither regenerated nor edited under it
    assert enabled(chat) == {"Regenerate": False, "Edit last message": False, "Copy answer": True}
    chat._set_busy(False)
    assert chat.edit_last()  # the last exchange goes back into the input: nothing left to act on
    assert enabled(chat) == {"Regenerate": False, "Edit last message": False, "Copy answer": False}


def test_an_answer_stopped_before_its_first_word_is_not_copied(qtbot, main_window):
    chat = main_window.activity_tabs[2]
    chat.new_conversation()
    chat.messages = [ChatMessage("user", "hello"), ChatMessage("assistant", "")]  # Stop before the first word
    chat.view.show_messages(chat.messages)
    assert enabled(chat) == {"Regenerate": True, "Edit last message": True, "Copy answer": False}
    assert not chat.copy_last_answer()
