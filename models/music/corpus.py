"""The shipped melody corpus (resources/melody/corpus.json.gz): reading it and turning tunes into sequences.

The file is plain gzipped JSON written by build_scripts/build_melody_corpus.py, so reading it needs
neither music21 nor unpickling. Each tune has a fixed split (train / valid / test).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.music import tokens
from models.resources import resource

RESOURCE_DIR = resource("melody")
CORPUS_PATH = RESOURCE_DIR / "corpus.json.gz"
STYLE_COLLECTIONS = {"bach": ("bach",), "irish": ("irish",), "fiddle": ("fiddle",), "scottish": ("scottish",)}


@dataclass
class Tune:
    id: str
    collection: str
    tonic: int
    mode: str
    meter: tokens.Meter
    notes: list[list[int]]  # [onset, duration, midi pitch or -1], ticks of 1/24 quarter, 0 = first downbeat
    split: str = "train"
    tempo: int | None = None
    title: str = ""
    chords: list[list] = field(default_factory=list)  # Bach only: [onset, duration, Roman numeral figure]


@dataclass
class EncodedTune:
    tokens: np.ndarray  # (n,) token ids
    positions: np.ndarray  # (n,) metric position classes

    @property
    def pitches(self) -> np.ndarray:
        return self.tokens // len(tokens.DURATIONS)

    @property
    def durations(self) -> np.ndarray:
        return self.tokens % len(tokens.DURATIONS)

    @property
    def previous_pitches(self) -> np.ndarray:
        return np.concatenate([[tokens.NO_PREVIOUS], self.pitches[:-1]]).astype(np.int64)


def load_corpus(path: Path = CORPUS_PATH) -> tuple[list[Tune], dict]:
    """All tunes and the build report."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"The melody corpus {path} is missing: run build_scripts/build_melody_corpus.py.") from None
    if data.get("format") != 1 or data.get("ticks_per_quarter") != tokens.TICKS_PER_QUARTER:
        raise ValueError(f"{path} is not a melody corpus this version understands")
    tunes = [
        Tune(id=t["id"], collection=t["collection"], tonic=t["tonic"], mode=t["mode"],
             meter=tokens.Meter.parse(t["meter"]), notes=t["notes"], split=t["split"], tempo=t.get("tempo"),
             title=t.get("title", ""), chords=t.get("chords", []))
        for t in data["tunes"]
    ]
    return tunes, data.get("report", {})


def select(tunes: list[Tune], style: str, split: str) -> list[Tune]:
    if style not in STYLE_COLLECTIONS:
        raise ValueError(f"unknown style {style!r}: choose one of {', '.join(STYLE_COLLECTIONS)}")
    return [t for t in tunes if t.collection in STYLE_COLLECTIONS[style] and t.split == split]


def encode(tune: Tune) -> EncodedTune:
    token_ids, positions, _ = tokens.encode_notes(tune.notes, tune.tonic, tune.mode, tune.meter)
    return EncodedTune(token_ids, positions)
