"""A chat exchange is saved so that a kill at any moment leaves no empty conversation, and Stop keeps the part
written so far."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from app.paths import history_database_path
from app.store import Store
from tests.support.fake_server import fake_server, ollama_chunk

CHAT = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"


def test_a_new_conversation_and_its_first_message_are_one_transaction(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    with pytest.raises(Exception):  # noqa: B017 - the failure itself does not matter, only what it leaves
        store.add_to_conversation(None, "user", None, title="never")  # content NOT NULL: the insert fails
    assert store.conversations() == []
    conversation, message = store.add_to_conversation(None, "user", "hello", title="Greeting")
    assert store.conversations()[0][:2] == (conversation, "Greeting")
    assert store.add_to_conversation(conversation, "assistant", "hi")[0] == conversation
    assert [m.content for m in store.messages(conversation)] == ["hello", "hi"]


def test_restoring_a_conversation_is_whole_or_nothing(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    with pytest.raises(Exception):  # noqa: B017
        store.restore_conversation("t", [("user", "a", {}), ("assistant", None, {})])
    assert store.conversations() == []
    conversation, ids = store.restore_conversation("t", [("user", "a", {}), ("assistant", "b", {"x": 1})])
    assert [(m.id, m.content, m.meta) for m in store.messages(conversation)] == [
        (ids[0], "a", {}),
        (ids[1], "b", {"x": 1}),
    ]


def _two_pieces_then_hang(handler, server):
    server.write(handler, ollama_chunk("Hello"))
    server.write(handler, ollama_chunk(" there"))
    server.hang()


def _chat_until_answering(url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", CHAT, "chat", "say hello", "--server", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    seen = b""
    deadline = time.monotonic() + 120
    while b"Hello there" not in seen and time.monotonic() < deadline:
        piece = os.read(process.stdout.fileno(), 100)
        if not piece:
            break
        seen += piece
    assert b"Hello there" in seen, process.stderr.read().decode()
    return process


def _saved() -> list[list[tuple[str, str, dict]]]:
    store = Store(history_database_path())
    try:
        return [[(m.role, m.content, m.meta) for m in store.messages(c)] for c, _, _ in store.conversations()]
    finally:
        store.close()


def test_a_killed_chat_leaves_the_question_and_no_empty_conversation():
    with fake_server(_two_pieces_then_hang) as (url, _):
        process = _chat_until_answering(url)
        process.kill()
        process.communicate()
    assert [[m[:2] for m in conversation] for conversation in _saved()] == [[("user", "say hello")]]


def test_a_terminated_chat_keeps_the_part_of_the_answer_written():
    with fake_server(_two_pieces_then_hang) as (url, _):
        process = _chat_until_answering(url)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err.decode()
    [[question, answer]] = _saved()
    assert question[:2] == ("user", "say hello")
    assert answer[:2] == ("assistant", "Hello there") and answer[2]["stopped"]
