"""A slider with its value written beside it, updated as the user drags."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget


def with_value(slider: QSlider, text: Callable[[int], str] = str) -> QWidget:
    """A row holding `slider` and a label showing `text(value)`; put the row where the slider would go.

    The label is as wide as the widest value, so dragging never makes the slider jump.
    """
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel()
    label.setAccessibleName(f"{slider.accessibleName()} value")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def fit_width(low: int, high: int) -> None:
        metrics = label.fontMetrics()
        label.setMinimumWidth(max(metrics.horizontalAdvance(text(value)) for value in (low, high)))

    slider.valueChanged.connect(lambda value: label.setText(text(value)))
    slider.rangeChanged.connect(fit_width)
    fit_width(slider.minimum(), slider.maximum())
    label.setText(text(slider.value()))
    layout.addWidget(slider, 1)
    layout.addWidget(label)
    return row
