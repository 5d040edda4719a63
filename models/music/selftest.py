"""Self-test of the melody engine: load every shipped style and write one short melody with each."""

from __future__ import annotations

from models.music.generate import SHIPPED_STYLES, generate
from models.music.request import MelodyRequest


def self_test() -> str:
    """Generate 4 bars from each shipped style and check the bars are filled; returns a one-line summary."""
    written = []
    for style in SHIPPED_STYLES:
        meter = "6/8" if style == "irish" else "4/4"
        (melody,) = generate(MelodyRequest(style=style, key="D", mode="major", meter=meter, bars=4, seed=1))
        filled = sum(e.ticks for e in melody.events)
        if filled != melody.total_ticks or not melody.notes():
            raise RuntimeError(f"the {style} style wrote {filled} ticks instead of {melody.total_ticks}")
        written.append(f"{style} {len(melody.notes())} notes")
    return "4-bar melodies: " + ", ".join(written)
