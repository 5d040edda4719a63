"""The melody HMM: hidden states that plan a tune, emissions that see the previous pitch and the metre.

A note is a pitch symbol and a duration (see `tokens`). From hidden state k the next note is drawn as

    P(note_t | k, context) = P(pitch_t | k, pitch_{t-1}) * P(duration_t | k, position_t)

where pitch_{t-1} (the previous note's pitch symbol, or NO_PREVIOUS for the first note) and the
metric position class are observed: both are functions of the notes already written, so this is
still a proper distribution over melodies and the forward recursion is unchanged. The hidden chain
carries what a melody's recent past cannot say (where the phrase is going, which rhythm it is in);
the previous pitch carries the local voice leading that a first-order HMM over notes would have to
spend most of its states on. Held-out, this design beats the position-only HMM by 0.2-0.4 bits per
note and an interpolated second-order Markov chain on every shipped style (docs/melody-engine.md).

Training is EM with a Dirichlet prior (MAP): each state's P(pitch | previous pitch) is pulled towards
a counted pitch bigram by `pitch_prior` pseudo-notes, and its P(duration | position) towards the
counted duration distribution by `duration_prior`. Most (state, previous pitch) pairs are seen a
handful of times, so without the prior the estimates would be all-or-nothing; with it no note ever has
probability zero and no separate smoothing step is needed.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from models.checkpoint import CheckpointError, bounded, check_finite, check_shapes, load_checkpoint, save_checkpoint
from models.hmm import inference
from models.hmm.categorical import MAX_ELEMENTS, random_distribution
from models.hmm.sequences import PackedSequences, pack_batches
from models.jobs import Job, Progress, Result, check_cancelled
from models.music import tokens
from models.music.corpus import EncodedTune
from models.music.style_facts import StyleFacts

KIND = "melody-hmm"
DESIGN = "pitch | state, previous pitch; duration | state, position"
S, P, D = tokens.N_PITCH_SYMBOLS, tokens.N_POSITION_CLASSES, len(tokens.DURATIONS)
N_PREVIOUS = S + 1  # every pitch symbol, and NO_PREVIOUS
MAX_STATES = 1024  # the shipped styles use 32; train-melody allows up to this


def observations(encoded: EncodedTune) -> np.ndarray:
    """One integer per note that packs (previous pitch, pitch, position, duration) for batching."""
    pitch_pair = encoded.previous_pitches * S + encoded.pitches
    return (pitch_pair * P + encoded.positions) * D + encoded.durations


@dataclass
class Backoff:
    """Counted distributions the states' emissions are pulled towards: P(pitch | previous), P(duration | position)."""

    pitch: torch.Tensor  # (N_PREVIOUS, S)
    duration: torch.Tensor  # (P, D)

    @classmethod
    def count(cls, encoded: list[EncodedTune]) -> Backoff:
        pairs = np.zeros((N_PREVIOUS, S))
        durations = np.full((P, D), 0.1)
        for e in encoded:
            np.add.at(pairs, (e.previous_pitches, e.pitches), 1.0)
            np.add.at(durations, (e.positions, e.durations), 1.0)
        unigram = (pairs.sum(0) + 0.01) / (pairs.sum() + 0.01 * S)
        seen = pairs.sum(1, keepdims=True)
        # A previous pitch seen rarely (or never) leans on the unigram; one seen often on its own counts.
        weight = seen / (seen + 5.0)
        bigram = weight * pairs / np.maximum(seen, 1.0) + (1 - weight) * unigram
        return cls(torch.from_numpy(bigram), torch.from_numpy(durations / durations.sum(1, keepdims=True)))


