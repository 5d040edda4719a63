"""Writing a variation out: a MIDI file (melody and chords as separate tracks, tempo and key set) or WAV."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

from app.tabs.compose.jobs import Variation, render_variation, shared_renderer, style_label
from app.worker import JobContext
from models.files import atomic_write_bytes
from models.jobs import Progress, Result


def midi_bytes(variation: Variation, tempo: float | None = None) -> bytes:
    melody = variation.melody if tempo is None else dataclasses.replace(variation.melody, tempo=float(tempo))
    buffer = io.BytesIO()
    melody.to_pretty_midi(variation.request.program, variation.request.chord_program).write(buffer)
    return buffer.getvalue()


def write_midi(path: Path, variation: Variation, tempo: float | None = None) -> Path:
    atomic_write_bytes(path, midi_bytes(variation, tempo))
    return path


def file_stem(variation: Variation) -> str:
    """A file name a DAW shows well: style, key, seed, variation."""
    request = variation.request
    text = f"{style_label(request.style)}-{request.key}-{request.mode}-seed{request.seed}-v{variation.index + 1}"
    return re.sub(r"[^A-Za-z0-9#_.-]+", "-", text)


def export_job(variation: Variation, path: Path, tempo: float):
    """Export as MIDI or WAV (by the file's suffix), in the worker."""

    def job(context: JobContext):
        yield Progress(None, f"exporting {path.name}")
        if path.suffix.lower() == ".wav":
            from models.audio.render import write_wav

            rendered = variation if variation.audio is not None and variation.audio_tempo == tempo \
                and not variation.count_in_seconds else render_variation(variation, tempo, False, shared_renderer(context))
            assert rendered.audio is not None  # rendered just now, or already at this tempo
            write_wav(path, rendered.audio)
        else:
            write_midi(path, variation, tempo)
        yield Result(path)

    return job
