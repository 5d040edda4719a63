"""A new picture on the canvas (Open, Paste, New canvas) is not unpacked right after it was packed for undo.

Session 16, cProfile of the UI thread under Xvfb at load 11: a 2048x1365 photo put on the canvas held the UI for
0.9 s, of which 0.25 s unpacked the picture the undo step had just packed, to show it.
"""

from __future__ import annotations

import zlib

import numpy as np
from PySide6.QtGui import QColor, QImage


def test_a_new_picture_goes_on_the_canvas_without_unpacking_it(qtbot, monkeypatch):
    from app.tabs.paint import packed_image
    from app.tabs.paint.canvas import PaintCanvas

    canvas = PaintCanvas()
    qtbot.addWidget(canvas)
    unpacked, unpack = [], zlib.decompress
    monkeypatch.setattr(packed_image.zlib, "decompress", lambda data: unpacked.append(1) or unpack(data))
    picture = QImage(640, 480, QImage.Format.Format_RGB32)
    picture.fill(QColor(30, 120, 200))
    blank = canvas.pixels()
    canvas.replace_image(picture, "Open photo")
    assert unpacked == []
    assert (canvas.pixels() == (30, 120, 200)).all()
    canvas.undo_stack.command(0).packed_bytes()  # packed, on the packing thread, by now
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.pixels(), blank)
    canvas.undo_stack.redo()  # later redos unpack the step's picture
    assert (canvas.pixels() == (30, 120, 200)).all() and len(unpacked) == 2
