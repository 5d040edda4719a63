"""Pictures between numpy (how jobs hand them over) and Qt (how the tabs show them)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def image_to_array(image: QImage) -> np.ndarray:
    """An RGB uint8 copy (height, width, 3) of a QImage."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    buffer = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return buffer[:, : width * 3].reshape(height, width, 3).copy()


def array_to_image(array: np.ndarray) -> QImage:
    """A QImage (RGB32, owning its pixels) from an RGB uint8 array."""
    array = np.ascontiguousarray(array[..., :3], dtype=np.uint8)
    height, width, _ = array.shape
    image = QImage(array.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.convertToFormat(QImage.Format.Format_RGB32)  # a deep copy: no tie to `array`


class Snapshot:
    """A picture as it is at this moment, for a job to read on its worker thread.

    Taking one costs nothing: Qt shares the pixels until the picture is next painted on. The job turns it into an
    RGB array (`pixels()`), the conversion that held up the UI thread for 24-70 ms at 2048 px (at load 15) each time
    Render was pressed or a live preview began, and then lets the image go, so the canvas painted on meanwhile does
    not have to copy itself away from it. Read on one thread only."""

    def __init__(self, image: QImage) -> None:
        self._image: QImage | None = QImage(image)
        self._pixels: np.ndarray | None = None

    def pixels(self) -> np.ndarray:
        if self._pixels is None:
            assert self._image is not None
            self._pixels, self._image = image_to_array(self._image), None
        return self._pixels
