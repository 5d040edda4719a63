"""Each tab's long-lived worker: a QObject on its own QThread that runs engine jobs one at a time.

The worker keeps what its jobs load (models on the device) in `cache`, so the second render or
melody is fast. A job is submitted as a factory `make_job(context) -> generator` (see
`models.jobs`); the generator runs on the worker thread and its events come back to the UI thread
as signals, throttled so that a stream of tokens or previews cannot flood the event loop. Every
job ends in exactly one of `finished`, `failed` or `cancelled`.
"""

from __future__ import annotations

import atexit
import dataclasses
import itertools
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, SignalInstance, Slot

from app.errors import expected, user_message
from app.log import logger
from models.jobs import JobCancelled, Preview, Progress, Result, Token
from models.memory import give_back_freed_memory

if TYPE_CHECKING:
    import torch

    from models.device import DeviceChoice

# Partial results reach the UI at most this often; the last one always arrives.
EMIT_INTERVAL_S = 0.05

_job_ids = itertools.count(1)

# Every worker whose thread may still run. A script that builds the main window and leaves without
# closing it would otherwise have Python destroy running QThreads at exit, which aborts the process.
_live_workers: weakref.WeakSet[TabWorker] = weakref.WeakSet()


@atexit.register
def _stop_live_workers() -> None:
    for worker in list(_live_workers):
        worker.shutdown()


T = TypeVar("T")


@dataclass
class JobContext:
    """What a job factory receives: the cancel flag, the worker's cache of loaded models, a way to tell the
    user something, and the compute device chosen in Preferences (or by --device / ATELIER_DEVICE)."""

    cancel: threading.Event
    cache: dict[Any, Any]
    notify: Callable[[str], None]
    device_setting: str = "auto"

    def cached(self, key: Hashable, make: Callable[[], T]) -> T:
        """What `make()` returns, made once per worker: the cache holds it under `key` for later jobs.
        Keys say what was loaded and on which device, e.g. ("style", path, mtime, "cpu")."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    @property
    def device(self) -> torch.device:
        """The torch device to run on, picked once per worker and setting; says so once when the choice
        could not be honoured (no GPU, say)."""

        def pick() -> DeviceChoice:
            from models.device import pick_device

            choice = pick_device(setting=self.device_setting)
            if choice.notice:
                self.notify(choice.notice)
            return choice

        return self.cached(("device", self.device_setting), pick).device


JobFactory = Callable[[JobContext], Iterator[Any]]  # a job: make_job(context) -> generator of engine events


@dataclass
class JobHandle:
    """The UI side's handle on a submitted job."""

    id: int
    title: str
    cancel_event: threading.Event = field(default_factory=threading.Event)
    device_setting: str = "auto"  # read on the UI thread when the job was submitted

    def cancel(self) -> None:
        self.cancel_event.set()


class _JobRunner(QObject):
    """Lives on the worker thread; runs each job it is handed, in order."""

    started = Signal(int)
    progress = Signal(int, object)  # job id, Progress
    partial = Signal(int, object)  # job id, Token (text batched) or Preview
    finished = Signal(int, object)  # job id, result value
    failed = Signal(int, str)  # job id, a sentence for the user
    cancelled = Signal(int)
    notice = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.cache: dict[str, Any] = {}

    @Slot(object, object)
    def run(self, handle: JobHandle, factory: JobFactory) -> None:
        self._run(handle, factory)
        give_back_freed_memory()  # the job's frames and tensors are gone now; give their pages back

    def _run(self, handle: JobHandle, factory: JobFactory) -> None:
        if handle.cancel_event.is_set():
            self.cancelled.emit(handle.id)
            return
        self.started.emit(handle.id)
        context = JobContext(cancel=handle.cancel_event, cache=self.cache, notify=self.notice.emit,
                             device_setting=handle.device_setting)
        throttle = _Throttle(handle.id, self)
        try:
            for event in factory(context):
                if isinstance(event, Result):
                    throttle.flush()
                    if handle.cancel_event.is_set():
                        break
                    self.finished.emit(handle.id, event.value)
                    return
                throttle.add(event)
            else:
                if not handle.cancel_event.is_set():
                    raise RuntimeError(f"job {handle.title!r} ended without a result")
            throttle.flush()
            self.cancelled.emit(handle.id)
        except JobCancelled:
            self.cancelled.emit(handle.id)
        except Exception as error:  # a job's failure must never take the worker down
            if handle.cancel_event.is_set():  # cancelled mid-step (e.g. the app is shutting down): not a fault
                logger.info("job %r stopped while cancelled: %s", handle.title, error)
                self.cancelled.emit(handle.id)
                return
            sentence = user_message(error)
            if expected(error):  # its traceback said nothing more, and buried the faults that need one in the log
                logger.warning("job %r failed: %s", handle.title, sentence)
            else:
                logger.exception("job %r failed", handle.title)
            self.failed.emit(handle.id, sentence)


