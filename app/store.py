"""The history: every generated item with its recipe, and the chat conversations, in SQLite.

One database file in the data folder, in WAL mode so that a crash or a killed process never
loses a committed item and never leaves a file that will not open. The schema carries a version
(`PRAGMA user_version`); `MIGRATIONS[n]` takes a database from version n to n + 1, inside one
transaction that reads the version again, so that two processes opening a new history at once never
both create it. Every SQLite failure reaches the caller as a StoreError whose sentence says what
happened (busy, read-only, disk full, damaged); only a damaged file is ever worth moving aside.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import disk_full_sentence, read_only_sentence
from models.jobs import JobError

IN_MEMORY = ":memory:"
BUSY_SECONDS = 15.0  # how long to wait for another process's write before saying the history is busy

MIGRATIONS: list[str] = [
    # 0 -> 1: history items and conversations.
    """
    CREATE TABLE IF NOT EXISTS items (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                -- 'painting', 'melody', 'lyrics', ...
        title TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',    -- style or model name, with its checkpoint hash
        params TEXT NOT NULL DEFAULT '{}', -- JSON: everything needed to make it again
        seed INTEGER,
        paths TEXT NOT NULL DEFAULT '[]',  -- JSON list of files the item was saved to
        starred INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS items_by_kind ON items (kind, created_at);
    CREATE TABLE IF NOT EXISTS conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role TEXT NOT NULL,                -- 'user', 'assistant', 'system'
        content TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',   -- JSON: tokens per second, attached items, ...
        created_at REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id, id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(JobError):
    """The history cannot be read or written; the message says what to do."""


@dataclass
class HistoryItem:
    id: int
    kind: str
    title: str
    model: str
    params: dict[str, Any]
    seed: int | None
    paths: list[str]
    starred: bool
    created_at: float


@dataclass
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    meta: dict[str, Any] = field(default_factory=dict)
    created_at: float = 0.0


class Store:
    """History and conversations. Safe to share between threads: one lock guards the connection."""

    def __init__(self, path: str | Path) -> None:
        """The history in the SQLite file `path`, or an empty one kept in memory when `path` is IN_MEMORY
        (the window falls back to it when the file cannot be opened)."""
        self.path = Path(path)
        self._lock = threading.RLock()
        in_memory = str(path) == IN_MEMORY
        try:
            if not in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(_os_sentence(self.path, error)) from None
        # In a folder Atelier may not write to, SQLite cannot make the WAL's shared-memory file: open the
        # history as it stands, read-only (writes then say the folder is read-only).
        self.read_only = not in_memory and self.path.exists() and not os.access(self.path.parent, os.W_OK)
        with self._guard():
            target = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1" if self.read_only else self.path
            self._connection = sqlite3.connect(
                target, timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None, uri=self.read_only
            )
            try:
                self._prepare_while_busy()
            except BaseException:
                self._connection.close()
                raise

    def _prepare_while_busy(self) -> None:
        """Switch to WAL, set the pragmas and migrate, retrying while another process does the same.
        SQLite answers 'database is locked' at once, without waiting `timeout`, when two connections
        switch a new file to WAL together (its busy handler is skipped to avoid a deadlock)."""
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                if not self.read_only:
                    self._connection.execute("PRAGMA journal_mode=WAL")
                self._connection.execute("PRAGMA synchronous=NORMAL")
                self._connection.execute("PRAGMA foreign_keys=ON")
                self._migrate()
                return
            except (sqlite3.OperationalError, StoreError) as error:
                cause = error.__cause__ if isinstance(error, StoreError) else error
                busy = isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause).lower()
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Hold the lock, and turn SQLite's and the disk's failures into a StoreError with a sentence."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as error:
                raise StoreError(_sqlite_sentence(self.path, error)) from error
            except OSError as error:
                raise StoreError(_os_sentence(self.path, error)) from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guard():
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:  # a failed COMMIT may already have rolled back
                    self._connection.execute("ROLLBACK")
                raise

    def _read(self, query: str, args: Any = ()) -> list[tuple]:
        with self._guard():
            return self._connection.execute(query, args).fetchall()

    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:  # the usual case needs no write (a read-only copy opens)
            return
        while True:
            with self._transaction() as connection:
                # read inside the transaction: another process may have migrated while this one waited
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"The history file {self.path} was written by a newer Atelier (schema {version}); "
                        "update Atelier to open it."
                    )
                if version == SCHEMA_VERSION:
                    return
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {version + 1}")

    # History items -------------------------------------------------------------------------------

    def add_item(
        self,
        kind: str,
        *,
        title: str = "",
        model: str = "",
        params: dict[str, Any] | None = None,
        seed: int | None = None,
        paths: list[str] | None = None,
        starred: bool = False,
    ) -> int:
        with self._transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO items (kind, title, model, params, seed, paths, starred, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    title,
                    model,
                    json.dumps(params or {}),
                    seed,
                    json.dumps(paths or []),
                    int(starred),
                    time.time(),
                ),
            )
            return _row_id(cursor)

    def item(self, item_id: int) -> HistoryItem | None:
        rows = self._read("SELECT * FROM items WHERE id = ?", (item_id,))
        return _item_from_row(rows[0]) if rows else None

    def items(self, kind: str | None = None, *, starred_only: bool = False, limit: int = 500) -> list[HistoryItem]:
        query = "SELECT * FROM items WHERE 1=1"
        args: list[Any] = []
        if kind is not None:
            query += " AND kind = ?"
            args.append(kind)
        if starred_only:
            query += " AND starred = 1"
        query += " ORDER BY created_at DESC, id DESC LIMIT ?"
        args.append(limit)
        return [_item_from_row(row) for row in self._read(query, args)]

    def set_starred(self, item_id: int, starred: bool) -> None:
        with self._transaction() as connection:
            connection.execute("UPDATE items SET starred = ? WHERE id = ?", (int(starred), item_id))

    def delete_item(self, item_id: int) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM items WHERE id = ?", (item_id,))

    # Conversations -------------------------------------------------------------------------------

    def add_conversation(self, title: str = "") -> int:
        now = time.time()
        with self._transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)", (title, now, now)
            )
            return _row_id(cursor)

    def conversations(self) -> list[tuple[int, str, float]]:
        rows = self._read("SELECT id, title, updated_at FROM conversations ORDER BY updated_at DESC, id DESC")
        return [(int(i), str(t), float(u)) for i, t, u in rows]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        with self._transaction() as connection:
            connection.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def delete_conversation(self, conversation_id: int) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def search_conversations(self, text: str) -> list[tuple[int, str, float]]:
        """Conversations whose title or any message contains `text` (case-insensitive), newest first."""
        pattern = f"%{text}%"
        rows = self._read(
            "SELECT id, title, updated_at FROM conversations WHERE title LIKE ? OR id IN"
            " (SELECT conversation_id FROM messages WHERE content LIKE ?) ORDER BY updated_at DESC, id DESC",
            (pattern, pattern),
        )
        return [(int(i), str(t), float(u)) for i, t, u in rows]

    def delete_message(self, message_id: int) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def add_message(self, conversation_id: int, role: str, content: str, meta: dict[str, Any] | None = None) -> int:
        with self._transaction() as connection:
            return _insert_message(connection, conversation_id, role, content, meta)

    def add_to_conversation(
        self,
        conversation_id: int | None,
        role: str,
        content: str,
        meta: dict[str, Any] | None = None,
        *,
        title: str = "",
    ) -> tuple[int, int]:
        """(conversation id, message id): one message, and its new conversation (titled `title`) when
        `conversation_id` is None, in one transaction, so that no conversation is ever left empty."""
        with self._transaction() as connection:
            if conversation_id is None:
                now = time.time()
                cursor = connection.execute(
                    "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)", (title, now, now)
                )
                conversation_id = _row_id(cursor)
            return conversation_id, _insert_message(connection, conversation_id, role, content, meta)

    def restore_conversation(
        self, title: str, messages: list[tuple[str, str, dict[str, Any]]]
    ) -> tuple[int, list[int]]:
        """A deleted conversation back (role, content, meta for each message), whole or not at all."""
        with self._transaction() as connection:
            now = time.time()
            cursor = connection.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)", (title, now, now)
            )
            conversation_id = _row_id(cursor)
            ids = [_insert_message(connection, conversation_id, *message) for message in messages]
        return conversation_id, ids

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._read(
            "SELECT id, conversation_id, role, content, meta, created_at FROM messages"
            " WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [Message(int(i), int(c), r, t, json.loads(m), float(at)) for i, c, r, t, m, at in rows]


def _insert_message(
    connection: sqlite3.Connection, conversation_id: int, role: str, content: str, meta: dict[str, Any] | None
) -> int:
    now = time.time()
    cursor = connection.execute(
        "INSERT INTO messages (conversation_id, role, content, meta, created_at) VALUES (?, ?, ?, ?, ?)",
        (conversation_id, role, content, json.dumps(meta or {}), now),
    )
    connection.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
    return _row_id(cursor)


def _item_from_row(row: tuple) -> HistoryItem:
    item_id, kind, title, model, params, seed, paths, starred, created_at = row
    return HistoryItem(
        id=int(item_id),
        kind=kind,
        title=title,
        model=model,
        params=json.loads(params),
        seed=seed,
        paths=json.loads(paths),
        starred=bool(starred),
        created_at=float(created_at),
    )


def _sqlite_sentence(path: Path, error: sqlite3.Error) -> str:
    """What went wrong with the history file, in words; only a damaged file is worth moving aside."""
    name = getattr(error, "sqlite_errorname", "")  # Python 3.11+; the text below covers 3.10
    text = str(error).lower()
    if "READONLY" in name or "readonly" in text or "read-only" in text:
        return read_only_sentence(path.parent, "the history cannot be saved")
    if name == "SQLITE_FULL" or "disk is full" in text:
        return disk_full_sentence("the history could not be saved; everything saved before is kept")
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in text:
        return f"The history file {path} is busy (another Atelier is writing to it). Try again in a moment."
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "not a database" in text or "malformed" in text:
        return (
            f"The history file {path} is damaged and cannot be opened ({error}). Move it aside and restart "
            "Atelier to start a new history."
        )
    if (name == "SQLITE_CANTOPEN" or "unable to open" in text) and not os.access(path.parent, os.W_OK):
        return read_only_sentence(path.parent, "the history cannot be saved")
    if _disk_nearly_full(path.parent):  # SQLite reports a full disk as an I/O error when the WAL index cannot grow
        return disk_full_sentence("the history could not be saved; everything saved before is kept")
    return f"The history file {path} could not be read or written ({error}). Check the disk and try again."


def _disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False


def _os_sentence(path: Path, error: OSError) -> str:
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return read_only_sentence(path.parent, "the history cannot be saved")
    if error.errno == errno.ENOSPC:
        return disk_full_sentence("the history could not be saved; everything saved before is kept")
    return f"The history file {path} could not be read or written ({error.strerror or error}). Check the disk."


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (always set after an INSERT)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid
