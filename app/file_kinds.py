"""Which tab opens a file, by the end of its name: a MIDI file is Compose's motif, a picture goes on the Paint
canvas (File ▸ Recent files, and a file dropped on the other tab)."""

from __future__ import annotations

MIDI_SUFFIXES = frozenset({".mid", ".midi", ".kar"})
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif")  # as Open image… offers them
