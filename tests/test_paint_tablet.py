"""A pen paints with its pressure: a light touch lays a thinner, lighter line than a firm one (a tablet's painter had a
constant brush). Synthetic QTabletEvents, as a Wacom's driver sends them through Qt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from app.tabs.paint.canvas import PaintCanvas, Tool


@pytest.fixture
def canvas(qtbot):
    widget = PaintCanvas(QSize(200, 200))
    widget.resize(200, 200)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.colour, widget.hardness, widget.brush_size = QColor(0, 0, 0), 1.0, 30
    return widget


def stylus(name: str, system_id: int, end: QPointingDevice.PointerType, pressure: bool = True) -> QPointingDevice:
    capabilities = QInputDevice.Capability.Position
    if pressure:
        capabilities |= QInputDevice.Capability.Pressure
    return QPointingDevice(name, system_id, QInputDevice.DeviceType.Stylus, end, capabilities, 1, 2)


@pytest.fixture(scope="module")
def pen():
    return stylus("test pen", 1, QPointingDevice.PointerType.Pen)


@pytest.fixture(scope="module")
def eraser_end():
    return stylus("test pen's eraser", 2, QPointingDevice.PointerType.Eraser)


def pen_event(pen, kind: QEvent.Type, x: float, y: float, pressure: float,
              modifiers=Qt.KeyboardModifier.NoModifier) -> QTabletEvent:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.TabletMove else Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
    return QTabletEvent(kind, pen, QPointF(x, y), QPointF(x, y), pressure, 0.0, 0.0, 0.0, 0.0, 0.0, modifiers,
                        button, buttons)


def pen_stroke(canvas, pen, y: float, pressure: float) -> list[bool]:
    """A line across the canvas at `y`; whether the canvas took each event."""
    events = [pen_event(pen, QEvent.Type.TabletPress, 30, y, pressure)]
    events += [pen_event(pen, QEvent.Type.TabletMove, x, y, pressure) for x in range(40, 171, 10)]
    events.append(pen_event(pen, QEvent.Type.TabletRelease, 170, y, pressure))
    taken = []
    for event in events:
        QApplication.sendEvent(canvas, event)
        taken.append(event.isAccepted())
    return taken


def test_a_light_touch_paints_a_thinner_lighter_line_than_a_firm_one(canvas, pen):
    assert all(pen_stroke(canvas, pen, 50, 1.0))
    assert all(pen_stroke(canvas, pen, 150, 0.3))
    pixels = canvas.pixels()[..., 0].astype(int)
    firm, light = pixels[20:80, 100], pixels[120:180, 100]
    assert firm.min() < 10 and light.min() > 60  # full colour; about a third of it
    assert (light < 250).sum() < (firm < 250).sum() * 0.6  # and narrower
    assert canvas.undo_stack.count() == 2 and canvas.undo_stack.undoText() == "Brush stroke"


def test_the_pen_leaves_fill_and_ctrl_click_to_the_mouse_events_qt_makes_of_it(canvas, pen):
    canvas.tool = Tool.FILL
    press = pen_event(pen, QEvent.Type.TabletPress, 100, 100, 0.5)
    QApplication.sendEvent(canvas, press)
    assert not press.isAccepted()
    canvas.tool = Tool.BRUSH
    picking = pen_event(pen, QEvent.Type.TabletPress, 100, 100, 0.5, Qt.KeyboardModifier.ControlModifier)
    QApplication.sendEvent(canvas, picking)
    assert not picking.isAccepted() and canvas.undo_stack.count() == 0


def test_the_pens_eraser_end_erases_whatever_the_tool(canvas, pen, eraser_end):
    pen_stroke(canvas, pen, 100, 1.0)
    canvas.tool = Tool.FILL
    assert all(pen_stroke(canvas, eraser_end, 100, 1.0))
    assert canvas.pixels()[92:108, 50:150].min() == 255  # paper again (the line was 30 px wide, black)
    assert canvas.undo_stack.undoText() == "Erase" and canvas.tool is Tool.FILL


def test_a_pen_that_cannot_tell_pressure_paints_a_full_line(canvas):
    pen = stylus("test pen without pressure", 3, QPointingDevice.PointerType.Pen, pressure=False)
    assert all(pen_stroke(canvas, pen, 100, 0.0))
    assert canvas.pixels()[100, 100, 0] < 10 and (canvas.pixels()[70:130, 100, 0] < 250).sum() >= 28
