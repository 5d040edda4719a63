"""Pick one of several paintings made from scratch; the pick goes onto the canvas to paint over."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout

from app.tabs.paint.controls import pixmap_from_array
from app.tabs.paint.jobs import Painting


class SurpriseDialog(QDialog):
    picked = Signal(int)

    def __init__(self, paintings: list[Painting], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paintings from scratch")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Pick one to load onto the canvas and paint over (double-click, or select and OK)."))
        self.list = QListWidget()
        self.list.setAccessibleName("Surprise paintings")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(220, 165))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        for index, painting in enumerate(paintings):
            item = QListWidgetItem(QIcon(pixmap_from_array(painting.pixels)), f"seed {painting.recipe.seed}")
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.picked.emit(item.data(Qt.ItemDataRole.UserRole))
        super().accept()
