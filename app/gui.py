"""Start the desktop app: check for a display, set up logging and the crash handler, show the window."""

from __future__ import annotations

import os
import sys
import traceback
from types import TracebackType

from app.log import logger, setup_logging
from models.jobs import JobError

NO_DISPLAY_MESSAGE = (
    "Atelier needs a display. On a machine without one run it as `xvfb-run -a atelier`, "
    "or set QT_QPA_PLATFORM=offscreen to run it without showing a window."
)

_open_error_dialogs: list = []


def display_available() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def handle_uncaught_exception(
    exc_type: type[BaseException], exc_value: BaseException, exc_traceback: TracebackType | None
) -> None:
    """Log the traceback and tell the user in a dialog; the app keeps running."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc_value, exc_traceback)
        return
    logger.error("uncaught exception:\n%s", "".join(traceback.format_exception(exc_type, exc_value, exc_traceback)))
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.errors import user_message

    if QApplication.instance() is None:
        return
    message = user_message(exc_value)
    # A failure of the world (a full or read-only disk, a refused file, memory) is said where the user is
    # looking: the current tab's message bar. A bug gets the dialog below.
    if isinstance(exc_value, (JobError, OSError, MemoryError)) and _show_in_current_tab(message):
        return
    box = QMessageBox(QMessageBox.Icon.Warning, "Atelier", message)
    box.setInformativeText("Atelier is still running; your work is kept. The details are in the log file.")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("uncaught-exception-dialog")
    _open_error_dialogs.append(box)  # without a reference Python would delete the dialog at once
    box.finished.connect(lambda *_: _open_error_dialogs.remove(box))
    box.show()


def _show_in_current_tab(message: str) -> bool:
    """Put `message` in the message bar of the window's current tab; False when there is no such bar."""
    from PySide6.QtWidgets import QApplication

    from app.tabs.activity_tab import say_in_tab

    for widget in QApplication.topLevelWidgets():
        current_tab = getattr(widget, "current_tab", None)
        if getattr(widget, "is_shut_down", False):  # a window closed but not yet deleted
            continue
        if callable(current_tab) and say_in_tab(current_tab(), message, error=True):
            return True
    return False


def set_application_icon(app) -> None:
    """The window icon, and the desktop entry's name so that Wayland docks match the window to it."""
    from PySide6.QtGui import QIcon

    from models.resources import resource

    icon = resource("icons", "atelier.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setDesktopFileName("atelier")  # build_scripts/atelier.desktop, installed as atelier.desktop


def run_gui() -> int:
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.paths import APP_NAME, ORGANIZATION
    from app.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    set_application_icon(app)
    try:
        logger.info("Atelier starting; log at %s", setup_logging())
    except OSError as error:  # the window says so once it is up (a read-only or full data folder)
        logger.warning("Atelier starting without a log file (%s)", error)
    sys.excepthook = handle_uncaught_exception
    window = MainWindow()
    apply_theme(app, window.settings.get("dark_theme"))
    app.aboutToQuit.connect(window.shutdown)  # however the app quits, the workers are joined first
    window.show()
    from app.startup_timer import exit_after_show_requested, report_shown_and_quit

    if exit_after_show_requested():  # bench/startup.py: time to window shown, then quit
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, report_shown_and_quit)
    return app.exec()
