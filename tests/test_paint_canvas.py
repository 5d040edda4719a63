"""The painting canvas: strokes by simulated mouse, deep undo/redo, fill, eyedropper, drop."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from app.tabs.images import array_to_image, image_to_array
from app.tabs.paint.canvas import EDGE, PaintCanvas, Tool
from app.tabs.paint.fill_region import flood_fill_mask


@pytest.fixture
def canvas(qtbot):
    widget = PaintCanvas(QSize(200, 100))
    widget.resize(400, 200)  # shown at twice the picture's size
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drag(qtbot, canvas, points):
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(canvas, QPoint(x, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def test_array_round_trip():
    pixels = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    assert np.array_equal(image_to_array(array_to_image(pixels)), pixels)


def test_a_stroke_paints_where_the_mouse_went(qtbot, canvas):
    canvas.colour = QColor(200, 20, 20)
    canvas.hardness = 1.0
    drag(qtbot, canvas, [(40, 100), (120, 100), (200, 100)])
    pixels = canvas.pixels()
    # Widget (40..200, 100) is canvas (20..100, 50) at half scale.
    assert tuple(pixels[50, 60]) == (200, 20, 20)
    assert tuple(pixels[50, 150]) == (255, 255, 255)  # beyond the stroke
    assert tuple(pixels[5, 60]) == (255, 255, 255)  # above it
    assert canvas.undo_stack.count() == 1


def test_undo_and_redo_many_strokes(qtbot, canvas):
    blank = canvas.pixels()
    states = [blank]
    for i in range(12):
        canvas.colour = QColor(10 * i, 100, 200 - 10 * i)
        drag(qtbot, canvas, [(20 + 25 * i, 40), (20 + 25 * i, 160)])
        states.append(canvas.pixels())
    for expected in reversed(states[:-1]):
        canvas.undo_stack.undo()
        assert np.array_equal(canvas.pixels(), expected)
    for expected in states[1:]:
        canvas.undo_stack.redo()
        assert np.array_equal(canvas.pixels(), expected)


def test_eraser_paints_paper(qtbot, canvas):
    canvas.colour = QColor(0, 0, 0)
    canvas.hardness = 1.0
    drag(qtbot, canvas, [(100, 100), (300, 100)])
    canvas.tool = Tool.ERASER
    drag(qtbot, canvas, [(200, 100), (210, 100)])
    assert tuple(canvas.pixels()[50, 102]) == (255, 255, 255)
    assert tuple(canvas.pixels()[50, 60]) == (0, 0, 0)


def test_fill_bucket_fills_the_region_and_stops_at_edges(qtbot, canvas):
    canvas.colour = QColor(0, 0, 0)
    canvas.brush_size = 6
    canvas.hardness = 1.0
    drag(qtbot, canvas, [(200, 0), (200, 60), (200, 130), (200, 199)])  # a wall down the middle
    canvas.tool = Tool.FILL
    canvas.colour = QColor(30, 160, 60)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    pixels = canvas.pixels()
    assert tuple(pixels[10, 10]) == (30, 160, 60)
    assert tuple(pixels[90, 80]) == (30, 160, 60)
    assert tuple(pixels[50, 180]) == (255, 255, 255)  # the other side of the wall
    canvas.undo_stack.undo()
    assert tuple(canvas.pixels()[10, 10]) == (255, 255, 255)


def test_flood_fill_mask_follows_connected_regions():
    pixels = np.full((5, 6, 3), 255, dtype=np.uint8)
    pixels[:, 3] = 0  # a wall
    mask = flood_fill_mask(pixels, 0, 0)
    assert mask[:, :3].all() and not mask[:, 3:].any()


def test_eyedropper_picks_the_colour(qtbot, canvas):
    canvas.colour = QColor(250, 200, 10)
    canvas.hardness = 1.0
    drag(qtbot, canvas, [(100, 100), (140, 100)])
    canvas.colour = QColor(0, 0, 0)
    canvas.tool = Tool.EYEDROPPER
    with qtbot.waitSignal(canvas.colour_picked) as picked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(120, 100))
    assert picked.args[0].getRgb()[:3] == (250, 200, 10)
    assert canvas.colour.getRgb()[:3] == (250, 200, 10)


def test_replacing_the_picture_is_undoable(qtbot, canvas):
    photo = QImage(QSize(300, 120), QImage.Format.Format_RGB32)
    photo.fill(QColor(10, 20, 30))
    canvas.replace_image(photo)
    assert canvas.image.size() == QSize(300, 120)
    canvas.undo_stack.undo()
    assert canvas.image.size() == QSize(200, 100)
    canvas.new_canvas(QSize(64, 48))
    assert canvas.image.size() == QSize(64, 48) and tuple(canvas.pixels()[0, 0]) == (255, 255, 255)


def test_undo_steps_keep_their_pictures_packed_and_give_them_back_exactly(qtbot, canvas):
    sketch = np.full((512, 768, 3), 255, dtype=np.uint8)
    sketch[100:300, 200:500] = (40, 90, 160)  # flat colour, as sketches and strokes are
    noisy = np.random.default_rng(0).integers(0, 256, size=(512, 768, 3), dtype=np.uint8)
    for picture in (sketch, noisy, sketch):
        canvas.replace_image(array_to_image(picture))
    steps = [canvas.undo_stack.command(i) for i in range(canvas.undo_stack.count())]
    raw = (200 * 100 + 768 * 512) * 4  # the blank canvas before, the sketch after
    assert steps[0].packed_bytes() < raw / 50
    for expected in (noisy, sketch):
        canvas.undo_stack.undo()
        assert np.array_equal(canvas.pixels(), expected)
    canvas.undo_stack.undo()
    assert canvas.image.size() == QSize(200, 100)
    canvas.undo_stack.redo()
    assert np.array_equal(canvas.pixels(), sketch)


def test_dropping_files_reports_their_paths(qtbot, canvas, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.jpg"))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(canvas.files_dropped) as dropped:
        canvas.dropEvent(event)
    assert dropped.args[0] == [str(tmp_path / "photo.jpg")]


def test_a_white_canvas_has_a_visible_edge_in_the_light_theme(qtbot):
    from PySide6.QtWidgets import QApplication

    widget = PaintCanvas(QSize(200, 100))
    widget.setPalette(QApplication.style().standardPalette())  # the light theme
    widget.resize(300, 200)  # letterboxed: window background above and below the picture
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    shot = widget.grab().toImage()
    column = [QColor(shot.pixel(150, y)).lightness() for y in range(shot.height())]
    paper = max(column)
    background = column[0]
    top = next(y for y, value in enumerate(column) if value == paper)  # the picture's first row
    edge = min(column[top - 3 : top])
    # The outline stands out from both the paper and the window around it, not just the paper.
    assert paper - edge >= 60 and background - edge >= 40, (paper, background, edge)


@pytest.mark.parametrize("picture", [QSize(200, 100), QSize(1600, 800)])
def test_the_brush_is_as_wide_on_screen_whatever_the_picture_size(qtbot, picture):
    # The size was in the picture's pixels: on an opened 2048-px photo the default brush painted 4 px on screen.
    canvas = PaintCanvas(picture)
    canvas.resize(400 + 2 * EDGE, 200 + 2 * EDGE)  # the picture shown 400 x 200
    qtbot.addWidget(canvas)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.colour, canvas.hardness, canvas.brush_size = QColor(0, 0, 0), 1.0, 20
    drag(qtbot, canvas, [(100, 100), (200, 100), (300, 100)])
    painted_rows = np.flatnonzero((canvas.pixels()[:, picture.width() // 2] < 128).all(axis=1))
    on_screen = len(painted_rows) * 400 / picture.width()
    assert 18 <= on_screen <= 22
    canvas.undo_stack.undo()
    assert canvas.is_blank()


def test_the_brush_outline_shows_on_mid_grey(qtbot, canvas):
    # The outline was grey (128): on a photo's mid-tones the painter could not see where the brush was.
    canvas.image.fill(QColor(128, 128, 128))
    canvas.brush_size = 40
    qtbot.mouseMove(canvas, QPoint(200, 100))
    qtbot.waitUntil(lambda: canvas._hover is not None)
    shown = image_to_array(canvas.grab().toImage())
    ring = shown[100, 215:226].astype(int)  # across the outline, 20 px right of the pointer
    assert ring.max() > 160 and ring.min() < 90  # light and dark, antialiased


def test_the_fill_bucket_fills_a_large_canvas_at_once():
    # Filling run by run, each walked pixel by pixel in Python, took 0.5 s of CPU (4-6 s at load 16) on the UI thread
    # for a blank 2048-px canvas; row by row in numpy 0.09 s.
    import time

    blank = np.full((1365, 2048, 3), 255, dtype=np.uint8)
    started = time.thread_time()
    mask = flood_fill_mask(blank, 1000, 700)
    assert mask.all() and time.thread_time() - started < 0.3


def test_the_brush_outline_follows_a_new_size_at_once(qtbot, canvas):
    # After [ or ] the outline kept the old size until the mouse moved.
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = Paints()
    canvas.installEventFilter(paints)
    qtbot.mouseMove(canvas, QPoint(170, 90))  # not where an earlier test left the pointer: no move
    qtbot.waitUntil(lambda: canvas._hover is not None and paints.count > 0)
    before = paints.count
    canvas.brush_size = 60
    qtbot.waitUntil(lambda: paints.count > before, timeout=2000)


def test_a_stroke_at_half_opacity_lays_half_the_colour(qtbot, canvas):
    # Dab over dab, a 50% stroke came out 94% (four dabs on every point): a glaze could not be painted.
    canvas.colour, canvas.hardness, canvas.opacity, canvas.brush_size = QColor(0, 0, 0), 1.0, 0.5, 40
    drag(qtbot, canvas, [(60, 100), (100, 100), (140, 100), (180, 100), (220, 100), (260, 100), (300, 100)])
    assert abs(int(canvas.pixels()[50, 90, 0]) - 128) <= 2
    drag(qtbot, canvas, [(200, 40), (200, 100), (200, 160)])  # a second stroke over the first: a quarter left
    assert abs(int(canvas.pixels()[50, 100, 0]) - 64) <= 2
    canvas.undo_stack.undo()
    assert abs(int(canvas.pixels()[50, 100, 0]) - 128) <= 2


def test_the_pointer_over_the_canvas_is_a_crosshair(canvas):
    # The arrow's tip is not where a painter looks for the centre of the brush, the fill's start or the picked colour.
    assert canvas.cursor().shape() == Qt.CursorShape.CrossCursor


def test_ctrl_click_picks_a_colour_with_the_brush(qtbot, canvas):
    # Picking a colour between strokes meant I, click, B: Ctrl+click with any tool picks it, as in Krita.
    canvas.colour, canvas.hardness = QColor(250, 200, 10), 1.0
    drag(qtbot, canvas, [(100, 100), (140, 100)])
    canvas.colour = QColor(0, 0, 0)
    painted = canvas.pixels()
    with qtbot.waitSignal(canvas.colour_picked) as picked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, QPoint(120, 100))
    assert picked.args[0].getRgb()[:3] == (250, 200, 10) and canvas.tool is Tool.BRUSH
    assert np.array_equal(canvas.pixels(), painted)  # nothing painted


def test_a_fill_below_full_opacity_lays_the_colour_over_each_pixel(qtbot, canvas):
    # The colour over each pixel by the opacity, rounded, as the float blend of the whole rectangle gave it (280 of
    # the 410 ms CPU of a 50% fill of a blank 2048-px canvas); now looked up per channel.
    rng = np.random.default_rng(3)
    picture = rng.integers(0, 256, size=(120, 160, 3), dtype=np.uint8)
    picture[:, :80] = (200, 180, 40)  # the region to fill; noise to its right stops it
    canvas.replace_image(array_to_image(picture))
    canvas.colour, canvas.opacity = QColor(10, 120, 250), 0.37
    canvas.fill_at(5, 5)
    filled = image_to_array(canvas.image)
    wanted = np.round(np.array([200, 180, 40]) * 0.63 + np.array([10, 120, 250]) * 0.37).astype(np.uint8)
    assert (filled[:, :80] == wanted).all()
    assert (filled[:, 81:] == picture[:, 81:]).all()


def _flood_fill_by_pixel(pixels: np.ndarray, x: int, y: int, tolerance: int) -> np.ndarray:
    """The plain definition, pixel by pixel: what flood_fill_mask must agree with."""
    height, width, _ = pixels.shape
    seed = pixels[y, x].astype(int)
    similar = (np.abs(pixels.astype(int) - seed) <= tolerance).all(axis=-1)
    mask = np.zeros((height, width), dtype=bool)
    todo = [(y, x)]
    while todo:
        row, column = todo.pop()
        if 0 <= row < height and 0 <= column < width and similar[row, column] and not mask[row, column]:
            mask[row, column] = True
            todo += [(row - 1, column), (row + 1, column), (row, column - 1), (row, column + 1)]
    return mask


def test_flood_fill_mask_agrees_with_the_plain_definition_whole_rows_and_all():
    # Rows that are one run across (a blank band: the quick path) beside rows of several runs, walls with gaps.
    rng = np.random.default_rng(7)
    for _ in range(12):
        pixels = np.full((40, 50, 3), 255, dtype=np.uint8)
        walls = rng.random((40, 50)) < 0.35
        walls[rng.integers(0, 40, size=8)] = False  # some rows open from edge to edge
        pixels[walls] = (20, 40, 60)
        y, x = map(int, np.argwhere(~walls)[rng.integers(0, (~walls).sum())])
        assert np.array_equal(flood_fill_mask(pixels, x, y, 24), _flood_fill_by_pixel(pixels, x, y, 24))


def test_flood_fill_mask_agrees_where_the_region_reaches_past_the_rows_first_looked_at():
    # The rows' likeness to the seed is worked out in bands that grow as the fill reaches them, up and down: a tall
    # picture, a winding region (a wall with a gap at one end, the next with a gap at the other) and random walls.
    rng = np.random.default_rng(11)
    winding = np.full((300, 40, 3), 255, dtype=np.uint8)
    for row in range(10, 280, 20):
        winding[row, 4:] = winding[row + 10, :-4] = 0
    for pixels in [winding] + [np.where((rng.random((300, 40)) < 0.3)[..., None], 0, 255).astype(np.uint8)
                               for _ in range(6)]:
        for y in (1, 150, 298):
            x = int(np.flatnonzero(pixels[y, :, 0] == 255)[0])
            assert np.array_equal(flood_fill_mask(pixels, x, y, 24), _flood_fill_by_pixel(pixels, x, y, 24))


def test_a_small_fill_looks_only_at_the_rows_near_it():
    # Comparing every pixel of a 2048-px canvas with the seed's colour was about 15 ms of every fill, however small.
    rows_read = []

    class Watched(np.ndarray):
        def __getitem__(self, key):
            rows = key[0] if isinstance(key, tuple) else key
            if isinstance(rows, slice) or rows is Ellipsis:
                rows_read.append(range(2000)[rows] if isinstance(rows, slice) else range(2000))
            return np.asarray(self)[key]

    pixels = np.full((2000, 300, 3), 255, dtype=np.uint8)
    pixels[990, 100:200] = pixels[1010, 100:200] = pixels[990:1011, 100] = pixels[990:1011, 200] = 0  # a box
    mask = flood_fill_mask(pixels.view(Watched), 150, 1000)
    assert mask.sum() == 19 * 99 and rows_read
    assert min(rows.start for rows in rows_read) > 900 and max(rows.stop for rows in rows_read) < 1100


def test_a_fill_changes_only_the_region_and_undoes_and_redoes_exactly(qtbot, canvas):
    # The fill paints the canvas's own pixels in place (not a converted copy drawn back over it).
    rng = np.random.default_rng(5)
    picture = rng.integers(0, 256, size=(100, 200, 3), dtype=np.uint8)
    picture[:40] = (250, 250, 250)  # whole rows of one colour
    picture[40:, 60:90] = (250, 250, 250)  # and a column below them
    canvas.replace_image(array_to_image(picture))
    canvas.colour, canvas.opacity = QColor(200, 30, 90), 1.0
    canvas.fill_at(100, 10)
    filled = canvas.pixels()
    region = _flood_fill_by_pixel(picture, 100, 10, 24)
    assert (filled[region] == (200, 30, 90)).all() and np.array_equal(filled[~region], picture[~region])
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.pixels(), picture)
    canvas.undo_stack.redo()
    assert np.array_equal(canvas.pixels(), filled)


def test_a_picture_put_on_the_canvas_is_shared_not_copied_and_painting_leaves_it_alone(qtbot, canvas):
    # Open, paste and New canvas copied the whole picture twice on the UI thread (12-19 ms at 2048 px, load 27); the
    # canvas now shares it with the undo step, and painting on the canvas (a fill writes its memory in place, a
    # stroke through QPainter) must copy it first.
    rng = np.random.default_rng(2)
    before = canvas.pixels()
    picture = array_to_image(rng.integers(0, 256, size=(100, 200, 3), dtype=np.uint8))
    given = image_to_array(picture)
    canvas.replace_image(picture, "Open")
    assert canvas.image.cacheKey() == picture.cacheKey()  # the same pixels, not a copy
    canvas.colour, canvas.tool = QColor(0, 0, 0), Tool.FILL
    canvas.fill_at(10, 10)
    canvas.tool = Tool.BRUSH
    drag(qtbot, canvas, [(40, 40), (120, 80)])
    painted = canvas.pixels()
    assert np.array_equal(image_to_array(picture), given) and not np.array_equal(painted, given)
    for _ in range(2):
        canvas.undo_stack.undo()
    assert np.array_equal(canvas.pixels(), given)
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.pixels(), before)
    for _ in range(3):
        canvas.undo_stack.redo()
    assert np.array_equal(canvas.pixels(), painted)


class _WholeBeforeCanvas(PaintCanvas):
    """A stroke keeps the whole picture before it at its first dab, as every stroke did until session 21, and clears
    its whole mask, as every stroke did until session 22."""

    def _keep_before(self, rect):
        super()._keep_before(self.image.rect())

    def _clear_mask(self, rect):
        if not self._mask_cleared.all():
            self._stroke_mask.fill(Qt.GlobalColor.black)
            self._mask_cleared[:] = True


class _UnclearedImage(QImage):
    """A new stroke mask full of cover where nothing cleared it (new memory may hold anything)."""

    def __init__(self, *args):
        super().__init__(*args)
        if args[1:] == (QImage.Format.Format_Grayscale8,):
            self.fill(255)


def test_a_stroke_keeps_only_the_squares_it_reaches_and_paints_and_undoes_exactly_as_with_the_whole_picture(
        qtbot, monkeypatch):
    # 300 x 170: neither side a whole number of the squares kept, so the last row and column are partial.
    from app.tabs.paint import canvas as canvas_module

    monkeypatch.setattr(canvas_module, "QImage", _UnclearedImage)
    photo = array_to_image(np.random.default_rng(3).integers(0, 256, size=(170, 300, 3), dtype=np.uint8))
    canvases = [_WholeBeforeCanvas(QSize(10, 10)), PaintCanvas(QSize(10, 10))]
    for canvas in canvases:
        qtbot.addWidget(canvas)
        canvas.replace_image(photo)
    rng = np.random.default_rng(4)
    states = [canvases[1].pixels()]
    for index in range(10):
        # Long strokes that cross themselves and the picture's edges, soft and hard, see-through, and erasing.
        points = [QPointF(*xy) for xy in rng.uniform((-20, -20), (320, 190), size=(int(rng.integers(1, 8)), 2))]
        pressures = rng.uniform(0.2, 1.0, size=len(points))
        colour = QColor(*rng.integers(0, 256, size=3).tolist())
        for canvas in canvases:
            canvas.tool = Tool.ERASER if index % 4 == 3 else Tool.BRUSH
            canvas.colour = colour
            canvas._brush_size = [4.0, 30.0, 90.0][index % 3]
            canvas.opacity, canvas.hardness = [1.0, 0.5, 0.8][index % 3], [0.6, 1.0, 0.0][index % 3]
            canvas.begin_stroke(points[0], float(pressures[0]))
            for point, pressure in zip(points[1:], pressures[1:], strict=True):
                canvas.stroke_to(point, float(pressure))
            canvas.end_stroke()
        assert np.array_equal(canvases[1].pixels(), canvases[0].pixels()), index
        states.append(canvases[1].pixels())
    kept = canvases[1]
    assert kept.undo_stack.count() == 11  # the photo and ten strokes
    for expected in reversed(states[:-1]):
        kept.undo_stack.undo()
        assert np.array_equal(kept.pixels(), expected)
    for expected in states[1:]:
        kept.undo_stack.redo()
        assert np.array_equal(kept.pixels(), expected)


def test_a_small_stroke_on_a_large_picture_does_not_copy_the_picture(qtbot, monkeypatch):
    canvas = PaintCanvas(QSize(2048, 2048))
    qtbot.addWidget(canvas)
    copied = []
    real_copy = QImage.copy

    def copy(image, *rect):
        result = real_copy(image, *rect)
        copied.append(result.width() * result.height())
        return result

    monkeypatch.setattr(QImage, "copy", copy)
    canvas._brush_size = 20.0
    canvas.begin_stroke(QPointF(1000, 1000))
    canvas.stroke_to(QPointF(1040, 1010))
    canvas.end_stroke()
    assert canvas.undo_stack.count() == 1
    assert copied and max(copied) < 200 * 200  # the stroke's rectangle and its cover, not 2048 x 2048


def test_a_small_stroke_on_a_large_picture_clears_only_the_mask_it_reaches(qtbot, monkeypatch):
    # The stroke's start filled a 2048 x 2048 mask (4 MB) black; its squares are cleared as the dabs reach them.
    canvas = PaintCanvas(QSize(2048, 2048))
    qtbot.addWidget(canvas)
    filled = []
    real_fill = QImage.fill

    def fill(image, colour):
        filled.append(image.width() * image.height())
        return real_fill(image, colour)

    monkeypatch.setattr(QImage, "fill", fill)
    canvas._brush_size = 20.0
    canvas.begin_stroke(QPointF(1000, 1000))
    canvas.stroke_to(QPointF(1040, 1010))
    canvas.end_stroke()
    assert filled and max(filled) < 200 * 200
    assert 0 < canvas._mask_cleared.sum() <= 12  # of 1024 64-px squares: those under the stroke and its brush


def test_a_picture_opened_during_a_stroke_ends_the_stroke(qtbot, canvas):
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 150))
    opened = QImage(QSize(100, 60), QImage.Format.Format_RGB32)
    opened.fill(QColor(10, 200, 30))
    canvas.replace_image(opened)  # an Open that arrived while the mouse was down
    qtbot.mouseMove(canvas, QPoint(40, 40))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    assert (canvas.pixels() == (10, 200, 30)).all()
    assert [canvas.undo_stack.text(i) for i in range(canvas.undo_stack.count())] == ["Open image"]


def test_a_fill_inside_a_soft_stroke_leaves_no_pale_ring(qtbot, canvas):
    # A fill with the stroke's own colour stopped where the soft edge's blend passed the tolerance: a pale ring
    # between the fill and the stroke (under Xvfb), which the painting drew as a light line.
    from PySide6.QtCore import QPointF

    canvas.colour, canvas.hardness, canvas._brush_size = QColor(40, 90, 170), 0.6, 24.0
    corners = [(40, 30), (160, 30), (160, 120), (40, 120), (40, 30)]
    canvas.begin_stroke(QPointF(*corners[0]))
    for x, y in corners[1:]:
        canvas.stroke_to(QPointF(x, y))
    canvas.end_stroke()
    before = canvas.pixels().copy()
    assert (np.abs(before[75, 40:100].astype(int) - (40, 90, 170)).max(axis=1) > 30).sum() >= 3  # the soft edge
    canvas.tool = Tool.FILL
    canvas.fill_at(100, 75)
    inside = canvas.pixels()[30:121, 40:161].astype(int)  # up to the stroke's middle line
    assert np.abs(inside - (40, 90, 170)).max() <= 6  # the stroke's own dabs vary by up to 6, left as they are
    assert tuple(canvas.pixels()[5, 5]) == (255, 255, 255)  # the paper outside is not reached


def _soft_line(canvas, colour: QColor) -> None:
    from PySide6.QtCore import QPointF

    canvas.colour, canvas.hardness, canvas._brush_size = colour, 0.6, 24.0
    canvas.begin_stroke(QPointF(100, -20))  # top to bottom: the paper either side of it is two regions
    canvas.stroke_to(QPointF(100, 140))
    canvas.end_stroke()


def test_a_fill_of_another_colour_beside_a_soft_stroke_leaves_no_pale_line(qtbot, canvas):
    # Red beside a black line's soft edge stopped where the grey blend passed the tolerance: a thin light line
    # between the red and the black. The edge keeps its blend, red in place of the paper's share.
    _soft_line(canvas, QColor(0, 0, 0))
    before = canvas.pixels().copy()
    canvas.colour = QColor(240, 30, 30)
    canvas.fill_at(20, 75)
    row = canvas.pixels()[75, 20:101].astype(int)  # from the fill to the line's middle
    assert row[:, 1:].max() <= 33  # no channel lighter than the red's green and blue: no pale line
    assert ((row[:, 0] > 40) & (row[:, 0] < 200)).sum() >= 2  # and still a soft edge, red into black
    assert np.array_equal(canvas.pixels()[:, 100:], before[:, 100:])  # the line's other side is another region
    canvas.undo_stack.undo()
    assert np.array_equal(canvas.pixels(), before)


def test_a_soft_stroke_filled_with_another_colour_keeps_no_ring_of_the_old_one(qtbot, canvas):
    _soft_line(canvas, QColor(40, 90, 170))
    canvas.colour = QColor(230, 140, 30)
    canvas.fill_at(100, 75)
    pixels = canvas.pixels().astype(int)
    assert (pixels[..., 2] <= pixels[..., 0]).all()  # nothing bluer than red: the edge blends orange into the paper
    assert tuple(canvas.pixels()[75, 100]) == (230, 140, 30)


def test_a_soft_stroke_keeps_its_width_between_the_mouse_points(qtbot, canvas):
    # Dabs a quarter brush apart, rounded down to a whole number a mouse move: a move of nearly half a brush got one
    # dab, and a soft stroke came out 3 px thinner between the points, its edge scalloped.
    canvas.colour, canvas.hardness, canvas.brush_size = QColor(0, 0, 0), 0.6, 40  # 20 canvas px: dabs every 5
    drag(qtbot, canvas, [(20 + 19 * step, 100) for step in range(20)])  # a move 9.5 canvas px
    covered = canvas.pixels()[:, 30:180, 0] < 128  # more than half the colour
    widths = covered.sum(axis=0)
    assert widths.max() - widths.min() <= 1, widths.tolist()


def test_a_fill_of_a_patch_in_a_noisy_photo_leaves_the_photo_around_it_alone(qtbot):
    # The soft edge's ways through the photo's noise found "flat" ends in it (five of a 3x3 alike by chance) and
    # tinted streaks of the photo around the patch with the fill's colour.
    rng = np.random.default_rng(1)
    rows, columns = np.mgrid[0:256, 0:256]
    photo = np.stack([columns, rows, (rows + columns) // 2], axis=-1) + rng.integers(-12, 13, (256, 256, 3))
    patch = (rows - 128) ** 2 + (columns - 128) ** 2 < 30**2
    photo[patch] = (30, 200, 90)
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    canvas = PaintCanvas(QSize(256, 256))
    canvas.replace_image(array_to_image(photo))
    canvas.colour, canvas.tool = QColor(200, 30, 30), Tool.FILL
    canvas.fill_at(128, 128)
    pixels = canvas.pixels()
    assert (pixels[patch] == (200, 30, 30)).all()
    assert np.array_equal(pixels[~patch], photo[~patch])
