"""The main window: three activity tabs, the menu bar, and the status bar with device and job."""

from __future__ import annotations

import gc
import platform
import sys

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTabWidget, QWidget

from app import __version__
from app.log import log_file_path, logger
from app.menus import WindowMenus
from app.paths import history_database_path, recovery_dir
from app.preferences import PreferencesDialog
from app.qt_binding import binding_problem, give_back_lost_references
from app.recovery import SessionAutosave
from app.settings import Settings
from app.status_bar import JobStatusBar
from app.store import IN_MEMORY, Store, StoreError
from app.system_check import missing_features
from app.tabs.activity_tab import ActivityTab, say_in_tab
from app.tabs.chat.chat_tab import ChatTab
from app.tabs.compose.compose_tab import ComposeTab
from app.tabs.paint.paint_tab import PaintTab
from app.theme import apply_theme
from app.worker import JobContext, JobHandle, TabWorker
from models.jobs import Result

# Loading a native library holds the interpreter lock for tens of milliseconds (PIL's took ~80 ms), and the
# UI thread waits for that lock: load the ones the tabs use here, once, during start-up, instead of in the
# middle of someone's first job.
NATIVE_MODULES = ("PIL.Image", "safetensors.torch", "soundfile", "fluidsynth")


FIRST_WINDOW_SIZE = QSize(1200, 780)
NOT_KEPT = "Your work was not kept, so Atelier stays open."
TITLE_BAR_ROOM = 32  # the window manager's title bar above the window, not known before it is shown


def _probe_device(setting: str):
    def job(context: JobContext):
        import importlib

        from models.device import device_report  # torch loads here, on the worker thread

        for name in NATIVE_MODULES:
            try:
                importlib.import_module(name)
            except (ImportError, OSError):  # a missing one is reported where it is needed
                pass
        yield Result(device_report(setting=setting))

    return job


