"""The canvas and the result: side by side, or one above the other, whichever shows the pictures larger.

Side by side at 1280x720 a 768x512 canvas was shown 372x247 px in a work area 752x590 (two thirds of it empty);
one above the other it is 450x300. A tall picture (a portrait photo) in the same area is larger side by side.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter

from app.tabs.paint.canvas import PaintCanvas
from app.tabs.paint.result_view import ResultView

# How much larger the pictures must show the other way before the split turns: a window resized across the
# point where both ways are alike does not flip the split at every step.
TURN_GAIN = 1.05


def picture_scale(room: QSize, picture: QSize, orientation: Qt.Orientation) -> float:
    """The scale two pictures of `picture`'s size are shown at, split `orientation`-wise in `room`."""
    beside = orientation == Qt.Orientation.Horizontal
    width, height = room.width() / (2 if beside else 1), room.height() / (1 if beside else 2)
    return min(width / picture.width(), height / picture.height())


class PictureSplit(QSplitter):
    def __init__(self, canvas: PaintCanvas, result_view: ResultView) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.canvas = canvas
        self.addWidget(canvas)
        self.addWidget(result_view)
        self.setChildrenCollapsible(False)
        canvas.changed.connect(self.turn_to_fit)  # a new picture may be another shape

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.turn_to_fit()
        super().resizeEvent(event)

    def turn_to_fit(self) -> None:
        """Turn the split the way that shows the pictures larger (the two halves equal again when it turns)."""
        picture = self.canvas.image.size()
        if self.width() <= 0 or self.height() <= 0 or picture.isEmpty():
            return
        other = (Qt.Orientation.Vertical if self.orientation() == Qt.Orientation.Horizontal
                 else Qt.Orientation.Horizontal)
        if picture_scale(self.size(), picture, other) > TURN_GAIN * picture_scale(self.size(), picture,
                                                                                  self.orientation()):
            self.setOrientation(other)
            half = (self.width() if other == Qt.Orientation.Horizontal else self.height()) // 2
            self.setSizes([half, half])
