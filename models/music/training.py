"""Train a melody style from a folder of MIDI files, as an engine job (progress, cancel, atomic save)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
import time
from pathlib import Path

from models.jobs import Job, JobError, Progress, Result, check_cancelled
from models.music.corpus import encode
from models.music.leap_weights import learn_leap_weights
from models.music.midi_folder import read_midi_folder
from models.music.model import train_job
from models.music.style_facts import StyleFacts


def train_style_job(folder: str | os.PathLike, name: str, out_path: str | os.PathLike, *, track: str | None = None,
                    n_states: int = 32, restarts: int = 2, n_iter: int = 150, seed: int = 0,
                    cancel: threading.Event | None = None) -> Job:
    """Read the folder, fit the melody HMM, save `out_path` (.safetensors + .json); Result is a summary dict."""
    began = time.time()
    yield Progress(0.0, f"reading MIDI files in {folder}")
    try:
        tunes, reports = read_midi_folder(Path(folder), track)
    except ValueError as error:
        raise JobError(str(error)) from None
    skipped = [r for r in reports if not r.used]
    yield Progress(0.02, f"{len(tunes)} melodies read, {len(skipped)} files skipped")
    encoded = {split: [encode(t) for t in tunes if t.split == split] for split in ("train", "valid", "test")}
    train = encoded["train"] + encoded["test"] if len(tunes) < 20 else encoded["train"]
    valid = encoded["valid"] or train
    n_states = max(2, min(n_states, sum(len(e.tokens) for e in train) // 20))
    model = None
    for event in train_job(train, valid, n_states=n_states, restarts=restarts, n_iter=n_iter, seed=seed, style=name,
                           cancel=cancel):
        if isinstance(event, Result):
            model = event.value
        elif isinstance(event, Progress):
            yield Progress(0.02 + 0.95 * (event.fraction or 0.0), event.message)
    check_cancelled(cancel)
    assert model is not None  # train_job ends with its Result or raises
    model.info = {"meters": sorted({str(t.meter) for t in tunes}), "modes": sorted({t.mode for t in tunes})}
    model.facts = StyleFacts.learn(tunes)
    yield Progress(0.97, "comparing the leaps of tunes it writes with its tunes' leaps")
    with tempfile.TemporaryDirectory() as scratch:  # written from the model as it is, without leap weights
        written_from = Path(scratch) / "style.safetensors"
        model.save(written_from, training={})
        leap_weights = learn_leap_weights(written_from, tunes)
    check_cancelled(cancel)
    model.facts = dataclasses.replace(model.facts, leap_weights=leap_weights)
    summary = {
        "name": name,
        "path": os.fspath(out_path),
        "melodies": len(tunes),
        "notes": sum(len(t.notes) for t in tunes),
        "states": model.n_states,
        "valid_bits_per_note": round(model.bits_per_note(valid), 4),
        "files": [{"file": Path(r.path).name, "used": r.used, "reason": r.reason} for r in reports],
        "seconds": round(time.time() - began, 1),
    }
    model.save(out_path, training={"source": f"MIDI folder {Path(folder).name}", "melodies": len(tunes),
                                   "valid_bits_per_note": summary["valid_bits_per_note"],
                                   "seconds": summary["seconds"]})
    yield Progress(1.0, f"saved {out_path}")
    yield Result(summary)
