"""A crash loses nothing: the work in progress is saved every few seconds and offered back after a crash.

Each tab that holds unsaved work (the canvas, the Compose variations, the chat draft) is a
`RecoverablePart`: it says when its work changed, and hands over a snapshot — JSON-ready state plus
named binary blobs (PNG images). `SessionAutosave` writes the snapshots a few seconds after a change,
on a background thread and atomically, into `<data folder>/recovery/`. A marker file names the
running process; a clean exit removes both. At the next start, a marker whose process is gone means
Atelier closed unexpectedly, and the window offers the saved work back.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from app.log import logger
from models.files import atomic_write_bytes

SAVE_DELAY_MS = 2_000  # after the last change: often enough to lose seconds at most, rare enough to cost nothing
MARKER_NAME = "running.json"


@dataclass
class Snapshot:
    """What a part needs to come back: JSON-ready state and binary blobs by name (e.g. "canvas.png").

    A blob may be given as a function that makes the bytes: it is called on the writer thread, so that
    encoding a large picture never holds up the UI (pass it copies, e.g. `QImage.copy()`).
    """

    state: dict[str, Any]
    blobs: dict[str, bytes | Callable[[], bytes]] = field(default_factory=dict)


class RecoverablePart(Protocol):
    recovery_changed: SignalInstance  # emitted whenever the part's unsaved work changes

    def recovery_snapshot(self) -> Snapshot | None:
        """The work to keep, taken on the UI thread; None when there is nothing worth keeping."""

    def restore_recovery_snapshot(self, snapshot: Snapshot) -> None:
        """Put saved work back (undoable where the user edits)."""


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


class RecoveryFolder:
    """The files: one folder per part (state.json plus blobs) and the marker of the running process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def marker(self) -> Path:
        return self.folder / MARKER_NAME

    def other_instance_running(self) -> bool:
        pid = self._marker_pid()
        return pid is not None and pid != os.getpid() and _process_alive(pid)

    def crashed_last_time(self) -> bool:
        """A marker left by a process that is gone, and saved work beside it."""
        pid = self._marker_pid()
        if pid is None or pid == os.getpid() or _process_alive(pid):
            return False
        return bool(self.saved_parts())

    def _marker_pid(self) -> int | None:
        try:
            return int(json.loads(self.marker.read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def mark_running(self) -> None:
        atomic_write_bytes(self.marker, json.dumps({"pid": os.getpid()}).encode())

    def saved_parts(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if (p / "state.json").is_file())

    def write(self, name: str, snapshot: Snapshot) -> None:
        part = self.folder / name
        # Blobs first, state last: a state file only ever names blobs that are already complete.
        for blob_name, data in snapshot.blobs.items():
            atomic_write_bytes(part / blob_name, data() if callable(data) else data)
        state = {"state": snapshot.state, "blobs": sorted(snapshot.blobs)}
        atomic_write_bytes(part / "state.json", json.dumps(state).encode())
        for stale in part.iterdir():
            if stale.name != "state.json" and stale.name not in snapshot.blobs and not stale.name.startswith("."):
                stale.unlink(missing_ok=True)

    def forget(self, name: str) -> None:
        shutil.rmtree(self.folder / name, ignore_errors=True)

    def read(self, name: str) -> Snapshot | None:
        part = self.folder / name
        try:
            saved = json.loads((part / "state.json").read_text())
            blobs = {blob: (part / blob).read_bytes() for blob in saved["blobs"]}
            return Snapshot(state=dict(saved["state"]), blobs=blobs)
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("recovered %s could not be read: %s", name, error)
            return None

    def clear(self) -> None:
        """A clean exit: nothing to recover next time."""
        for name in self.saved_parts():
            self.forget(name)
        self.marker.unlink(missing_ok=True)


class _Writer:
    """One background thread that writes snapshots in order, so saving never stalls the UI."""

    def __init__(self, folder: RecoveryFolder) -> None:
        self.folder = folder
        self._queue: queue.Queue[tuple[str, Snapshot | None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="recovery-writer", daemon=True)
        self._thread.start()

    def put(self, name: str, snapshot: Snapshot | None) -> None:
        self._queue.put((name, snapshot))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            name, snapshot = item
            try:
                if snapshot is None:
                    self.folder.forget(name)
                else:
                    self.folder.write(name, snapshot)
            except OSError as error:  # a full or read-only disk: the work itself is still in the window
                logger.warning("could not save %s for recovery: %s", name, error)
            finally:
                # Let the snapshot go now, not at the next save: a canvas sharing its pixels with it (see
                # canvas_recovery.png_bytes) would copy them away at the next stroke.
                item = snapshot = None
                self._queue.task_done()

    def flush(self) -> None:
        self._queue.join()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


class SessionAutosave(QObject):
    """Saves each part's work a few seconds after it changes; clears it all on a clean exit."""

    saved = Signal(str)  # part name, once its snapshot is queued for writing

    def __init__(self, folder: Path, parts: dict[str, RecoverablePart], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = RecoveryFolder(folder)
        self.parts = parts
        self.crashed_last_time = self.folder.crashed_last_time()
        # A second Atelier window must not overwrite (or clear) the first one's recovery files.
        self.enabled = not self.folder.other_instance_running()
        self._dirty: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self._writer: _Writer | None = None
        if not self.enabled:
            logger.info("another Atelier is running: this window does not save work for recovery")
            return
        for name, part in parts.items():
            part.recovery_changed.connect(lambda name=name: self._changed(name))

    def start(self) -> None:
        """Begin saving (after any offer to restore, so the old work is not overwritten first)."""
        if not self.enabled or self._writer is not None:
            return
        try:
            self.folder.mark_running()
        except OSError as error:
            logger.warning("recovery is off: %s", error)
            self.enabled = False
            return
        self._writer = _Writer(self.folder)
        if self.crashed_last_time:  # the old work was restored or declined: start afresh
            for name in self.folder.saved_parts():
                self._writer.put(name, None)
            self.crashed_last_time = False
        self._dirty.update(self.parts)
        self._timer.start()

    def _changed(self, name: str) -> None:
        self._dirty.add(name)
        if self._writer is not None and not self._timer.isActive():
            self._timer.start()

    def save_now(self) -> None:
        if self._writer is None:
            return
        for name in sorted(self._dirty):
            self._writer.put(name, self.parts[name].recovery_snapshot())
            self.saved.emit(name)
        self._dirty.clear()

    def flush(self) -> None:
        """Wait until everything queued is on disk (tests, and the soak run)."""
        if self._writer is not None:
            self._writer.flush()

    def restore(self) -> list[str]:
        """Put the saved work back into each part; returns the names of the parts restored."""
        restored = []
        for name in self.folder.saved_parts():
            part = self.parts.get(name)
            snapshot = self.folder.read(name)
            if part is None or snapshot is None:
                continue
            try:
                part.restore_recovery_snapshot(snapshot)
            except (ValueError, KeyError, TypeError) as error:  # saved by another version: skip that part
                logger.warning("could not restore %s: %s", name, error)
                continue
            restored.append(name)
        return restored

    def stop(self, clean: bool = True) -> None:
        """On a clean exit the saved work is no longer needed."""
        self._timer.stop()
        if self._writer is None:
            return
        self._writer.stop()
        self._writer = None
        if clean:
            self.folder.clear()
