"""Follow-ups change the conversation's last request: "make it sadder", "faster", "like Hokusai", "in G major",
"longer" (session 16: the chat model answered them with talk, and nothing was made)."""

from __future__ import annotations

import pytest

from models.assistant.requests import last_creative_message, parse_request

SAD_TUNE = "compose a sad Irish tune in D minor, 16 bars"
HARBOUR = "paint a stormy harbour like Turner"


@pytest.mark.parametrize(
    ("asked", "kind", "expected"),
    [
        ([SAD_TUNE, "make it happier"], "melody", {"mode": "major", "key": "D", "bars": 16}),
        ([SAD_TUNE, "a bit faster please"], "melody", {"mode": "minor", "tempo": 110.0}),
        ([SAD_TUNE, "in G major"], "melody", {"key": "G", "mode": "major"}),
        ([SAD_TUNE, "shorter"], "melody", {"bars": 8}),
        (["compose a jig", "longer"], "melody", {"bars": 16, "meter": "6/8"}),
        (["compose a gentle Scottish air in G", "make it a waltz"], "melody", {"meter": "3/4", "key": "G"}),
        ([HARBOUR, "like Hokusai"], "painting", {"style": "hokusai", "subject": "stormy harbour"}),
        ([HARBOUR, "make it calmer"], "painting", {"style": "turner", "subject": "calm harbour"}),
        ([HARBOUR, "thanks!", "make it calmer", "now in Munch's style"], "painting", {"style": "munch"}),
        (["write a song about the sea in D minor", "happier"], "song", {"theme": "the sea", "mode": "major"}),
        ([SAD_TUNE, "like Hokusai"], "melody", {"mode": "minor", "key": "D"}),  # a painter does not change a tune
    ],
)
def test_a_follow_up_changes_the_last_request(asked, kind, expected):
    request = parse_request(last_creative_message(asked))
    assert request.kind == kind
    assert {key: request.params[key] for key in expected} == expected


@pytest.mark.parametrize("message", ["sad", "happy", "make it rhyme", "make it better", "thanks", "like what?"])
def test_a_message_that_changes_nothing_named_is_not_a_follow_up(message):
    assert parse_request(message).kind != "change"


def test_a_follow_up_with_nothing_asked_yet_finds_nothing():
    assert last_creative_message(["hello", "make it sadder"]) is None


def test_make_it_faster_in_the_tab_composes_a_faster_tune(qtbot, main_window):
    chat = main_window.activity_tabs[2]
    chat.send("compose an Irish tune in D, 2 bars")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=60_000)
    first = chat.messages[-1].meta["attachment"]["recipe"]
    assert chat.send("make it faster")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=60_000)
    faster = chat.messages[-1].meta["attachment"]["recipe"]
    assert faster["tempo"] > first["tempo"] and faster["bars"] == first["bars"] == 2
