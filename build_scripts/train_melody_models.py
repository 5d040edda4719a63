"""Train the shipped melody styles (bach, irish, fiddle, scottish) from resources/melody/corpus.json.gz.

For each style: fit the melody HMM (see models/music/model.py) at several state counts and prior
strengths, keep the one with the best validation bits per note, and save
resources/melody/<style>.safetensors (+ .json).
A summary with every validation and test number goes to resources/melody/training_report.json.

    nice -n 10 .venv/bin/python build_scripts/train_melody_models.py            # ~15 minutes on 2 cores
    .venv/bin/python build_scripts/train_melody_models.py --styles bach --states 8,16
    .venv/bin/python build_scripts/train_melody_models.py --facts-only   # relearn each style's facts, keep its weights
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from models.jobs import run_job  # noqa: E402
from models.music.corpus import RESOURCE_DIR, encode, load_corpus, select  # noqa: E402
from models.music.harmonizer import FAMILY, beat_observations, fit_chord_hmms, save_harmonizer  # noqa: E402
from models.music.leap_weights import learn_leap_weights  # noqa: E402
from models.music.model import MelodyModel, train_job  # noqa: E402
from models.music.style_facts import StyleFacts  # noqa: E402

STATE_CANDIDATES = {"bach": (16, 32), "irish": (32, 64), "fiddle": (32, 64), "scottish": (32, 64)}


def train_style(tunes, style: str, states: tuple[int, ...], priors: tuple[float, ...], restarts: int, n_iter: int,
                out_dir: Path) -> dict:
    train, valid, test = ([encode(t) for t in select(tunes, style, split)] for split in ("train", "valid", "test"))
    began = time.time()
    candidates = {}
    best = None
    for k in states:
        for prior in priors:
            t0 = time.time()
            model = run_job(train_job(train, valid, n_states=k, restarts=restarts, n_iter=n_iter, pitch_prior=prior,
                                      style=style))
            bits = model.bits_per_note(valid)
            candidates[f"{k} states, pitch prior {prior:g}"] = {"valid_bits_per_note": round(bits, 4),
                                                                 "seconds": round(time.time() - t0, 1)}
            print(f"{style}: K={k} prior {prior:g}: valid {bits:.3f} bits/note ({time.time() - t0:.0f} s)", flush=True)
            if best is None or bits < best[1]:
                best = (model, bits)
    model, valid_bits = best
    summary = {
        "style": style,
        "tunes": {"train": len(train), "valid": len(valid), "test": len(test)},
        "notes": {"train": sum(len(e.tokens) for e in train), "test": sum(len(e.tokens) for e in test)},
        "state_candidates": candidates,
        "chosen_states": model.n_states,
        "priors": model.priors,
        "valid_bits_per_note": round(valid_bits, 4),
        "test_bits_per_note": round(model.bits_per_note(test), 4),
        "seconds": round(time.time() - began, 1),
    }
    model.info = {"meters": sorted({str(t.meter) for t in select(tunes, style, "train")}),
                  "modes": sorted({t.mode for t in select(tunes, style, "train")})}
    model.facts = StyleFacts.learn(select(tunes, style, "train"))
    model.save(out_dir / f"{style}.safetensors", training={
        "corpus": "resources/melody/corpus.json.gz (music21 bundled corpus; see LICENSES.md)",
        "split": "train; state count and prior strength chosen on valid",
        **{k: summary[k] for k in ("tunes", "notes", "valid_bits_per_note", "test_bits_per_note", "seconds")},
    })
    print(json.dumps(summary), flush=True)
    return summary


def relearn_facts(tunes, style: str, out_dir: Path) -> dict:
    """Learn a shipped style's facts (widest leap, ...) from its train split again; the weights stay as they are."""
    from models.checkpoint import load_checkpoint

    path = out_dir / f"{style}.safetensors"
    model = MelodyModel.load(path)
    model.facts = StyleFacts.learn(select(tunes, style, "train"))
    training = load_checkpoint(path, kind="melody-hmm").metadata.get("training", {})
    model.save(path, training=training)
    # from tunes written with the facts above, without leap weights
    model.facts = dataclasses.replace(model.facts, leap_weights=learn_leap_weights(path, select(tunes, style, "train")))
    model.save(path, training=training)
    print(json.dumps({style: model.facts.to_json()}), flush=True)
    return model.facts.to_json()


def train_harmonizer(tunes, out_dir: Path) -> dict:
    """Fit the chord HMMs on the training chorales; report how many beats had a chord we model."""
    chorales = [t for t in select(tunes, "bach", "train") if t.chords]
    beats = [obs for t in chorales for obs in beat_observations(t)]
    covered = sum(1 for _, chord in beats if chord is not None)
    summary = {"chorales": len(chorales), "beats": len(beats), "beats_with_a_modelled_chord": covered,
               "coverage": round(covered / max(len(beats), 1), 4),
               "by_family": {f: sum(1 for t in chorales if FAMILY.get(t.mode, "major") == f) for f in ("major", "minor")}}
    save_harmonizer(fit_chord_hmms(chorales), out_dir / "harmonizer.safetensors",
                    training={"corpus": "Bach chorales, train split, music21 Roman-numeral analysis", **summary})
    print(json.dumps({"harmonizer": summary}), flush=True)
    return summary


def train_vae(tunes, out_dir: Path, minutes: float) -> dict:
    """The interpolation VAE on 2-bar windows of every style's 4/4, 2/2 and 2/4 tunes."""
    import numpy as np

    from models.music.vae import save_vae, train_vae_job, tune_windows

    windows = {split: np.array([w for t in tunes if t.split == split for w in tune_windows(t)])
               for split in ("train", "valid")}

    vae, summary = run_job(train_vae_job(windows["train"], windows["valid"], minutes=minutes))
    save_vae(vae, out_dir / "vae.safetensors", training={"corpus": "all styles, train split, 2-bar windows", **summary})
    print(json.dumps({"vae": summary}), flush=True)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description="Train the shipped melody styles.")
    parser.add_argument("--styles", default="bach,irish,fiddle,scottish")
    parser.add_argument("--states", help="comma-separated state counts (default: per style)")
    parser.add_argument("--pitch-priors", default="3", help="comma-separated pitch prior strengths to try")
    parser.add_argument("--restarts", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, default=RESOURCE_DIR)
    parser.add_argument("--skip-harmonizer", action="store_true")
    parser.add_argument("--vae-minutes", type=float, default=6.0, help="0 skips the interpolation VAE")
    parser.add_argument("--facts-only", action="store_true", help="only relearn the styles' facts (see style_facts)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tunes, _ = load_corpus()
    if args.facts_only:
        for style in [s for s in args.styles.split(",") if s]:
            relearn_facts(tunes, style, args.out_dir)
        return 0
    report_path = args.out_dir / "training_report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    if not args.skip_harmonizer:
        report["harmonizer"] = train_harmonizer(tunes, args.out_dir)
        report_path.write_text(json.dumps(report, indent=2) + "\n")
    if args.vae_minutes > 0:
        report["vae"] = train_vae(tunes, args.out_dir, args.vae_minutes)
        report_path.write_text(json.dumps(report, indent=2) + "\n")
    for style in [s for s in args.styles.split(",") if s]:
        states = tuple(int(s) for s in args.states.split(",")) if args.states else STATE_CANDIDATES[style]
        priors = tuple(float(p) for p in args.pitch_priors.split(","))
        report[style] = train_style(tunes, style, states, priors, args.restarts, args.iterations, args.out_dir)
        report_path.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
