"""What someone asked the melody engine for, as plain data: `generate(request)` writes it, and the app's
history, Chat's messages and the command line all keep and pass this one record.

The defaults are the engine's own (what `atelier compose` gives with no options); the Compose tab sets
every field from its controls. A new setting is one new field with a default that does what the
engine did before it existed, so that requests kept by older versions make the same melodies.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field, fields
from typing import Any

Motif = tuple[tuple[int | None, float], ...]  # (MIDI pitch or None for a rest, length in quarter notes)
USUAL_TEMPO = {"bach": 80, "irish": 110, "fiddle": 120, "scottish": 90}  # quarter notes per minute
OWN_STYLE_TEMPO = 100  # a style the user trained


def usual_tempo(style: str) -> float:
    """The tempo a style's tunes are played at (a chorale 80, a Scottish air 90), in quarter notes per minute."""
    return float(USUAL_TEMPO.get(style, OWN_STYLE_TEMPO))


@dataclass(frozen=True)
class MelodyRequest:
    style: str = "irish"  # a shipped style's name, a user's style name, or a checkpoint path
    key: str = "C"
    mode: str = "major"
    meter: str = "4/4"
    bars: int = 8
    tempo: float | None = None  # quarter notes per minute; None: the style's usual tempo
    temperature: float = 1.0
    seed: int = 0
    variations: int = 1
    end_on_tonic: bool = True
    pitch_range: tuple[int, int] | None = None  # (lowest, highest) MIDI pitch
    harmonize: bool = False
    form: str = "style"  # "style": the style's own forms and cadences; "AABA", "A A' B A'"...; "": through-composed
    humanize: bool = True
    # 0: the style's note lengths; more: the notes starting on a beat tilted from shorter ones towards a beat or
    # longer (constrained.Tables.from_model): 4 takes an Irish reel from 1.7 to 1.3 notes a quarter (a sad tune)
    note_length: float = 0.0
    program: int = 73  # General MIDI instrument of the melody (flute)
    chord_program: int = 0  # and of the chords (acoustic grand piano)
    motif: Motif = field(default_factory=tuple)  # the opening the melodies continue

    def replace(self, **changes: Any) -> MelodyRequest:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MelodyRequest:
        """A request from kept JSON (or any dict with the same names: a chat request's parameters); names it
        does not know are left out."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if values.get("pitch_range") is not None:
            values["pitch_range"] = tuple(values["pitch_range"])
        values["motif"] = tuple(tuple(note) for note in values.get("motif") or ())
        return cls(**values)
