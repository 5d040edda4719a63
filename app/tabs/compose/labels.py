"""Names for melodies that tell them apart at a glance: the shape of the tune and its first notes.

Variations of one Generate share style, key, metre, length and seed, so their labels lead with what
differs: a sparkline of the melody's height bar by bar, its opening notes, its form and any edits.
"""

from __future__ import annotations

from typing import Any

from app.tabs.compose.piano_roll import key_spelling

SPARK = "▁▂▃▄▅▆▇█"
OPENING_NOTES = 5


def _pitched(melody: Any) -> list[tuple[int, int]]:
    """(onset in ticks, MIDI pitch) of each note, read from the events (no humanizing: this is cheap)."""
    from models.music import tokens

    pitched = [(e.onset, tokens.symbol_to_pitch(e.symbol, melody.tonic, melody.mode)) for e in melody.events]
    return [(onset, pitch) for onset, pitch in pitched if pitch is not None]


def contour(melody: Any) -> str:
    """One block per bar, as high as the bar's mean pitch within the melody's range ("" without notes)."""
    notes = _pitched(melody)
    if not notes:
        return ""
    bar_ticks = melody.meter.bar_ticks
    sums, counts = [0.0] * melody.bars, [0] * melody.bars
    for onset, pitch in notes:
        bar = min(onset // bar_ticks, melody.bars - 1)
        sums[bar] += pitch
        counts[bar] += 1
    means = [total / count if count else None for total, count in zip(sums, counts, strict=True)]
    heard = [m for m in means if m is not None]
    low, high = min(heard), max(heard)
    steps = len(SPARK) - 1
    return "".join(
        " " if m is None else SPARK[round((m - low) / (high - low) * steps) if high > low else steps // 2]
        for m in means
    )


def opening(melody: Any, count: int = OPENING_NOTES) -> str:
    """The first notes by name, without octaves ("D F♯ A B A…")."""
    notes = _pitched(melody)
    spelling = key_spelling(melody.tonic, melody.mode)
    names = " ".join(spelling[pitch % 12] for _, pitch in notes[:count])
    return names + ("…" if len(notes) > count else "")


def melody_label(melody: Any) -> str:
    """What sets this melody apart from its siblings: contour, opening notes, form."""
    parts = [contour(melody), opening(melody)]
    if getattr(melody, "form", ""):
        parts.append(melody.form)
    return " · ".join(part for part in parts if part)


def edits_label(edits: tuple) -> str:
    """The bars written again, in the order they were ("new bars 5–8, 2"; it said "1 bar edit" for four bars)."""
    ranges = list(dict.fromkeys(str(first) if first == last else f"{first}–{last}" for first, last, _ in edits))
    if not ranges:
        return ""
    return f"new bar{'s' if len(ranges) > 1 or '–' in ranges[0] else ''} {', '.join(ranges)}"
