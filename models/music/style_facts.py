"""What a style's tunes say beyond note-to-note likelihood: the widest leap they make.

Learned from the style's training tunes when the style is trained and stored with its checkpoint, so
generation can keep to it: the melody HMM gives every pitch pair a little probability (its prior), and
without a limit it now and then writes a leap no tune of the style ever makes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from models.music import tokens
from models.music.corpus import Tune

# A leap counts as the style's own when at least this many different tunes make it: one odd tune (or one
# transcription slip, such as a note an octave off) does not widen what the style allows.
TUNES_PER_LEAP = 2


def leaps(tune: Tune) -> list[int]:
    """Semitones between consecutive notes (a rest breaks the line: no leap across it)."""
    pitches = [n[2] for n in tune.notes]
    return [abs(b - a) for a, b in zip(pitches, pitches[1:], strict=False) if a >= 0 and b >= 0]


def widest_leap(tunes: list[Tune]) -> int:
    """The widest leap (semitones) that at least TUNES_PER_LEAP of the tunes make (fewer tunes: any of them)."""
    made = Counter(leap for tune in tunes for leap in set(leaps(tune)))
    needed = min(TUNES_PER_LEAP, len(tunes))
    return max((leap for leap, count in made.items() if count >= needed), default=12)


@dataclass(frozen=True)
class StyleFacts:
    widest_leap: int | None = None  # semitones; None: no limit (a checkpoint from before the facts)

    @classmethod
    def learn(cls, tunes: list[Tune]) -> StyleFacts:
        return cls(widest_leap=widest_leap(tunes))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> StyleFacts:
        data = data or {}
        leap = data.get("widest_leap")
        return cls(widest_leap=int(leap) if leap is not None else None)

    def pair_mask(self, mode: str) -> np.ndarray:
        """allowed[previous pitch symbol (or NO_PREVIOUS), pitch symbol]: no leap wider than the style's."""
        allowed = np.ones((tokens.N_PITCH_SYMBOLS + 1, tokens.N_PITCH_SYMBOLS), dtype=bool)
        if self.widest_leap is None:
            return allowed
        # The interval between two symbols does not depend on the tonic, only on the mode's scale.
        pitch = np.array(
            [tokens.symbol_to_pitch(s, 0, mode) if s != tokens.REST else -1000 for s in range(tokens.N_PITCH_SYMBOLS)]
        )
        notes = pitch > -1000
        wide = np.abs(pitch[:, None] - pitch[None, :]) > self.widest_leap
        allowed[: tokens.N_PITCH_SYMBOLS][np.outer(notes, notes) & wide] = False
        return allowed
