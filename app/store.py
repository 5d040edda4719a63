"""The history: every generated item with its recipe, and the chat conversations, in SQLite.

One database file in the data folder, in WAL mode so that a crash or a killed process never
loses a committed item and never leaves a file that will not open. The schema carries a version
(`PRAGMA user_version`); `MIGRATIONS[n]` takes a database from version n to n + 1.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.jobs import JobError

MIGRATIONS: list[str] = [
    # 0 -> 1: history items and conversations.
    """
    CREATE TABLE items (
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
    CREATE INDEX items_by_kind ON items (kind, created_at);
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role TEXT NOT NULL,                -- 'user', 'assistant', 'system'
        content TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',   -- JSON: tokens per second, attached items, ...
        created_at REAL NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
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
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            self._connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"The history file {self.path} cannot be opened ({error}). Move it aside and restart Atelier "
                "to start a new history."
            ) from None

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def schema_version(self) -> int:
        return self._connection.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The history file {self.path} was written by a newer Atelier (schema {version}); "
                "update Atelier to open it."
            )
        for target in range(version, SCHEMA_VERSION):
            with self._transaction() as connection:
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {target + 1}")

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
            return int(cursor.lastrowid)

    def item(self, item_id: int) -> HistoryItem | None:
        with self._lock:
            row = self._connection.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return _item_from_row(row) if row else None

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
        with self._lock:
            rows = self._connection.execute(query, args).fetchall()
        return [_item_from_row(row) for row in rows]

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
            return int(cursor.lastrowid)

    def conversations(self) -> list[tuple[int, str, float]]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT id, title, updated_at FROM conversations ORDER BY updated_at DESC, id DESC"
            ).fetchall()
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
        with self._lock:
            rows = self._connection.execute(
                "SELECT id, title, updated_at FROM conversations WHERE title LIKE ? OR id IN"
                " (SELECT conversation_id FROM messages WHERE content LIKE ?) ORDER BY updated_at DESC, id DESC",
                (pattern, pattern),
            ).fetchall()
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
                conversation_id = int(cursor.lastrowid)
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
            conversation_id = int(cursor.lastrowid)
            ids = [_insert_message(connection, conversation_id, *message) for message in messages]
        return conversation_id, ids

    def messages(self, conversation_id: int) -> list[Message]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT id, conversation_id, role, content, meta, created_at FROM messages"
                " WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
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
    return int(cursor.lastrowid)


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
