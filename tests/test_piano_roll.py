"""The piano roll: bars are numbered, and the pitch and note under the mouse are named."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QToolTip

from app.tabs.compose.piano_roll import NOTE_NAMES, PianoRollView, RollContent, RollNote, key_spelling


@pytest.fixture
def roll(qtbot):
    notes = [RollNote(beat, 1.0, pitch) for beat, pitch in enumerate([62, 64, 66, 67, 69, 71, 73, 74] * 4)]
    view = PianoRollView()
    view.set_content(RollContent(notes, [], bar_beats=4.0, bars=8))
    view.resize(700, 320)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def centre_of(roll, note: RollNote) -> QPoint:
    grid = roll._grid()
    low, high = roll._pitch_span()
    row = grid.height() / (high - low + 1)
    x = grid.left() + grid.width() * (note.start + note.length / 2) / (roll.content.bars * roll.content.bar_beats)
    return QPoint(round(x), round(grid.top() + (high - note.pitch + 0.5) * row))


def test_every_bar_is_numbered_below_the_grid(roll):
    numbers = roll.bar_number_rects()
    assert [bar for bar, _ in numbers] == list(range(1, 9))
    shot = roll.grab().toImage()
    background = roll.palette().base().color().rgb()
    for bar, rect in numbers:
        assert rect.top() >= roll._grid().bottom()
        inked = [
            QColor(shot.pixel(x, y)).rgb() != background
            for x in range(int(rect.left()), int(rect.right()))
            for y in range(int(rect.top()), min(int(rect.bottom()), shot.height()))
        ]
        assert sum(inked) >= 4, f"bar {bar} has no number drawn"


def test_a_long_melody_numbers_every_second_or_fourth_bar_without_crowding(roll):
    roll.set_content(RollContent([RollNote(0, 1, 60)], [], bar_beats=4.0, bars=64))
    roll.resize(300, 200)
    numbers = roll.bar_number_rects()
    assert numbers[0][0] == 1 and numbers[1][0] in (3, 5, 9, 17)
    assert all(a.right() <= b.left() for (_, a), (_, b) in zip(numbers, numbers[1:], strict=False))


def test_the_note_under_the_mouse_is_named(qtbot, roll):
    note = roll.content.notes[6]  # C♯5, bar 2, beat 3
    point = centre_of(roll, note)
    qtbot.mouseMove(roll, point)
    assert roll.hovered_pitch == 73
    assert roll.describe_at(QPointF(point)) == "C♯5 · bar 2, beat 3 · 1 beat"
    roll.event(QHelpEvent(QEvent.Type.ToolTip, point, roll.mapToGlobal(point)))
    assert QToolTip.text() == "C♯5 · bar 2, beat 3 · 1 beat"
    # A row without a note under the mouse still names its pitch (the axis labels only the Cs).
    low, high = roll._pitch_span()
    empty = QPointF(point.x(), point.y() - 2 * roll._grid().height() / (high - low + 1))  # two rows up
    assert roll.describe_at(empty).startswith("E♭5 · bar 2")


def test_chord_symbols_are_written_where_the_chord_changes_and_never_run_together(roll):
    from app.tabs.compose.piano_roll import RollChord

    # A harmonized 16-bar tune: the tonic struck again every half bar, a one-beat V7 then I at the end.
    chords = [RollChord(2.0 * i, 2.0, "i") for i in range(29)] + [RollChord(58.0, 2.0, "iio"), RollChord(60.0, 1.0, "V7"),
                                                                   RollChord(61.0, 1.0, "i"), RollChord(62.0, 2.0, "i")]
    roll.set_content(RollContent([RollNote(0, 1, 60)], chords, bar_beats=4.0, bars=16))
    for width in (1400, 700, 400):
        roll.resize(width, 320)
        rects = roll.chord_symbol_rects()
        assert [symbol for symbol, _ in rects][:1] == ["i"] and len(rects) <= 4
        assert all(a.right() < b.left() for (_, a), (_, b) in zip(rects, rects[1:], strict=False))
    roll.resize(1400, 320)
    assert [symbol for symbol, _ in roll.chord_symbol_rects()] == ["i", "iio", "V7", "i"]
    roll.resize(300, 320)  # no room for both: the closing chord's symbol stays, the one-beat V7's goes
    assert [symbol for symbol, _ in roll.chord_symbol_rects()][-1] == "i"


def test_notes_are_named_as_the_melodys_key_spells_them(roll):
    # One spelling for every key named A major's leading note A♭ and E minor's E♭.
    assert key_spelling(9, "major")[8] == "G♯"
    assert key_spelling(4, "minor")[3] == "D♯"
    assert key_spelling(9, "dorian")[6] == "F♯"  # G major's notes
    assert key_spelling(8, "major")[1] == "D♭"  # four flats
    assert key_spelling(2, "minor")[1] == "C♯" and key_spelling(2, "minor")[10] == "B♭"  # one flat; the raised 7th
    assert key_spelling(0, "major") == NOTE_NAMES
    notes = [RollNote(0, 1, 68)]  # G♯4
    roll.set_content(RollContent(notes, [], bar_beats=4.0, bars=1, names=key_spelling(9, "major")))
    assert roll.describe_at(QPointF(centre_of(roll, notes[0]))) == "G♯4 · bar 1, beat 1 · 1 beat"


def test_a_variations_opening_notes_are_named_as_its_key_spells_them():
    from types import SimpleNamespace

    from app.tabs.compose.labels import opening
    from models.music import tokens

    pitches = [69, 68, 69, 71]  # A G♯ A B, in A major
    events = [SimpleNamespace(onset=480 * i, symbol=tokens.pitch_to_symbol(p, 9, "major")[0]) for i, p in enumerate(pitches)]
    assert opening(SimpleNamespace(events=events, tonic=9, mode="major")) == "A G♯ A B"
