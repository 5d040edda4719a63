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
from models.hmm.categorical import MAX_ELEMENTS, CategoricalHMM, SequencesLike
from models.hmm.sequences import PackedSequences, pack_batches
from models.jobs import Event, Job, Progress, Result, check_cancelled, run_job


@dataclass
class FitResult:
    model: CategoricalHMM
    log_likelihood: float  # of the training data under the returned model
    history: list[float] = field(default_factory=list)  # log-likelihood before each M-step, best restart
    iterations: int = 0
    converged: bool = False
    restarts: list[float] = field(default_factory=list)  # final log-likelihood of every restart


def _normalise(counts: torch.Tensor, previous: torch.Tensor, pseudocount: float, blocks: int = 1) -> torch.Tensor:
    if blocks > 1:  # emissions conditioned on an observed context: each block of columns sums to one
        rows, columns = counts.shape
        shape = (rows, blocks, columns // blocks)
        return _normalise(counts.reshape(shape), previous.reshape(shape), pseudocount).reshape(rows, columns)
    counts = counts + pseudocount
    totals = counts.sum(-1, keepdim=True)
    # A state that was never visited keeps its old distribution instead of becoming 0/0.
    return torch.where(totals > 0, counts / totals.clamp_min(torch.finfo(counts.dtype).tiny), previous)


def em_step(model: CategoricalHMM, packed: PackedSequences | list[PackedSequences], pseudocount: float = 0.0, emission_blocks: int = 1
            ) -> tuple[CategoricalHMM, float]:
    """One Baum–Welch iteration: returns the updated model and the log-likelihood of the old one.

    With `emission_blocks` = B > 1 the V symbols are B blocks of V/B: symbol `c * V/B + x` means
    "x observed in context c", and each state's emissions sum to one within every block, so the
    model is P(x | state, c) for a context c that the caller observes (e.g. position in the bar).
    """
    batches = packed if isinstance(packed, list) else [packed]
    counts = inference.expected_counts(*model.parameters(), batches[0])
    for batch in batches[1:]:
        more = inference.expected_counts(*model.parameters(), batch)
        counts = inference.ExpectedCounts(counts.start + more.start, counts.transitions + more.transitions,
                                          counts.emissions + more.emissions,
                                          counts.log_likelihood + more.log_likelihood)
    start = _normalise(counts.start, model.startprob, pseudocount)
    trans = _normalise(counts.transitions, model.transmat, pseudocount)
    emit = _normalise(counts.emissions, model.emissionprob, pseudocount, emission_blocks)
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
    emission_blocks: int = 1,
    dtype: torch.dtype = torch.float64,
    device: torch.device | str = "cpu",
    cancel: threading.Event | None = None,
) -> Job:
    """Fit by EM; converged when an iteration gains less than `tol` in total log-likelihood (nats).

    `tol` is compared with the gain in total log-likelihood, as hmmlearn does. With `init`, the
    first restart starts from it; further restarts start from random models seeded by `seed + r`.
    """
    if isinstance(sequences, PackedSequences):
        batches = [sequences.to(device)]
    else:
        batches = [b.to(device) for b in pack_batches(sequences, max(1, MAX_ELEMENTS // n_states))[0]]
    if max(int(b.symbols.max()) for b in batches) >= n_symbols:
        raise ValueError(f"a symbol is outside the vocabulary of {n_symbols}")
    n_tokens = sum(b.n_tokens for b in batches)
    best: FitResult | None = None
    finals: list[float] = []
    total_steps = max(1, restarts * n_iter)
    with inference.flush_denormals(dtype == torch.float32 and torch.device(device).type == "cpu"):
        for restart in range(restarts):
            if init is not None and restart == 0:
                model = init.to(device=device, dtype=dtype)
            else:
                model = CategoricalHMM.random(n_states, n_symbols, seed=seed + restart, dtype=dtype, device=device)
                if emission_blocks > 1:
                    emit = _normalise(model.emissionprob, model.emissionprob, 0.0, emission_blocks)
                    model = CategoricalHMM(model.startprob, model.transmat, emit)
            history: list[float] = []
            converged = False
            for iteration in range(n_iter):
                check_cancelled(cancel)
                new_model, log_likelihood = em_step(model, batches, pseudocount, emission_blocks)
                history.append(log_likelihood)
                done = restart * n_iter + iteration + 1
                per_token = log_likelihood / n_tokens
                yield Progress(done / total_steps, f"restart {restart + 1}/{restarts}, iteration {iteration + 1}: "
                               f"{per_token / math.log(2):.4f} bits per token")
                model = new_model
                if len(history) > 1 and history[-1] - history[-2] < tol:
                    converged = True
                    break
            final = sum(float(inference.log_likelihoods(*model.parameters(), b).sum()) for b in batches)
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