def _open_history() -> tuple[Store, str]:
    """The history, and "" ; or, when it cannot be opened (a read-only or full data folder, a damaged file),
    an empty one in memory and the sentence that says why: the app still works, nothing is kept."""
    try:
        return Store(history_database_path()), ""
    except StoreError as error:
        logger.warning("history: %s", error)
        return Store(IN_MEMORY), f"{error} What you make in this session is not kept in the history."


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Atelier")
        self.setMinimumSize(720, 480)
        self.settings = Settings()
        self.store, history_problem = _open_history()
        self.device_info: dict | None = None
        self._shut_down = False
        self._closing_answered = False  # the user said what to do with unsaved work (ask_to_keep)
        self._keeping: set[int] = set()  # the jobs keeping unsaved work (a Save's render), the window closing after

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Activities")
        paint = PaintTab(self.store, self.settings)
        compose = ComposeTab(self.store, self.settings)
        chat = ChatTab(self.store, self.settings, painter=paint, composer=compose)  # the seams of app/tabs/studio.py
        self.activity_tabs: list[ActivityTab] = [paint, compose, chat]
        for tab in self.activity_tabs:
            self.tabs.addTab(tab, tab.title)
            tab.show_me.connect(lambda tab=tab: self.tabs.setCurrentWidget(tab))
            # Connected once, not at each Save: a job's end only matters while it is in self._keeping.
            tab.worker.job_finished.connect(lambda handle, _result: self._keeping_ended(handle, True))
            tab.worker.job_failed.connect(lambda handle, _message: self._keeping_ended(handle, False))
            tab.worker.job_cancelled.connect(lambda handle: self._keeping_ended(handle, False))
        self.setCentralWidget(self.tabs)

        self.status = JobStatusBar()
        self.setStatusBar(self.status)
        self.system_worker = TabWorker("system", self)
        for worker in [tab.worker for tab in self.activity_tabs] + [self.system_worker]:
            self.status.track(worker)
        self.system_worker.job_finished.connect(self._on_device_probed)
        self.system_worker.job_failed.connect(lambda _, message: self.status.set_device(f"Device unknown: {message}"))

        self.menus = WindowMenus(self)
        self._restore_state()
        for problem in missing_features():
            logger.info("missing feature: %s", problem)
        if missing_features():
            QTimer.singleShot(0, lambda: self.status.show_notice("  ".join(missing_features())))
        self._guard_against_a_leaking_binding()
        if history_problem:
            QTimer.singleShot(0, lambda: self.say_in_every_tab(history_problem))
        self.autosave = self._build_autosave()
        self.probe_device()

    def _guard_against_a_leaking_binding(self) -> None:
        """Say so when the Qt binding leaks references to None, and keep the count from reaching zero meanwhile."""
        problem = binding_problem()
        if problem is None:
            return
        logger.warning(problem)
        QTimer.singleShot(0, lambda: self.status.show_notice(problem))
        level = sys.getrefcount(None)
        self.none_reference_guard = QTimer(self)
        self.none_reference_guard.timeout.connect(lambda: give_back_lost_references(level))
        self.none_reference_guard.start(250)

    def say_in_every_tab(self, problem: str) -> None:
        """A problem that concerns every tab (the history cannot be saved), in each tab's message bar."""
        for tab in self.activity_tabs:
            if not say_in_tab(tab, problem, error=True):
                self.status.show_notice(problem)

    # Work that survives a crash ---------------------------------------------------------------

    def _build_autosave(self) -> SessionAutosave:
        from app.tabs.chat.draft_recovery import DraftRecovery
        from app.tabs.compose.variations_recovery import VariationsRecovery
        from app.tabs.paint.canvas_recovery import CanvasRecovery

        paint, compose, chat = self.activity_tabs
        parts = {
            "canvas": CanvasRecovery(paint.canvas, paint.controls),
            "compose": VariationsRecovery(compose),
            "chat-draft": DraftRecovery(chat),
        }
        autosave = SessionAutosave(recovery_dir(), parts, self)
        if autosave.crashed_last_time:
            QTimer.singleShot(0, self.offer_recovery)
        else:
            autosave.start()
        return autosave

    def offer_recovery(self) -> QMessageBox:
        """After a crash: ask before putting the saved work back (the answer starts autosaving again)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Atelier",
            "Atelier closed unexpectedly. Restore your canvas, melodies and the message you were writing?",
            parent=self,
        )
        box.setObjectName("recovery-offer")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)

        def answered(_result: int) -> None:
            if box.clickedButton() is restore:
                restored = self.autosave.restore()
                logger.info("restored after a crash: %s", ", ".join(restored) or "nothing")
                self.status.show_notice(
                    "Your work from the last session is back."
                    if restored
                    else "The saved work could not be read; the details are in the log."
                )
            self.autosave.start()

        box.finished.connect(answered)
        box.open()
        self.recovery_offer = box
        return box

    # Device ------------------------------------------------------------------------------------

    def probe_device(self) -> None:
        self.status.set_device("Finding the compute device…")
        self.system_worker.submit("Finding the compute device", _probe_device(self.settings.get("device")))

    def _on_device_probed(self, _handle, report: dict) -> None:
        # torch and the app are loaded now: move their objects out of the cyclic garbage collector's
        # reach, whose full passes over them held the interpreter lock for ~0.1 s and stalled the UI.
        gc.freeze()
        self.device_info = report
        self.status.set_device(str(report["description"]))
        if report.get("notice"):
            self.status.show_notice(str(report["notice"]))

    # Menus and shortcuts -----------------------------------------------------------------------

    def cancel_job(self) -> None:
        """Esc: stop what the user is looking at first, then whatever else runs."""
        if not self.current_tab().cancel_running_job():
            self.status.cancel_current_job()
        self.status.show_cancelling()

    def current_tab(self) -> ActivityTab:
        return self.activity_tabs[self.tabs.currentIndex()]

    # Actions -----------------------------------------------------------------------------------

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.settings, self.device_info["available"] if self.device_info else None, self)
        dialog.accepted.connect(self._apply_preferences)
        dialog.open()
        return dialog

    def _apply_preferences(self) -> None:
        self.menus.dark_theme_action.setChecked(self.settings.get("dark_theme"))
        self.probe_device()

    def set_dark_theme(self, dark: bool) -> None:
        self.settings.set("dark_theme", dark)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, dark)

    def open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file_path().parent)))

    def about_text(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        info = self.device_info or {}
        return (
            f"<h3>Atelier {__version__}</h3>"
            "<p>A local, private creative studio. Nothing you make leaves this computer.</p>"
            f"<p>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version} · "
            f"torch {info.get('torch_version', 'loading…')}</p>"
            f"<p>Compute device: {info.get('description', 'being detected…')}</p>"
            f"<p>Log file: {log_file_path()}</p>"
        )

    def show_about(self) -> None:
        QMessageBox.about(self, "About Atelier", self.about_text())

    # Persistence and shutdown ------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.get("window_geometry")
        if geometry.isEmpty():
            self._place_first_window()
        else:
            self.restoreGeometry(geometry)
        state = self.settings.get("window_state")
        if not state.isEmpty():
            self.restoreState(state)
        self.tabs.setCurrentIndex(min(max(self.settings.get("last_tab"), 0), self.tabs.count() - 1))
        for tab in self.activity_tabs:
            layout = self.settings.get(f"{tab.title.lower()}_layout")
            if not layout.isEmpty():
                tab.splitter.restoreState(layout)
        self.menus.check_shown_panes()

    def _place_first_window(self) -> None:
        """The first window: 1200 x 780, or the screen's free area where that is smaller, centred on it. On a 1280 x 720
        laptop the window's bottom (the status bar, the Generate button) opened below the screen's edge."""
        free = self.screen().availableGeometry()
        size = FIRST_WINDOW_SIZE.boundedTo(free.size() - QSize(0, TITLE_BAR_ROOM)).expandedTo(self.minimumSize())
        self.resize(size)
        self.move(free.left() + (free.width() - size.width()) // 2,
                  free.top() + (free.height() - size.height() - TITLE_BAR_ROOM) // 2)  # the frame's corner

    def save_state(self) -> None:
        self.settings.set("window_geometry", self.saveGeometry())
        self.settings.set("window_state", self.saveState())
        self.settings.set("last_tab", self.tabs.currentIndex())
        for tab in self.activity_tabs:
            self.settings.set(f"{tab.title.lower()}_layout", tab.splitter.saveState())
            tab.remember()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_answered and not self._shut_down:  # shut down: nothing can be kept now
            # asked only here: Paint's compares the canvas with the painting on show, pixel by pixel
            unsaved = [(tab, tab.unsaved_work()) for tab in self.activity_tabs]
            unsaved = [(tab, what) for tab, what in unsaved if what]
            if unsaved:
                event.ignore()  # closed again once answered
                self.ask_to_keep(unsaved)
                return
        self.save_state()
        self.hide()  # gone at once, even while a worker finishes a step it cannot interrupt
        self.shutdown()
        super().closeEvent(event)

    def close_without_asking(self) -> None:
        """Close, losing any work not kept (scripted sessions: the soak, the README's screenshots)."""
        self._closing_answered = True
        self.close()

    def ask_to_keep(self, unsaved: list[tuple[ActivityTab, str]]) -> QMessageBox:
        """Closing with work not kept (melodies on show, a painting not in the history): Save keeps it where Keep
        would, Discard closes without it, Cancel leaves the window open. Asked without blocking: the window
        closes when the answer comes."""
        box = QMessageBox(QMessageBox.Icon.Question, "Atelier", "Keep your work before closing?", parent=self)
        box.setObjectName("keep-before-closing")
        how_save_keeps = list(dict.fromkeys(tab.how_save_keeps for tab, _ in unsaved))  # once each, in tab order
        box.setInformativeText("\n".join([f"{tab.title}: {what}." for tab, what in unsaved] + how_save_keeps))
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def answered(_result: int) -> None:
            answer = box.standardButton(box.clickedButton())
            keeping: list[tuple[ActivityTab, JobHandle]] = []
            if answer == QMessageBox.StandardButton.Save:
                for tab, _ in unsaved:
                    handle = tab.keep_unsaved_work()
                    if handle is not None:
                        keeping.append((tab, handle))
                    elif tab.unsaved_work():  # it could not be kept (Paint with no style to render in)
                        self.status.show_notice(NOT_KEPT)
                        return
            if keeping:
                self._close_once_kept(keeping)
            elif answer in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard):
                self._closing_answered = True
                self.close()

        box.finished.connect(answered)
        box.open()
        self.keep_question = box
        return box

    def _close_once_kept(self, keeping: list[tuple[ActivityTab, JobHandle]]) -> None:
        """Close when the jobs keeping the work (a render) have finished; if one fails or is cancelled (Esc), the
        work is not kept: stay open and say so. Closing again meanwhile closes at once (the render is cancelled)."""
        self._keeping = {handle.id for _, handle in keeping}
        self._closing_answered = True
        self.status.show_notice("Keeping your work, then closing…")

    def _keeping_ended(self, handle: JobHandle, kept: bool) -> None:
        if handle.id not in self._keeping or self._shut_down:
            return
        if not kept:
            self._keeping.clear()
            self._closing_answered = False
            self.status.show_notice(NOT_KEPT)
            return
        self._keeping.discard(handle.id)
        if not self._keeping:
            self.close()

    @property
    def is_shut_down(self) -> bool:
        return self._shut_down

    def shutdown(self) -> None:
        """Cancel running jobs, join the worker threads, close the history. Safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.autosave.stop(clean=True)
        for tab in self.activity_tabs:
            tab.shutdown()
        self.system_worker.shutdown()
        self.store.close()
        logger.info("window closed")
