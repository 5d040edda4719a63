"""The melody HMM: hidden states over note tokens, emissions conditioned on the metric position.

P(token_t | state_t, position_t): the position class of a note (downbeat, beat, half-beat, finer)
is a function of the earlier durations, so conditioning on it keeps the model a proper
distribution over melodies while letting it learn what happens on strong and weak beats. Emissions
are interpolated with a per-position unigram (weight chosen on the validation split), so an
unseen token never has probability zero.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from models.checkpoint import load_checkpoint, save_checkpoint
from models.hmm import CategoricalHMM
from models.hmm.baum_welch import fit_job
from models.jobs import Job, Progress, Result, check_cancelled
from models.music import tokens
from models.music.corpus import EncodedTune

KIND = "melody-hmm"
SMOOTHING_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)


@dataclass
class MelodyModel:
    hmm: CategoricalHMM  # emissions (K, P * V) when contextual, (K, V) otherwise
    unigram: torch.Tensor  # (P, V), or (1, V) when not contextual
    smoothing: float
    contextual: bool = True
    style: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n_states(self) -> int:
        return self.hmm.n_states

    def emission_table(self) -> torch.Tensor:
        """Smoothed P(token | state, position class), shape (K, P, V)."""
        k = self.n_states
        blocks = tokens.N_POSITION_CLASSES if self.contextual else 1
        raw = self.hmm.emissionprob.reshape(k, blocks, tokens.VOCAB_SIZE)
        table = (1 - self.smoothing) * raw + self.smoothing * self.unigram.to(raw)
        return table.expand(k, tokens.N_POSITION_CLASSES, tokens.VOCAB_SIZE)

    def scoring_hmm(self) -> CategoricalHMM:
        table = self.emission_table()
        emit = table.reshape(self.n_states, -1) if self.contextual else table[:, 0]
        return CategoricalHMM(self.hmm.startprob, self.hmm.transmat, emit)

    def symbols(self, encoded: list[EncodedTune]) -> list[np.ndarray]:
        return [e.contextual() if self.contextual else e.tokens for e in encoded]

    def bits_per_note(self, encoded: list[EncodedTune]) -> float:
        """Negative log-likelihood per note (rests count as notes) in bits."""
        n_notes = sum(len(e.tokens) for e in encoded)
        return -self.scoring_hmm().score(self.symbols(encoded)) / (n_notes * math.log(2))

    def save(self, path: str | os.PathLike, training: dict[str, Any] | None = None) -> None:
        tensors = {**self.hmm.state_dict(), "unigram": self.unigram}
        save_checkpoint(path, tensors, kind=KIND,
                        hyperparameters={"n_states": self.n_states, "contextual": self.contextual,
                                         "smoothing": self.smoothing, "vocab_size": tokens.VOCAB_SIZE,
                                         "position_classes": tokens.N_POSITION_CLASSES},
                        training=training or {}, extra={"style": self.style, "info": self.info,
                                                        "token_design": tokens.__doc__.strip().splitlines()[0]})

    @classmethod
    def load(cls, path: str | os.PathLike) -> MelodyModel:
        checkpoint = load_checkpoint(path, kind=KIND)
        h = checkpoint.hyperparameters
        k, contextual = int(h["n_states"]), bool(h["contextual"])
        blocks = tokens.N_POSITION_CLASSES if contextual else 1
        from models.checkpoint import CheckpointError, check_shapes

        if h.get("vocab_size") != tokens.VOCAB_SIZE:
            raise CheckpointError(f"{os.fspath(path)} was trained with another token vocabulary: retrain it.")
        check_shapes(checkpoint.tensors, {"startprob": (k,), "transmat": (k, k),
                                          "emissionprob": (k, blocks * tokens.VOCAB_SIZE),
                                          "unigram": (blocks, tokens.VOCAB_SIZE)}, os.fspath(path))
        t = {name: value.to(torch.float64) for name, value in checkpoint.tensors.items()}
        return cls(CategoricalHMM(t["startprob"], t["transmat"], t["emissionprob"]), t["unigram"],
                   float(h["smoothing"]), contextual, checkpoint.metadata.get("style", ""),
                   checkpoint.metadata.get("info", {}))


def unigram_of(encoded: list[EncodedTune], contextual: bool, pseudocount: float = 0.1) -> torch.Tensor:
    blocks = tokens.N_POSITION_CLASSES if contextual else 1
    counts = np.full((blocks, tokens.VOCAB_SIZE), pseudocount)
    for e in encoded:
        np.add.at(counts, (e.positions if contextual else np.zeros_like(e.tokens), e.tokens), 1.0)
    return torch.from_numpy(counts / counts.sum(1, keepdims=True))


def train_job(train: list[EncodedTune], valid: list[EncodedTune], *, n_states: int = 32, contextual: bool = True,
              restarts: int = 3, n_iter: int = 100, tol_per_note: float = 1e-4, seed: int = 0, style: str = "",
              dtype: torch.dtype = torch.float32, device: torch.device | str = "cpu",
              cancel: threading.Event | None = None) -> Job:
    """Fit the melody HMM on `train`, choose the smoothing weight on `valid`; yields Result(MelodyModel).

    EM runs in float32 (denormals flushed; as accurate as float64 to ~1e-6 per iteration and 2-4x
    faster on the CPU) and stops when an iteration gains less than `tol_per_note` nats per note.
    The model is stored and scored in float64.
    """
    if not train:
        raise ValueError("no training melodies")
    blocks = tokens.N_POSITION_CLASSES if contextual else 1
    unigram = unigram_of(train, contextual)
    placeholder = MelodyModel(CategoricalHMM.random(1, 1), unigram, 0.0, contextual)
    sequences = placeholder.symbols(train)
    n_notes = sum(len(s) for s in sequences)
    fitting = fit_job(sequences, n_states, blocks * tokens.VOCAB_SIZE, n_iter=n_iter, tol=tol_per_note * n_notes,
                      restarts=restarts, seed=seed, pseudocount=1e-6, emission_blocks=blocks, dtype=dtype,
                      device=device, cancel=cancel)
    result = None
    for event in fitting:
        if isinstance(event, Result):
            result = event.value
        else:
            yield Progress(0.95 * (event.fraction or 0.0), event.message)
    check_cancelled(cancel)
    hmm = result.model.to("cpu", torch.float64)
    # Renormalise after the float32 fit so every distribution sums to one in float64.
    emit = hmm.emissionprob.reshape(n_states, blocks, tokens.VOCAB_SIZE)
    hmm = CategoricalHMM(hmm.startprob / hmm.startprob.sum(), hmm.transmat / hmm.transmat.sum(1, keepdim=True),
                         (emit / emit.sum(-1, keepdim=True)).reshape(n_states, -1))
    scored = valid or train
    best = min(SMOOTHING_GRID, key=lambda lam: MelodyModel(hmm, unigram, lam, contextual).bits_per_note(scored))
    model = MelodyModel(hmm, unigram, best, contextual, style)
    yield Progress(1.0, f"smoothing {best}: {model.bits_per_note(scored):.3f} bits per note on validation")
    yield Result(model)
