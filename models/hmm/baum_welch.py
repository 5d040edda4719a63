"""Baum–Welch (EM) training of a categorical HMM, as an engine job with progress and cancel.

`fit_job` yields `Progress` after every EM iteration and finally `Result(FitResult)`; `fit` drives
it to the end. Several restarts from random starting points keep the best training likelihood.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from models.hmm import inference
from models.hmm.categorical import CategoricalHMM, SequencesLike
from models.hmm.sequences import pack_sequences
from models.jobs import Event, Job, Progress, Result, check_cancelled, run_job


@dataclass
class FitResult:
    model: CategoricalHMM
    log_likelihood: float  # of the training data under the returned model
    history: list[float] = field(default_factory=list)  # log-likelihood before each M-step, best restart
    iterations: int = 0
    converged: bool = False
    restarts: list[float] = field(default_factory=list)  # final log-likelihood of every restart


def _normalise(counts: torch.Tensor, previous: torch.Tensor, pseudocount: float) -> torch.Tensor:
    counts = counts + pseudocount
    totals = counts.sum(-1, keepdim=True)
    # A state that was never visited keeps its old distribution instead of becoming 0/0.
    return torch.where(totals > 0, counts / totals.clamp_min(torch.finfo(counts.dtype).tiny), previous)


def em_step(model: CategoricalHMM, packed, pseudocount: float = 0.0) -> tuple[CategoricalHMM, float]:
    """One Baum–Welch iteration: returns the updated model and the log-likelihood of the old one."""
    counts = inference.expected_counts(*model.parameters(), packed)
    start = _normalise(counts.start, model.startprob, pseudocount)
    trans = _normalise(counts.transitions, model.transmat, pseudocount)
    emit = _normalise(counts.emissions, model.emissionprob, pseudocount)
    return CategoricalHMM(start, trans, emit), counts.log_likelihood


def fit_job(
    sequences: SequencesLike,
    n_states: int,
    n_symbols: int,
    *,
    n_iter: int = 100,
    tol: float = 1e-4,
    restarts: int = 1,
    seed: int = 0,
    init: CategoricalHMM | None = None,
    pseudocount: float = 0.0,
    dtype: torch.dtype = torch.float64,
    device: torch.device | str = "cpu",
    cancel: threading.Event | None = None,
) -> Job:
    """Fit by EM; converged when an iteration gains less than `tol` in total log-likelihood (nats).

    `tol` is compared with the gain in total log-likelihood, as hmmlearn does. With `init`, the
    first restart starts from it; further restarts start from random models seeded by `seed + r`.
    """
    packed = pack_sequences(sequences).to(device)
    if int(packed.symbols.max()) >= n_symbols:
        raise ValueError(f"a symbol is outside the vocabulary of {n_symbols}")
    best: FitResult | None = None
    finals: list[float] = []
    total_steps = max(1, restarts * n_iter)
    with inference.flush_denormals(dtype == torch.float32 and torch.device(device).type == "cpu"):
        for restart in range(restarts):
            if init is not None and restart == 0:
                model = init.to(device=device, dtype=dtype)
            else:
                model = CategoricalHMM.random(n_states, n_symbols, seed=seed + restart, dtype=dtype, device=device)
            history: list[float] = []
            converged = False
            for iteration in range(n_iter):
                check_cancelled(cancel)
                new_model, log_likelihood = em_step(model, packed, pseudocount)
                history.append(log_likelihood)
                done = restart * n_iter + iteration + 1
                per_token = log_likelihood / packed.n_tokens
                yield Progress(done / total_steps, f"restart {restart + 1}/{restarts}, iteration {iteration + 1}: "
                               f"{per_token / math.log(2):.4f} bits per token")
                model = new_model
                if len(history) > 1 and history[-1] - history[-2] < tol:
                    converged = True
                    break
            final = float(inference.log_likelihoods(*model.parameters(), packed).sum())
            finals.append(final)
            if best is None or final > best.log_likelihood:
                best = FitResult(model, final, history, len(history), converged)
    assert best is not None
    best.restarts = finals
    yield Result(best)


def fit(sequences: SequencesLike, n_states: int, n_symbols: int, on_event: Callable[[Event], None] | None = None,
        **options) -> FitResult:
    """Run `fit_job` to the end and return its `FitResult`."""
    return run_job(fit_job(sequences, n_states, n_symbols, **options), on_event)
