"""What each model of the cross-validation (crossval.py) predicts for the pitch of every note of a melody,
given everything before it: a distribution over the 128 MIDI pitches per note, and its cost in bits."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import cast

import numpy as np

from models.music import tokens
from models.music.corpus import EncodedTune, Tune, encode
from models.music.model import MelodyModel
from models.music.ppm import PPM

N_MIDI = 128
GROUP_NOTES = 12  # harmonisations of one chorale tune share their first notes
FLOOR = 1e-12


@dataclass
class Line:
    """One melody prepared for pitch prediction."""

    tune: Tune
    encoded: EncodedTune
    notes: np.ndarray  # indices of the events that are notes (not rests)
    midi: np.ndarray  # their MIDI pitches

    @classmethod
    def of(cls, tune: Tune) -> Line:
        encoded = encode(tune)
        notes = np.flatnonzero(encoded.pitches != tokens.REST)
        midi = np.array([tokens.symbol_to_pitch(int(s), tune.tonic, tune.mode) for s in encoded.pitches[notes]])
        return cls(tune, encoded, notes, midi)

    @property
    def relative(self) -> np.ndarray:
        """Pitches relative to the tonic's pitch class (so C4 in C is 60, D4 in D is 60)."""
        return self.midi - self.tune.tonic

    def group(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.relative[:GROUP_NOTES])


def hmm_distributions(model: MelodyModel, line: Line) -> tuple[np.ndarray, np.ndarray]:
    """P(pitch of each note | everything before it), over MIDI pitches, shape (notes, 128): knowing the
    note's duration and metric position, and not knowing them."""
    start, trans = model.startprob.numpy(), model.transmat.numpy()
    pitch, duration = model.pitch.numpy(), model.duration.numpy()
    symbol_midi = np.array(
        [tokens.symbol_to_pitch(s, line.tune.tonic, line.tune.mode) or 0 for s in range(tokens.N_PITCH_SYMBOLS)]
    )
    is_note = np.arange(tokens.N_PITCH_SYMBOLS) != tokens.REST
    e = line.encoded
    with_rhythm: list[np.ndarray] = []
    without: list[np.ndarray] = []
    predicted = start
    for prev, symbol, position, d in zip(e.previous_pitches, e.pitches, e.positions, e.durations, strict=True):
        weights = predicted * duration[:, position, d]
        if symbol != tokens.REST:
            for state_weights, out in ((weights, with_rhythm), (predicted, without)):
                over_symbols = (state_weights @ pitch[:, prev, :]) * is_note
                out.append(np.bincount(symbol_midi, over_symbols / over_symbols.sum(), minlength=N_MIDI))
        alpha = weights * pitch[:, prev, symbol]
        predicted = (alpha / alpha.sum()) @ trans
    return np.array(with_rhythm), np.array(without)


class PitchAlphabet:
    """The pitch values a data set uses (as Pearce, the alphabet is the whole data set's)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.unique(values)
        self.index = {int(v): i for i, v in enumerate(self.values)}

    def encode(self, values: np.ndarray) -> list[int]:
        return [self.index[int(v)] for v in values]


def ppm_distributions(
    ltm: PPM | None,
    stm_order: int | None,
    alphabet: PitchAlphabet,
    values: np.ndarray,
    shift: int,
    interpolated: bool = True,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Per note, over MIDI pitches: the long-term model's prediction and the short-term model's (a PPM
    that has read only this melody so far). `shift` turns an alphabet value into a MIDI pitch."""
    symbols = alphabet.encode(values)
    stm = PPM(len(alphabet.values), stm_order, interpolated) if stm_order is not None else None
    midi = alphabet.values + shift
    long_term: list[np.ndarray] = []
    short_term: list[np.ndarray] = []
    for i, symbol in enumerate(symbols):
        history = symbols[:i]
        for model, out in ((ltm, long_term), (stm, short_term)):
            if model is not None:
                row = np.zeros(N_MIDI)
                row[midi] = model.distribution(history[max(0, len(history) - model.order) :])
                out.append(row)
        if stm is not None:
            stm.update(history[max(0, i - stm.order) :], symbol)
    return (np.array(long_term) if ltm else None), (np.array(short_term) if stm else None)


def markov_distributions(
    order: int, train: list[Line], inner: tuple[list[Line], list[Line]], lines: list[Line], alphabet: PitchAlphabet
) -> list[np.ndarray]:
    """Interpolated Markov chain (models/music/baselines.py) on pitch relative to the tonic: weights chosen
    on the inner split, counts from the whole training folds."""
    from models.music.baselines import BOS, MarkovChain

    size = len(alphabet.values)
    weights = MarkovChain(order, size).fit(*([alphabet.encode(x.relative) for x in part] for part in inner)).weights
    chain = MarkovChain(order, size).fit([alphabet.encode(x.relative) for x in train])
    chain.weights = weights
    out = []
    for line in lines:
        history, rows = [BOS] * order, []
        for symbol in alphabet.encode(line.relative):
            p = chain.weights[0] * chain.unigram
            for n in range(1, order + 1):
                counter = chain.counts[n].get(tuple(history[-n:]))
                ml = np.zeros(size)
                if counter:
                    ml[list(counter.keys())] = np.array(list(counter.values()), float) / counter.total()
                else:
                    ml = chain.unigram
                p = p + chain.weights[n] * ml
            row = np.zeros(N_MIDI)
            row[alphabet.values + line.tune.tonic] = p
            rows.append(row)
            history.append(symbol)
        out.append(np.array(rows))
    return out


def bits(distributions: list[np.ndarray], lines: list[Line]) -> np.ndarray:
    """-log2 P(actual pitch) per note, all lines concatenated."""
    return np.concatenate(
        [
            -np.log2(np.maximum(d[np.arange(len(x.midi)), x.midi], FLOOR))
            for d, x in zip(distributions, lines, strict=True)
        ]
    )


def mix(parts: list[np.ndarray], weights: tuple[float, ...], geometric: bool) -> np.ndarray:
    if geometric:
        log = sum(w * np.log(np.maximum(p, FLOOR)) for w, p in zip(weights, parts, strict=True))
        p = np.exp(log - log.max(1, keepdims=True))
        return p / p.sum(1, keepdims=True)
    return cast(np.ndarray, sum(w * p for w, p in zip(weights, parts, strict=True)))


def simplex(n: int, step: float = 0.05) -> list[tuple[float, ...]]:
    ticks = round(1 / step)
    return [
        tuple(c / ticks for c in (*combo, ticks - sum(combo)))
        for combo in itertools.product(range(ticks + 1), repeat=n - 1)
        if sum(combo) <= ticks
    ]
