"""How much less often a style's generated tunes should leap wide than its model alone makes them.

The melody HMM's pitch rows are pulled towards a counted pitch bigram by a prior (model.py), which gives the wide
leaps of a few tunes to every state; sampled tune after tune, the style's generated tunes leapt ten semitones or
more 1.2-1.5 times as often as its tunes do (session 21). The weights are learned by writing tunes with the model
alone and comparing their leaps with the training tunes' in the same metre, per class of leap size: weight = the tunes' rate over
the generated rate, never above 1. A leap is then sampled at that weight times the model's probability
(`StyleFacts.pair_weights`; generation stays exact under the weighted model).
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import numpy as np

from models.music.corpus import Tune
from models.music.style_facts import ANY_METRE, leaps

LEAP_CLASSES = (10, 13)  # semitones: from a minor seventh to an octave, and wider
METRE_TUNES = 40  # a metre at least this many training tunes have gets weights of its own
TUNES_PER_METRE = 60  # generated tunes of 8 bars per metre (seeds x major/minor x variations)
LEAST_LEAPS = 20  # a class the generated tunes leapt fewer times than this keeps weight 1 (too few to tell)


def leap_rates(intervals: np.ndarray) -> list[float]:
    """The share of intervals in each LEAP_CLASSES class (each up to the next class's least size)."""
    bounds = [*LEAP_CLASSES, 10**6]
    return [float(np.mean((intervals >= low) & (intervals < high))) for low, high in itertools.pairwise(bounds)]


def tune_intervals(tunes: list[Tune]) -> np.ndarray:
    return np.array([leap for tune in tunes for leap in leaps(tune)])


def class_weights(own: np.ndarray, written: np.ndarray) -> list[list]:
    """[least semitones, weight] per class: the tunes' rate over the written tunes' rate, at most 1."""
    weights = []
    for least, tune_rate, generated_rate in zip(LEAP_CLASSES, leap_rates(own), leap_rates(written), strict=True):
        enough = generated_rate * len(written) >= LEAST_LEAPS
        weights.append([least, round(min(1.0, tune_rate / generated_rate), 3) if enough else 1.0])
    return weights


def written_intervals(checkpoint: Path, metre: str) -> list[int]:
    """The intervals (semitones) of TUNES_PER_METRE tunes of 8 bars the checkpoint writes in the metre, in D major
    and D minor."""
    from models.music.generate import generate
    from models.music.request import MelodyRequest

    written = []
    for mode in ("major", "minor"):
        for seed in range(TUNES_PER_METRE // 6):
            for melody in generate(MelodyRequest(style=str(checkpoint), key="D", mode=mode, meter=metre, bars=8,
                                                 seed=1000 + seed, variations=3)):
                pitches = [note.pitch for note in melody.notes()]
                written += [abs(b - a) for a, b in itertools.pairwise(pitches)]
    return written


def learn_leap_weights(checkpoint: Path, tunes: list[Tune]) -> dict[str, list[list]]:
    """Per metre that METRE_TUNES of the training tunes have, and for any other metre (all of those together):
    [least semitones, weight] per class, from tunes written by the checkpoint as it is (its facts without leap
    weights) against the training tunes' leaps in that metre. Where no metre has that many tunes but all of them
    together do (a user's folder of jigs and reels), any metre's weights from all the tunes against tunes written
    in their commonest metre; with fewer tunes than that, none: the model's own leaps."""
    counts = Counter(str(t.meter) for t in tunes)
    metres = [metre for metre, count in counts.most_common() if count >= METRE_TUNES]
    if not metres:
        if len(tunes) < METRE_TUNES:
            return {}
        written = written_intervals(checkpoint, counts.most_common(1)[0][0])
        return {ANY_METRE: class_weights(tune_intervals(tunes), np.array(written))}
    weights, own_all, written_all = {}, [], []
    for metre in metres:
        own = tune_intervals([t for t in tunes if str(t.meter) == metre])
        written = written_intervals(checkpoint, metre)
        weights[metre] = class_weights(own, np.array(written))
        own_all.append(own)
        written_all += written
    weights[ANY_METRE] = class_weights(np.concatenate(own_all), np.array(written_all))
    return weights
