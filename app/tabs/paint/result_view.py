"""The rendered result, shown scaled to fit; drag it out to a file manager as a PNG with its recipe."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QDrag, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget


class ResultView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Result")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self.file_path: Path | None = None  # the saved PNG a drag hands out
        self.caption = ""
        self.empty_text = "Paint a few shapes, or drop a photo on the canvas, then press Render (Ctrl+Enter)."
        self._press: QPoint | None = None

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def show_image(self, image: QImage | None, caption: str = "", file_path: Path | None = None) -> None:
        self.image, self.caption, self.file_path = image, caption, file_path
        self.update()

    def _view_rect(self) -> QRectF:
        assert self.image is not None  # asked only while a picture is on show
        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        width, height = self.image.width() * scale, self.image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def mime_data(self) -> QMimeData | None:
        if self.file_path is None or not self.file_path.exists():
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(self.file_path))])
        if self.image is not None:
            mime.setImageData(self.image)
        return mime

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        mime = self.mime_data()
        self._press = None
        if mime is not None:
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.CopyAction)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if self.image is None or self.image.isNull():
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect().adjusted(24, 24, -24, -24),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self._view_rect(), self.image)
        if self.caption:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect().adjusted(8, 4, -8, -4), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                             self.caption)
