"""Cross-validated pitch prediction: the melody HMM against the published record on the Bach chorales.

The task is the one of the melodic-expectation literature (Conklin & Witten 1995; Pearce 2005): read
a melody note by note and, before each note, give a probability to every pitch it could have; the
score is the average of -log2 P(the pitch it has), in bits per note, by k-fold cross-validation.
Every model sees everything before the note; rhythm is context, never predicted: the melody HMM
also knows the note's own duration and metric position (`hmm` rows; `hmm, rhythm unknown` without
them), the n-gram and PPM models see only earlier pitches. What each model predicts is in pitch_prediction.py. Rests are context, never scored.

Folds keep every harmonisation of one chorale tune together (the first 12 pitches relative to the
tonic decide), so no tune is predicted from a copy of itself in another key.

Models, each trained on the other folds only:
- the melody HMM (models/music/model.py), on whole notes (pitch and duration), scored on pitch;
- interpolated Markov chains of order 1 and 2 on pitch relative to the tonic;
- PPM-C (see `ppm`) on absolute pitch, as Pearce's figure, and on pitch relative to the tonic;
- the HMM extended: a mixture of its prediction with a PPM long-term model (trained on the other
  folds) and a PPM short-term model (the melody read so far). Its weights, the PPM order bounds and
  the Markov weights are chosen on an inner split of the training folds, never on the test fold.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass

import numpy as np

from models.jobs import Job, Progress, Result, check_cancelled, run_job
from models.music.corpus import Tune
from models.music.model import MelodyModel, train_job
from models.music.pitch_prediction import (
    FLOOR,
    Line,
    PitchAlphabet,
    bits,
    hmm_distributions,
    markov_distributions,
    mix,
    ppm_distributions,
    simplex,
)
from models.music.ppm import PPM

PPM_ORDERS = (1, 2, 3, 4, 5, 6)
PUBLISHED = {
    "Pearce (2005) PPM, pitch only, 185 chorales, 10-fold": 2.347,
    "Conklin & Witten (1995) multiple viewpoints, 100 chorales (their test set)": 1.87,
}


def chorale_set(tunes: list[Tune], which: str) -> list[Tune]:
    """ "all": every chorale music21 has (371); "bwv253-438": one per BWV number 253-438 (186), the range of
    the Breitkopf/Riemenschneider chorale collection that Pearce's 185 chorale melodies come from."""
    chorales = [t for t in tunes if t.collection == "bach"]
    if which == "all":
        return chorales
    if which != "bwv253-438":
        raise ValueError(f"unknown chorale set {which!r}: choose all or bwv253-438")
    by_number: dict[int, Tune] = {}
    for tune in sorted(chorales, key=lambda t: t.id):
        match = re.search(r"bwv(\d+)", tune.id)
        if match and 253 <= int(match.group(1)) <= 438:
            by_number.setdefault(int(match.group(1)), tune)
    return [by_number[n] for n in sorted(by_number)]


