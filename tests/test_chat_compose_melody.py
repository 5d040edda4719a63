""""lyrics for my last melody" after composing in the Compose tab: the lyrics fit that melody.

A new user generates melodies in Compose, then asks Chat for lyrics; until session 14 the chat looked only at
its own conversation and wrote a generic 8-6-8-6 verse "(no melody in this conversation yet)".
"""

from __future__ import annotations

import pytest

from models.assistant import writing


@pytest.fixture
def lyrics_melody(monkeypatch):
    """The melody the lyrics were fitted to; the lines are the verse tests' business (minutes of decoding), so
    two fixed lines stand in for them."""
    from models.verse.lyrics import LyricLine

    given: list = []

    def lyrics_for(melody, theme, scheme, seed, *rest):
        given.append(melody)
        return [LyricLine("la la", ["la", "la"])], theme or "home", ""

    monkeypatch.setattr(writing, "lyrics_for", lyrics_for)
    return given


def ask_for_lyrics(qtbot, chat, text: str = "lyrics for my last melody") -> str:
    count = len(chat.messages)
    assert chat.send(text)
    qtbot.waitUntil(lambda: len(chat.messages) >= count + 2 and "\n\n" in chat.messages[-1].content, timeout=10_000)
    return chat.messages[-1].content


def test_lyrics_for_my_last_melody_fit_the_melody_selected_in_compose(qtbot, main_window, compose, lyrics_melody):
    compose.generate()
    qtbot.waitUntil(lambda: compose.selected_variation() is not None, timeout=10_000)
    compose.variation_list.setCurrentRow(1)
    chat = main_window.activity_tabs[2]
    answer = ask_for_lyrics(qtbot, chat)
    assert lyrics_melody == [compose.selected_variation().melody]
    assert "the melody selected in the Compose tab" in answer and "no melody" not in answer


def test_with_no_melody_anywhere_the_lyrics_say_so(qtbot, main_window, lyrics_melody):
    chat = main_window.activity_tabs[2]
    answer = ask_for_lyrics(qtbot, chat)
    assert lyrics_melody == [None]
    heading = answer.split("\n", 1)[0]
    # Session 14: the heading said "Lyrics for the last melody, rhymed AABB." above a line saying there was none.
    assert heading == ("Lyrics for a common 8-6-8-6 verse, rhymed AABB "
                       "(no melody in this conversation or the Compose tab yet).")
    assert "melody" not in answer.split("\n", 1)[1]  # said once


def test_the_heading_names_the_last_melody_when_there_is_one(qtbot, main_window, compose, lyrics_melody):
    compose.generate()
    qtbot.waitUntil(lambda: compose.selected_variation() is not None, timeout=10_000)
    answer = ask_for_lyrics(qtbot, main_window.activity_tabs[2])
    assert answer.startswith("Lyrics for the last melody, rhymed AABB.\n")


def test_the_engine_heading_follows_its_context(lyrics_melody):
    from models.assistant.creative import CreativeContext, carry_out
    from models.assistant.requests import parse_request
    from models.jobs import Result, Token

    request = parse_request("lyrics about the sea for my last melody")
    events = list(carry_out(request, CreativeContext()))
    assert events[0] == Token("Lyrics about “the sea” for a common 8-6-8-6 verse, rhymed AABB "
                              "(no melody in this conversation or the Compose tab yet).\n")
    answer = next(event.value for event in events if isinstance(event, Result))
    assert answer.text.startswith(events[0].text.rstrip("\n") + "\n")
