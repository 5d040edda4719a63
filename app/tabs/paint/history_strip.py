"""The Paint tab's history strip: what was made on purpose (history.py says what and how it is labelled),
newest first; ★ marks the kept ones. Right-click an entry to star or unstar it or to remove it (Delete does too).
It also minds the one render after a pause that is shown but not kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QListWidgetItem, QMenu, QVBoxLayout, QWidget

from app.paths import paintings_dir
from app.store import Store
from app.tabs.hint_list import HintList
from app.tabs.paint import history, jobs
from app.tabs.paint.jobs import Painting, thumbnail_of
from models.paint.recipe import PaintRecipe

SHOWN = 200  # the newest renders in the strip
ICON_SIZE = QSize(120, 90)
CELL = QSize(150, 150)  # an entry: its thumbnail and up to three lines of label
LABEL_ROOM = CELL.height() - ICON_SIZE.height()


class _EntryList(HintList):
    """The entries in as many columns as fit; in a strip narrower than one cell, one column as wide as the strip, the
    thumbnails smaller: at its narrowest (70 px, a 720-px window) the strip showed half a thumbnail and scrolled
    sideways."""

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        if width >= CELL.width():
            cell, icon = CELL, ICON_SIZE
        else:
            icon = ICON_SIZE.scaled(max(width - (CELL.width() - ICON_SIZE.width()), 16), ICON_SIZE.height(),
                                    Qt.AspectRatioMode.KeepAspectRatio)
            cell = QSize(max(width, 1), icon.height() + LABEL_ROOM)
        if cell != self.gridSize():
            self.setIconSize(icon)
            self.setGridSize(cell)


class HistoryStrip(QWidget):
    refreshed = Signal()  # the entries were read again (one added, starred, unstarred or removed)

    def __init__(self, store: Store, run_job: Callable[..., Any], remove: Callable[[int], Any],
                 parent: QWidget | None = None) -> None:
        """`remove(item_id)` is asked to remove an entry (the tab confirms, and minds the painting on show)."""
        super().__init__(parent)
        self.store, self.run_job, self._remove = store, run_job, remove
        self.unsaved: Painting | None = None  # the last render after a pause, not in the history
        # Each entry's picture, decoded once at the size it is shown and kept while it is in the strip. A QIcon of
        # the file decoded the whole thumbnail again at every refresh (after every render: 0.65 s with 200 entries
        # at load 14), kept it decoded, and scaled copies filled Qt's pixmap cache: +24 MB at 200 entries, about a
        # fifth of the soak's hourly heap growth (session 15).
        self._icons: dict[tuple[str, int], QIcon] = {}  # by file and its modification time
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, layout.contentsMargins().top(), 0, layout.contentsMargins().bottom())
        layout.addWidget(QLabel("<b>History</b>"))
        self.list = _EntryList("Each Render appears here, newest first. Click one to bring it back; ☆ Keep (Ctrl+S) "
                               "stars the ones to keep.")
        self.list.setAccessibleName("Paint history")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(ICON_SIZE)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        # Labels wrap under their thumbnails in cells of one width, so what differs is never cut off.
        self.list.setWordWrap(True)
        self.list.setGridSize(CELL)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        delete = QAction("Remove from history", self.list)
        delete.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)])
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._remove_current)
        self.list.addAction(delete)
        layout.addWidget(self.list)
        self.refresh()

    def add(self, painting: Painting, style_title: str, how: str = "", starred: bool = False) -> None:
        """Into the history (saved to disk first when it is not yet, as a Surprise pick is not)."""

        def add(saved: Painting) -> None:
            history.add_painting(self.store, saved, history.painting_label(saved, style_title, how), starred)
            if saved is self.unsaved:
                self.unsaved = None
            self.refresh()

        if painting.saved_path is None:
            self.run_job("Keeping the painting", jobs.save_painting(painting, paintings_dir()), add)
        else:
            add(painting)

    def shown_unsaved(self, painting: Painting) -> None:
        """A render after a pause is on show: it replaces the previous one, whose files go."""
        history.delete_unsaved(self.unsaved)
        self.unsaved = painting

    def forget_unsaved(self) -> None:
        history.delete_unsaved(self.unsaved)
        self.unsaved = None

    def star(self, item_id: int, starred: bool = True) -> None:
        self.store.set_starred(item_id, starred)
        self.refresh()

    def menu_for(self, entry: QListWidgetItem) -> QMenu:
        """Star or unstar, and remove, for one entry."""
        item_id = entry.data(Qt.ItemDataRole.UserRole)
        item = self.store.item(item_id)
        menu = QMenu(self.list)
        starred = item is not None and item.starred
        menu.addAction("Unstar" if starred else "Star (keep)", lambda: self.star(item_id, not starred))
        menu.addAction("Remove from history…", lambda: self._remove(item_id))
        return menu

    def _show_menu(self, position: QPoint) -> None:
        entry = self.list.itemAt(position)
        if entry is not None:
            self.menu_for(entry).exec(self.list.viewport().mapToGlobal(position))

    def _remove_current(self) -> None:
        entry = self.list.currentItem()
        if entry is not None:
            self._remove(entry.data(Qt.ItemDataRole.UserRole))

    def remove(self, item_id: int) -> None:
        """Out of the history, its picture, canvas and thumbnail deleted."""
        item = self.store.item(item_id)
        self.store.delete_item(item_id)
        if item is not None and item.paths:
            history.delete_painting_files(item.paths[0], item.paths[1] if len(item.paths) > 1 else None)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        icons: dict[tuple[str, int], QIcon] = {}
        for item in self.store.items("painting", limit=SHOWN):
            if not item.paths or not Path(item.paths[0]).exists():
                continue
            thumbnail = thumbnail_of(Path(item.paths[0]))
            picture = thumbnail if thumbnail.exists() else Path(item.paths[0])
            try:
                key = (str(picture), picture.stat().st_mtime_ns)
            except OSError:  # deleted since (an unsaved render's files go when the next one shows)
                continue
            icon = icons[key] = self._icons.get(key) or self._icon(str(picture))
            entry = QListWidgetItem(icon, ("★ " if item.starred else "") + item.title)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setToolTip(f"{item.title}. Click to bring back its canvas, settings and result.")
            self.list.addItem(entry)
        self._icons = icons  # those no longer shown go
        self.refreshed.emit()

    def _icon(self, path: str) -> QIcon:
        """The picture at `path` no larger than the strip shows it (on this screen's pixel density)."""
        image = QImage(path)
        ratio = self.devicePixelRatioF()
        size = QSize(round(ICON_SIZE.width() * ratio), round(ICON_SIZE.height() * ratio))
        if image.width() > size.width() or image.height() > size.height():
            image = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        return QIcon(pixmap)

    def entry(self, entry: QListWidgetItem) -> tuple[int, PaintRecipe, list[Path]] | None:
        """The id, recipe and files (the painting, its canvas) of a history entry; ValueError with a
        sentence when its recipe cannot be read; None when it is gone."""
        item = self.store.item(entry.data(Qt.ItemDataRole.UserRole))
        if item is None:
            return None
        return item.id, PaintRecipe.from_json(item.params), [Path(p) for p in item.paths[:2]]
