"""The one shape every renderer takes: a list of timed notes on General MIDI programs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoteEvent:
    pitch: int  # MIDI note number, 60 = middle C
    start: float  # seconds
    end: float  # seconds
    velocity: int = 90  # 1..127
    program: int = 0  # General MIDI program, 0 = Acoustic Grand Piano
    is_drum: bool = False  # metronome clicks use the percussion channel


def notes_from_midi(midi) -> list[NoteEvent]:
    """Every note of a pretty_midi.PrettyMIDI object, as `NoteEvent`s sorted by start."""
    events = [
        NoteEvent(note.pitch, float(note.start), float(note.end), int(note.velocity), instrument.program,
                  instrument.is_drum)
        for instrument in midi.instruments
        for note in instrument.notes
    ]
    return sorted(events, key=lambda e: (e.start, e.pitch))


def scaled_in_time(notes: list[NoteEvent], factor: float) -> list[NoteEvent]:
    """The same notes played `factor` times as long (a tempo change without regenerating)."""
    return [
        NoteEvent(n.pitch, n.start * factor, n.end * factor, n.velocity, n.program, n.is_drum) for n in notes
    ]
