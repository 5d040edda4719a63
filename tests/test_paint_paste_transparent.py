"""A pasted picture's transparent parts are white paper, as an opened one's are.

Session 16, under Xvfb: a 200x100 picture, its left half transparent (a cut-out or a logo copied from a browser),
pasted onto the canvas came out black on the left ((0, 0, 0): the colour under the alpha) and was painted black;
the same file dropped on the canvas was white there.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication


def test_a_pasted_picture_with_transparency_lies_on_white(paint):
    cut_out = QImage(200, 100, QImage.Format.Format_ARGB32)
    cut_out.fill(QColor(0, 0, 0, 0))
    painter = QPainter(cut_out)
    painter.fillRect(100, 0, 100, 100, QColor(200, 30, 30))
    painter.fillRect(0, 0, 20, 20, QColor(0, 0, 255, 128))  # half see-through: blue over the paper
    painter.end()
    QApplication.clipboard().setImage(cut_out)
    assert paint.paste()
    pixels = paint.canvas.pixels()
    assert pixels.shape == (100, 200, 3)
    assert (pixels[50, 50] == 255).all()  # transparent: paper
    assert tuple(pixels[50, 150]) == (200, 30, 30)  # opaque: as it was
    assert abs(int(pixels[10, 10, 0]) - 127) <= 2 and pixels[10, 10, 2] == 255  # blended with the paper
