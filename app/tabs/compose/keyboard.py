"""An on-screen piano keyboard for entering a motif, by mouse or with the computer's keys.

The computer keys follow the usual layout of music software: A W S E D F T G Y H U J K play
C C♯ D E♭ E F F♯ G A♭ A B♭ B C; Z and X move down and up an octave.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.tabs.compose.piano_roll import BLACK_KEYS, note_name

COMPUTER_KEYS = "AWSEDFTGYHUJK"  # C up to the next C
WHITE_OFFSETS = (0, 2, 4, 5, 7, 9, 11)


class OnScreenKeyboard(QWidget):
    """Two octaves; emits `note_played(pitch)` on a click or a key press."""

    note_played = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("On-screen keyboard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.lowest = 60  # the C the computer keys start from
        self.octaves = 2
        self._lit: int | None = None
        self.setToolTip("Click keys, or type A W S E D F T G Y H U J K; Z and X change octave")

    def sizeHint(self) -> QSize:
        return QSize(320, 72)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 60)

    def set_octave(self, lowest_c: int) -> None:
        self.lowest = max(24, min(lowest_c, 96))
        self.update()

    def _white_keys(self) -> list[int]:
        return [self.lowest + 12 * octave + offset for octave in range(self.octaves) for offset in WHITE_OFFSETS] + [
            self.lowest + 12 * self.octaves
        ]

    def _key_rects(self) -> list[tuple[int, QRectF]]:
        """Black keys first, so a click finds them before the white key beneath."""
        whites = self._white_keys()
        width = self.width() / len(whites)
        white_rects = [(pitch, QRectF(i * width, 0, width, self.height())) for i, pitch in enumerate(whites)]
        black_rects = []
        for i, pitch in enumerate(whites[:-1]):
            if (pitch + 1) % 12 in BLACK_KEYS:
                black_rects.append((pitch + 1, QRectF((i + 0.65) * width, 0, width * 0.7, self.height() * 0.6)))
        return black_rects + white_rects

    def pitch_at(self, x: float, y: float) -> int | None:
        for pitch, rect in self._key_rects():
            if rect.contains(x, y):
                return pitch
        return None

    def play(self, pitch: int) -> None:
        self._lit = pitch
        self.update()
        self.note_played.emit(pitch)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pitch = self.pitch_at(event.position().x(), event.position().y())
        if pitch is not None:
            self.play(pitch)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().upper()
        if text and text in COMPUTER_KEYS and not event.isAutoRepeat():
            self.play(self.lowest + COMPUTER_KEYS.index(text))
        elif text == "Z":
            self.set_octave(self.lowest - 12)
        elif text == "X":
            self.set_octave(self.lowest + 12)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        outline = QPen(QColor(40, 40, 40), 1)
        rects = self._key_rects()
        for pitch, rect in reversed(rects):  # white keys first, then black on top
            black = pitch % 12 in BLACK_KEYS
            colour = QColor(30, 30, 30) if black else QColor(245, 245, 245)
            if pitch == self._lit:
                colour = QColor(230, 160, 60)
            painter.setPen(outline)
            painter.setBrush(colour)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            if not black and pitch % 12 == 0:
                painter.setPen(QColor(90, 90, 90))
                painter.drawText(rect.adjusted(0, 0, 0, -4), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                                 note_name(pitch))
