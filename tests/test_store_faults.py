"""The history under faults: two processes creating it at once, another writer holding it, a read-only
folder, a full disk. Each says what happened; only a damaged file is ever worth moving aside."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from app import store as store_module
from app.store import Store, StoreError
from tests.support.disks import fill, read_only, small_disk

_OPEN_AT = """
import sys, time
from app.store import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
store = Store(sys.argv[1])
store.add_item("melody", title="t")
store.close()
"""


def test_processes_creating_a_new_history_at_once_all_succeed(tmp_path):
    failures = []
    for trial in range(5):
        path = tmp_path / f"h{trial}.sqlite3"
        start = time.time() + 1.5  # all four open the new file in the same instant
        writers = [
            subprocess.Popen([sys.executable, "-c", _OPEN_AT, str(path), str(start)], stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        failures += [err for w in writers if (err := w.communicate()[1]) and w.returncode]
        if not failures:
            assert len(Store(path).items()) == 4
    assert failures == []


def test_a_busy_history_says_so_and_never_advises_moving_it(tmp_path, monkeypatch):
    path = tmp_path / "h.sqlite3"
    Store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another Atelier in the middle of a write
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    store = Store(path)
    with pytest.raises(StoreError) as refused:
        store.add_item("melody")
    assert "busy" in str(refused.value) and "Move it aside" not in str(refused.value)
    other.execute("COMMIT")
    assert store.add_item("melody") == 1  # nothing lost, nothing to repair


def test_a_damaged_history_is_the_one_case_to_move_aside(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="is damaged.*Move it aside"):
        Store(path)


def test_a_history_in_a_read_only_folder_reads_and_refuses_writes_with_a_sentence(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    store = Store(folder / "h.sqlite3")
    store.add_item("melody", title="kept")
    store.close()
    with read_only(folder):
        store = Store(folder / "h.sqlite3")
        assert [item.title for item in store.items()] == ["kept"]
        with pytest.raises(StoreError) as refused:
            store.add_item("melody")
        store.close()
        message = str(refused.value)
        assert "read-only" in message and "ATELIER_DATA_DIR" in message and "Move it aside" not in message
        with pytest.raises(StoreError, match="read-only.*ATELIER_DATA_DIR"):
            Store(folder / "new" / "h.sqlite3")  # no history there yet, and none can be made


def test_a_full_disk_says_so_and_keeps_what_was_saved(tmp_path):
    with small_disk(tmp_path / "disk", kilobytes=1024) as disk:
        store = Store(disk / "h.sqlite3")
        first = store.add_item("melody", title="kept")
        fill(disk)
        with pytest.raises(StoreError) as refused:
            for i in range(200):  # the WAL has room for a few pages; then the disk is full
                store.add_item("melody", params={"pad": "x" * 20_000, "i": i})
        assert "disk is full" in str(refused.value) and "everything saved before is kept" in str(refused.value)
        store.close()
        (disk / "filler").unlink()
        store = Store(disk / "h.sqlite3")
        assert store.item(first).title == "kept"
        assert store._read("PRAGMA integrity_check")[0][0] == "ok"
