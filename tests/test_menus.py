"""The menu bar: every action users look for is in a menu with its keys, the keys do what the menu says
on the tab on show (and only there), File and Edit act on the tab on show, and the README names menus
that exist."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.support.jobs import wait_for_job

README = Path(__file__).resolve().parent.parent / "README.md"


def visible_menus(window) -> dict[str, list]:
    return {
        action.text().replace("&", ""): action.menu()
        for action in window.menuBar().actions()
        if action.isVisible() and action.menu() is not None
    }


def entries(menu) -> dict[str, str]:
    """Entry text (without & marks) -> its keys as the menu shows them."""
    return {a.text().replace("&", ""): a.shortcut().toString() for a in menu.actions() if not a.isSeparator()}


def menu_entry(window, menu_title: str, entry: str):
    menu = visible_menus(window)[menu_title]
    return next(a for a in menu.actions() if a.text().replace("&", "") == entry)


@pytest.fixture
def window(qtbot, main_window):
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window, timeout=5000)
    return main_window


def test_file_and_edit_hold_the_everyday_actions_with_their_keys(window):
    menus = visible_menus(window)
    file_entries = entries(menus["File"])
    assert list(file_entries) == ["New canvas…", "Open image…", "Open MIDI motif…", "Export…", "Recent files", "Quit"]
    assert file_entries["New canvas…"] == "Ctrl+N" and file_entries["Open image…"] == "Ctrl+O"
    assert file_entries["Export…"] == "Ctrl+E" and file_entries["Quit"] == "Ctrl+Q"
    assert entries(menus["Edit"]) == {
        "Undo": "Ctrl+Z",
        "Redo": "Ctrl+Shift+Z",
        "Copy": "Ctrl+C",
        "Paste": "Ctrl+V",
        "Preferences…": "Ctrl+,",
    }


def test_each_tab_has_its_own_menu_shown_with_the_tab(window):
    expected = {
        "Paint": {
            "Render": "Ctrl+Return",
            "Best quality": "",
            "Surprise me": "Ctrl+Shift+Return",
            "Keep": "Ctrl+S",
            "Brush": "B",
            "Eraser": "E",
            "Fill": "F",
            "Pick colour": "I",
            "Train a new style…": "",
        },
        "Compose": {
            "Generate": "Ctrl+Return",
            "Play / stop": "Space",
            "Loop": "L",
            "Regenerate bars": "Ctrl+R",
            "Morph": "Ctrl+M",
            "Harmonize": "",
            "Keep": "Ctrl+S",
            "Train your own style…": "",
        },
        "Chat": {
            "Send": "Ctrl+Return",
            "Regenerate answer": "Ctrl+R",
            "Edit last message": "Ctrl+Up",
            "Copy answer": "Ctrl+Shift+C",
            "New chat": "Ctrl+Shift+N",
        },
    }
    for index, (title, wanted) in enumerate(expected.items()):
        window.tabs.setCurrentIndex(index)
        menus = visible_menus(window)
        assert [name for name in menus if name in expected] == [title]
        shown = entries(menus[title])
        assert {name: shown[name] for name in wanted} == wanted
        assert shown["Stop / cancel job"] == "Esc"
        assert all(action.isEnabled() for action in menus[title].actions())


def test_keys_act_on_the_tab_on_show_only(qtbot, window, compose, paint):
    """Ctrl+S keeps a melody in Compose and never touches Paint; B picks the brush only in Paint."""
    from app.tabs.paint.canvas import Tool

    window.tabs.setCurrentWidget(compose)
    with qtbot.waitSignal(compose.worker.job_finished, timeout=60_000):
        compose.generate()
    qtbot.waitUntil(lambda: compose.variation_list.count() > 0, timeout=60_000)
    compose.variation_list.setFocus()
    paint_keeps = []
    paint.keep_current = lambda: paint_keeps.append(1)  # would be called by a stray Paint binding
    qtbot.keyClick(compose.variation_list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(compose.store.items("melody", starred_only=True)) == 1 and paint_keeps == []

    paint.canvas.tool = Tool.ERASER
    qtbot.keyClick(compose.variation_list, Qt.Key.Key_B)
    assert paint.canvas.tool is Tool.ERASER  # B is Paint's key, and Paint is not on show
    window.tabs.setCurrentWidget(paint)
    paint.canvas.setFocus()
    qtbot.keyClick(paint.canvas, Qt.Key.Key_B)
    assert paint.canvas.tool is Tool.BRUSH


def test_menu_entries_do_what_they_say(qtbot, window, paint):
    window.tabs.setCurrentWidget(paint)
    wait_for_job(
        qtbot, paint, lambda: (menu_entry(window, "Paint", "Render").trigger(), paint._full_job)[1], timeout=60_000
    )
    assert paint.painting is not None and paint.painting.history_id is not None
    best = menu_entry(window, "Paint", "Best quality")
    best.trigger()
    assert paint.controls.best_check.isChecked() and best.isChecked()
    paint.controls.best_check.setChecked(False)
    assert not best.isChecked()


def test_file_open_image_works_from_another_tab_and_lands_in_recent_files(qtbot, window, paint, tmp_path, monkeypatch):
    photo = tmp_path / "harbour.png"
    Image.fromarray(np.full((80, 120, 3), (20, 90, 160), dtype=np.uint8)).save(photo)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(photo), ""))
    window.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(paint.file_used, timeout=30_000):
        menu_entry(window, "File", "Open image…").trigger()
    assert window.current_tab() is paint
    assert (paint.canvas.image.width(), paint.canvas.image.height()) == (120, 80)

    recent = next(a.menu() for a in visible_menus(window)["File"].actions() if a.menu() is not None)
    recent.aboutToShow.emit()
    assert [a.text() for a in recent.actions()][0] == "harbour.png"
    paint.canvas.new_canvas(paint.canvas.image.size() * 2)
    with qtbot.waitSignal(paint.file_used, timeout=30_000):
        recent.actions()[0].trigger()
    assert paint.canvas.image.width() == 120

    photo.unlink()  # gone from disk: taken off the list with a sentence
    recent.aboutToShow.emit()
    recent.actions()[0].trigger()
    recent.aboutToShow.emit()
    assert [a.text() for a in recent.actions()] == ["No recent files"]
    assert "no longer there" in window.status.currentMessage()


def test_edit_undo_acts_on_the_tab_on_show(qtbot, window, paint):
    window.tabs.setCurrentWidget(paint)
    blank = paint.canvas.pixels()
    paint.canvas.new_canvas(paint.canvas.image.size() * 2)
    menu_entry(window, "Edit", "Undo").trigger()
    assert np.array_equal(paint.canvas.pixels(), blank)
    menu_entry(window, "Edit", "Redo").trigger()
    assert not np.array_equal(paint.canvas.pixels(), blank)


def test_every_menu_path_in_the_readme_exists(window):
    named = re.findall(
        r"\b(File|Edit|View|Paint|Compose|Chat|Help) ▸ ([^,.;)(\n]+?…?)(?=[,.;)]|\s\(|$)", README.read_text(), re.M
    )
    assert len(named) >= 4
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        menus = visible_menus(window)
        named = [(m, e) for m, e in named if not (m in menus and e.strip() in entries(menus[m]))]
    assert named == [], f"the README names menu entries the app does not have: {named}"


def test_space_plays_with_the_focus_in_a_number_box(qtbot, window, compose):
    # Session 15 under Xvfb: a musician set the tempo and pressed Space to hear it; the tempo box took the key and
    # nothing played (so in every spin box of the tab; the list, buttons and piano roll passed it on).
    window.tabs.setCurrentWidget(compose)
    with qtbot.waitSignal(compose.worker.job_finished, timeout=60_000):
        compose.generate()
    qtbot.waitUntil(lambda: compose.selected_variation() is not None and compose.selected_variation().audio is not None,
                    timeout=60_000)
    compose.loop_check.setChecked(True)
    tempo = compose.controls.tempo_spin
    before = tempo.value()
    tempo.setFocus()
    with qtbot.waitSignal(compose.transport.player.started, timeout=5000):
        qtbot.keyClick(tempo, Qt.Key.Key_Space)
    qtbot.keyClick(tempo, Qt.Key.Key_Space)
    assert not compose.transport.is_playing
    assert tempo.value() == before and tempo.hasFocus()  # nothing typed into the box, which keeps the focus
    qtbot.keyClick(tempo, Qt.Key.Key_L)
    assert not compose.loop_check.isChecked()  # L is Loop there too
