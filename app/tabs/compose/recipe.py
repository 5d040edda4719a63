"""What the user asked for, as plain data: enough to make the same melodies again from the history."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class MelodyRequest:
    style: str = "irish"
    key: str = "D"
    mode: str = "major"
    meter: str = "4/4"
    bars: int = 8
    tempo: float = 110.0
    temperature: float = 1.0
    seed: int = 1
    variations: int = 4
    end_on_tonic: bool = True
    pitch_range: tuple[int, int] | None = (57, 86)
    harmonize: bool = False
    form: str = "style"  # the style's own forms and cadences; "" for through-composed
    humanize: bool = True
    program: int = 73  # General MIDI flute
    chord_program: int = 0  # acoustic grand piano
    motif: tuple[tuple[int | None, float], ...] = field(default_factory=tuple)

    def generate_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `models.music.generate.generate` for this request."""
        return {
            "style": self.style,
            "key": self.key,
            "mode": self.mode,
            "meter": self.meter,
            "bars": self.bars,
            "tempo": self.tempo,
            "temperature": self.temperature,
            "seed": self.seed,
            "variations": self.variations,
            "motif": [tuple(note) for note in self.motif] or None,
            "end_on_tonic": self.end_on_tonic,
            "pitch_range": tuple(self.pitch_range) if self.pitch_range else None,
            "harmonize": self.harmonize,
            "form": self.form or None,
            "humanize": self.humanize,
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MelodyRequest:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if values.get("pitch_range") is not None:
            values["pitch_range"] = tuple(values["pitch_range"])
        values["motif"] = tuple(tuple(note) for note in values.get("motif", ()))
        return cls(**values)
