"""The canvas and the result turn their split the way that shows them larger (app/tabs/paint/picture_split.py):
at 1280x720 side by side showed the 768x512 canvas 372x247 px in a work area 752 px wide and 590 tall."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage

from app.tabs.paint.picture_split import picture_scale


def test_the_scale_of_two_pictures_each_way():
    room, picture = QSize(752, 590), QSize(768, 512)
    assert picture_scale(room, picture, Qt.Orientation.Horizontal) == 376 / 768
    assert picture_scale(room, picture, Qt.Orientation.Vertical) == 295 / 512


def test_a_laptop_window_shows_a_wide_canvas_above_the_result_and_a_tall_one_beside_it(main_window, qtbot):
    main_window.resize(1280, 720)
    main_window.show()
    qtbot.waitExposed(main_window)
    paint = main_window.activity_tabs[0]
    qtbot.waitUntil(lambda: paint.pictures.orientation() == Qt.Orientation.Vertical)
    assert paint.canvas._view_rect().width() > 400  # 372 side by side
    tall = QImage(512, 768, QImage.Format.Format_RGB32)
    tall.fill(QColor("white"))
    paint.canvas.replace_image(tall)
    qtbot.waitUntil(lambda: paint.pictures.orientation() == Qt.Orientation.Horizontal)
    sizes = paint.pictures.sizes()
    assert abs(sizes[0] - sizes[1]) <= 1
