"""Lists that say what they are for while empty: the Paint history and the kept melodies."""

from __future__ import annotations

from app.tabs.hint_list import HintList


def _grab(qtbot, hint: str, items: list[str]):
    widget = HintList(hint)
    qtbot.addWidget(widget)
    widget.addItems(items)
    widget.resize(220, 160)
    widget.show()
    qtbot.waitExposed(widget)
    return widget.grab().toImage()


def test_the_hint_shows_only_while_the_list_is_empty(qtbot):
    assert _grab(qtbot, "Each Render appears here.", []) != _grab(qtbot, "", [])
    assert _grab(qtbot, "Each Render appears here.", ["12:37 · Hokusai"]) == _grab(qtbot, "", ["12:37 · Hokusai"])


def test_the_paint_history_the_kept_melodies_and_the_chats_say_how_to_fill_them(paint, compose, main_window):
    assert isinstance(paint.history_list, HintList) and "Render" in paint.history_list.hint
    assert isinstance(compose.history_list, HintList) and "Keep" in compose.history_list.hint
    chats = main_window.activity_tabs[2].conversation_list
    assert isinstance(chats, HintList) and chats.hint.startswith("Each chat is kept here")


def test_a_search_that_finds_no_chat_says_so(qtbot):
    from app.tabs.chat.conversations_panel import CONVERSATIONS_HINT, ConversationsPanel

    actions = dict.fromkeys(("new", "search", "rename", "delete", "export", "undo"), lambda: None)
    panel = ConversationsPanel(actions)
    qtbot.addWidget(panel)
    panel.search_edit.setText("harbour")
    panel.show_conversations([], None)
    assert panel.list.hint == "No chat has “harbour” in it."
    panel.search_edit.clear()
    panel.show_conversations([(1, "Boats", 0.0)], 1)
    assert panel.list.hint == CONVERSATIONS_HINT and panel.list.count() == 1
