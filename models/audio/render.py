"""Render notes to audio with the best synthesizer this machine has, loudness-normalised.

FluidSynth with a General MIDI SoundFont when both are present, otherwise the built-in
synthesizer; the result says which was used and why, so the app can tell the user once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.audio.builtin_synth import render_builtin
from models.audio.fluid import FluidRenderer, find_soundfont, fluidsynth_available
from models.audio.notes import NoteEvent
from models.files import atomic_write_bytes

SAMPLE_RATE = 44100
PEAK_LEVEL = 10 ** (-1.0 / 20)  # -1 dBFS: loud, never clipping


@dataclass(eq=False)  # identity: comparing by value would compare whole audio/pixel arrays
class RenderedAudio:
    samples: np.ndarray  # float32, shape (frames, 2), in [-1, 1]
    sample_rate: int
    synthesizer: str  # "FluidSynth (MuseScore_General_Lite.sf3)" or "built-in synthesizer"
    notice: str = ""  # why the built-in synthesizer was used, when it was

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate


class AudioRenderer:
    """Keeps FluidSynth and its SoundFont loaded between renders (loading takes 0.1–0.7 s)."""

    def __init__(self, sample_rate: int = SAMPLE_RATE, soundfont_folders: tuple[Path, ...] = (),
                 use_fluidsynth: bool = True) -> None:
        self.sample_rate = sample_rate
        self.notice = ""
        self._fluid: FluidRenderer | None = None
        if not use_fluidsynth:
            self.notice = "The built-in synthesizer was chosen."
        elif not fluidsynth_available():
            self.notice = "FluidSynth is not installed, so the built-in synthesizer plays instead."
        else:
            soundfont = find_soundfont(soundfont_folders)
            if soundfont is None:
                self.notice = "No General MIDI SoundFont was found, so the built-in synthesizer plays instead."
            else:
                try:
                    self._fluid = FluidRenderer(soundfont, sample_rate)
                except OSError as error:
                    self.notice = f"{error}; the built-in synthesizer plays instead."

    @property
    def synthesizer(self) -> str:
        if self._fluid is not None:
            return f"FluidSynth ({self._fluid.soundfont.name})"
        return "built-in synthesizer"

    def render(self, notes: list[NoteEvent]) -> RenderedAudio:
        if self._fluid is not None:
            samples = self._fluid.render(notes)
        else:
            samples = render_builtin(notes, self.sample_rate)
        return RenderedAudio(normalise(samples), self.sample_rate, self.synthesizer, self.notice)


def normalise(samples: np.ndarray, peak: float = PEAK_LEVEL) -> np.ndarray:
    """Scale so the loudest sample sits at `peak`; silence stays silence."""
    loudest = float(np.max(np.abs(samples))) if samples.size else 0.0
    if loudest < 1e-6:
        return samples.astype(np.float32)
    return (samples * (peak / loudest)).astype(np.float32)


def write_wav(path: str | Path, audio: RenderedAudio) -> Path:
    """Save as 16-bit PCM WAV, atomically (a full disk leaves no half file)."""
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, audio.samples, audio.sample_rate, subtype="PCM_16", format="WAV")
    atomic_write_bytes(path, buffer.getvalue())
    return Path(path)
