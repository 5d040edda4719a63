"""A piano roll: notes as bars on a pitch/time grid, bar lines, chord symbols and a moving playhead."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

NOTE_NAMES = ("C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B")  # C major's notes, and the others
SHARP_NAMES = ("C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B")
FLAT_NAMES = ("C", "D♭", "D", "E♭", "E", "F", "G♭", "G", "A♭", "A", "B♭", "B")
BLACK_KEYS = {1, 3, 6, 8, 10}
# How far a mode's tonic lies above the tonic of the major scale with its notes (D dorian has C major's).
ABOVE_ITS_MAJOR = {"major": 0, "ionian": 0, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7, "minor": 9,
                   "aeolian": 9, "locrian": 11}


def note_name(pitch: int, names: tuple[str, ...] = NOTE_NAMES) -> str:
    return f"{names[pitch % 12]}{pitch // 12 - 1}"


def key_spelling(tonic: int, mode: str) -> tuple[str, ...]:
    """The twelve note names for a melody in a key: sharps in a key with sharps (with one spelling for every key,
    A major's G♯ read A♭ and E minor's D♯ E♭), flats in one with four flats or more (A♭ major's D♭ read C♯).
    A key of up to three flats keeps NOTE_NAMES, which spells its notes and the minor's raised seventh (D minor's
    C♯, G minor's F♯), as it does C major's."""
    sharps = (tonic - ABOVE_ITS_MAJOR.get(mode, 0)) * 7 % 12  # the signature's sharps; over 6, 12 less its flats
    if 1 <= sharps <= 6:
        return SHARP_NAMES
    return FLAT_NAMES if 7 <= sharps <= 8 else NOTE_NAMES


@dataclass(frozen=True)
class RollNote:
    start: float  # in beats (quarter notes)
    length: float  # in beats
    pitch: int
    velocity: int = 90
    is_motif: bool = False  # notes the user gave, drawn in another colour


@dataclass(frozen=True)
class RollChord:
    start: float
    length: float
    symbol: str


@dataclass
class RollContent:
    notes: list[RollNote]
    chords: list[RollChord]
    bar_beats: float  # quarter notes per bar
    bars: int
    beat_beats: float = 1.0  # quarter notes per counted beat (1.5 in 6/8)
    names: tuple[str, ...] = NOTE_NAMES  # of the notes, as the melody's key spells them (key_spelling)


class PianoRollView(QWidget):
    """Draws one melody; `set_playhead(beats)` moves the playhead (None hides it). Dragging across the
    roll selects whole bars (shaded) and emits `bars_selected(first, last)`, 1-based. Bars are numbered
    below the grid; the pitch under the mouse is named on the axis, and the tooltip names the note."""

    KEYS_WIDTH = 34
    CHORD_LANE = 22
    BAR_LANE = 16
    bars_selected = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Piano roll")
        self.setMouseTracking(True)  # to name the pitch under the mouse
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.content: RollContent | None = None
        self.playhead: float | None = None
        self.selection: tuple[int, int] | None = None  # first and last bar, 1-based
        self._drag_from: int | None = None
        self.hovered_pitch: int | None = None
        self.empty_text = "Press Generate (Ctrl+Enter) to write melodies; they appear here as notes on a grid."

    def sizeHint(self) -> QSize:
        return QSize(700, 320)

    def set_content(self, content: RollContent | None) -> None:
        self.content = content
        self.playhead = None
        self.update()

    def set_playhead(self, beats: float | None) -> None:
        self.playhead = beats
        self.update()

    def set_selection(self, first: int, last: int) -> None:
        self.selection = (min(first, last), max(first, last))
        self.update()

    def _grid(self) -> QRectF:
        return QRectF(
            self.KEYS_WIDTH,
            self.CHORD_LANE,
            self.width() - self.KEYS_WIDTH - 4,
            self.height() - self.CHORD_LANE - self.BAR_LANE - 4,
        )

    def pitch_at(self, y: float) -> int | None:
        if self.content is None:
            return None
        grid = self._grid()
        if not grid.top() <= y < grid.bottom():
            return None
        low, high = self._pitch_span()
        return high - int((y - grid.top()) / (grid.height() / (high - low + 1)))

    def note_at(self, point: QPointF) -> RollNote | None:
        pitch = self.pitch_at(point.y())
        if pitch is None or self.content is None:
            return None
        grid = self._grid()
        beats = (point.x() - grid.left()) / max(grid.width(), 1.0) * self.content.bars * self.content.bar_beats
        return next((n for n in self.content.notes if n.pitch == pitch and n.start <= beats < n.start + n.length), None)

    def describe_at(self, point: QPointF) -> str:
        """What the tooltip says: the note under the mouse (or the pitch of its row) and the bar."""
        pitch = self.pitch_at(point.y())
        if pitch is None:
            return "Drag across bars to choose which ones Regenerate bars writes again"
        note = self.note_at(point)
        bar = self.bar_at(point.x())
        names = self.content.names if self.content is not None else NOTE_NAMES
        if note is None or self.content is None:
            return f"{note_name(pitch, names)} · bar {bar}"
        beat = note.start % self.content.bar_beats / self.content.beat_beats + 1
        return f"{note_name(note.pitch, names)} · bar {bar}, beat {beat:g} · {note.length:g} beat{'s' if note.length != 1 else ''}"

    def bar_number_rects(self) -> list[tuple[int, QRectF]]:
        """Where each bar number is written, under the grid: every bar when there is room, else every 2nd, 4th…"""
        if self.content is None:
            return []
        grid = self._grid()
        bar_width = grid.width() / max(self.content.bars, 1)
        widest = self.fontMetrics().horizontalAdvance(str(self.content.bars)) + 6
        step = 1
        while step * bar_width < widest and step < self.content.bars:
            step *= 2
        return [
            (bar, QRectF(grid.left() + (bar - 1) * bar_width + 2, grid.bottom() + 1, widest, self.BAR_LANE))
            for bar in range(1, self.content.bars + 1, step)
        ]

    def label_font(self) -> QFont:
        """The small font of the note names, bar numbers and chord symbols."""
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.75, 6.0))
        return small

    def chord_symbol_rects(self) -> list[tuple[str, QRectF]]:
        """Where each chord symbol is written, above the grid: as a lead sheet writes them, where the chord
        changes (a chord struck again each half bar is written once), moved right past the symbol before it
        while still inside its own chord; where even that has no room, the shorter chord's symbol is left out
        (a one-beat V7 then I in a 16-bar view read "V7i"; a 32-bar one "iioIII")."""
        if self.content is None:
            return []
        grid = self._grid()
        total_beats = max(self.content.bars * self.content.bar_beats, 1e-6)
        runs: list[list] = []  # [start, end, symbol] of each stretch of one chord
        for chord in self.content.chords:
            if runs and runs[-1][2] == chord.symbol and abs(runs[-1][1] - chord.start) < 1e-6:
                runs[-1][1] = chord.start + chord.length
            else:
                runs.append([chord.start, chord.start + chord.length, chord.symbol])
        metrics = QFontMetrics(self.label_font())
        placed: list[tuple[str, QRectF, float, float]] = []  # symbol, rect, its chord's beats, room before it

        def x_of(beats: float) -> float:
            return grid.left() + grid.width() * beats / total_beats

        for start, end, symbol in runs:
            free_from = placed[-1][1].right() + 4 if placed else grid.left()
            if max(x_of(start) + 2, free_from) >= x_of(end) and placed and placed[-1][2] < end - start:
                free_from = placed.pop()[3]  # no room: the longer chord keeps its symbol (the closing I, not a V7 beat)
            left = max(x_of(start) + 2, free_from)
            if left < x_of(end):
                placed.append((symbol, QRectF(left, 0, metrics.horizontalAdvance(symbol) + 1, self.CHORD_LANE),
                               end - start, free_from))
        return [(symbol, rect) for symbol, rect, _, _ in placed]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self.describe_at(QPointF(event.pos())), self)
            return True
        return super().event(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.hovered_pitch = None
        self.update()
        super().leaveEvent(event)

    def bar_at(self, x: float) -> int | None:
        """The 1-based bar under the x coordinate, clamped to the melody."""
        if self.content is None:
            return None
        grid = self._grid()
        fraction = (x - grid.left()) / max(grid.width(), 1.0)
        return min(max(int(fraction * self.content.bars) + 1, 1), self.content.bars)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag_from = self.bar_at(event.position().x())
        if self._drag_from is not None:
            self._select_to(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pitch = self.pitch_at(event.position().y())
        if pitch != self.hovered_pitch:
            self.hovered_pitch = pitch
            self.update()
        if self._drag_from is not None:
            self._select_to(event.position().x())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None

    def _select_to(self, x: float) -> None:
        bar = self.bar_at(x)
        if bar is None or self._drag_from is None:
            return
        self.set_selection(self._drag_from, bar)
        self.bars_selected.emit(min(self._drag_from, bar), max(self._drag_from, bar))

    def _pitch_span(self) -> tuple[int, int]:
        pitches = [n.pitch for n in self.content.notes] if self.content and self.content.notes else [60, 72]
        low, high = min(pitches) - 2, max(pitches) + 2
        if high - low < 14:  # at least an octave and a bit, so short lines are not giant bars
            middle = (low + high) // 2
            low, high = middle - 7, middle + 7
        return low, high

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        background = palette.base().color()
        painter.fillRect(self.rect(), background)
        if self.content is None:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(
                self.rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            return
        content = self.content
        low, high = self._pitch_span()
        rows = high - low + 1
        grid = self._grid()
        total_beats = max(content.bars * content.bar_beats, 1e-6)
        row_height = grid.height() / rows

        def x_of(beats: float) -> float:
            return grid.left() + grid.width() * beats / total_beats

        def y_of(pitch: int) -> float:
            return grid.top() + (high - pitch) * row_height

        # Rows: black-key rows shaded, like a keyboard turned on its side; every row named when there is
        # room (else the Cs), and the row under the mouse always.
        text = palette.text().color()
        shade = QColor(text)
        shade.setAlpha(14)
        small = self.label_font()
        painter.setFont(small)
        name_every_row = row_height >= QFontMetrics(small).height()
        for pitch in range(low, high + 1):
            top = y_of(pitch)
            if pitch % 12 in BLACK_KEYS:
                painter.fillRect(QRectF(grid.left(), top, grid.width(), row_height), shade)
            if pitch == self.hovered_pitch:
                painter.fillRect(QRectF(grid.left(), top, grid.width(), row_height), shade)
            if pitch == self.hovered_pitch or name_every_row or (pitch % 12 == 0 and row_height >= 6):
                painter.setPen(text if pitch == self.hovered_pitch else palette.placeholderText().color())
                painter.drawText(
                    QRectF(0, top - 2, self.KEYS_WIDTH - 4, row_height + 4),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    note_name(pitch, content.names),
                )
        painter.setPen(palette.placeholderText().color())
        for bar, rect in self.bar_number_rects():
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(bar))

        # The bars chosen for Regenerate bars.
        if self.selection is not None:
            first, last = self.selection
            chosen = QColor(palette.highlight().color())
            chosen.setAlpha(40)
            left, right = x_of((first - 1) * content.bar_beats), x_of(min(last, content.bars) * content.bar_beats)
            painter.fillRect(QRectF(left, grid.top(), right - left, grid.height()), chosen)

        # Beat and bar lines.
        beat_pen = QPen(QColor(text.red(), text.green(), text.blue(), 30), 1)
        bar_pen = QPen(QColor(text.red(), text.green(), text.blue(), 90), 1)
        beat = 0.0
        while beat <= total_beats + 1e-9:
            is_bar = abs(beat / content.bar_beats - round(beat / content.bar_beats)) < 1e-6
            painter.setPen(bar_pen if is_bar else beat_pen)
            painter.drawLine(QPointF(x_of(beat), grid.top()), QPointF(x_of(beat), grid.bottom()))
            beat += content.beat_beats

        # Chord symbols above the grid.
        painter.setPen(text)
        for symbol, rect in self.chord_symbol_rects():
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, symbol)

        # Notes: brightness follows velocity.
        accent = palette.highlight().color()
        motif_colour = QColor(230, 160, 60)
        for note in content.notes:
            colour = QColor(motif_colour if note.is_motif else accent)
            colour.setAlphaF(0.45 + 0.55 * min(max(note.velocity, 1), 127) / 127)
            rect = QRectF(
                x_of(note.start),
                y_of(note.pitch) + 1,
                max(x_of(note.start + note.length) - x_of(note.start) - 1, 2),
                max(row_height - 2, 2),
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 2, 2)

        if self.playhead is not None:
            painter.setPen(QPen(QColor(240, 80, 80), 2))
            x = x_of(min(max(self.playhead, 0.0), total_beats))
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
