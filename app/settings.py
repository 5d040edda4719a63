"""Typed settings with defaults, stored with QSettings, upgraded when their layout changes.

Every setting is declared once in `REGISTRY` with its type and default, as MusicBrainz Picard
does; code reads `settings.get("device")` and never spells a QSettings key or a default twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.paths import DATA_DIR_SETTING, settings_path

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str


REGISTRY: dict[str, Setting] = {
    setting.name: setting
    for setting in [
        Setting("device", str, "auto", "Compute device: auto, cpu, cuda or mps"),
        Setting("audio_output", str, "", "Audio output device name; empty means the system default"),
        Setting(DATA_DIR_SETTING, str, "", "Data folder chosen by the user; empty means the standard place"),
        Setting("dark_theme", bool, True, "Use the dark palette"),
        Setting("chat_server_url", str, "", "A local LLM server the user runs (Ollama, OpenAI-compatible); empty: built-in"),
        Setting("last_tab", int, 0, "Tab shown when the window last closed"),
        Setting("paint_style", str, "", "The Paint tab's style last chosen (its checkpoint's path); empty: the first"),
        Setting("compose_recipe", str, "", "The Compose tab's controls when the window last closed (a melody request "
                "as JSON); empty: the defaults"),
        Setting("compose_loop", bool, False, "Whether Compose's Loop was on when the window last closed"),
        Setting("compose_bars", str, "", "The bars Compose had chosen to regenerate when the window last closed "
                "('first-last', the first guess for the next melodies); empty: the second half's opening bar"),
        Setting("chat_draft", str, "", "The Chat message typed but not sent, kept by Save on closing (JSON: draft and "
                "conversation); empty: none"),
        Setting("recent_files", str, "[]", "File ▸ Recent files: a JSON list of paths, newest first"),
        Setting("window_geometry", QByteArray, QByteArray(), "Main window position and size"),
        Setting("window_state", QByteArray, QByteArray(), "Dock and toolbar layout"),
        *[
            Setting(f"{tab}_layout", QByteArray, QByteArray(), f"Panel sizes of the {tab.title()} tab")
            for tab in ("paint", "compose", "chat")
        ],
    ]
}

# Upgrades from version N to N+1, applied in order to settings written by older versions.
UPGRADES: dict[int, Callable[[QSettings], None]] = {}


class Settings:
    """The app's settings, read and written through the typed registry."""

    def __init__(self, path: str | None = None) -> None:
        self._qsettings = QSettings(str(path or settings_path()), QSettings.Format.IniFormat)
        self._upgrade()

    def _upgrade(self) -> None:
        version = int(str(self._qsettings.value("settings_version", 0)))
        if version == 0 and not self._qsettings.allKeys():
            version = SETTINGS_VERSION  # a fresh file needs no upgrade
        while version < SETTINGS_VERSION:
            upgrade = UPGRADES.get(version)
            if upgrade is not None:
                upgrade(self._qsettings)
            version += 1
        self._qsettings.setValue("settings_version", SETTINGS_VERSION)

    def get(self, name: str) -> Any:
        setting = REGISTRY[name]
        raw = self._qsettings.value(name, setting.default)
        return _coerce(raw, setting)

    def set(self, name: str, value: Any) -> None:
        setting = REGISTRY[name]
        self._qsettings.setValue(name, _coerce(value, setting))

    def sync(self) -> None:
        self._qsettings.sync()

    @property
    def file_name(self) -> str:
        return self._qsettings.fileName()


def _coerce(raw: Any, setting: Setting) -> Any:
    """Turn what QSettings hands back (often a string from an INI file) into the declared type."""
    if raw is None:
        return setting.default
    if setting.type is bool:
        if isinstance(raw, str):
            return raw.strip().lower() in ("true", "1", "yes", "on")
        return bool(raw)
    if setting.type is QByteArray:
        return raw if isinstance(raw, QByteArray) else QByteArray(raw)
    try:
        return setting.type(raw)
    except (TypeError, ValueError):
        return setting.default
