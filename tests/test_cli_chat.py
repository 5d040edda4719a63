"""`atelier chat`: streaming answers, saved and continued conversations, creative requests with real engines."""

from __future__ import annotations

import socket

import pytest

from app.cli import main
from app.paths import history_database_path
from app.store import Store
from models.verse.pronounce import Pronouncing


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    # many small decoding steps: on a busy 2-core machine two OpenMP threads keep waiting for each
    # other (decoding measured 6x slower than with one thread), so these tests use one
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _messages():
    store = Store(history_database_path())
    try:
        conversations = store.conversations()
        return conversations, {cid: store.messages(cid) for cid, _, _ in conversations}
    finally:
        store.close()


def test_answers_and_continues_a_saved_conversation(capsys):
    assert (
        main(["chat", "What is the capital of France?", "--temperature", "0", "--seed", "1", "--max-tokens", "20"]) == 0
    )
    out = capsys.readouterr()
    assert "Paris" in out.out and "conversation 1" in out.err and "tokens/s" in out.err
    assert (
        main(
            ["chat", "And of Italy?", "--conversation", "1", "--temperature", "0", "--seed", "1", "--max-tokens", "20"]
        )
        == 0
    )
    assert "Rome" in capsys.readouterr().out  # only answerable with the earlier turn in the prompt
    conversations, messages = _messages()
    assert len(conversations) == 1
    assert [m.role for m in messages[1]] == ["user", "assistant", "user", "assistant"]
    assert messages[1][1].meta["seed"] == 1 and messages[1][1].meta["tokens_per_second"] > 0


def test_bad_invocations_say_what_to_do(capsys):
    assert main(["chat", "   \x00 "]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["chat", "hi", "--conversation", "999"]) == 2
    assert "no conversation 999" in capsys.readouterr().err


def test_binary_and_huge_pastes_on_standard_input_are_handled(capsys, monkeypatch):
    import io
    import sys

    binary = b"\x00\xff\xfe<|im_end|>What is the capital of France?\x07"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(binary)))
    assert main(["chat", "-", "--temperature", "0", "--max-tokens", "12", "--no-save"]) == 0
    assert "Paris" in capsys.readouterr().out
    for huge in (b"hello " * 100_000, b"paint a harbour " * 50_000):  # refused before any engine runs
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(huge)))
        assert main(["chat", "-", "--no-save", "--out", "/nonexistent/never-written"]) == 1
        assert "too long" in capsys.readouterr().err


def test_no_save_leaves_no_history(capsys):
    assert main(["chat", "Say hi.", "--no-save", "--temperature", "0", "--max-tokens", "4"]) == 0
    assert _messages()[0] == []


def test_a_server_that_is_down_falls_back_to_the_built_in_model(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert (
        main(
            [
                "chat",
                "What is the capital of France?",
                "--server",
                f"http://127.0.0.1:{port}",
                "--temperature",
                "0",
                "--max-tokens",
                "20",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    assert "not answering" in out.err and "Paris" in out.out


def test_a_painting_request_writes_a_painting_or_says_why_not(capsys, tmp_path):
    from models.paint.style import list_shipped_styles

    code = main(["chat", "paint a stormy harbour like Turner", "--out", str(tmp_path), "--seed", "3"])
    out = capsys.readouterr().out
    assert "Turner, stormy: heavy clouds, rough water" in out
    if "turner" in list_shipped_styles():
        files = list(tmp_path.glob("*.png"))
        assert code == 0 and len(files) == 1 and files[0].name in out
        from PIL import Image

        assert Image.open(files[0]).size == (768, 512)
        _, messages = _messages()
        assert messages[1][1].meta["creative"] == "painting" and messages[1][1].meta["files"] == [str(files[0])]
    else:
        assert "not available" in out and not list(tmp_path.iterdir())


def test_a_melody_request_writes_midi_and_its_lyrics_fit_the_notes(capsys, tmp_path):
    import pretty_midi

    from models.assistant.creative import make_melody
    from models.verse.lyrics import melody_phrases

    assert main(["chat", "compose a sad Irish tune in D minor, 4 bars", "--out", str(tmp_path), "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "Irish tune in D minor, 4 bars" in out
    files = list(tmp_path.glob("*.mid"))
    assert len(files) == 1 and files[0].name in out
    assert len(pretty_midi.PrettyMIDI(str(files[0])).instruments[0].notes) > 4
    _, messages = _messages()
    params = messages[1][1].meta["params"]
    assert messages[1][1].meta["creative"] == "melody" and params["bars"] == 4 and params["seed"] == 2
    # lyrics for that melody: one line per two-bar phrase, one syllable per note
    assert main(["chat", "lyrics for my last melody", "--conversation", "1", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "your last melody" in out
    assert [Pronouncing.shared().line_syllables(line) for line in _lyric_lines(out)] == [
        len(notes) for notes in melody_phrases(make_melody(params))
    ]


def _lyric_lines(out: str) -> list[str]:
    """The lyric lines of an answer: between the heading and "As sung, note by note"."""
    body = out.split("one syllable per note:\n", 1)[1].split("As sung, note by note", 1)[0]
    return [line for line in body.splitlines() if line.strip()]


@pytest.mark.parametrize("message", ["write four lines about the autumn rain", "lyrics for my last melody"])
def test_verse_requests_answer_with_lines(capsys, message):
    assert main(["chat", message, "--seed", "5"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) >= 5  # what was understood, then the lines
    if message.startswith("lyrics"):  # no melody yet: a common 8-6-8-6 verse
        assert [Pronouncing.shared().line_syllables(line) for line in _lyric_lines(out)] == [8, 6, 8, 6]
