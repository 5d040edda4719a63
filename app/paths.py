"""Where Atelier keeps things: the user's data folder, its logs, and the shipped resources.

The data folder is `ATELIER_DATA_DIR` when set (tests use it, so they never touch a real user's
files), else the folder chosen in Preferences, else Qt's AppDataLocation. Settings live in the
config folder (or in `ATELIER_DATA_DIR`), so that moving the data folder cannot lose them. Resources resolve both from a checkout and from a
PyInstaller bundle (`sys._MEIPASS`); nothing is ever written inside the bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Atelier"
ORGANIZATION = "Atelier"
DATA_DIR_VARIABLE = "ATELIER_DATA_DIR"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def _standard_location(location_name: str) -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    # QStandardPaths names the folder after the application; set it even before a QApplication exists.
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    location = getattr(QStandardPaths.StandardLocation, location_name)
    return Path(QStandardPaths.writableLocation(location))


def default_data_dir() -> Path:
    return _standard_location("AppDataLocation")


def settings_path() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    folder = Path(override).expanduser() if override else _standard_location("AppConfigLocation")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "settings.ini"


def data_dir() -> Path:
    """The user's data folder (created on first use)."""
    path, _ = data_dir_in_use()
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir_in_use() -> tuple[Path, str]:
    """The data folder and, in words for Preferences, why it is that one."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser(), f"set by the {DATA_DIR_VARIABLE} environment variable"
    from app.settings import Settings

    chosen = Settings().get("data_dir")
    if chosen:
        return Path(chosen).expanduser(), "chosen in Preferences"
    return default_data_dir(), "the standard place for your system"


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_models_dir() -> Path:
    """Styles and melody models the user trained."""
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def history_database_path() -> Path:
    return data_dir() / "history.sqlite3"
