"""The row under the result: Keep (star it in the history), Copy, and Export at 1x, 2x or 3x the size."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from app.tabs.activity_tab import action_button

EXPORT_SCALES = {"1× size": 1.0, "2× size": 2.0, "3× size": 3.0}


class ResultActions(QWidget):
    def __init__(self, keep: Callable[[], object], copy: Callable[[], object], export: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.keep_button = action_button("☆ Keep", "Keep", "Star this render in the history (Ctrl+S)", keep)
        self.copy_button = action_button("Copy", "Copy result", "Copy the result to the clipboard", copy)
        self.export_scale = QComboBox()
        self.export_scale.setAccessibleName("Export size")
        self.export_scale.addItems(list(EXPORT_SCALES))
        self.export_button = action_button("Export…", "Export", "Export as PNG (with its recipe) or JPEG (Ctrl+E); "
                                           "or drag the result out", export)
        layout.addStretch(1)
        for widget in (self.keep_button, self.copy_button, self.export_scale, self.export_button):
            layout.addWidget(widget)
        self.setEnabled(False)  # until there is a result

    def scale(self) -> float:
        return EXPORT_SCALES[self.export_scale.currentText()]