@dataclass
class MelodyModel:
    startprob: torch.Tensor  # (K,)
    transmat: torch.Tensor  # (K, K)
    pitch: torch.Tensor  # (K, N_PREVIOUS, S): P(pitch | state, previous pitch)
    duration: torch.Tensor  # (K, P, D): P(duration | state, position class)
    style: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    priors: dict[str, float] = field(default_factory=dict)
    # The pitch symbols generation may write: every octave of each scale degree and alteration that the
    # training melodies used (see `usable_pitches`).
    pitches_used: list[int] = field(default_factory=lambda: list(range(S)))
    # What the style's tunes say beyond likelihood (the widest leap); learned by whoever has the tunes.
    facts: StyleFacts = field(default_factory=StyleFacts)

    @property
    def n_states(self) -> int:
        return int(self.startprob.shape[0])

    def pitch_mask(self) -> np.ndarray:
        mask = np.zeros(S, dtype=bool)
        mask[self.pitches_used] = True
        return mask

    def to(self, dtype: torch.dtype, device: torch.device | str = "cpu") -> MelodyModel:
        startprob, transmat, pitch, duration = (t.to(device=device, dtype=dtype) for t in (self.startprob, self.transmat,
                                                                                          self.pitch, self.duration))
        return MelodyModel(startprob, transmat, pitch, duration,
                           self.style, self.info, self.priors, self.pitches_used, self.facts)

    def emission_columns(self, packed: PackedSequences) -> torch.Tensor:
        """b[t, n, k] = P(note t of row n | state k, its previous pitch and position), shape (T, N, K)."""
        k = self.n_states
        pitch_pair, position_duration = packed.symbols // (P * D), packed.symbols % (P * D)
        return self.pitch.reshape(k, -1).T[pitch_pair] * self.duration.reshape(k, -1).T[position_duration]

    def log_likelihoods(self, encoded: list[EncodedTune]) -> torch.Tensor:
        """log P(melody) for each melody, natural log, in no particular order."""
        batches, _ = pack_batches([observations(e) for e in encoded], max(1, MAX_ELEMENTS // self.n_states))
        totals = []
        for packed in batches:
            _, log_scale = inference.scaled_forward(self.startprob, self.transmat, self.emission_columns(packed),
                                                    packed)
            totals.append(log_scale.sum(0))
        return torch.cat(totals)

    def bits_per_note(self, encoded: list[EncodedTune]) -> float:
        """Negative log-likelihood per note (rests count as notes) in bits."""
        n_notes = sum(len(e.tokens) for e in encoded)
        return -float(self.log_likelihoods(encoded).sum()) / (n_notes * math.log(2))

    def save(self, path: str | os.PathLike, training: dict[str, Any] | None = None) -> None:
        tensors = {"startprob": self.startprob, "transmat": self.transmat, "pitch": self.pitch,
                   "duration": self.duration}
        save_checkpoint(path, tensors, kind=KIND,
                        hyperparameters={"n_states": self.n_states, "design": DESIGN, "pitch_symbols": S,
                                         "durations": list(tokens.DURATIONS), "position_classes": P,
                                         "pitches_used": [int(p) for p in self.pitches_used], **self.priors},
                        training=training or {},
                        extra={"style": self.style, "info": self.info, "facts": self.facts.to_json()})

    @classmethod
    def load(cls, path: str | os.PathLike) -> MelodyModel:
        checkpoint = load_checkpoint(path, kind=KIND)
        h, name = checkpoint.hyperparameters, os.fspath(path)
        if not isinstance(h, dict) or h.get("design") != DESIGN or h.get("pitch_symbols") != S \
                or h.get("durations") != list(tokens.DURATIONS):
            raise CheckpointError(f"{name} was trained by an earlier version of the melody engine: "
                                  "train the style again from its MIDI folder.")
        # Every number is read within bounds and every shape checked before anything is built from them.
        k = bounded(h, "n_states", 1, MAX_STATES, name=name)
        check_shapes(checkpoint.tensors, {"startprob": (k,), "transmat": (k, k), "pitch": (k, N_PREVIOUS, S),
                                          "duration": (k, P, D)}, name)
        check_finite(checkpoint.tensors, name)
        t = {key: value.to(torch.float64) for key, value in checkpoint.tensors.items()}
        priors: dict[str, float] = {key: bounded(h, key, 0.0, 1e6, name=name)
                                    for key in ("pitch_prior", "duration_prior") if key in h}
        used = h.get("pitches_used", list(range(S)))
        if not isinstance(used, list) or not all(isinstance(p, int) and not isinstance(p, bool) for p in used):
            raise CheckpointError(f"{name} lists the pitches it uses wrongly: train the style again.")
        metadata = checkpoint.metadata
        try:
            facts = StyleFacts.from_json(metadata.get("facts"))
        except (AttributeError, TypeError, ValueError, OverflowError):
            raise CheckpointError(f"{name} describes its style's habits wrongly: train the style again.") from None
        return cls(t["startprob"], t["transmat"], t["pitch"], t["duration"], str(metadata.get("style", "")),
                   info if isinstance(info := metadata.get("info"), dict) else {}, priors,
                   [p for p in used if 0 <= p < S] or list(range(S)), facts)


def usable_pitches(encoded: list[EncodedTune]) -> list[int]:
    """The pitch symbols, in any octave, whose scale degree and alteration the melodies used; and the rest.

    The prior gives every symbol a little probability (so held-out scores stay finite), but a style
    should not write chromatic notes its tunes never had. Octaves are not restricted: a user's pitch
    range decides the register.
    """
    def degree_and_alteration(symbol: int) -> tuple[int, int]:
        step_index, alteration = divmod(symbol, len(tokens.ALTERATIONS))
        return (step_index + tokens.MIN_STEP) % 7, alteration

    seen = {degree_and_alteration(int(p)) for e in encoded for p in e.pitches if p != tokens.REST}
    return [s for s in range(tokens.REST) if degree_and_alteration(s) in seen] + [tokens.REST]


def random_model(n_states: int, backoff: Backoff, seed: int, dtype: torch.dtype) -> MelodyModel:
    """A starting point for EM: the backoff distributions with a random tilt per state (so states differ)."""
    generator = torch.Generator().manual_seed(seed)

    def tilted(base: torch.Tensor) -> torch.Tensor:
        noise = torch.rand((n_states, *base.shape), generator=generator, dtype=torch.float64) + 0.5
        table = base[None] * noise
        return table / table.sum(-1, keepdim=True)

    start = random_distribution((n_states,), generator, torch.float64)
    trans = random_distribution((n_states, n_states), generator, torch.float64)
    return MelodyModel(start, trans, tilted(backoff.pitch), tilted(backoff.duration)).to(dtype)


@dataclass
class Counts:
    start: torch.Tensor
    transitions: torch.Tensor
    pitch: torch.Tensor  # (K, N_PREVIOUS, S)
    duration: torch.Tensor  # (K, P, D)
    log_likelihood: float


def expected_counts(model: MelodyModel, batches: list[PackedSequences]) -> Counts:
    """The E-step: expected state, transition and emission counts over every batch."""
    k = model.n_states
    total: Counts | None = None
    for packed in batches:
        posterior = inference.state_posteriors(model.startprob, model.transmat, model.emission_columns(packed),
                                               packed)
        gamma = posterior.gamma.reshape(-1, k)
        symbols = packed.symbols.reshape(-1)
        pitch = torch.zeros((N_PREVIOUS * S, k), dtype=gamma.dtype).index_add_(0, symbols // (P * D), gamma)
        duration = torch.zeros((P * D, k), dtype=gamma.dtype).index_add_(0, symbols % (P * D), gamma)
        counts = Counts(posterior.gamma[0].sum(0), posterior.transitions, pitch.T.reshape(k, N_PREVIOUS, S),
                        duration.T.reshape(k, P, D), posterior.log_likelihood)
        if total is None:
            total = counts
        else:
            total = Counts(total.start + counts.start, total.transitions + counts.transitions,
                           total.pitch + counts.pitch, total.duration + counts.duration,
                           total.log_likelihood + counts.log_likelihood)
    assert total is not None
    return total


def maximise(counts: Counts, backoff: Backoff, pitch_prior: float, duration_prior: float) -> MelodyModel:
    """The M-step with the Dirichlet prior: (counts + prior * backoff) / (total + prior)."""
    dtype = counts.pitch.dtype

    def posterior_mean(n: torch.Tensor, prior: float, base: torch.Tensor) -> torch.Tensor:
        return (n + prior * base.to(dtype)) / (n.sum(-1, keepdim=True) + prior)

    start = counts.start + 1e-6
    trans = counts.transitions + 1e-6
    return MelodyModel(start / start.sum(), trans / trans.sum(1, keepdim=True),
                       posterior_mean(counts.pitch, pitch_prior, backoff.pitch),
                       posterior_mean(counts.duration, duration_prior, backoff.duration))


def train_job(train: list[EncodedTune], valid: list[EncodedTune], *, n_states: int = 32, restarts: int = 2,
              n_iter: int = 150, tol_per_note: float = 1e-4, pitch_prior: float = 3.0, duration_prior: float = 10.0,
              seed: int = 0, style: str = "", dtype: torch.dtype = torch.float32, device: torch.device | str = "cpu",
              cancel: threading.Event | None = None) -> Job:
    """Fit the melody HMM on `train` by EM; of the restarts keep the best on `valid`; yields Result(MelodyModel).

    EM runs in float32 with denormals flushed (as accurate as float64 to ~1e-6 per iteration and 2-4x
    faster on the CPU) and stops when an iteration gains less than `tol_per_note` nats per note.
    The model is stored and scored in float64.
    """
    if not train:
        raise ValueError("no training melodies")
    counted = Backoff.count(train)
    backoff = Backoff(counted.pitch.to(device), counted.duration.to(device))
    n_notes = sum(len(e.tokens) for e in train)
    batches = [b.to(device) for b in pack_batches([observations(e) for e in train],
                                                  max(1, MAX_ELEMENTS // n_states))[0]]
    scored = valid or train
    best: tuple[float, MelodyModel] | None = None
    with inference.flush_denormals(dtype == torch.float32 and torch.device(device).type == "cpu"):
        for restart in range(restarts):
            model = random_model(n_states, counted, seed + restart, dtype).to(dtype, device)
            previous = -math.inf
            for iteration in range(n_iter):
                check_cancelled(cancel)
                counts = expected_counts(model, batches)
                model = maximise(counts, backoff, pitch_prior, duration_prior)
                per_note = counts.log_likelihood / n_notes
                yield Progress((restart * n_iter + iteration + 1) / (restarts * n_iter),
                               f"restart {restart + 1}/{restarts}, iteration {iteration + 1}: "
                               f"{-per_note / math.log(2):.3f} bits per note")
                if per_note - previous < tol_per_note:
                    break
                previous = per_note
            candidate = _normalised(model)
            bits = candidate.bits_per_note(scored)
            if best is None or bits < best[0]:
                best = (bits, candidate)
    check_cancelled(cancel)
    assert best is not None  # restarts >= 1
    bits, model = best
    model.style = style
    model.priors = {"pitch_prior": pitch_prior, "duration_prior": duration_prior}
    model.pitches_used = usable_pitches(train)
    yield Progress(1.0, f"{n_states} states: {bits:.3f} bits per note on validation")
    yield Result(model)


def _normalised(model: MelodyModel) -> MelodyModel:
    """Back in float64 on the CPU with every distribution summing to one."""
    m = model.to(torch.float64, "cpu")
    startprob, transmat, pitch, duration = (t / t.sum(-1, keepdim=True)
                                            for t in (m.startprob, m.transmat, m.pitch, m.duration))
    return MelodyModel(startprob, transmat, pitch, duration)