class _Throttle:
    """Coalesces a job's events: the latest progress, tokens joined, the latest preview."""

    def __init__(self, job_id: int, runner: _JobRunner) -> None:
        self.job_id = job_id
        self.runner = runner
        self.last_emit = 0.0
        self.progress: Progress | None = None
        self.text: list[str] = []
        self.preview: Preview | None = None

    def add(self, event: Any) -> None:
        if isinstance(event, Progress):
            if event.preview is None and self.progress is not None and self.progress.preview is not None:
                # A newer message must not drop a picture the user has not seen yet.
                event = dataclasses.replace(event, preview=self.progress.preview)
            self.progress = event
        elif isinstance(event, Token):
            self.text.append(event.text)
        elif isinstance(event, Preview):
            self.preview = event
        if time.monotonic() - self.last_emit >= EMIT_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None:
            self.runner.progress.emit(self.job_id, self.progress)
        if self.text:
            self.runner.partial.emit(self.job_id, Token("".join(self.text)))
        if self.preview is not None:
            self.runner.partial.emit(self.job_id, self.preview)
        self.progress, self.text, self.preview = None, [], None
        self.last_emit = time.monotonic()


class TabWorker(QObject):
    """A tab's worker thread. Submit jobs from the UI thread; listen to the signals."""

    job_started = Signal(object)  # JobHandle
    job_progress = Signal(object, object)  # JobHandle, Progress
    job_partial = Signal(object, object)  # JobHandle, Token or Preview
    job_finished = Signal(object, object)  # JobHandle, result
    job_failed = Signal(object, str)  # JobHandle, message
    job_cancelled = Signal(object)  # JobHandle
    notice = Signal(str)  # something the user should know, e.g. a fall-back to the CPU

    _submit = Signal(object, object)

    def __init__(self, name: str, parent: QObject | None = None,
                 device_setting: Callable[[], str] = lambda: "auto") -> None:
        super().__init__(parent)
        self.name = name
        self.device_setting = device_setting  # the Preferences choice, read when a job is submitted
        self._jobs: dict[int, JobHandle] = {}
        self._thread = QThread()
        self._thread.setObjectName(f"{name}-worker")
        self._runner = _JobRunner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        # Slots of this object, not lambdas: a lambda would run on the worker thread that emits, and the
        # job bookkeeping and every signal this object sends with it; a slot runs where this object
        # lives, on the UI thread.
        self._runner.started.connect(self._on_started)
        self._runner.progress.connect(self._on_progress)
        self._runner.partial.connect(self._on_partial)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._runner.notice.connect(self.notice)
        self._thread.start()
        _live_workers.add(self)

    def submit(self, title: str, factory: JobFactory) -> JobHandle:
        """Queue a job; it runs after the ones before it. Returns its handle at once."""
        handle = JobHandle(id=next(_job_ids), title=title, device_setting=self.device_setting())
        self._jobs[handle.id] = handle
        self._submit.emit(handle, factory)
        return handle

    @property
    def cache(self) -> dict[str, Any]:
        """What the jobs keep loaded; set entries only while no job runs (tests preload shared models)."""
        return self._runner.cache

    def pending_jobs(self) -> list[JobHandle]:
        """Jobs submitted and not yet ended, oldest first."""
        return list(self._jobs.values())

    def cancel_all(self) -> None:
        for handle in self._jobs.values():
            handle.cancel()

    def shutdown(self) -> bool:
        """Cancel every job and wait for the thread to end.

        There is no time limit: a job stops at its next cancel check, but a step that cannot be
        interrupted (loading a model) must finish first, and a QThread destroyed while running
        takes the whole process down.
        """
        self.cancel_all()
        self._thread.quit()
        started = time.monotonic()
        stopped = self._thread.wait()
        _live_workers.discard(self)
        if time.monotonic() - started > 1.0:
            logger.info("the %s worker took %.1f s to stop", self.name, time.monotonic() - started)
        return stopped

    @Slot(int)
    def _on_started(self, job_id: int) -> None:
        self._relay(job_id, self.job_started)

    @Slot(int, object)
    def _on_progress(self, job_id: int, event: Progress) -> None:
        self._relay_unless_cancelled(job_id, self.job_progress, event)

    @Slot(int, object)
    def _on_partial(self, job_id: int, event: Token | Preview) -> None:
        self._relay_unless_cancelled(job_id, self.job_partial, event)

    @Slot(int, object)
    def _on_finished(self, job_id: int, value: Any) -> None:
        if self._cancelled_since_sent(job_id):
            self._end(job_id, self.job_cancelled)
        else:
            self._end(job_id, self.job_finished, value)

    @Slot(int, str)
    def _on_failed(self, job_id: int, message: str) -> None:
        if self._cancelled_since_sent(job_id):
            self._end(job_id, self.job_cancelled)
        else:
            self._end(job_id, self.job_failed, message)

    def _cancelled_since_sent(self, job_id: int) -> bool:
        """Whether a job was cancelled after the worker sent an event of it (its end, a partial): the runner looks at
        the flag before it sends an end, but the signal waits in this thread's queue, and a cancel in between (a stale
        preview, Esc) must still win."""
        handle = self._jobs.get(job_id)
        return handle is not None and handle.cancel_event.is_set()

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        self._end(job_id, self.job_cancelled)

    def _relay(self, job_id: int, signal: SignalInstance, *payload: Any) -> None:
        handle = self._jobs.get(job_id)
        if handle is not None:
            signal.emit(handle, *payload)

    def _relay_unless_cancelled(self, job_id: int, signal: SignalInstance, *payload: Any) -> None:
        """Progress and partial results of a job not cancelled: those sent before a cancel wait in this thread's
        queue, and a Best quality picture or an answer's words shown after Esc read as if Esc had not been pressed."""
        if not self._cancelled_since_sent(job_id):
            self._relay(job_id, signal, *payload)

    def _end(self, job_id: int, signal: SignalInstance, *payload: Any) -> None:
        handle = self._jobs.pop(job_id, None)
        if handle is not None:
            signal.emit(handle, *payload)
