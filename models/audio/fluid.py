"""Rendering notes with FluidSynth and a General MIDI SoundFont, straight to a numpy buffer.

No audio driver is started: the synthesizer is stepped in blocks between note events and its
samples are collected, so this works on a machine without a sound card.
"""

from __future__ import annotations

import ctypes.util
import os
from pathlib import Path

import numpy as np

from models.audio.notes import NoteEvent

SOUNDFONT_VARIABLE = "ATELIER_SOUNDFONT"
DRUM_CHANNEL = 9

# Searched in order: the best General MIDI sounds first.
SYSTEM_SOUNDFONT_PATTERNS = (
    "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3",  # MIT; loads in about a second
    "/usr/share/sounds/sf3/MuseScore_General.sf3",  # larger and better, but takes seconds to load
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
)


def fluidsynth_available() -> bool:
    if ctypes.util.find_library("fluidsynth") is None:
        return False
    try:
        import fluidsynth  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def find_soundfont(extra_folders: tuple[Path, ...] = ()) -> Path | None:
    """The SoundFont to use: `ATELIER_SOUNDFONT`, then the given folders, then the system's, then pretty_midi's."""
    override = os.environ.get(SOUNDFONT_VARIABLE)
    if override and Path(override).is_file():
        return Path(override)
    candidates: list[Path] = []
    for folder in extra_folders:
        if folder.is_dir():
            candidates += sorted(folder.glob("*.sf3")) + sorted(folder.glob("*.sf2"))
    for pattern in SYSTEM_SOUNDFONT_PATTERNS:
        candidates += sorted(Path("/").glob(pattern.lstrip("/")))
    try:
        import pretty_midi

        candidates.append(Path(pretty_midi.__file__).parent / "TimGM6mb.sf2")
    except ImportError:
        pass
    return next((path for path in candidates if path.is_file()), None)


class FluidRenderer:
    """A FluidSynth instance with one SoundFont loaded; reuse it, loading a SoundFont takes time."""

    def __init__(self, soundfont: Path, sample_rate: int = 44100) -> None:
        import fluidsynth

        self.sample_rate = sample_rate
        self.soundfont = soundfont
        # Dynamic loading reads an instrument's samples when it is first chosen, not all at start:
        # MuseScore General Lite then opens in 0.1 s instead of 7 s.
        self._synth = fluidsynth.Synth(samplerate=float(sample_rate), **{"synth.dynamic-sample-loading": 1})
        self._font_id = self._synth.sfload(str(soundfont))
        if self._font_id == -1:
            raise OSError(f"FluidSynth could not load the SoundFont {soundfont}")
        self._selected: dict[int, tuple[int, int]] = {}  # channel -> (bank, program) now selected

    def render(self, notes: list[NoteEvent], tail: float = 0.8) -> np.ndarray:
        """All notes as a stereo float32 buffer of shape (frames, 2)."""
        synth = self._synth
        for channel in range(16):
            synth.all_sounds_off(channel)  # nothing rings over from the last render
        channels = self._assign_channels(notes)
        for (program, is_drum), channel in channels.items():
            # Selecting a program loads its samples (seconds, with dynamic loading): only when it changes.
            wanted = (128, 0) if is_drum else (0, program)
            if self._selected.get(channel) != wanted:
                synth.program_select(channel, self._font_id, *wanted)
                self._selected[channel] = wanted
        events = []
        for note in notes:
            channel = channels[(note.program, note.is_drum)]
            events.append((note.start, 1, channel, note.pitch, note.velocity))
            events.append((note.end, 0, channel, note.pitch, 0))
        events.sort(key=lambda e: (e[0], e[1]))  # note-offs before note-ons at the same instant
        chunks = []
        frame = 0
        for time, is_on, channel, pitch, velocity in events:
            target = int(round(time * self.sample_rate))
            if target > frame:
                chunks.append(synth.get_samples(target - frame))
                frame = target
            if is_on:
                synth.noteon(channel, pitch, velocity)
            else:
                synth.noteoff(channel, pitch)
        chunks.append(synth.get_samples(int(tail * self.sample_rate)))
        interleaved = np.concatenate(chunks).astype(np.float32) / 32768.0
        return interleaved.reshape(-1, 2)

    @staticmethod
    def _assign_channels(notes: list[NoteEvent]) -> dict[tuple[int, bool], int]:
        channels: dict[tuple[int, bool], int] = {}
        free = [c for c in range(16) if c != DRUM_CHANNEL]
        for note in notes:
            key = (note.program, note.is_drum)
            if key not in channels:
                channels[key] = DRUM_CHANNEL if note.is_drum else (free.pop(0) if free else 0)
        return channels

    def close(self) -> None:
        self._synth.delete()
