"""The status bar: the compute device in words, notices, and the running job with progress and Cancel."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from app.worker import JobHandle, TabWorker
from models.jobs import Progress

NOTICE_TIMEOUT_MS = 10_000
# How soon the job on show says it is being cancelled when something other than Cancel or Esc cancelled it.
CANCEL_LOOK_MS = 250


def failure_notice(title: str, message: str) -> str:
    """What the status bar says of a failed job: its sentence, after the job's title unless the sentence already
    names what the title does ("Opening corrupt.png failed: corrupt.png cannot be opened: …" said the name twice)."""
    what = title.partition(" ")[2]  # the title less its verb: "corrupt.png" of "Opening corrupt.png"
    if what and what.casefold() in message.casefold():
        return message
    return f"{title} failed: {message}"


def progress_text(title: str, message: str) -> str:
    """A running job in the status bar: its title and how far it is, unless that only says the title again
    ("Rendering for the chat: rendering")."""
    if not message or message.casefold() in title.casefold():
        return title
    return f"{title}: {message}"


def _kind(handle: JobHandle) -> str:
    """What a job does, whatever on: "Reading" of "Reading garbage.mid"."""
    return handle.title.partition(" ")[0]


class JobStatusBar(QStatusBar):
    """Shows the latest running job of any tab, and how many others run; Cancel (or Esc) cancels the latest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device_label = QLabel("Finding the compute device…")
        self.device_label.setAccessibleName("Compute device")
        self.job_label = QLabel()
        self.job_label.setAccessibleName("Running job")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Job progress")
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setRange(0, 1000)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("✕ Cancel")
        self.cancel_button.setToolTip("Cancel the running job (Esc)")
        self.cancel_button.setAccessibleName("Cancel job")
        self.cancel_button.clicked.connect(self.cancel_current_job)
        self.addWidget(self.device_label)
        for widget in (self.job_label, self.progress_bar, self.cancel_button):
            self.addPermanentWidget(widget)
        self._running: list[JobHandle] = []
        self._failure: tuple[TabWorker, str, str] | None = None  # the last failure said: its tab, kind and words
        # A job cancelled by its tab (the Surprise choices not picked, a preview overtaken) read as still at work
        # until its step ended: "Painting 3 of 4 from scratch: planning strokes 5%" beside the pick's full painting
        # waiting behind it (under Xvfb, load 27). A handle says nothing when cancelled, so it is looked at.
        self._cancel_look = QTimer(self)
        self._cancel_look.setInterval(CANCEL_LOOK_MS)
        self._cancel_look.timeout.connect(self.show_cancelling)
        self._said_cancelling: JobHandle | None = None
        self._show_job(None)

    def set_device(self, description: str) -> None:
        self.device_label.setText(description)

    def show_notice(self, text: str) -> None:
        """A message the user should see (a missing package, a fall-back to the CPU)."""
        self.showMessage(text, NOTICE_TIMEOUT_MS)

    def track(self, worker: TabWorker) -> None:
        worker.job_started.connect(self._on_started)
        worker.job_progress.connect(self._on_progress)
        for ended in (worker.job_finished, worker.job_failed, worker.job_cancelled):
            ended.connect(self._on_ended)
        worker.job_failed.connect(lambda handle, message: self._show_failure(worker, handle, message))
        worker.job_finished.connect(lambda handle, _: self._take_back_failure(worker, handle))
        worker.notice.connect(self.show_notice)

    def _show_failure(self, worker: TabWorker, handle: JobHandle, message: str) -> None:
        text = failure_notice(handle.title, message)
        self.show_notice(text)
        self._failure = (worker, _kind(handle), text)

    def _take_back_failure(self, worker: TabWorker, handle: JobHandle) -> None:
        """A failure is no longer the news once a job of its kind in its tab has worked: "garbage.mid cannot be used
        as a motif" stayed up beside the motif huge.mid, read a moment later, gave (under Xvfb)."""
        if self._failure is not None and self._failure[:2] == (worker, _kind(handle)):
            if self.currentMessage() == self._failure[2]:
                self.clearMessage()
            self._failure = None

    def current_job(self) -> JobHandle | None:
        return self._running[-1] if self._running else None

    def cancel_current_job(self) -> bool:
        handle = self.current_job()
        if handle is None:
            return False
        handle.cancel()
        self.show_cancelling()
        return True

    def show_cancelling(self) -> None:
        """Say so when the job on show has been cancelled (Esc cancels it through its tab; a tab, by itself)."""
        handle = self.current_job()
        if handle is not None and handle.cancel_event.is_set() and handle is not self._said_cancelling:
            self._show_job(handle)

    def _on_started(self, handle: JobHandle) -> None:
        self._running.append(handle)
        self._show_job(handle)

    def _on_progress(self, handle: JobHandle, progress: Progress) -> None:
        if handle is not self.current_job() or handle.cancel_event.is_set():
            return  # a cancelled job's last steps still report: it keeps saying it is being cancelled
        self._set_job_text(progress_text(handle.title, progress.message))
        if progress.fraction is None:
            self.progress_bar.setRange(0, 0)  # busy indicator
        else:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(round(1000 * min(max(progress.fraction, 0.0), 1.0)))

    def _on_ended(self, handle: JobHandle, *_: object) -> None:
        if handle in self._running:
            self._running.remove(handle)
        self._show_job(self.current_job())

    def _show_job(self, handle: JobHandle | None) -> None:
        visible = handle is not None
        for widget in (self.job_label, self.progress_bar, self.cancel_button):
            widget.setVisible(visible)
        if visible != self._cancel_look.isActive():
            (self._cancel_look.start if visible else self._cancel_look.stop)()
        self._said_cancelling = handle if handle is not None and handle.cancel_event.is_set() else None
        if handle is not None:
            # A step of Best quality takes seconds (more on a busy CPU) before the job sees its cancel flag: until
            # then the job says it is being cancelled, not still at work (seen under Xvfb at load 13: Esc, then
            # 7.5 s more of "Rendering: 1992 strokes planned 5%", as if Esc had not been pressed).
            self._set_job_text(f"{handle.title}: cancelling…" if handle.cancel_event.is_set() else handle.title)
            self.progress_bar.setRange(0, 0)

    def _set_job_text(self, text: str) -> None:
        others = len(self._running) - 1
        self.job_label.setText(f"{text}  (+{others} more)" if others > 0 else text)
        self.job_label.setToolTip("Running: " + ", ".join(h.title for h in reversed(self._running)))
