"""Names for melodies that tell them apart at a glance: the shape of the tune and its first notes.

Variations of one Generate share style, key, metre, length and seed, so their labels lead with what
differs: a sparkline of the melody's height bar by bar, its opening notes, its form and any edits.
"""

from __future__ import annotations

from typing import Any

from app.tabs.compose.piano_roll import NOTE_NAMES

SPARK = "▁▂▃▄▅▆▇█"
OPENING_NOTES = 5


def contour(melody: Any) -> str:
    """One block per bar, as high as the bar's mean pitch within the melody's range ("" without notes)."""
    notes = melody.notes()
    if not notes:
        return ""
    bar_ticks = melody.meter.bar_ticks
    means = []
    for bar in range(melody.bars):
        pitches = [n.pitch for n in notes if bar * bar_ticks <= n.onset < (bar + 1) * bar_ticks]
        means.append(sum(pitches) / len(pitches) if pitches else None)
    heard = [m for m in means if m is not None]
    low, high = min(heard), max(heard)
    steps = len(SPARK) - 1
    return "".join(
        " " if m is None else SPARK[round((m - low) / (high - low) * steps) if high > low else steps // 2]
        for m in means
    )


def opening(melody: Any, count: int = OPENING_NOTES) -> str:
    """The first notes by name, without octaves ("D F♯ A B A…")."""
    notes = melody.notes()
    names = " ".join(NOTE_NAMES[n.pitch % 12] for n in notes[:count])
    return names + ("…" if len(notes) > count else "")


def melody_label(melody: Any) -> str:
    """What sets this melody apart from its siblings: contour, opening notes, form."""
    parts = [contour(melody), opening(melody)]
    if getattr(melody, "form", ""):
        parts.append(melody.form)
    return " · ".join(part for part in parts if part)


def edits_label(edits: tuple) -> str:
    return f"{len(edits)} bar edit{'s' if len(edits) > 1 else ''}" if edits else ""
