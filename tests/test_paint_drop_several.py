"""Several files dropped on the canvas: the first is opened and the window says the others were not.

Session 16, under Xvfb: two photos dropped together, one opened, nothing said of the other.
"""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent


def test_dropping_several_pictures_opens_the_first_and_says_so(qtbot, paint, tmp_path):
    paths = []
    for index, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)]):
        paths.append(tmp_path / f"photo-{index}.png")
        Image.new("RGB", (96, 64), colour).save(paths[-1])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    opened = []
    paint.worker.job_finished.connect(lambda handle, value: opened.append(handle.title))
    paint.canvas.dropEvent(QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                      Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: "Opening photo-0.png" in opened, timeout=20_000)
    assert tuple(paint.canvas.pixels()[10, 10]) == (200, 40, 40)
    assert paint.message_bar.isVisible()
    assert paint.message_bar.text() == "The canvas holds one picture: photo-0.png is opened, the other 2 files not."
