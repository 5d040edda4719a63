"""File ▸ Recent files is written to the settings file off the UI thread, in order, and read back by the next start."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings

from app.recent_files import MAX_RECENT, RecentFiles
from app.settings import Settings


def test_the_list_is_written_by_its_own_thread_and_read_back_next_time(tmp_path, monkeypatch):
    settings = Settings(str(tmp_path / "atelier.ini"))
    synced_on = []
    real_sync = QSettings.sync

    def sync(qsettings):
        synced_on.append(threading.current_thread() is threading.main_thread())
        real_sync(qsettings)

    monkeypatch.setattr(QSettings, "sync", sync)
    recent = RecentFiles(settings)
    names = [tmp_path / f"picture {index}.png" for index in range(MAX_RECENT + 3)]
    for path in names:
        recent.add(path)
    recent.add(names[5])
    recent.remove(names[-1])
    # the newest ten (12 down to 3), 5 brought to the front again, 12 taken off
    expected = [names[index].resolve() for index in (5, 11, 10, 9, 8, 7, 6, 4, 3)]
    assert recent.paths() == expected  # at once, before it is written
    recent.flush()
    assert synced_on and not any(synced_on)  # every write on the writer's thread
    assert settings.get("recent_files") == Settings(str(tmp_path / "atelier.ini")).get("recent_files")

    settings.set("dark_theme", False)  # the window's own settings written later keep the list
    real_sync(settings._qsettings)
    assert RecentFiles(Settings(str(tmp_path / "atelier.ini"))).paths() == expected


def test_clear_empties_the_list_on_disk_too(tmp_path):
    settings = Settings(str(tmp_path / "atelier.ini"))
    recent = RecentFiles(settings)
    recent.add(tmp_path / "a.mid")
    recent.clear()
    recent.flush()
    assert recent.paths() == [] and RecentFiles(Settings(str(tmp_path / "atelier.ini"))).paths() == []
