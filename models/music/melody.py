"""A generated melody: notes in ticks with velocities, and its conversion to a pretty_midi object.

Velocities follow the metre (accented downbeats, lighter off-beats) and the phrase contour; with
humanize on, they also get a small seeded jitter and notes get small timing offsets (a few
milliseconds, late on weak beats), so playback is neither flat nor mechanical. A timing offset never
makes a note overlap the next one: synthesizers cut a note that starts before the same pitch has
ended, so an early note could shrink the one before it to a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.music import tokens
from models.music.constrained import Event

BASE_VELOCITY = 78
ACCENT = {0: 16, 1: 8, 2: 0, 3: -6}  # by metric position class
# A humanized offset moves a note by at most this share of its own length and of the note before it,
# and a note is released this share of its length (at most RELEASE_S) early, so every note keeps at
# least 70% of its written length: 40 ms for a sixteenth at 260 BPM, the fastest tempo the app offers.
MAX_OFFSET_SHARE = 0.1
MAX_OFFSET_MS = 15.0
RELEASE_SHARE, RELEASE_S = 0.1, 0.01


@dataclass(frozen=True)
class Note:
    onset: int  # ticks from the first downbeat (1/24 quarter)
    duration: int  # ticks
    pitch: int  # MIDI
    velocity: int = BASE_VELOCITY
    offset_ms: float = 0.0  # humanized timing offset


@dataclass(frozen=True)
class Chord:
    onset: int
    duration: int
    numeral: str  # Roman numeral, e.g. "V7"
    pitches: tuple[int, ...]


@dataclass
class Melody:
    events: list[Event]  # token-space notes and rests, for conditioning and infilling
    tonic: int
    mode: str
    meter: tokens.Meter
    bars: int
    tempo: float  # quarter notes per minute
    style: str = ""
    seed: int = 0
    humanize: bool = True
    chords: list[Chord] = field(default_factory=list)
    form: str = ""  # the phrase form it was written in ("A A' B C"), "" when through-composed

    @property
    def total_ticks(self) -> int:
        return self.bars * self.meter.bar_ticks

    def notes(self) -> list[Note]:
        """The pitched notes with velocities (and timing offsets when humanized)."""
        rng = np.random.default_rng([self.seed, 7])
        pitched = [(e, tokens.symbol_to_pitch(e.symbol, self.tonic, self.mode)) for e in self.events]
        pitched = [(e, p) for e, p in pitched if p is not None]
        if not pitched:
            return []
        pitches = np.array([p for _, p in pitched], dtype=float)
        centre, spread = pitches.mean(), max(pitches.std(), 1.0)
        out, previous_ms = [], np.inf
        for e, pitch in pitched:
            position = self.meter.position_class(e.onset)
            velocity = BASE_VELOCITY + ACCENT[position] + 4.0 * (pitch - centre) / spread
            offset = 0.0
            length_ms = 1000.0 * self.seconds(e.ticks)
            if self.humanize:
                velocity += rng.normal(0.0, 3.0)
                offset = float(rng.normal(0.0, 4.0) + (3.0 if position >= 2 else 0.0))
                bound = min(MAX_OFFSET_MS, MAX_OFFSET_SHARE * length_ms, MAX_OFFSET_SHARE * previous_ms)
                offset = float(np.clip(offset, -bound, bound))
            previous_ms = length_ms
            assert pitch is not None  # a note event, not a rest
            out.append(Note(e.onset, e.ticks, int(pitch), int(np.clip(round(velocity), 30, 120)), offset))
        return out

    def note_times(self) -> list[tuple[Note, float, float]]:
        """Each note with its start and end in seconds: humanized, released a little early, and never
        past the next note's start (the melody is one line, so no note overlaps another)."""
        notes = self.notes()
        starts = [max(0.0, self.seconds(n.onset) + n.offset_ms / 1000.0) for n in notes]
        out = []
        for i, note in enumerate(notes):
            written = self.seconds(note.duration)
            end = starts[i] + written
            if i + 1 < len(notes):
                end = min(end, starts[i + 1])
            out.append((note, starts[i], end - min(RELEASE_S, RELEASE_SHARE * written)))
        return out

    def seconds(self, ticks: float) -> float:
        return ticks / tokens.TICKS_PER_QUARTER * 60.0 / self.tempo

    def to_pretty_midi(self, program: int = 73, chord_program: int = 0):
        """A pretty_midi.PrettyMIDI with the melody (flute by default) and the accompaniment if any."""
        import pretty_midi

        midi = pretty_midi.PrettyMIDI(initial_tempo=float(self.tempo))
        lead = pretty_midi.Instrument(program=program, name=f"melody ({self.style})")
        for note, start, end in self.note_times():
            lead.notes.append(pretty_midi.Note(note.velocity, note.pitch, start, end))
        midi.instruments.append(lead)
        if self.chords:
            accompaniment = pretty_midi.Instrument(program=chord_program, name="chords")
            for chord in self.chords:
                start, end = self.seconds(chord.onset), self.seconds(chord.onset + chord.duration)
                for pitch in chord.pitches:
                    accompaniment.notes.append(pretty_midi.Note(56, pitch, start, end))
            midi.instruments.append(accompaniment)
        numerator, denominator = self.meter.numerator, self.meter.denominator
        midi.time_signature_changes.append(pretty_midi.TimeSignature(numerator, denominator, 0.0))
        key_number = self.tonic + (12 if self.mode in ("minor", "aeolian", "dorian", "phrygian") else 0)
        midi.key_signature_changes.append(pretty_midi.KeySignature(key_number, 0.0))
        return midi
