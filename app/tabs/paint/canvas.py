"""The painting canvas: brush, eraser, fill bucket and eyedropper on an image, with deep undo.

The picture is a QImage at the size the user chose; the widget shows it scaled to fit. A stroke
is one undo step that stores only the rectangle it touched (before and after), compressed (packed_image.py), so a
long history costs little memory.
"""

from __future__ import annotations

import math
import sys
from enum import Enum

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPointingDevice,
    QRadialGradient,
    QTabletEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.tabs.images import Snapshot, image_to_array
from app.tabs.paint.fill_region import flood_fill_mask, soft_edges
from app.tabs.paint.packed_image import PackedImage
from models.paint.recipe import SceneSketch

UNDO_LIMIT = 300
DEFAULT_SIZE = QSize(768, 512)
PAPER = QColor(255, 255, 255)
# The bytes of an RGB32 pixel (0xffRRGGBB as a 32-bit number) that hold its colour, as they lie in memory.
RGB32_COLOUR_BYTES = slice(0, 3) if sys.byteorder == "little" else slice(1, 4)
EDGE = 2  # pixels around the picture, where its outline is drawn
STROKE_TILE = 64  # pixels: a stroke keeps the picture before it, and clears its mask, in squares as it reaches each


def _on_paper(image: QImage) -> QImage:
    """The picture without transparency, its see-through parts white paper, as Open image makes them: a pasted
    picture's transparent parts came out black (their colour with the alpha dropped), and were painted black."""
    if not image.hasAlphaChannel():
        return image.convertToFormat(QImage.Format.Format_RGB32)
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(PAPER)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


class Tool(Enum):
    BRUSH = "brush"
    ERASER = "eraser"
    FILL = "fill"
    EYEDROPPER = "eyedropper"


def _pixel_rows(image: QImage, writable: bool = False) -> np.ndarray:
    """The picture's bytes as rows (bytesPerLine wide), in place: writable only for a picture no one shares."""
    bits = image.bits() if writable else image.constBits()
    return np.frombuffer(bits, dtype=np.uint8, count=image.sizeInBytes()).reshape(image.height(), image.bytesPerLine())


