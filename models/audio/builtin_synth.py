"""A small additive synthesizer in numpy, for when FluidSynth or a SoundFont is not available.

Each General MIDI family gets a timbre: a recipe of harmonic amplitudes and an ADSR envelope
(attack, decay, sustain level, release). Plucked and struck families decay while held; bowed and
blown ones sustain with a gentle vibrato. Not a sampler, but musical enough to audition a line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.audio.notes import NoteEvent


@dataclass(frozen=True)
class Timbre:
    harmonics: tuple[float, ...]  # amplitude of partials 1, 2, 3, ...
    attack: float  # seconds
    decay: float  # seconds to fall to the sustain level (or the e-folding time when struck)
    sustain: float  # 0..1
    release: float  # seconds
    struck: bool  # decays exponentially while held (piano, guitar) rather than holding
    vibrato: float = 0.0  # depth in semitones


PIANO = Timbre((1.0, 0.5, 0.28, 0.14, 0.08, 0.04), 0.004, 0.9, 0.0, 0.25, True)
PLUCKED = Timbre((1.0, 0.6, 0.35, 0.22, 0.1, 0.06, 0.03), 0.002, 0.5, 0.0, 0.15, True)
MALLET = Timbre((1.0, 0.0, 0.12, 0.0, 0.05), 0.002, 0.6, 0.0, 0.3, True)
ORGAN = Timbre((1.0, 0.8, 0.0, 0.5, 0.0, 0.3, 0.0, 0.2), 0.01, 0.05, 0.9, 0.08, False)
STRINGS = Timbre((1.0, 0.55, 0.4, 0.3, 0.22, 0.16, 0.1, 0.07), 0.06, 0.2, 0.8, 0.25, False, 0.12)
BRASS = Timbre((1.0, 0.8, 0.65, 0.5, 0.35, 0.25, 0.15), 0.04, 0.15, 0.75, 0.12, False, 0.05)
REED = Timbre((1.0, 0.1, 0.55, 0.1, 0.3, 0.05, 0.15), 0.03, 0.1, 0.8, 0.1, False, 0.08)
FLUTE = Timbre((1.0, 0.25, 0.08, 0.03), 0.05, 0.1, 0.85, 0.12, False, 0.1)
CLICK = Timbre((1.0, 0.7, 0.5, 0.3), 0.001, 0.03, 0.0, 0.02, True)

# General MIDI programs come in families of eight.
_FAMILY_TIMBRES = {
    0: PIANO, 1: MALLET, 2: ORGAN, 3: PLUCKED, 4: PLUCKED, 5: STRINGS, 6: STRINGS, 7: BRASS,
    8: BRASS, 9: REED, 10: FLUTE, 11: FLUTE, 12: STRINGS, 13: PLUCKED, 14: MALLET, 15: CLICK,
}


def timbre_for(program: int, is_drum: bool = False) -> Timbre:
    return CLICK if is_drum else _FAMILY_TIMBRES[max(0, min(program, 127)) // 8]


def midi_to_hz(pitch: float) -> float:
    return 440.0 * 2.0 ** ((pitch - 69) / 12)


def _envelope(timbre: Timbre, held: float, sample_rate: int) -> np.ndarray:
    total = held + timbre.release
    t = np.arange(int(total * sample_rate)) / sample_rate
    attack = np.clip(t / max(timbre.attack, 1e-4), 0.0, 1.0)
    after_attack = np.maximum(t - timbre.attack, 0.0)
    if timbre.struck:
        body = np.exp(-after_attack / timbre.decay)
    else:
        fall = np.clip(after_attack / timbre.decay, 0.0, 1.0)
        body = 1.0 - (1.0 - timbre.sustain) * fall
    level_at_release = body[min(int(held * sample_rate), len(body) - 1)] * attack[min(int(held * sample_rate), len(t) - 1)]
    release = level_at_release * np.clip(1.0 - (t - held) / timbre.release, 0.0, 1.0)
    return np.where(t < held, attack * body, release)


def render_note(note: NoteEvent, sample_rate: int) -> np.ndarray:
    """One note as a mono float32 buffer, envelope and release included."""
    timbre = timbre_for(note.program, note.is_drum)
    held = max(note.end - note.start, 0.01)
    envelope = _envelope(timbre, held, sample_rate)
    t = np.arange(len(envelope)) / sample_rate
    pitch = 84 + (note.pitch % 12) if note.is_drum else note.pitch  # clicks: short high blips
    frequency = midi_to_hz(pitch)
    if timbre.vibrato:
        # Vibrato fades in after a quarter second, as a player's does.
        depth = timbre.vibrato * np.clip((t - 0.25) / 0.3, 0.0, 1.0)
        phase = 2 * np.pi * np.cumsum(frequency * 2.0 ** (depth * np.sin(2 * np.pi * 5.5 * t) / 12)) / sample_rate
    else:
        phase = 2 * np.pi * frequency * t
    nyquist = sample_rate / 2
    wave = np.zeros_like(t)
    for k, amplitude in enumerate(timbre.harmonics, start=1):
        if amplitude and k * frequency < nyquist:
            # Higher partials die away faster, as on real strings.
            wave += amplitude * np.sin(k * phase) * (np.exp(-t * (k - 1) * 1.5) if timbre.struck else 1.0)
    loudness = (note.velocity / 127.0) ** 1.5
    return (0.3 * loudness * envelope * wave).astype(np.float32)


def render_builtin(notes: list[NoteEvent], sample_rate: int = 44100, tail: float = 0.5) -> np.ndarray:
    """Mix all notes into a stereo float32 buffer of shape (frames, 2)."""
    end = max((n.end for n in notes), default=0.0) + tail
    mono = np.zeros(int(end * sample_rate) + 1, dtype=np.float32)
    for note in notes:
        buffer = render_note(note, sample_rate)
        start = int(note.start * sample_rate)
        stop = min(start + len(buffer), len(mono))
        mono[start:stop] += buffer[: stop - start]
    return np.stack([mono, mono], axis=1)
