"""The main window: three tabs, menus, device in the status bar, and state that survives a restart."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import QMessageBox

from app.settings import REGISTRY, Settings


def test_settings_have_typed_defaults(tmp_path):
    settings = Settings(str(tmp_path / "s.ini"))
    for name, setting in REGISTRY.items():
        assert settings.get(name) == setting.default
    settings.set("dark_theme", False)
    settings.set("last_tab", "2")
    settings.sync()
    reopened = Settings(str(tmp_path / "s.ini"))
    assert reopened.get("dark_theme") is False
    assert reopened.get("last_tab") == 2


def test_settings_from_an_older_version_are_upgraded(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from app import settings as settings_module

    path = str(tmp_path / "old.ini")
    old = QSettings(path, QSettings.Format.IniFormat)
    old.setValue("settings_version", 0)
    old.setValue("gpu", "cuda")  # a key an old version used
    old.sync()

    def rename_gpu_to_device(qsettings):
        qsettings.setValue("device", qsettings.value("gpu"))
        qsettings.remove("gpu")

    monkeypatch.setattr(settings_module, "UPGRADES", {0: rename_gpu_to_device})
    settings = Settings(path)
    assert settings.get("device") == "cuda"


def test_window_has_three_tabs_menus_and_device(qtbot, main_window):
    assert [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())] == ["Paint", "Compose", "Chat"]
    main_window.tabs.setCurrentIndex(0)
    menus = [action.text().replace("&", "") for action in main_window.menuBar().actions() if action.isVisible()]
    assert menus == ["File", "Edit", "View", "Paint", "Help"]
    qtbot.waitUntil(lambda: main_window.device_info is not None, timeout=20_000)
    assert main_window.status.device_label.text().startswith("CPU, ")
    about = main_window.about_text()
    for expected in ("Atelier 0.1.0", "Python", "Qt", "torch", "CPU, "):
        assert expected in about


def test_tab_shortcuts_switch_tabs(qtbot, main_window):
    main_window.show()
    qtbot.waitExposed(main_window)
    view_menu = main_window.menuBar().actions()[2].menu()
    chat = next(a for a in view_menu.actions() if a.text() == "Chat")
    assert chat.shortcut().toString() == "Ctrl+3"
    chat.trigger()
    assert main_window.tabs.currentIndex() == 2


def test_preferences_and_geometry_persist_across_restart(qtbot, data_dir):
    from app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.setGeometry(QRect(20, 30, 760, 500))
    window.tabs.setCurrentIndex(1)
    window.activity_tabs[1].splitter.setSizes([300, 400, 0])  # the user hid the history panel
    qtbot.waitUntil(lambda: window.device_info is not None, timeout=20_000)
    dialog = window.show_preferences()
    dialog.device_combo.setCurrentIndex(dialog.device_combo.findData("cpu"))
    dialog.dark_theme_check.setChecked(False)
    dialog.data_dir_edit.setText(str(data_dir / "elsewhere"))
    dialog.accept()
    window.close()

    reopened = MainWindow()
    qtbot.addWidget(reopened)
    try:
        assert reopened.tabs.currentIndex() == 1
        assert reopened.activity_tabs[1].splitter.sizes()[2] == 0
        assert reopened.size().width() == 760 and reopened.size().height() == 500
        assert reopened.settings.get("device") == "cpu"
        assert reopened.settings.get("dark_theme") is False
        assert reopened.settings.get("data_dir") == str(data_dir / "elsewhere")
        assert isinstance(reopened.settings.get("window_geometry"), QByteArray)
    finally:
        reopened.shutdown()


def test_preferences_list_devices_that_exist(qtbot, main_window):
    qtbot.waitUntil(lambda: main_window.device_info is not None, timeout=20_000)
    dialog = main_window.show_preferences()
    model = dialog.device_combo.model()
    enabled = {dialog.device_combo.itemData(i): model.item(i).isEnabled() for i in range(dialog.device_combo.count())}
    assert enabled["auto"] and enabled["cpu"]
    assert enabled["cuda"] == main_window.device_info["available"]["cuda"]
    assert dialog.audio_combo.itemText(0) == "System default"
    dialog.reject()


def test_uncaught_exception_shows_dialog_and_app_keeps_running(qtbot, main_window, data_dir):
    from app.gui import handle_uncaught_exception
    from app.log import setup_logging

    setup_logging()
    try:
        raise KeyError("missing-thing")
    except KeyError as error:
        handle_uncaught_exception(type(error), error, error.__traceback__)
    boxes = [w for w in main_window.findChildren(QMessageBox)] + [
        w for w in qtbot_top_level_widgets() if isinstance(w, QMessageBox)
    ]
    assert any("missing-thing" in box.text() for box in boxes)
    assert "KeyError" in (data_dir / "logs" / "atelier.log").read_text()
    for box in boxes:
        box.close()
    main_window.tabs.setCurrentIndex(1)
    assert main_window.tabs.currentIndex() == 1


def qtbot_top_level_widgets():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()


def test_closing_cancels_running_jobs_and_joins_threads(qtbot, main_window):
    from tests.test_jobs_and_workers import heavy_torch_job

    worker = main_window.activity_tabs[1].worker
    with qtbot.waitSignal(worker.job_progress, timeout=10_000):
        worker.submit("Heavy", heavy_torch_job)
    main_window.close()
    assert all(not tab.worker._thread.isRunning() for tab in main_window.activity_tabs)


def test_closing_waits_for_a_step_that_cannot_be_interrupted(qtbot, main_window):
    import time

    from models.jobs import Progress, Result

    def loading_a_big_model(context):
        yield Progress(None, "loading")
        time.sleep(6)  # longer than any fixed wait: the thread must still be joined, never destroyed running
        yield Result("loaded")

    worker = main_window.activity_tabs[2].worker
    with qtbot.waitSignal(worker.job_progress, timeout=10_000):
        worker.submit("Loading", loading_a_big_model)
    main_window.close()
    assert not main_window.isVisible()
    assert all(not tab.worker._thread.isRunning() for tab in main_window.activity_tabs)


def test_preferences_show_the_data_folder_in_use_and_why(qtbot, main_window, data_dir, tmp_path, monkeypatch):
    from app.preferences import PreferencesDialog

    dialog = main_window.show_preferences()
    note = dialog.data_dir_note.text()
    assert f"In use now: {data_dir} (set by the ATELIER_DATA_DIR environment variable)" in note
    assert "Standard place" not in dialog.data_dir_edit.placeholderText()
    dialog.reject()

    # Without the variable (and with the standard folders moved into tmp_path, not the user's own):
    monkeypatch.delenv("ATELIER_DATA_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    from app.paths import default_data_dir, use_data_dir

    standard_folder = default_data_dir()
    assert standard_folder.is_relative_to(tmp_path / "share")
    settings = Settings()
    use_data_dir(None)  # the data folder is resolved once a run: start a new one
    standard = PreferencesDialog(settings, None)
    assert f"In use now: {standard_folder} (the standard place for your system)" in standard.data_dir_note.text()
    assert str(standard_folder) in standard.data_dir_edit.placeholderText()
    settings.set("data_dir", str(tmp_path / "mine"))
    settings.sync()
    use_data_dir(None)
    chosen = PreferencesDialog(settings, None)
    assert f"In use now: {tmp_path / 'mine'} (chosen in Preferences)" in chosen.data_dir_note.text()
