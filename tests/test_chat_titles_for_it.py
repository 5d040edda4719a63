""""Five titles for it" names what the conversation made last (session 15: "5 titles for the conversation", every
one for the same default topic, whatever had been painted or composed)."""

from __future__ import annotations

from models.assistant import writing
from models.assistant.creative import CreativeContext, carry_out
from models.assistant.requests import parse_request
from models.jobs import Result, Token

HARBOUR = {"subject": "a harbour at dusk", "style": "turner"}


def _titles(monkeypatch, context: CreativeContext) -> tuple[str, tuple]:
    """The answer's heading, and what the title writer was asked for (its model is not what is tested here)."""
    asked: list[tuple] = []

    def titles_for(subject, style, colours, mood, n, seed):
        asked.append((subject, style))
        return [f"Title {i}" for i in range(n)]

    monkeypatch.setattr(writing, "titles_for", titles_for)
    events = list(carry_out(parse_request("five titles for it"), context))
    assert any(isinstance(event, Result) for event in events)
    return events[0].text if isinstance(events[0], Token) else "", asked[0]


def test_titles_for_it_are_for_the_painting_made_last(monkeypatch):
    heading, asked = _titles(monkeypatch, CreativeContext(last_painting=HARBOUR, last_melody={"mode": "minor"},
                                                          last_made="painting"))
    assert heading == "5 titles for the last painting.\n"
    assert asked == ("a harbour at dusk", "Turner")


def test_titles_for_it_are_for_the_melody_made_last(monkeypatch):
    heading, asked = _titles(monkeypatch, CreativeContext(last_painting=HARBOUR, last_melody={"mode": "minor"},
                                                          last_made="melody"))
    assert heading == "5 titles for the last melody.\n"
    assert asked[0] != "a harbour at dusk" and asked[1] is None


def test_with_nothing_made_the_heading_says_what_they_are_for(monkeypatch):
    heading, asked = _titles(monkeypatch, CreativeContext())
    assert heading == "5 titles for a quiet evening (nothing made in this conversation yet).\n"
    assert asked == ("a quiet evening", None)


def test_fewer_titles_than_asked_are_said_to_be_fewer(monkeypatch):
    """The writer gives fewer than asked when its search finds nothing new ("five titles for a song about the open
    road": three, once "The Road Not Taken" was refused); the heading above them says five."""
    monkeypatch.setattr(writing, "titles_for", lambda subject, style, colours, mood, n, seed: ["The Open Road"] * 3)
    answer = [e for e in carry_out(parse_request("five titles for a song about the open road"), CreativeContext())
              if isinstance(e, Result)][0].value
    assert answer.text.endswith("(Only 3 came that are new: the others were too like these or a famous title.)")
