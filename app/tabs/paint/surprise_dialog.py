"""Pick one of several paintings made from scratch, painted small and each shown the moment it is ready; the
pick's scene sketch goes onto the canvas to paint over, and the pick is painted at full size as the result."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from app.tabs.paint.controls import pixmap_from_array
from app.tabs.paint.jobs import Painting, paint, paint_and_keep
from app.worker import JobHandle
from models.paint.recipe import PaintRecipe

ICON = QSize(240, 160)


class SurpriseDialog(QDialog):
    picked = Signal(object)  # the Painting chosen (painted small)

    def __init__(self, count: int, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paintings from scratch")
        self.paintings: list[Painting | None] = [None] * count
        self.jobs: list[JobHandle] = []  # the choices
        self.pick_job: JobHandle | None = None
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            "Painting small copies… each appears as soon as it is ready. Pick one (double-click, or select and "
            "OK): its sketch goes onto the canvas to paint over, and it is painted at full size."
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.list = QListWidget()
        self.list.setAccessibleName("Surprise paintings")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(ICON)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        waiting = QPixmap(ICON)
        waiting.fill(QColor(128, 128, 128, 60))
        for index in range(count):
            item = QListWidgetItem(QIcon(waiting), f"painting {index + 1} of {count}…")
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.list.currentRowChanged.connect(lambda _: self._update_ok())
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.rejected.connect(self.cancel_jobs)
        layout.addWidget(self.buttons)
        self._update_ok()
        self.resize(820, 560)

    def paint(self, recipes: list[PaintRecipe], run_job: Callable[..., JobHandle], folder: Path,
              on_pick_painted: Callable[[Painting, Painting], None]) -> JobHandle:
        """Open, and paint each recipe small (the full painting's scene) as a job of its own (`run_job`: the
        tab's), shown here as soon as it is finished; the pick will be kept in `folder` and handed to
        `on_pick_painted(pick, painting)` (the tab's, so this dialog may go before it is done). Returns the last job."""
        self._run_job, self._folder, self._on_pick_painted = run_job, folder, on_pick_painted
        for index, recipe in enumerate(recipes):
            self.jobs.append(run_job(f"Painting {index + 1} of {len(recipes)} from scratch",
                                     paint(recipe, None, preview=True), partial(self.add_painting, index)))
        self.open()
        return self.jobs[-1]

    def _paint_in_full(self, pick: Painting) -> None:
        """The pick painted again at full size and kept (the tab shows the small one meanwhile; the status bar
        shows the job's progress, and its Cancel stops it): then `on_pick_painted(pick, painting)`."""
        self.pick_job = self._run_job("Painting the pick at full size",
                                      paint_and_keep(pick.recipe, None, self._folder),
                                      partial(self._on_pick_painted, pick))

    def cancel_jobs(self) -> None:
        for handle in self.jobs:
            handle.cancel()

    def close_for_good(self) -> None:
        """Another Surprise has begun: stop painting the choices and let this dialog and its pictures go (a pick
        still being painted in full goes on: its result goes to the tab). Kept, each Surprise held ~10 MB (the soak)."""
        self.cancel_jobs()
        self.deleteLater()

    def add_painting(self, index: int, painting: Painting) -> None:
        """Show a finished painting in its place."""
        self.paintings[index] = painting
        item = self.list.item(index)
        item.setIcon(QIcon(pixmap_from_array(painting.pixels)))
        item.setText(f"{painting.recipe.subject} · seed {painting.recipe.seed}")
        item.setToolTip("\n".join(painting.extras.get("scene", [])))
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(index)
        if all(p is not None for p in self.paintings):
            self.hint.setText(
                "Pick one (double-click, or select and OK): its sketch goes onto the canvas to paint over, and "
                "it is painted at full size."
            )
        self._update_ok()

    def _current(self) -> Painting | None:
        row = self.list.currentRow()
        return self.paintings[row] if 0 <= row < len(self.paintings) else None

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._current() is not None)

    def accept(self) -> None:
        painting = self._current()
        if painting is None:
            return  # still being painted
        self.cancel_jobs()  # the other choices are no longer wanted
        self.picked.emit(painting)
        self._paint_in_full(painting)
        super().accept()
