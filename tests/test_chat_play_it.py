"""“play it” in the chat plays the melody already made: the conversation's last, else the Compose tab's selected.

Session 15, used as a new user would: "play the melody" after one was composed wrote a new Irish tune, and "can you
play it?" went to the chat model, which answered in words.
"""

from __future__ import annotations

from tests.test_compose_tab import generate


def test_play_it_plays_the_melody_selected_in_compose(qtbot, main_window, compose):
    chat = main_window.activity_tabs[2]
    generate(qtbot, compose)
    with qtbot.waitSignal(compose.transport.player.started, timeout=5000):
        assert chat.send("can you play it?")
    assert compose.transport.variation.melody is compose.selected_variation().melody
    assert chat.messages[-1].content.startswith("Playing the melody selected in the Compose tab")
    compose.transport.stop()


def test_play_it_with_no_melody_anywhere_says_how_to_get_one(qtbot, main_window, compose):
    chat = main_window.activity_tabs[2]
    assert chat.send("play it")
    assert "no melody" in chat.messages[-1].content and "compose" in chat.messages[-1].content
    assert not compose.transport.is_playing and not compose.worker.pending_jobs()  # nothing written


def test_play_it_plays_the_conversations_last_melody_first(qtbot, main_window, compose):
    chat = main_window.activity_tabs[2]
    generate(qtbot, compose)  # selected in Compose, but the conversation's own melody comes first
    chat.send("compose a sad Irish tune in D minor, 4 bars")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=60_000)
    key = chat.messages[-1].meta["attachment"]["key"]
    qtbot.waitUntil(lambda: chat.attachments[key].audio is not None, timeout=60_000)
    with qtbot.waitSignal(compose.transport.player.started, timeout=5000):
        assert chat.send("play it")
    assert compose.transport.variation.melody is chat.attachments[key].melody
    assert chat.messages[-1].content.startswith("Playing ")
    compose.transport.stop()
