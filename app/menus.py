"""The menu bar: File, Edit, View, a menu for the tab on show, and Help — every action with its keys.

A tab's own actions (Render, Generate, Keep, Play…) live in its menu, and their keys are the menu
entries' own shortcuts, so what the menu shows is what the keyboard does. Only the menu of the tab on
show is in the menu bar and only its actions are enabled: Ctrl+S keeps a painting in Paint and a
melody in Compose, never both. File and Edit act on the tab on show through ActivityTab's hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QMenu

from app.file_kinds import MIDI_SUFFIXES
from app.recent_files import RecentFiles
from app.tabs.activity_tab import ActivityTab
from app.tabs.paint.canvas import Tool

if TYPE_CHECKING:
    from app.main_window import MainWindow

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"}


def _action(
    parent: QObject,
    text: str,
    slot: Callable[[], Any],
    keys: str | QKeySequence.StandardKey = "",
    mirror: QAbstractButton | None = None,
) -> QAction:
    """A menu action; `mirror` makes it a checkable twin of a check box (both always agree)."""
    action = QAction(text, parent)
    if keys:
        action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if mirror is not None:
        action.setCheckable(True)
        action.setChecked(mirror.isChecked())
        action.toggled.connect(mirror.setChecked)
        mirror.toggled.connect(action.setChecked)
    else:
        action.triggered.connect(lambda _=False: slot())
    return action


class WindowMenus:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.recent = RecentFiles(window.settings)
        paint, compose, chat = window.activity_tabs
        bar = window.menuBar()

        file_menu = bar.addMenu("&File")
        file_menu.addAction(_action(window, "&New canvas…", lambda: self._on(paint).choose_new_canvas(), "Ctrl+N"))
        file_menu.addAction(
            _action(window, "&Open image…", lambda: self._on(paint).choose_image(), QKeySequence.StandardKey.Open)
        )
        file_menu.addAction(
            _action(window, "Open &MIDI motif…", lambda: self._on(compose).choose_motif_file(), "Ctrl+Shift+O")
        )
        self.export_action = _action(window, "&Export…", lambda: window.current_tab().export(), "Ctrl+E")
        file_menu.addAction(self.export_action)
        self.recent_menu = file_menu.addMenu("&Recent files")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        quit_action = _action(window, "&Quit", window.close, "Ctrl+Q")
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)

        edit_menu = bar.addMenu("&Edit")
        current = window.current_tab
        for text, keys, slot in (
            ("&Undo", QKeySequence.StandardKey.Undo, lambda: current().undo()),
            ("&Redo", "Ctrl+Shift+Z", lambda: current().redo()),
            ("&Copy", QKeySequence.StandardKey.Copy, lambda: current().copy()),
            ("&Paste", QKeySequence.StandardKey.Paste, lambda: current().paste()),
        ):
            edit_menu.addAction(_action(window, text, slot, keys))
        edit_menu.addSeparator()
        self.preferences_action = _action(window, "&Preferences…", window.show_preferences, "Ctrl+,")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit_menu.addAction(self.preferences_action)

        view_menu = bar.addMenu("&View")
        for index, tab in enumerate(window.activity_tabs):
            view_menu.addAction(
                _action(window, tab.title, lambda i=index: window.tabs.setCurrentIndex(i), f"Ctrl+{index + 1}")
            )
        view_menu.addSeparator()
        # The side panes, folded or unfolded in every tab at once (one layout for the three): on a small screen
        # the work gets their width.
        self.pane_actions = {
            ActivityTab.CONTROLS: _action(window, "&Controls", lambda: None, "Ctrl+Shift+L"),
            ActivityTab.HISTORY: _action(window, "&History", lambda: None, "Ctrl+H"),
        }
        for pane, action in self.pane_actions.items():
            action.setCheckable(True)
            action.toggled.connect(lambda shown, p=pane: self._show_side_pane(p, shown))
            view_menu.addAction(action)
        for tab in window.activity_tabs:
            tab.splitter.splitterMoved.connect(self.check_shown_panes)
        view_menu.addSeparator()
        self.dark_theme_action = _action(window, "&Dark theme", lambda: None)
        self.dark_theme_action.setCheckable(True)
        self.dark_theme_action.setChecked(window.settings.get("dark_theme"))
        self.dark_theme_action.toggled.connect(window.set_dark_theme)
        view_menu.addAction(self.dark_theme_action)

        # Esc stops what the user is looking at first, then whatever else runs; every tab's menu shows it.
        self.cancel_action = _action(window, "Stop / &cancel job", window.cancel_job, "Esc")
        self.tab_menus: dict[ActivityTab, QMenu] = {
            paint: self._paint_menu(paint),
            compose: self._compose_menu(compose),
            chat: self._chat_menu(chat),
        }
        for menu in self.tab_menus.values():
            bar.addMenu(menu)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction("Open &log folder", window.open_log_folder)
        about_action = help_menu.addAction("&About Atelier", window.show_about)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)

        for tab in window.activity_tabs:
            tab.file_used.connect(self.recent.add)
            tab.open_elsewhere.connect(self.open_file)
        window.tabs.currentChanged.connect(self._show_current_tab_menu)
        self._show_current_tab_menu()

    # The tabs' menus ---------------------------------------------------------------------------

    def _menu(self, title: str, entries: list[QAction | None]) -> QMenu:
        menu = QMenu(title, self.window)
        for entry in [*entries, None, self.cancel_action]:
            if entry is None:
                menu.addSeparator()
            else:
                menu.addAction(entry)
        return menu

    def _paint_menu(self, paint) -> QMenu:
        w, controls = self.window, paint.controls

        def tool(which: Tool) -> Callable[[], None]:
            return lambda: controls.choose_tool(which)

        size = controls.size_slider
        return self._menu(
            "&Paint",
            [
                _action(w, "&Render", paint.render, "Ctrl+Return"),
                _action(w, "&Best quality", lambda: None, mirror=controls.best_check),
                _action(w, "&Live preview", lambda: None, mirror=controls.live_check),
                _action(w, "&Surprise me", paint.surprise, "Ctrl+Shift+Return"),
                None,
                _action(w, "&Keep", paint.keep_current, "Ctrl+S"),
                None,
                _action(w, "&Brush", tool(Tool.BRUSH), "B"),
                _action(w, "&Eraser", tool(Tool.ERASER), "E"),
                _action(w, "&Fill", tool(Tool.FILL), "F"),
                _action(w, "Pick &colour", tool(Tool.EYEDROPPER), "I"),
                # A fifth smaller, and at least a pixel: rounding alone stopped at 2 px.
                _action(w, "Smaller brush", lambda: size.setValue(min(size.value() - 1, round(size.value() / 1.25))),
                        "["),
                _action(w, "Larger brush", lambda: size.setValue(round(size.value() * 1.25) + 1), "]"),
                None,
                _action(w, "&Train a new style…", paint.show_train_dialog),
            ],
        )

    def _compose_menu(self, compose) -> QMenu:
        w = self.window
        return self._menu(
            "&Compose",
            [
                _action(w, "&Generate", compose.generate, "Ctrl+Return"),
                _action(w, "&Play / stop", compose.toggle_play, "Space"),
                _action(w, "&Loop", lambda: None, "L", mirror=compose.loop_check),
                None,
                _action(w, "&Regenerate bars", compose.regenerate_bars, "Ctrl+R"),
                _action(w, "&Morph", compose.morph_selected, "Ctrl+M"),
                _action(w, "&Harmonize", lambda: None, mirror=compose.controls.harmonize_check),
                None,
                _action(w, "&Keep", compose.keep_selected, "Ctrl+S"),
                None,
                _action(w, "&Train your own style…", compose.show_train_dialog),
            ],
        )

    def _chat_menu(self, chat) -> QMenu:
        w = self.window
        return self._menu(
            "C&hat",
            [
                _action(w, "&Send", chat.send, "Ctrl+Return"),
                _action(w, "&Regenerate answer", chat.regenerate, "Ctrl+R"),
                _action(w, "&Edit last message", chat.edit_last, "Ctrl+Up"),
                _action(w, "Copy &answer", chat.copy_last_answer, "Ctrl+Shift+C"),
                None,
                _action(w, "&New chat", chat.new_conversation, "Ctrl+Shift+N"),
                _action(w, "Re&name chat…", chat.rename_current),
                _action(w, "&Delete chat", chat.delete_current),
            ],
        )

    def _show_current_tab_menu(self, *_: object) -> None:
        current = self.window.current_tab()
        for tab, menu in self.tab_menus.items():
            menu.menuAction().setVisible(tab is current)
            for action in menu.actions():
                if action is not self.cancel_action:
                    action.setEnabled(tab is current)
        self.check_shown_panes()

    # The side panes ----------------------------------------------------------------------------

    def check_shown_panes(self, *_: object) -> None:
        """Tick View ▸ Controls / History as the tab on show has them (after a drag, a restored layout)."""
        current = self.window.current_tab()
        for pane, action in self.pane_actions.items():
            action.blockSignals(True)
            action.setChecked(current.side_pane_shown(pane))
            action.blockSignals(False)

    def _show_side_pane(self, pane: int, shown: bool) -> None:
        for tab in self.window.activity_tabs:
            tab.show_side_pane(pane, shown)

    # File helpers ------------------------------------------------------------------------------

    def _on(self, tab: ActivityTab) -> ActivityTab:
        """Bring `tab` forward (File ▸ Open image… works from any tab) and return it."""
        self.window.tabs.setCurrentWidget(tab)
        return tab

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for path in paths:
            self.recent_menu.addAction(path.name, lambda p=path: self.open_recent(p)).setToolTip(str(path))
        if not paths:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear recent files", self.recent.clear)

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            self.recent.remove(path)
            self.window.status.show_notice(f"{path.name} is no longer there; it was taken off Recent files.")
        else:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """A MIDI file as Compose's motif, anything else as a picture on the Paint canvas, on its tab brought forward."""
        paint, compose, _ = self.window.activity_tabs
        if path.suffix.lower() in MIDI_SUFFIXES:
            self._on(compose).open_motif_file(path)
        else:
            self._on(paint).open_image(path)
