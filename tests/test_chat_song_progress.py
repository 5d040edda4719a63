"""A song sketch says each step as it goes: its lyrics take a minute or more on a laptop CPU, and the Chat tab's
status said only "writing" for 169 s (session 15, under Xvfb)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from app.tabs.chat import jobs
from models.assistant import creative, writing
from models.assistant.requests import parse_request
from models.jobs import Progress, Result
from models.verse.lyrics import LyricLine, phrase_forms


@pytest.fixture(scope="module")
def tune():
    from models.music.generate import generate
    from models.music.request import MelodyRequest

    return generate(MelodyRequest(style="scottish", key="D", mode="minor", bars=4, tempo=90, seed=2))[0]


def test_the_chat_tab_shows_the_song_sketch_steps(tmp_path, monkeypatch, tune):
    lines = [LyricLine("the sea is wide", ["the", "sea", "is", "wide"])]
    monkeypatch.setattr(writing, "lyrics_for", lambda melody, theme, scheme, seed, cancel=None: (lines, theme, ""))
    monkeypatch.setattr(creative, "make_melody", lambda params: tune)
    monkeypatch.setattr(writing, "loading_chat_model", lambda cancel=None: iter(()))  # the lyrics are a stand-in
    request = parse_request("write a song about the sea in D minor")
    job = jobs.write_verse(request, creative.CreativeContext(), seed=4, out_dir=tmp_path)
    events = list(job(SimpleNamespace(cancel=threading.Event())))
    steps = [event.message for event in events if isinstance(event, Progress)]
    # the cover is left to the Paint tab, which shows its own progress
    assert steps == ["writing", "the tune", f"the lyrics, {len(phrase_forms(tune))} lines fitted to the tune",
                     "saving the song"]
    assert isinstance(events[-1], Result) and "the sea is wide" in events[-1].value.text
