"""What every tab shares: the controls | work | history layout and one long-lived worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.settings import Settings
from app.worker import JobFactory, JobHandle, TabWorker


def action_button(text: str, name: str, tip: str, on_click: Callable[[], Any]) -> QPushButton:
    """A push button with its accessible name and tooltip (which says the shortcut)."""
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    # Called with no arguments: clicked() passes `checked`, which a method with a first optional argument took for it
    # (Compose's Generate button gave generate() False for its request).
    button.clicked.connect(lambda: on_click())
    return button


def say_in_tab(tab: QWidget, text: str, error: bool = False) -> bool:
    """Put a sentence in a tab's message bar (app/tabs/message_bar.py); False when the tab has none."""
    bar = getattr(tab, "message_bar", None)
    if bar is None:
        return False
    (bar.show_error if error else bar.show_info)(text)
    return True


class ActivityTab(QWidget):
    """A tab with its own worker thread. Subclasses fill the three panes of `splitter`, and say what
    the window's File and Edit menus do here (`export`, `undo`, `redo`, `copy`, `paste`)."""

    #: Shown in the tab bar and used to name the worker thread.
    title = ""
    #: The side panes of `splitter` (the work is between them), which View ▸ Controls / History fold away.
    CONTROLS, HISTORY = 0, 2
    #: A file the user opened or exported here, for File ▸ Recent files.
    file_used = Signal(object)
    #: Asks the window to bring this tab forward (another tab opened something in it).
    show_me = Signal()
    #: A file dropped here that another tab opens (a MIDI file on the canvas, a photo on Compose): the window opens it
    #: there, as File ▸ Recent files does.
    open_elsewhere = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setAccessibleName(f"{self.title} tab")
        self.worker = TabWorker(self.title.lower(), self, device_setting=lambda: settings.get("device"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(True)
        self._unfolded_widths: dict[int, int] = {}  # a folded side pane's width, to unfold it to
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._finished_callbacks: dict[int, Callable[[Any], None]] = {}
        self._failed_callbacks: dict[int, Callable[[str], None]] = {}
        self.worker.job_finished.connect(self._dispatch_finished)
        self.worker.job_failed.connect(self._dispatch_failed)
        self.worker.job_cancelled.connect(self._forget)
        self.worker.notice.connect(self._say_notice)

    def run_job(self, title: str, factory: JobFactory, on_finished: Callable[[Any], None] | None = None,
                on_failed: Callable[[str], None] | None = None) -> JobHandle:
        """Submit a job to this tab's worker; the callbacks run on the UI thread when it ends."""
        handle = self.worker.submit(title, factory)
        if on_finished is not None:
            self._finished_callbacks[handle.id] = on_finished
        if on_failed is not None:
            self._failed_callbacks[handle.id] = on_failed
        return handle

    def _dispatch_finished(self, handle: JobHandle, result: Any) -> None:
        self._failed_callbacks.pop(handle.id, None)
        callback = self._finished_callbacks.pop(handle.id, None)
        if callback is not None:
            callback(result)

    def _dispatch_failed(self, handle: JobHandle, message: str) -> None:
        self._finished_callbacks.pop(handle.id, None)
        callback = self._failed_callbacks.pop(handle.id, None)
        if callback is not None:
            callback(message)

    def _say_notice(self, text: str) -> None:
        """A job's notice (the chat server stopped answering, the GPU ran out of memory...) in this tab's
        message bar, where the user is looking; the status bar shows it too."""
        say_in_tab(self, text)

    def _forget(self, handle: JobHandle) -> None:
        self._finished_callbacks.pop(handle.id, None)
        self._failed_callbacks.pop(handle.id, None)

    @staticmethod
    def scrolling(panel: QWidget, primary: QWidget) -> QWidget:
        """A controls panel that scrolls up and down, never sideways: wide enough for every control at its smallest
        (at the width each prefers, the Compose controls alone took 437 px of a 720-px window); the tab's `primary`
        button stays under it, in sight at any height (in a 760 x 520 window Render and Generate had scrolled out of
        sight below the panel's fold)."""
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(primary)
        return side

    def side_pane_shown(self, pane: int) -> bool:
        """Whether a side pane is open (dragging the splitter to the edge folds it too)."""
        return self.splitter.sizes()[pane] > 0

    def show_side_pane(self, pane: int, shown: bool) -> None:
        """Fold a side pane away, giving its width to the work, or unfold it to the width it had."""
        sizes = self.splitter.sizes()
        if (sizes[pane] > 0) == shown:
            return
        if shown:
            side = self.splitter.widget(pane)
            assert side is not None
            width = max(self._unfolded_widths.pop(pane, 0) or side.sizeHint().width(), side.minimumWidth())
        else:
            self._unfolded_widths[pane] = sizes[pane]
            width = 0
        sizes[1] = max(sizes[1] + sizes[pane] - width, 1)
        sizes[pane] = width
        self.splitter.setSizes(sizes)

    def cancel_running_job(self) -> bool:
        """Cancel this tab's oldest unfinished job not cancelled yet; False when it has no unfinished job. One cancelled
        already (a stale render finishing the step it cannot leave) may still run: Esc cancelled it again, and the job
        queued after it, the one the user waits for, ran on."""
        jobs = self.worker.pending_jobs()
        if not jobs:
            return False
        waiting = [job for job in jobs if not job.cancel_event.is_set()]
        if waiting:
            waiting[0].cancel()
        return True

    def primary_action(self) -> bool:
        """Run the tab's primary action (Render, Generate, Send); False when it has none yet."""
        return False

    # What File and Edit do on this tab; each says whether there was anything to do.

    def export(self) -> bool:
        return False

    def undo(self) -> bool:
        return False

    def redo(self) -> bool:
        return False

    def copy(self) -> bool:
        return False

    def paste(self) -> bool:
        return False

    def unsaved_work(self) -> str:
        """What closing the window now would lose, said short ("4 melodies not kept"); "" when nothing."""
        return ""

    # What the close question says Save does with this tab's unsaved work.
    how_save_keeps = "Save puts melodies and paintings in the history, as Keep does."

    def keep_unsaved_work(self) -> JobHandle | None:
        """Keep what `unsaved_work` names, where Keep puts it (the window is closing); the job still keeping it (a
        render), whose end the window waits for, or None when it is kept already."""
        return None

    def remember(self) -> None:
        """Save in the settings what the tab shows again next time (the window is closing). Most remember nothing."""

    def shutdown(self) -> None:
        self.worker.shutdown()
        # A job that ended just before this still has its "finished" signal queued to the UI thread; its
        # callback would reach what the window has closed since (the history). Nothing is called back now.
        self._finished_callbacks.clear()
        self._failed_callbacks.clear()
