"""Undo steps pack and unpack their pictures off the UI thread.

Opening a 6000x4000 JPEG (2048x1365 on the canvas) held the UI thread 1.1-2.0 s packing the canvas before and the photo
after (zlib, cProfile under Xvfb at load 10-12), and each autosave after it another 0.2-0.5 s unpacking them.
"""

from __future__ import annotations

import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QPointF, QSize

from app.recovery import Snapshot
from app.tabs.images import array_to_image
from app.tabs.paint.canvas import PaintCanvas
from app.tabs.paint.canvas_recovery import canvas_snapshot, restore_canvas


def photo() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, size=(240, 320, 3), dtype=np.uint8)


def test_a_new_picture_is_packed_off_the_ui_thread(qtbot, monkeypatch):
    packed_on, compress = [], zlib.compress
    monkeypatch.setattr(zlib, "compress", lambda data, level: packed_on.append(threading.current_thread()) or
                        compress(data, level))
    canvas = PaintCanvas(QSize(200, 100))
    qtbot.addWidget(canvas)
    canvas.replace_image(array_to_image(photo()))
    assert canvas.undo_stack.command(0).packed_bytes() > 0  # waits for the packing
    # (Steps of earlier tests may still be packing on that thread: two or more.)
    assert len(packed_on) >= 2 and threading.main_thread() not in packed_on
    canvas.undo_stack.undo()
    canvas.undo_stack.redo()
    assert np.array_equal(canvas.pixels(), photo())


def test_an_autosave_unpacks_the_steps_on_the_thread_that_writes_them(qtbot, monkeypatch):
    canvas = PaintCanvas(QSize(200, 100))
    qtbot.addWidget(canvas)
    canvas.replace_image(array_to_image(photo()))
    canvas.begin_stroke(QPointF(20, 40))
    canvas.stroke_to(QPointF(120, 90))
    canvas.end_stroke()
    for index in range(canvas.undo_stack.count()):
        canvas.undo_stack.command(index).packed_bytes()  # packed by now
    painted = canvas.pixels()
    unpacked_on, decompress = [], zlib.decompress
    monkeypatch.setattr(zlib, "decompress", lambda data: unpacked_on.append(threading.current_thread()) or
                        decompress(data))

    snapshot = canvas_snapshot(canvas)
    assert unpacked_on == []
    with ThreadPoolExecutor(1) as writer:  # as the recovery writer encodes them
        blobs = dict(writer.map(lambda item: (item[0], item[1]() if callable(item[1]) else item[1]),
                                snapshot.blobs.items()))
    assert len(unpacked_on) == 4 and threading.main_thread() not in unpacked_on
    restored = PaintCanvas(QSize(50, 50))
    qtbot.addWidget(restored)
    restore_canvas(restored, Snapshot(dict(snapshot.state), blobs))
    assert np.array_equal(restored.pixels(), painted)
    restored.undo_stack.undo()
    assert np.array_equal(restored.pixels(), photo())
    restored.undo_stack.undo()
    assert restored.image.size() == QSize(200, 100)