def make_folds(lines: list[Line], k: int, seed: int = 0) -> list[list[int]]:
    """k folds of line indices, each group of harmonisations in one fold, note counts balanced."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, line in enumerate(lines):
        groups.setdefault(line.group(), []).append(i)
    order = list(groups.values())
    np.random.default_rng(seed).shuffle(order)
    order.sort(key=lambda members: -sum(len(lines[i].notes) for i in members))  # stable: ties stay shuffled
    folds: list[list[int]] = [[] for _ in range(k)]
    sizes = [0] * k
    for members in order:
        smallest = int(np.argmin(sizes))
        folds[smallest] += members
        sizes[smallest] += sum(len(lines[i].notes) for i in members)
    return [sorted(f) for f in folds]


@dataclass
class Settings:
    states: int = 32
    pitch_prior: float = 10.0
    restarts: int = 1
    iterations: int = 150
    seed: int = 0


def _fit_hmm(lines: list[Line], settings: Settings, seed: int, cancel: threading.Event | None) -> MelodyModel:
    encoded = [x.encoded for x in lines]
    return run_job(
        train_job(
            encoded,
            [],
            n_states=settings.states,
            restarts=settings.restarts,
            n_iter=settings.iterations,
            pitch_prior=settings.pitch_prior,
            seed=seed,
            cancel=cancel,
        )
    )


def _given(distributions: np.ndarray | None) -> np.ndarray:
    """The distributions of a model that was given to `ppm_distributions`."""
    assert distributions is not None
    return distributions


def _ppm_parts(
    train: list[Line], lines: list[Line], alphabet: PitchAlphabet, order: int, stm_order: int, interpolated: bool
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    ltm = PPM(len(alphabet.values), order, interpolated).fit([alphabet.encode(x.relative) for x in train])
    parts = [ppm_distributions(ltm, stm_order, alphabet, x.relative, x.tune.tonic, interpolated) for x in lines]
    return [_given(p[0]) for p in parts], [_given(p[1]) for p in parts]


def tune_fold(
    inner_train: list[Line],
    inner_valid: list[Line],
    alphabets: dict[str, PitchAlphabet],
    settings: Settings,
    seed: int,
    cancel: threading.Event | None,
) -> dict:
    """Everything chosen on an inner split of the training folds: PPM order bounds and kind, the mixture."""
    relative = alphabets["relative"]
    choice: dict = {}
    for name, alphabet, values in (
        ("ppm_absolute", alphabets["absolute"], lambda x: (x.midi, 0)),
        ("ppm_relative", relative, lambda x: (x.relative, x.tune.tonic)),
    ):
        best = None
        for order, interpolated in itertools.product(PPM_ORDERS, (True, False)):
            ltm = PPM(len(alphabet.values), order, interpolated).fit(
                [alphabet.encode(values(x)[0]) for x in inner_train]
            )
            distributions = []
            for x in inner_valid:
                line_values, shift = values(x)
                distributions.append(
                    _given(ppm_distributions(ltm, None, alphabet, line_values, shift, interpolated)[0])
                )
            score = bits(distributions, inner_valid).mean()
            if best is None or score < best[0]:
                best = (score, order, interpolated)
        assert best is not None
        choice[name] = {"order": best[1], "interpolated": best[2]}
    check_cancelled(cancel)
    model = _fit_hmm(inner_train, settings, seed, cancel)
    hmm = [hmm_distributions(model, x)[0] for x in inner_valid]
    order, interpolated = choice["ppm_relative"]["order"], choice["ppm_relative"]["interpolated"]
    mixture: tuple[float, int, bool, tuple[float, ...]] | None = None  # (bits, short-term order, geometric, weights)
    for stm_order in (2, 4):
        long_term, short_term = _ppm_parts(inner_train, inner_valid, relative, order, stm_order, interpolated)
        parts = [np.concatenate(p) for p in (hmm, long_term, short_term)]
        for geometric in (False, True):
            for weights in simplex(3, 0.1 if geometric else 0.05):
                if geometric and weights[0] == 0:
                    continue
                mixed = mix(parts, weights, geometric)
                score = float(
                    -np.log2(
                        np.maximum(mixed[np.arange(len(mixed)), np.concatenate([x.midi for x in inner_valid])], FLOOR)
                    ).mean()
                )
                if mixture is None or score < mixture[0]:
                    mixture = (score, stm_order, geometric, weights)
    assert mixture is not None
    choice["mixture"] = {
        "short_term_order": mixture[1],
        "geometric": mixture[2],
        "weights (hmm, ppm long-term, ppm short-term)": list(mixture[3]),
        "inner_valid_bits": round(mixture[0], 4),
    }
    return choice


def cross_validate_job(
    tunes: list[Tune], k: int = 10, settings: Settings | None = None, cancel: threading.Event | None = None
) -> Job:
    """k-fold cross-validated bits per note for every model; Result is the report dict."""
    settings = settings or Settings()
    lines = [x for x in (Line.of(t) for t in tunes) if len(x.notes)]
    if len(lines) < 2 * k:
        raise ValueError(f"{len(lines)} melodies are too few for {k} folds")
    folds = make_folds(lines, k, settings.seed)
    alphabets = {
        "absolute": PitchAlphabet(np.concatenate([x.midi for x in lines])),
        "relative": PitchAlphabet(np.concatenate([x.relative for x in lines])),
    }
    names = (
        "melody HMM (ours), rhythm known",
        "melody HMM (ours), rhythm unknown",
        "Markov chain order 1",
        "Markov chain order 2",
        "PPM-C, absolute pitch",
        "PPM-C, pitch relative to the tonic",
        "melody HMM + PPM long- and short-term (extension)",
    )
    per_note: dict[str, list[np.ndarray]] = {name: [] for name in names}
    fold_reports = []
    for f, test_ids in enumerate(folds):
        test = [lines[i] for i in test_ids]
        train_ids = [i for g, fold in enumerate(folds) if g != f for i in fold]
        inner = make_folds([lines[i] for i in train_ids], k - 1, settings.seed + 1 + f)[0]
        inner_valid = [lines[train_ids[i]] for i in inner]
        inner_train = [lines[train_ids[i]] for i in range(len(train_ids)) if i not in set(inner)]
        train = [lines[i] for i in train_ids]
        yield Progress(f / k, f"fold {f + 1}/{k}: choosing settings on an inner split")
        choice = tune_fold(inner_train, inner_valid, alphabets, settings, settings.seed + 100 * f, cancel)
        yield Progress((f + 0.5) / k, f"fold {f + 1}/{k}: training on {len(train)} melodies")
        model = _fit_hmm(train, settings, settings.seed + 100 * f + 1, cancel)
        hmm = [hmm_distributions(model, x) for x in test]
        results = {names[0]: bits([h[0] for h in hmm], test), names[1]: bits([h[1] for h in hmm], test)}
        for order, name in ((1, names[2]), (2, names[3])):
            results[name] = bits(
                markov_distributions(order, train, (inner_train, inner_valid), test, alphabets["relative"]), test
            )
        a = choice["ppm_absolute"]
        ltm = PPM(len(alphabets["absolute"].values), a["order"], a["interpolated"]).fit(
            [alphabets["absolute"].encode(x.midi) for x in train]
        )
        results[names[4]] = bits(
            [
                _given(ppm_distributions(ltm, None, alphabets["absolute"], x.midi, 0, a["interpolated"])[0])
                for x in test
            ],
            test,
        )
        r, m = choice["ppm_relative"], choice["mixture"]
        long_term, short_term = _ppm_parts(
            train, test, alphabets["relative"], r["order"], m["short_term_order"], r["interpolated"]
        )
        results[names[5]] = bits(long_term, test)
        weights = tuple(m["weights (hmm, ppm long-term, ppm short-term)"])
        mixed = [
            mix([h[0], lt, st], weights, m["geometric"]) for h, lt, st in zip(hmm, long_term, short_term, strict=True)
        ]
        results[names[6]] = bits(mixed, test)
        for name, values in results.items():
            per_note[name].append(values)
        fold_reports.append(
            {
                "melodies": len(test),
                "notes": int(sum(len(x.notes) for x in test)),
                "bits_per_note": {n: round(float(v.mean()), 4) for n, v in results.items()},
                "chosen_on_inner_split": choice,
            }
        )
        yield Progress(
            (f + 1) / k,
            f"fold {f + 1}/{k}: HMM {results[names[0]].mean():.3f}, "
            f"extension {results[names[6]].mean():.3f} bits per note",
        )
    overall = {name: round(float(np.concatenate(v).mean()), 4) for name, v in per_note.items()}
    mean_of_folds = {name: round(float(np.mean([x.mean() for x in v])), 4) for name, v in per_note.items()}
    yield Result(
        {
            "task": "pitch of each note given everything before it (rhythm is context, never predicted; "
            "rests are context, never scored); bits per note, lower is better",
            "folds": k,
            "melodies": len(lines),
            "groups_of_harmonisations": len({x.group() for x in lines}),
            "notes": int(sum(len(x.notes) for x in lines)),
            "bits_per_note": overall,
            "bits_per_note_mean_of_folds": mean_of_folds,
            "hmm": {"states": settings.states, "pitch_prior": settings.pitch_prior, "restarts": settings.restarts},
            "per_fold": fold_reports,
        }
    )
