"""Every place Atelier keeps the user's things, named once: the app, the CLI and the tests all ask here.

The data folder is resolved once per run (the first time anything asks, at start-up):
`ATELIER_DATA_DIR` when set (tests use it, so they never touch a real user's files), else the folder
chosen in Preferences (a change takes effect at the next start), else Qt's AppDataLocation.
Settings live in the config folder (or in `ATELIER_DATA_DIR`), so that moving the data folder cannot
lose them. Shipped files are found through `models.resources`; nothing is written there.

This module imports nothing from the rest of the app (app.settings imports it, never the reverse).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

APP_NAME = "Atelier"
ORGANIZATION = "Atelier"
DATA_DIR_VARIABLE = "ATELIER_DATA_DIR"
DATA_DIR_SETTING = "data_dir"  # the Preferences entry (declared in app.settings.REGISTRY under this name)

_data_dir: tuple[Path, str] | None = None  # (folder, why), resolved once: see data_dir_in_use()


def _standard_location(location_name: str) -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    # QStandardPaths names the folder after the application; set it even before a QApplication exists.
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    location = getattr(QStandardPaths.StandardLocation, location_name)
    return Path(QStandardPaths.writableLocation(location))


# A folder that cannot be made (a read-only data folder, a full disk) is still named: asking where
# things live must not fail; whatever writes there says so in a sentence.
_CANNOT_WRITE = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC)


def _folder(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if error.errno not in _CANNOT_WRITE:
            raise
    return path


def default_data_dir() -> Path:
    return _standard_location("AppDataLocation")


def settings_path() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    folder = Path(override).expanduser() if override else _standard_location("AppConfigLocation")
    return _folder(folder) / "settings.ini"


def _chosen_data_dir() -> str:
    """The folder chosen in Preferences, read without the settings registry (which imports this module)."""
    from PySide6.QtCore import QSettings

    value = QSettings(str(settings_path()), QSettings.Format.IniFormat).value(DATA_DIR_SETTING, "")
    return str(value or "").strip()


def resolve_data_dir() -> tuple[Path, str]:
    """Work out the data folder now: `ATELIER_DATA_DIR`, else the Preferences choice, else the standard
    place; with, in words for Preferences, why it is that one."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser(), f"set by the {DATA_DIR_VARIABLE} environment variable"
    chosen = _chosen_data_dir()
    if chosen:
        return Path(chosen).expanduser(), "chosen in Preferences"
    return default_data_dir(), "the standard place for your system"


def use_data_dir(path: Path | None, reason: str = "chosen for this run") -> None:
    """Fix the data folder for the rest of this run; None forgets it (the next use resolves it again).
    Tests and the self-test's window check point it at a temporary folder."""
    global _data_dir
    _data_dir = (Path(path), reason) if path is not None else None


def data_dir_in_use() -> tuple[Path, str]:
    """The data folder of this run (resolved on first use, then the same for the whole run) and why it is that
    one. Created, and styles left in the old folder moved, when it is first resolved."""
    global _data_dir
    if _data_dir is None:
        _data_dir = resolve_data_dir()
        _folder(_data_dir[0])
        try:
            _move_legacy_paint_styles(_data_dir[0] / "models")
        except OSError as error:  # left where they are; moved at a start when the folder is writable
            if error.errno not in _CANNOT_WRITE:
                raise
    return _data_dir


def data_dir() -> Path:
    """The user's data folder (the same for the whole run; created if missing)."""
    return _folder(data_dir_in_use()[0])


# The folders inside it ---------------------------------------------------------------------------


def logs_dir() -> Path:
    return _folder(data_dir() / "logs")


def history_database_path() -> Path:
    return data_dir() / "history.sqlite3"


def user_models_dir() -> Path:
    """Everything the user trained: `styles/` (painting) and `melody/`."""
    return _folder(data_dir() / "models")


def paint_styles_dir() -> Path:
    """Painting styles the user trained: the Paint tab's Train dialog and `atelier train-style` both save here,
    and the Paint tab and `atelier paint --style NAME` both look here."""
    return _folder(user_models_dir() / "styles")


def melody_styles_dir() -> Path:
    """Melody styles the user trained (the Compose tab's Train dialog and `atelier train-melody`)."""
    return _folder(user_models_dir() / "melody")


def paintings_dir() -> Path:
    """Every full render the Paint tab keeps: the PNG with its recipe, its canvas and a thumbnail."""
    return _folder(data_dir() / "paintings")


def style_thumbnails_dir() -> Path:
    """Thumbnails rendered once for the user's own styles, named by checkpoint hash."""
    return _folder(data_dir() / "thumbnails")


def melodies_dir() -> Path:
    """MIDI files of the melodies kept in the Compose tab."""
    return _folder(data_dir() / "melodies")


def recovery_dir() -> Path:
    """What the window saves while you work (canvas, variations, the chat draft), offered back after a crash."""
    return _folder(data_dir() / "recovery")


def drag_dir() -> Path:
    """MIDI files written for a drag out of the Compose tab (the receiving app reads them later)."""
    return _folder(data_dir() / "drag")


def _move_legacy_paint_styles(models: Path) -> None:
    """`atelier train-style` used to save to models/paint, where the Paint tab never looked:
    move those styles (checkpoint, description, training state, references) into models/styles. A file
    whose name is taken there stays where it is."""
    legacy = models / "paint"
    if not legacy.is_dir():
        return
    target = models / "styles"
    for path in sorted(legacy.rglob("*")):
        destination = target / path.relative_to(legacy)
        if path.is_file() and not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
    for folder in sorted((p for p in legacy.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(legacy.iterdir()):
        legacy.rmdir()
