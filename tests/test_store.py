"""The history store: items with recipes, conversations, migrations, and surviving a killed process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from app.store import SCHEMA_VERSION, Store, StoreError


def test_items_keep_their_recipe(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    item_id = store.add_item(
        "melody", title="Reel in D", model="irish@1a2b", params={"key": "D", "bars": 16}, seed=3, paths=["a.mid"]
    )
    item = store.item(item_id)
    assert (item.kind, item.title, item.model, item.params, item.seed, item.paths) == (
        "melody", "Reel in D", "irish@1a2b", {"key": "D", "bars": 16}, 3, ["a.mid"]
    )
    assert not item.starred
    store.set_starred(item_id, True)
    assert [i.id for i in store.items("melody", starred_only=True)] == [item_id]
    assert store.items("painting") == []
    store.delete_item(item_id)
    assert store.item(item_id) is None


def test_conversations_and_messages(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    conversation = store.add_conversation("Harbour paintings")
    store.add_message(conversation, "user", "paint a stormy harbour like Turner")
    store.add_message(conversation, "assistant", "Turner, stormy: dark palette.", {"tokens_per_second": 41.5})
    messages = store.messages(conversation)
    assert [(m.role, m.content) for m in messages] == [
        ("user", "paint a stormy harbour like Turner"),
        ("assistant", "Turner, stormy: dark palette."),
    ]
    assert messages[1].meta == {"tokens_per_second": 41.5}
    store.rename_conversation(conversation, "Storms")
    assert store.conversations()[0][:2] == (conversation, "Storms")
    store.delete_conversation(conversation)
    assert store.messages(conversation) == []  # messages go with their conversation


def test_schema_is_versioned_and_reopens(tmp_path):
    path = tmp_path / "h.sqlite3"
    Store(path).close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.path == path


def test_newer_schema_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.close()
    with pytest.raises(StoreError, match="newer Atelier"):
        Store(path)


def test_garbage_file_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot be opened"):
        Store(path)


_WRITER = """
import sys
from app.store import Store
store = Store(sys.argv[1])
i = 0
while True:
    item_id = store.add_item("melody", title=f"tune {i}", params={"i": i, "pad": "x" * 2000}, seed=i)
    print(item_id, flush=True)
    i += 1
"""


def test_store_survives_sigkill_in_the_middle_of_writes(tmp_path):
    path = tmp_path / "h.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    committed = []
    deadline = time.monotonic() + 60
    while len(committed) < 300 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        committed.append(int(line))
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    assert len(committed) >= 300, "the writer did not get going"

    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    store = Store(path)
    stored = {item.id for item in store.items("melody", limit=1_000_000)}
    assert set(committed) <= stored  # every item reported as committed is there
    assert store.item(committed[-1]).params["i"] == len(committed) - 1


def test_search_finds_conversations_by_title_and_text(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    harbour = store.add_conversation("Harbour paintings")
    tunes = store.add_conversation("Tunes")
    store.add_message(tunes, "user", "compose a sad Irish tune in D minor")
    assert [c[0] for c in store.search_conversations("harbour")] == [harbour]
    assert [c[0] for c in store.search_conversations("IRISH")] == [tunes]
    assert store.search_conversations("nothing like this") == []
    message = store.messages(tunes)[0]
    store.delete_message(message.id)
    assert store.messages(tunes) == []