def _new_squares(done: np.ndarray, rect: QRect, width: int) -> list[tuple[int, int, int, int]]:
    """The pixel rows and columns (top, bottom, left, right; ends excluded, right at most `width`) of each run of
    STROKE_TILE squares in `rect` that `done` (one flag a square) does not mark yet; they are marked done."""
    left, top = rect.left() // STROKE_TILE, rect.top() // STROKE_TILE
    squares = done[top : rect.bottom() // STROKE_TILE + 1, left : rect.right() // STROKE_TILE + 1]
    found = [((top + row) * STROKE_TILE, (top + row + 1) * STROKE_TILE,
              (left + first) * STROKE_TILE, min((left + last + 1) * STROKE_TILE, width))
             for row, columns in enumerate(~squares) for first, last in _runs(columns)]
    squares[:] = True
    return found


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True in `flags`."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), (edges[1::2] - 1).tolist(), strict=True))


def _pressed(pressure: float) -> float:
    """How much of the brush's size and cover a pen's pressure gives: a tenth at the lightest touch, all at full."""
    return 0.1 + 0.9 * min(max(pressure, 0.0), 1.0)


def _pen_pressure(event: QTabletEvent) -> float:
    """The pen's pressure; full for a pen that cannot tell (a tablet PC's without pressure says 0, or nothing)."""
    device = event.pointingDevice()
    if device is None or not device.capabilities() & QInputDevice.Capability.Pressure:
        return 1.0
    return event.pressure()


class _UndoStep(QUndoCommand):
    """A step that keeps its before and after pictures packed; `before`/`after` unpack them."""

    def __init__(self, text: str, before: QImage, after: QImage) -> None:
        super().__init__(text)
        self.packed_before, self.packed_after = PackedImage(before), PackedImage(after)

    @property
    def before(self) -> QImage:
        return self.packed_before.image()

    @property
    def after(self) -> QImage:
        return self.packed_after.image()

    def pixel_count(self) -> int:
        """Before and after, without unpacking them."""
        return sum(packed.width * packed.height for packed in (self.packed_before, self.packed_after))

    def packed_bytes(self) -> int:
        return self.packed_before.packed_bytes() + self.packed_after.packed_bytes()


class _PatchCommand(_UndoStep):
    """Swap a rectangle of the canvas between its before and after pixels."""

    def __init__(self, canvas: PaintCanvas, rect: QRect, before: QImage, after: QImage, text: str) -> None:
        super().__init__(text, before, after)
        self.canvas, self.rect = canvas, rect
        self._first = True

    def redo(self) -> None:
        if self._first:  # the stroke is already on the canvas
            self._first = False
            return
        self.canvas._put_patch(self.rect.topLeft(), self.after)

    def undo(self) -> None:
        self.canvas._put_patch(self.rect.topLeft(), self.before)


class _ReplaceCommand(_UndoStep):
    """Replace the whole picture (open an image, paste, new canvas), and the scene it is the sketch of with it."""

    def __init__(self, canvas: PaintCanvas, before: QImage, after: QImage, text: str,
                 scene: SceneSketch | None = None) -> None:
        super().__init__(text, before, after)
        self.canvas = canvas
        self._new: QImage | None = after  # the picture as given, for the push's own redo: no unpacking
        self.scene_before, self.scene = canvas.scene, scene

    def redo(self) -> None:
        # The push redoes at once: unpacking what was just packed cost 0.25 s of a 2048-px photo's 0.9 s on the UI
        # thread (cProfile under Xvfb, load 11). Later redos unpack; the picture itself is not kept twice.
        new, self._new = self._new, None
        self.canvas.scene = self.scene
        self.canvas._set_image(new if new is not None else self.after)

    def undo(self) -> None:
        self.canvas.scene = self.scene_before
        self.canvas._set_image(self.before)


class PaintCanvas(QWidget):
    changed = Signal()  # after every stroke, fill, undo or redo
    colour_picked = Signal(QColor)
    files_dropped = Signal(list)  # local file paths dropped onto the canvas

    def __init__(self, size: QSize | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Canvas")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.CrossCursor)  # where the dab lands, the fill starts, the colour is picked: exact
        self.setAcceptDrops(True)
        self.image = QImage(size or DEFAULT_SIZE, QImage.Format.Format_RGB32)
        self.image.fill(PAPER)
        # The scene the picture is the sketch of (a painting from scratch put on the canvas), with the strokes on it
        # since; None for any other picture. Renders of the canvas are painted as that scene (PaintTab._recipe).
        self.scene: SceneSketch | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.undo_stack.indexChanged.connect(self._on_history_moved)
        self.tool = Tool.BRUSH
        self.colour = QColor(40, 90, 160)
        self._hover: QPointF | None = None
        self._brush_size = 24.0
        self.hardness = 0.6  # 0 soft edge .. 1 hard edge
        self.opacity = 1.0
        self._stroke_before: QImage | None = None  # the picture before the stroke, where _before_kept says
        self._before_kept = np.zeros((0, 0), dtype=bool)  # which STROKE_TILE squares of it are kept
        self._stroke_mask: QImage | None = None  # how much of the colour the stroke lays where (grey: black none)
        self._mask_cleared = np.zeros((0, 0), dtype=bool)  # which STROKE_TILE squares of the mask are black yet
        self._stroke_size = self.brush_size  # the stroke's diameter in canvas pixels, fixed while it is painted
        self._stroke_erases = False  # the stroke lays paper (the eraser, or a pen's eraser end)
        self._stroke_rect = QRect()
        self._last_point: QPointF | None = None
        self._last_pressure = 1.0  # the pen's at the last point (a mouse's is 1)

    @property
    def brush_size(self) -> float:
        """The brush's diameter on screen (the widget's pixels), as the painter sees it whatever the picture's size:
        in canvas pixels, the default brush was 4 px wide on screen on an opened 2048-px photo."""
        return self._brush_size

    @brush_size.setter
    def brush_size(self, size: float) -> None:
        self._brush_size = size
        if self._hover is not None:
            self.update()  # the outline at once: after [ or ] it kept the old size until the mouse moved

    @Slot(int)
    def _on_history_moved(self, _index: int) -> None:
        # A bound slot, not a lambda: Qt drops the connection when the canvas is destroyed.
        self.changed.emit()

    # Geometry: the picture is shown scaled to fit, centred -------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def _view_rect(self) -> QRectF:
        # EDGE pixels all round stay free for the canvas's outline.
        room_x, room_y = self.width() - 2 * EDGE, self.height() - 2 * EDGE
        scale = min(room_x / self.image.width(), room_y / self.image.height())
        width, height = self.image.width() * scale, self.image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def to_canvas(self, point: QPointF) -> QPointF:
        view = self._view_rect()
        scale = self.image.width() / view.width()
        return QPointF((point.x() - view.left()) * scale, (point.y() - view.top()) * scale)

    def canvas_brush_size(self) -> float:
        """The brush's diameter in the picture's pixels, at the scale it is shown."""
        view = self._view_rect()
        if view.width() <= 0:  # not laid out yet
            return self.brush_size
        return max(self.brush_size * self.image.width() / view.width(), 1.0)

    def to_widget(self, point: QPointF) -> QPointF:
        view = self._view_rect()
        scale = view.width() / self.image.width()
        return QPointF(view.left() + point.x() * scale, view.top() + point.y() * scale)

    # Painting ----------------------------------------------------------------------------------

    def _dab(self, painter: QPainter, centre: QPointF, pressure: float = 1.0) -> None:
        """One dab's cover into the stroke's mask (white: all of the colour), where it is more than the mask's.
        A pen's `pressure` (0..1; a mouse's is 1) makes it smaller and lighter, as Krita's default brush does."""
        radius = self._stroke_size / 2 * _pressed(pressure)
        cover = QColor.fromRgbF(*(_pressed(pressure),) * 3)
        gradient = QRadialGradient(centre, radius)
        gradient.setColorAt(0.0, cover)
        gradient.setColorAt(min(max(self.hardness, 0.0), 0.99), cover)
        gradient.setColorAt(1.0, Qt.GlobalColor.black)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawEllipse(centre, radius, radius)

    def stroke_to(self, point: QPointF, pressure: float = 1.0) -> None:
        """Paint dabs from the last point to `point` (canvas coordinates), spaced a quarter brush apart or less, the
        pen's pressure going from the last point's to `pressure`. (At a quarter brush rounded down to a whole number of
        dabs, a mouse move of nearly half a brush got one dab: a soft stroke came out 3 px thinner between the points.)

        The dabs go into the stroke's mask, each where it covers more than the others (opaque greys, lighten), and
        the picture before the stroke takes the colour by that cover times the opacity: a stroke at 50% opacity is
        half the colour, as in Krita or Photoshop. Laid dab over dab it came out 94% (four dabs on every point)."""
        assert self._stroke_before is not None and self._stroke_mask is not None  # begin_stroke first
        start = self._last_point or point
        start_pressure = self._last_pressure if self._last_point is not None else pressure
        distance = ((point.x() - start.x()) ** 2 + (point.y() - start.y()) ** 2) ** 0.5
        smallest = self._stroke_size * _pressed(min(start_pressure, pressure))
        steps = max(math.ceil(distance / max(smallest / 4, 1.0)), 1)
        margin = int(self._stroke_size / 2) + 2
        touched = QRect(QPoint(int(min(start.x(), point.x())) - margin, int(min(start.y(), point.y())) - margin),
                        QPoint(int(max(start.x(), point.x())) + margin, int(max(start.y(), point.y())) + margin))
        on_canvas = touched.intersected(self.image.rect())
        self._clear_mask(on_canvas)
        painter = QPainter(self._stroke_mask)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Lighten)
        for i in range(1, steps + 1):  # the first dab of a stroke lands on `point` itself
            t = i / steps
            self._dab(painter, QPointF(start.x() + (point.x() - start.x()) * t, start.y() + (point.y() - start.y()) * t),
                      start_pressure + (pressure - start_pressure) * t)
        painter.end()
        self._stroke_rect = self._stroke_rect.united(touched)
        self._last_point, self._last_pressure = point, pressure
        self._lay_stroke(on_canvas)

    def _lay_stroke(self, rect: QRect) -> None:
        """The picture before the stroke, in `rect`, with the stroke's colour laid on it by its mask (in Qt: by numpy,
        a 200-px brush on a 2048-px photo took 140 ms a mouse move)."""
        if rect.isEmpty():
            return
        assert self._stroke_before is not None and self._stroke_mask is not None
        self._keep_before(rect)
        cover = self._stroke_mask.copy(rect)
        cover.reinterpretAsFormat(QImage.Format.Format_Alpha8)  # the same bytes: grey becomes how opaque
        layer = QImage(rect.size(), QImage.Format.Format_ARGB32_Premultiplied)
        layer.fill(PAPER if self._stroke_erases else self.colour)
        painter = QPainter(layer)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
        painter.drawImage(0, 0, cover)
        painter.end()
        painter = QPainter(self.image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(rect.topLeft(), self._stroke_before, rect)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        painter.setOpacity(self.opacity)
        painter.drawImage(rect.topLeft(), layer)
        painter.end()
        self.update()

    def _keep_before(self, rect: QRect) -> None:
        """Keep in the stroke's before the picture's squares in `rect` it has not kept yet: the stroke has not
        painted them, so they are as they were when it began. Read in place (constBits: a picture shared with an
        undo step or a render's snapshot is not copied for it)."""
        assert self._stroke_before is not None
        squares = _new_squares(self._before_kept, rect, self.image.width())
        if not squares:
            return
        source, target = _pixel_rows(self.image), _pixel_rows(self._stroke_before, writable=True)
        depth = self.image.depth() // 8
        for top, bottom, left, right in squares:  # a run of squares, copied at once
            target[top:bottom, left * depth : right * depth] = source[top:bottom, left * depth : right * depth]

    def _clear_mask(self, rect: QRect) -> None:
        """Make black the squares of the stroke's mask in `rect` it has not reached before, so the dabs about to be
        painted there cover nothing else (clearing the whole mask at a stroke's start was a 4 MB fill at 2048 px)."""
        assert self._stroke_mask is not None
        squares = _new_squares(self._mask_cleared, rect, self._stroke_mask.width())
        if squares:
            rows = _pixel_rows(self._stroke_mask, writable=True)
            for top, bottom, left, right in squares:
                rows[top:bottom, left:right] = 0

    def begin_stroke(self, point: QPointF, pressure: float = 1.0, erase: bool | None = None) -> None:
        """`erase`: lay paper, not the colour (by default when the eraser is the tool)."""
        self._stroke_erases = self.tool is Tool.ERASER if erase is None else erase
        # Not filled: the stroke keeps the picture's squares here as it first reaches each (_keep_before). A copy of
        # the whole picture cost every stroke's first dab ~2 ms of the UI thread at 2048 px.
        self._stroke_before = QImage(self.image.size(), self.image.format())
        squares = (-(-self.image.height() // STROKE_TILE), -(-self.image.width() // STROKE_TILE))
        self._before_kept = np.zeros(squares, dtype=bool)
        self._stroke_mask = QImage(self.image.size(), QImage.Format.Format_Grayscale8)  # cleared as reached, the same
        self._mask_cleared = np.zeros(squares, dtype=bool)
        self._stroke_size = self.canvas_brush_size()
        self._stroke_rect = QRect()
        self._last_point = None
        self.stroke_to(point, pressure)

    def end_stroke(self) -> None:
        if self._stroke_before is None:
            return
        rect = self._stroke_rect.intersected(self.image.rect())
        if not rect.isEmpty():
            self._keep_before(rect)  # the squares between the stroke's dabs, unpainted, are still as they were
            before, after = self._stroke_before.copy(rect), self.image.copy(rect)
            name = "Erase" if self._stroke_erases else "Brush stroke"
            self.undo_stack.push(_PatchCommand(self, rect, before, after, name))
        self._stroke_before = self._stroke_mask = None
        self._last_point = None

    def fill_at(self, x: int, y: int) -> None:
        if not self.image.rect().contains(x, y):
            return
        # Read and painted in place, a 32-bit number a pixel (RGB32 rows are never padded): converting the picture to
        # RGB, back, and drawing the result over it took about 40 ms of a fill of a 2048-px canvas.
        width, height = self.image.width(), self.image.height()
        pixels = np.frombuffer(self.image.bits(), dtype=np.uint32).reshape(height, width)
        rgb = pixels.view(np.uint8).reshape(height, width, 4)[..., RGB32_COLOUR_BYTES]
        fill = np.array([self.colour.rgb()], dtype=np.uint32).view(np.uint8)[RGB32_COLOUR_BYTES]  # the rows' order
        seed = rgb[y, x].astype(np.float32)
        mask = flood_fill_mask(rgb, x, y)
        edge_rows, edge_columns, shares = soft_edges(rgb, mask, seed)
        rows = np.concatenate((np.flatnonzero(mask.any(axis=1)), edge_rows))
        columns = np.concatenate((np.flatnonzero(mask.any(axis=0)), edge_columns))
        top, left = int(rows.min()), int(columns.min())
        rect = QRect(left, top, int(columns.max()) - left + 1, int(rows.max()) - top + 1)
        before = self.image.copy(rect)
        region = pixels[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        inside = mask[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        np.copyto(region, self._fill_paint(region), where=inside)
        # A soft edge keeps its blend, the fill's colour in place of the region's share of it.
        shift = (fill.astype(np.float32) - seed) * (shares * self.opacity)[:, None]
        edge = rgb[edge_rows, edge_columns] + shift
        rgb[edge_rows, edge_columns] = np.clip(np.round(edge), 0, 255).astype(np.uint8)
        self.update()
        self.undo_stack.push(_PatchCommand(self, rect, before, self.image.copy(rect), "Fill"))

    def _fill_paint(self, region: np.ndarray) -> np.ndarray:
        """What the fill lays over `region` (RGB32 pixels, 0xffRRGGBB): the colour, or at less than full opacity the
        colour over each pixel. Each channel's 256 possible results are worked out once and looked up: blending the
        whole rectangle in floats took about 280 of the 410 ms CPU of a 50% fill of a blank 2048-px canvas."""
        colour = (self.colour.red(), self.colour.green(), self.colour.blue())
        if self.opacity >= 1:
            return np.uint32(0xFF000000 | colour[0] << 16 | colour[1] << 8 | colour[2])
        levels = np.arange(256, dtype=np.float64)
        blended = np.full(region.shape, 0xFF000000, dtype=np.uint32)
        for value, shift in zip(colour, (16, 8, 0), strict=True):
            table = np.round(levels * (1 - self.opacity) + value * self.opacity).astype(np.uint32) << shift
            blended |= table[(region >> shift) & 0xFF]
        return blended

    def pick_colour_at(self, x: int, y: int) -> QColor | None:
        if not self.image.rect().contains(x, y):
            return None
        colour = QColor(self.image.pixel(x, y))
        self.colour = colour
        self.colour_picked.emit(colour)
        return colour

    # Whole-picture changes (undoable) ----------------------------------------------------------

    def replace_image(self, image: QImage, text: str = "Open image", scene: SceneSketch | None = None) -> None:
        """A new picture, undoably; `scene`: the scene it is the sketch of, when it is one."""
        # Shared, not copied (as _set_image): the canvas lets go of its picture here, and the packing thread frees it.
        self.undo_stack.push(_ReplaceCommand(self, QImage(self.image), _on_paper(image), text, scene))

    def new_canvas(self, size: QSize) -> None:
        blank = QImage(size, QImage.Format.Format_RGB32)
        blank.fill(PAPER)
        self.replace_image(blank, "New canvas")

    def _set_image(self, image: QImage) -> None:
        # Shared with the undo step, not copied: painting on the canvas (QPainter, fill_at's bits()) copies it first
        # only while the step still holds it. Two copies of a 2048-px picture cost 12-19 ms of the UI thread at
        # each Open, paste and new canvas (and freeing the old picture here 19 ms more, at load 27).
        self.image = QImage(image)
        # A stroke still being painted (an Open arrived meanwhile, an undo) has lost its picture: it ends here.
        self._stroke_before = self._stroke_mask = None
        self._last_point = None
        self.update()

    def _put_patch(self, top_left: QPoint, patch: QImage) -> None:
        painter = QPainter(self.image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(top_left, patch)
        painter.end()
        self.update()

    def pixels(self) -> np.ndarray:
        return image_to_array(self.image)

    def snapshot(self) -> Snapshot:
        """The canvas as it is now, for a job to read on its worker (see Snapshot)."""
        return Snapshot(self.image)

    def is_blank(self) -> bool:
        """One colour all over, as a new canvas is: nothing to paint from yet. Read in place, first row first (a
        photo differs there): converting a 2048-px canvas to an array took 20-70 ms of the UI thread every stroke."""
        image = self.image.convertToFormat(QImage.Format.Format_RGB32)  # shares the pixels; rows never padded
        pixels = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.width() * image.height())  # 0xffRRGGBB
        return bool((pixels[: image.width()] == pixels[0]).all() and (pixels == pixels[0]).all())

    # Events ------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.to_canvas(event.position())
        # Ctrl+click picks a colour with any tool, as in Krita: no trip to the eyedropper and back between strokes.
        picking = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if self.tool is Tool.FILL and not picking:
            self.fill_at(int(point.x()), int(point.y()))
        elif self.tool is Tool.EYEDROPPER or picking:
            self.pick_colour_at(int(point.x()), int(point.y()))
        else:
            self.begin_stroke(point)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen paints with its pressure (brush and eraser), and its eraser end erases whatever the tool, as in Krita.
        What else it does (fill, pick a colour, Ctrl+click) is left to the mouse event Qt makes of it."""
        kind, point = event.type(), self.to_canvas(event.position())
        if kind == QEvent.Type.TabletPress:
            eraser_end = event.pointerType() == QPointingDevice.PointerType.Eraser
            if (event.button() != Qt.MouseButton.LeftButton
                    or (self.tool not in (Tool.BRUSH, Tool.ERASER) and not eraser_end)
                    or event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                event.ignore()
                return
            self.begin_stroke(point, _pen_pressure(event), erase=eraser_end or self.tool is Tool.ERASER)
        elif kind == QEvent.Type.TabletMove:
            self._hover = event.position()
            if self._stroke_before is None:
                event.ignore()  # hovering: the mouse move shows the outline
                return
            self.stroke_to(point, _pen_pressure(event))
        elif kind == QEvent.Type.TabletRelease:
            if self._stroke_before is None:
                event.ignore()
                return
            self.end_stroke()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover = event.position()
        if self._stroke_before is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.stroke_to(self.to_canvas(event.position()))
        else:
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()

    def leaveEvent(self, event) -> None:
        self._hover = None
        self.update()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        view = self._view_rect()
        painter.drawImage(view, self.image)
        # An outline, so a white canvas stays visible on a light window background.
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Dark), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(view.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._hover is not None and self.tool in (Tool.BRUSH, Tool.ERASER):
            # A dark ring inside a light one, seen on any picture: the grey ring vanished on a photo's mid-tones.
            radius = self.brush_size / 2
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(0, 0, 0), 1))
            painter.drawEllipse(self._hover, radius, radius)
            painter.setPen(QPen(QColor(255, 255, 255), 1))
            painter.drawEllipse(self._hover, radius + 1, radius + 1)
