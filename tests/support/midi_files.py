"""Small, deterministic MIDI files for tests: tunes to train on, and broken files to skip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi

SCALE = (0, 2, 4, 5, 7, 9, 11)
NATURAL_MINOR = (0, 2, 3, 5, 7, 8, 10)  # a fiddler's minor: the minor seventh
HARMONIC_MINOR = (0, 2, 3, 5, 7, 8, 11)  # Bach's: the leading tone


def write_tune(path: Path, seed: int, bars: int = 8, tonic: int = 62, tempo: float = 120.0, program: int = 73,
               scale: tuple[int, ...] = SCALE) -> Path:
    """A stepwise tune in 4/4 with quarter and eighth notes, ending on the tonic; in a minor key (its key signature
    says so) where `scale` has a minor third."""
    rng = np.random.default_rng(seed)
    midi = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    lead = pretty_midi.Instrument(program=program)
    quarter = 60.0 / tempo
    degree, clock = 0, 0.0
    total = bars * 4 * quarter
    while clock < total - 1e-9:
        length = quarter if rng.random() < 0.6 else quarter / 2
        length = min(length, total - clock)
        if total - clock <= quarter + 1e-9:
            degree = 7 * round(degree / 7)
        octave, step = divmod(degree, 7)
        pitch = tonic + 12 * octave + scale[step]
        lead.notes.append(pretty_midi.Note(80, int(pitch), clock, clock + length * 0.95))
        clock += length
        degree = int(np.clip(degree + rng.choice([-2, -1, 1, 2, 0]), -3, 10))
    midi.instruments.append(lead)
    midi.time_signature_changes.append(pretty_midi.TimeSignature(4, 4, 0.0))
    midi.key_signature_changes.append(pretty_midi.KeySignature(tonic % 12 + 12 * (scale[2] == 3), 0.0))
    midi.write(str(path))
    return path


def write_tune_folder(folder: Path, count: int = 8, with_bad_files: bool = True,
                      scale: tuple[int, ...] = SCALE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        write_tune(folder / f"tune-{index:02d}.mid", seed=index, tonic=60 + (index % 5), scale=scale)
    if with_bad_files:
        (folder / "empty.mid").write_bytes(b"")
        (folder / "corrupt.mid").write_bytes(b"MThd\x00\x00\x00\x06garbage that is not midi")
        drums = pretty_midi.PrettyMIDI()
        kit = pretty_midi.Instrument(program=0, is_drum=True)
        kit.notes += [pretty_midi.Note(100, 36, i * 0.5, i * 0.5 + 0.1) for i in range(16)]
        drums.instruments.append(kit)
        drums.write(str(folder / "drums-only.mid"))
    return folder
