"""Held-out evaluation of a melody style: bits per note of our HMM against Markov-chain baselines."""

from __future__ import annotations

from pathlib import Path

from models.music.baselines import MarkovChain
from models.music.corpus import STYLE_COLLECTIONS, encode, load_corpus, select
from models.music.generate import load_style
from models.music.midi_folder import read_midi_folder
from models.music.tokens import VOCAB_SIZE


def evaluate_style(style: str, midi_dir: str | Path | None = None, split: str = "test",
                   search_dirs: tuple[Path, ...] = (), baselines: bool = True) -> dict:
    """Bits per note (lower is better) on the style's held-out split, or on every melody in `midi_dir`."""
    model = load_style(style, search_dirs)
    report: dict = {"style": style}
    if midi_dir is not None:
        tunes, files = read_midi_folder(midi_dir)
        report["source"] = str(midi_dir)
        report["files_skipped"] = {Path(f.path).name: f.reason for f in files if not f.used}
    else:
        if style not in STYLE_COLLECTIONS:
            raise ValueError(f"{style!r} has no held-out corpus split: give a MIDI folder with --midi")
        corpus, _ = load_corpus()
        tunes = select(corpus, style, split)
        report["source"] = f"corpus {split} split"
    encoded = [encode(t) for t in tunes]
    report["melodies"] = len(encoded)
    report["notes"] = sum(len(e.tokens) for e in encoded)
    report["bits_per_note"] = {f"melody HMM ({model.n_states} states)": round(model.bits_per_note(encoded), 4)}
    if baselines and style in STYLE_COLLECTIONS:
        corpus, _ = load_corpus()
        train = [encode(t).tokens for t in select(corpus, style, "train")]
        valid = [encode(t).tokens for t in select(corpus, style, "valid")]
        for order in (1, 2):
            chain = MarkovChain(order, VOCAB_SIZE).fit(train, valid)
            report["bits_per_note"][f"Markov chain, order {order}"] = round(
                chain.bits_per_note([e.tokens for e in encoded]), 4)
    return report
