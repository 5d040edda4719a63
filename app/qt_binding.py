"""Is this Qt binding safe for a long session? Measure whether its painting calls leak references to `None`.

PySide6 6.12.0 on Python 3.10/3.11 takes one reference of `None` on every QPainter call that returns
nothing (`setPen`, `fillRect`, ...) and never gives it back; when the count reaches zero the
interpreter aborts with "Fatal Python error: none_dealloc" — minutes into a session that repaints a
piano roll or a canvas. Python 3.12 and newer make `None` immortal, so there the leak cannot kill.
The app runs `binding_problem()` at start-up, the suite runs every call the app's paint events
make thousands of times, and `python -m app.qt_binding` lets `make setup` replace a bad binding.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

# The calls the app's paint events make (piano roll, keyboard, canvas, result view, thumbnails), each
# as it is written there: a leak in any one of them is enough to end a session.
PaintCall = Callable[["object", "object"], object]


def _paint_calls() -> dict[str, PaintCall]:
    from PySide6.QtCore import QPointF, QRect, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen

    tile = QImage(4, 4, QImage.Format.Format_ARGB32_Premultiplied)
    tile.fill(QColor("white"))
    pen, brush, font = QPen(QColor("black"), 1.5), QBrush(QColor("red")), QFont()
    return {
        "QPainter.setPen": lambda painter, _: painter.setPen(pen),
        "QPainter.setPen(QColor)": lambda painter, _: painter.setPen(QColor("blue")),
        "QPainter.setPen(NoPen)": lambda painter, _: painter.setPen(Qt.PenStyle.NoPen),
        "QPainter.setBrush": lambda painter, _: painter.setBrush(brush),
        "QPainter.setFont": lambda painter, _: painter.setFont(font),
        "QPainter.setRenderHint": lambda painter, _: painter.setRenderHint(QPainter.RenderHint.Antialiasing),
        "QPainter.setCompositionMode": lambda painter, _: painter.setCompositionMode(
            QPainter.CompositionMode.CompositionMode_SourceOver
        ),
        "QPainter.fillRect": lambda painter, _: painter.fillRect(QRect(0, 0, 4, 4), QColor("green")),
        "QPainter.drawLine": lambda painter, _: painter.drawLine(0, 0, 8, 8),
        "QPainter.drawRect": lambda painter, _: painter.drawRect(QRectF(1, 1, 5, 5)),
        "QPainter.drawRoundedRect": lambda painter, _: painter.drawRoundedRect(QRectF(1, 1, 6, 6), 2, 2),
        "QPainter.drawEllipse": lambda painter, _: painter.drawEllipse(QPointF(4, 4), 2.0, 2.0),
        "QPainter.drawImage": lambda painter, _: painter.drawImage(QRectF(0, 0, 4, 4), tile),
        "QPainter.drawText": lambda painter, _: painter.drawText(QRectF(0, 0, 16, 16), 0, "C4"),
        "QColor.setAlphaF": lambda _, color: color.setAlphaF(0.5),
        "QColor.setAlpha": lambda _, color: color.setAlpha(128),
        # The canvas paints each brush move through a new layer image: a painter begun on a device new to the
        # binding. PySide6 6.11.3 gains 6 references to None there, every time, and holds nothing (docs/soak.md).
        "QPainter(a new QImage)": lambda _painter, _color: _paint_on_a_new_image(),
    }


def _paint_on_a_new_image() -> None:
    from PySide6.QtGui import QImage, QPainter

    layer = QImage(4, 4, QImage.Format.Format_RGB32)  # held until the painter ends: Qt must not lose it mid-paint
    painter = QPainter(layer)
    painter.end()


def none_reference_drift(calls_per_method: int = 200) -> dict[str, int]:
    """How many references to `None` each paint call gains (positive) or loses (negative) over many calls.

    A clean binding stays near zero (a few references move as caches fill); the bad one loses one
    reference per call. A gain cannot end a session (the count is 64 bits): PySide6 6.11 gains 6 on every
    painter begun on a new image. Needs a QGuiApplication (fonts); paints on an image, so no window is needed.
    """
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(32, 32, QImage.Format.Format_ARGB32_Premultiplied)
    color = QColor(10, 20, 30)
    drift: dict[str, int] = {}
    for name, call in _paint_calls().items():
        painter = QPainter(image)
        call(painter, color)  # the first call may fill caches; measure the ones after it
        before = sys.getrefcount(None)
        for _ in range(calls_per_method):
            call(painter, color)
        drift[name] = sys.getrefcount(None) - before
        painter.end()
        give_back_lost_references(before)
    return drift


def give_back_lost_references(level: int) -> int:
    """Raise `None`'s reference count back to `level` if a leak took it below; returns how many were given."""
    import ctypes

    lost = level - sys.getrefcount(None)
    # Given back for good, through the C API: references held by a Python object would be dropped again
    # when the interpreter shuts down, and the count would reach zero then.
    for _ in range(lost):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return max(lost, 0)


def leaking_calls(calls_per_method: int = 200) -> list[str]:
    """The paint calls that lose at least half a reference to `None` per call."""
    if sys.version_info >= (3, 12):
        return []  # `None` is immortal: its count does not move and cannot reach zero
    drift = none_reference_drift(calls_per_method)
    return [name for name, change in drift.items() if change <= -calls_per_method // 2]


def binding_version() -> str:
    import PySide6

    return PySide6.__version__


def binding_problem() -> str | None:
    """A sentence for the user when this Qt binding is known to crash the app after minutes of use."""
    leaks = leaking_calls()
    if not leaks:
        return None
    return (
        f"Your Qt binding (PySide6 {binding_version()} on Python {sys.version_info.major}.{sys.version_info.minor}) "
        "has a bug that makes Atelier crash after minutes of use: install another version with "
        "`make setup` (or `pip install 'PySide6-Essentials<6.12'`), or run Atelier on Python 3.12 or newer."
    )


def main() -> int:
    """Exit 1 when the installed binding leaks (`make setup` then reinstalls it), 0 when it is safe."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    application = QGuiApplication.instance() or QGuiApplication(["atelier-qt-check"])  # noqa: F841 (kept alive)
    leaks = leaking_calls()
    if leaks:
        print(f"PySide6 {binding_version()} leaks references to None in {', '.join(leaks)}: replacing it.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
