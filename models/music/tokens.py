"""Melody tokens: a note is (scale step from the tonic, chromatic alteration, duration), key-free.

Pitch is written as a diatonic step relative to the tonic (step 0 = the tonic in the reference
octave, 7 = the tonic an octave up, -3 = the fifth below) plus an alteration of -1, 0 or +1
semitone from the mode's scale, so one model writes in every key and mode: step 2 is a major third
in major and a minor third in minor. A rest is its own pitch symbol. Durations are snapped to a
small set of musical values. The token id is `pitch_symbol * len(DURATIONS) + duration_index`.

Each note also has a metric position class (downbeat, beat, half-beat, finer) and a previous pitch
symbol, which the melody HMM observes as context for its emissions rather than as part of the token.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TICKS_PER_QUARTER = 24
# 16th, 8th triplet, 8th, dotted 8th, quarter, dotted quarter, half, dotted half, whole (ticks)
DURATIONS = (6, 8, 12, 18, 24, 36, 48, 72, 96)
MIN_STEP, MAX_STEP = -10, 17  # a tenth below to a tenth above the tonic's octave
ALTERATIONS = (-1, 0, 1)
N_STEPS = MAX_STEP - MIN_STEP + 1
REST = N_STEPS * len(ALTERATIONS)  # the last pitch symbol
N_PITCH_SYMBOLS = REST + 1
VOCAB_SIZE = N_PITCH_SYMBOLS * len(DURATIONS)
NO_PREVIOUS = N_PITCH_SYMBOLS  # the "previous pitch" of a melody's first note
N_POSITION_CLASSES = 4  # downbeat, other beat, half-beat (or compound eighth), finer
REFERENCE_TONIC = 60  # the tonic of step 0 is in the octave from middle C up

SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
}
PITCH_CLASSES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def parse_key(name: str) -> int:
    """Pitch class of a key name such as "D", "F#", "Bb" or "Eb"."""
    text = name.strip()
    if not text or text[0].upper() not in PITCH_CLASSES:
        raise ValueError(f"unknown key {name!r}: use a note name such as C, F#, Bb")
    pc = PITCH_CLASSES[text[0].upper()]
    for accidental in text[1:]:
        if accidental in "#♯":
            pc += 1
        elif accidental in "b♭":
            pc -= 1
        else:
            raise ValueError(f"unknown key {name!r}: use a note name such as C, F#, Bb")
    return pc % 12


def scale_of(mode: str) -> tuple[int, ...]:
    if mode not in SCALES:
        raise ValueError(f"unknown mode {mode!r}: choose one of {', '.join(SCALES)}")
    return SCALES[mode]


def pitch_to_symbol(midi: int, tonic: int, mode: str) -> tuple[int, bool]:
    """(pitch symbol, whether it had to be clipped into the step range) for a MIDI note in a key."""
    scale = scale_of(mode)
    semitones = midi - (REFERENCE_TONIC + tonic)
    octave, within = divmod(semitones, 12)
    if within in scale:
        degree, alteration = scale.index(within), 0
    elif (within - 1) % 12 in scale:
        degree, alteration = scale.index((within - 1) % 12), 1
    else:
        degree, alteration = scale.index((within + 1) % 12), -1
    step = octave * 7 + degree
    clipped = not MIN_STEP <= step <= MAX_STEP
    step = min(max(step, MIN_STEP), MAX_STEP)
    return (step - MIN_STEP) * len(ALTERATIONS) + ALTERATIONS.index(alteration), clipped


def symbol_to_pitch(symbol: int, tonic: int, mode: str) -> int | None:
    """The MIDI pitch of a pitch symbol in a key, or None for a rest."""
    if symbol == REST:
        return None
    step_index, alteration_index = divmod(symbol, len(ALTERATIONS))
    octave, degree = divmod(step_index + MIN_STEP, 7)
    return REFERENCE_TONIC + tonic + 12 * octave + scale_of(mode)[degree] + ALTERATIONS[alteration_index]


def is_tonic_symbol(symbol: int) -> bool:
    if symbol == REST:
        return False
    step_index, alteration_index = divmod(symbol, len(ALTERATIONS))
    return (step_index + MIN_STEP) % 7 == 0 and ALTERATIONS[alteration_index] == 0


def duration_index(ticks: int) -> int:
    """The nearest duration in DURATIONS, on a log scale."""
    return int(np.argmin([abs(np.log(ticks / d)) for d in DURATIONS]))


def token_of(pitch_symbol: int, duration: int) -> int:
    return pitch_symbol * len(DURATIONS) + duration


def split_token(token: int) -> tuple[int, int]:
    """(pitch symbol, duration index)."""
    return divmod(token, len(DURATIONS))


@dataclass(frozen=True)
class Meter:
    numerator: int
    denominator: int

    @classmethod
    def parse(cls, text: str) -> Meter:
        try:
            numerator, denominator = (int(x) for x in text.split("/"))
        except ValueError:
            raise ValueError(f"unknown meter {text!r}: write it as 4/4, 3/4, 6/8 ...") from None
        if numerator <= 0 or denominator not in (1, 2, 4, 8, 16):
            raise ValueError(f"unknown meter {text!r}: write it as 4/4, 3/4, 6/8 ...")
        return cls(numerator, denominator)

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def bar_ticks(self) -> int:
        return self.numerator * 4 * TICKS_PER_QUARTER // self.denominator

    @property
    def compound(self) -> bool:
        return self.denominator == 8 and self.numerator in (6, 9, 12)

    @property
    def beat_ticks(self) -> int:
        return 3 * TICKS_PER_QUARTER // 2 if self.compound else 4 * TICKS_PER_QUARTER // self.denominator

    def closing_onsets(self) -> frozenset[int]:
        """Where in its bar a melody's last note may start so that the tune closes: on the downbeat, or in the middle
        of a bar of an even number of beats, held to the bar line. The style's tunes end there (their last bar is cut
        short by the pickup); a note left to fill the whole last bar ended on the weakest place, the last eighth.
        Where no such note fits one of the durations (a whole bar of 9/8 or 5/4), on a beat, held for half the bar
        or more."""
        bar, beat = self.bar_ticks, self.beat_ticks
        beats = bar // beat if bar % beat == 0 else 0
        strong = {0} | ({bar // 2} if beats % 2 == 0 and beats else set())
        fits = frozenset(p for p in strong if bar - p in DURATIONS)
        return fits or frozenset(p for p in range(0, bar, beat) if bar - p in DURATIONS and 2 * (bar - p) >= bar)

    def position_class(self, onset: int) -> int:
        """0 downbeat, 1 another beat, 2 a half-beat (an eighth in compound time), 3 anything finer."""
        position = onset % self.bar_ticks
        if position == 0:
            return 0
        if position % self.beat_ticks == 0:
            return 1
        subdivision = TICKS_PER_QUARTER // 2 if self.compound else max(self.beat_ticks // 2, 1)
        return 2 if position % subdivision == 0 else 3


def encode_notes(notes: list[list[int]], tonic: int, mode: str, meter: Meter) -> tuple[np.ndarray, np.ndarray, int]:
    """Tokens and position classes of [onset, duration, pitch or -1] notes; also how many were clipped."""
    tokens, positions, clipped = [], [], 0
    for onset, duration, pitch in notes:
        if pitch < 0:
            symbol = REST
        else:
            symbol, was_clipped = pitch_to_symbol(pitch, tonic, mode if mode in SCALES else "major")
            clipped += was_clipped
        tokens.append(token_of(symbol, duration_index(max(duration, 1))))
        positions.append(meter.position_class(onset))
    return np.array(tokens, dtype=np.int64), np.array(positions, dtype=np.int64), clipped
