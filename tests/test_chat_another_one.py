"""“another one” makes the conversation's last request again, with a new seed (session 16: the chat model answered
it with talk, and "again" after a melody was a conversation about nothing)."""

from __future__ import annotations

import pytest

from models.assistant.requests import NOTHING_TO_MAKE_AGAIN, last_creative_message, parse_request


@pytest.mark.parametrize("message", ["another one", "Again!", "ok, one more please", "try again", "a different one"])
def test_another_one_asks_to_make_it_again(message):
    assert parse_request(message).kind == "again"


@pytest.mark.parametrize("message", ["another one about the moon", "try again with Turner", "again, what is a haiku?"])
def test_a_message_that_says_more_is_read_for_itself(message):
    assert parse_request(message).kind != "again"


def test_the_last_request_is_found_behind_talk_help_and_play():
    asked = ["paint a harbour like Turner", "compose a jig in G", "thanks, that's lovely", "help", "play it", "again"]
    assert last_creative_message(asked) == "compose a jig in G"
    assert last_creative_message(["hello", "what can you do?"]) is None


def test_another_one_in_the_tab_composes_a_new_tune(qtbot, main_window):
    chat = main_window.activity_tabs[2]
    assert chat.send("another one")
    assert chat.messages[-1].content == NOTHING_TO_MAKE_AGAIN and chat._reply_job is None  # not sent to the model
    chat.send("compose a sad Irish tune in D minor, 2 bars")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=60_000)
    first = chat.messages[-1].meta["attachment"]
    assert chat.send("another one")
    assert chat.messages[-1].content.startswith("Irish tune in D minor, 2 bars")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=60_000)
    again = chat.messages[-1].meta["attachment"]
    assert again["key"] != first["key"] and again["recipe"]["seed"] != first["recipe"]["seed"]
