"""Controls that let a side panel be narrow: a laptop's window, or half of one, still lays every tab out
without drawing one pane over another."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QComboBox, QStyle, QWidget


class NarrowComboBox(QComboBox):
    """A combo box that asks for the width of a few characters, not of its longest entry ("Irish (O'Neill's Music
    of Ireland)" made the Compose controls 437 px wide); it grows with its panel, and its list opens as wide as the
    longest entry."""

    def __init__(self, characters: int = 8, parent: QWidget | None = None) -> None:
        """`characters`: how many it shows at its narrowest before its text ends in "…"."""
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(characters)

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width())
        super().showPopup()


def narrow_button(button: QAbstractButton) -> QAbstractButton:
    """A push button that may shrink to its text (the style gives every one 80 px at least: a row of four
    made the Compose work area 408 px wide); it still takes its usual width where there is room."""
    text_width = button.fontMetrics().horizontalAdvance(button.text())
    button.setMinimumWidth(text_width + 2 * button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin))
    return button
