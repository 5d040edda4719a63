"""Batched forward–backward (scaled) and Viterbi (log space) for a categorical HMM.

The scaled forward variables sum to one at every step, so they never underflow as a whole; the
log-likelihood is the sum of the logs of the scale factors. Individual entries can still become
subnormal in float32 on sparse models (and subnormal arithmetic is ~30x slower on x86), so callers
that run in float32 flush denormals to zero (see `flush_denormals`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import torch

from models.hmm.sequences import PackedSequences


@dataclass
class ExpectedCounts:
    """Sufficient statistics of one E-step, summed over all sequences."""

    start: torch.Tensor  # (K,)
    transitions: torch.Tensor  # (K, K)
    emissions: torch.Tensor  # (K, V)
    log_likelihood: float


@contextlib.contextmanager
def flush_denormals(enabled: bool = True) -> Iterator[None]:
    """Treat subnormal floats as zero inside the block (CPU only; a no-op where unsupported)."""
    if not enabled:
        yield
        return
    supported = torch.set_flush_denormal(True)
    try:
        yield
    finally:
        if supported:
            torch.set_flush_denormal(False)


def emission_columns(emissionprob: torch.Tensor, packed: PackedSequences) -> torch.Tensor:
    """b[t, n, k] = P(symbol x[t, n] | state k), shape (T, N, K)."""
    return emissionprob.T[packed.symbols]


def scaled_forward(
    startprob: torch.Tensor, transmat: torch.Tensor, b: torch.Tensor, packed: PackedSequences
) -> tuple[torch.Tensor, torch.Tensor]:
    """The forward pass given b[t, n, k] = P(observation t of row n | state k): (alpha, log scale factors).

    Taking b rather than an emission matrix lets models whose emissions depend on observed context
    (the melody HMM's previous pitch) reuse the same recursion. Rows past a sequence's end keep
    alpha = 0 and log scale = 0.
    """
    steps, n_rows, n_states = b.shape
    # Written in place (out=) to avoid temporaries: this loop is most of the E-step's time.
    alpha = torch.empty((steps, n_rows, n_states), dtype=b.dtype, device=b.device)
    scale = torch.ones((steps, n_rows, 1), dtype=b.dtype, device=b.device)
    torch.mul(startprob, b[0], out=alpha[0])
    torch.sum(alpha[0], 1, keepdim=True, out=scale[0])
    alpha[0].div_(scale[0])
    for t in range(1, steps):
        n = packed.active[t]
        if n < n_rows:
            alpha[t, n:] = 0.0
        torch.mm(alpha[t - 1, :n], transmat, out=alpha[t, :n])
        alpha[t, :n].mul_(b[t, :n])
        torch.sum(alpha[t, :n], 1, keepdim=True, out=scale[t, :n])
        alpha[t, :n].div_(scale[t, :n])
    return alpha, scale.squeeze(2).log()


def log_likelihoods(
    startprob: torch.Tensor, transmat: torch.Tensor, emissionprob: torch.Tensor, packed: PackedSequences
) -> torch.Tensor:
    """log P(sequence) for each packed row, shape (N,)."""
    _, log_scale = scaled_forward(startprob, transmat, emission_columns(emissionprob, packed), packed)
    return log_scale.sum(0)


def expected_counts(
    startprob: torch.Tensor, transmat: torch.Tensor, emissionprob: torch.Tensor, packed: PackedSequences
) -> ExpectedCounts:
    """One E-step of Baum–Welch over all sequences at once.

    The same sums as `state_posteriors`, without its (T, N, K) tensors other than alpha: each step's
    emission column is gathered when it is needed (from a K x V table that stays in cache) and its
    posteriors go straight into the counts, so the backward pass works on data that is still in cache.
    On a CPU this is what bounds the E-step's time, more than the arithmetic.
    """
    steps, n_rows = packed.symbols.shape
    n_states = startprob.shape[0]
    table = emissionprob.T.contiguous()  # (V, K): row v is the emission column of symbol v
    symbols = packed.symbols

    def column(t: int, n: int) -> torch.Tensor:
        return table.index_select(0, symbols[t, :n])

    alpha = torch.empty((steps, n_rows, n_states), dtype=table.dtype, device=table.device)
    scale = torch.ones((steps, n_rows, 1), dtype=table.dtype, device=table.device)
    torch.mul(startprob, column(0, n_rows), out=alpha[0])
    torch.sum(alpha[0], 1, keepdim=True, out=scale[0])
    alpha[0].div_(scale[0])
    for t in range(1, steps):
        n = packed.active[t]
        torch.mm(alpha[t - 1, :n], transmat, out=alpha[t, :n])
        alpha[t, :n].mul_(column(t, n))
        torch.sum(alpha[t, :n], 1, keepdim=True, out=scale[t, :n])
        alpha[t, :n].div_(scale[t, :n])
    emissions = torch.zeros((table.shape[0], n_states), dtype=table.dtype, device=table.device)
    xi = torch.zeros((n_states, n_states), dtype=table.dtype, device=table.device)
    beta = torch.ones((n_rows, n_states), dtype=table.dtype, device=table.device)  # beta at the last step is 1
    transmat_t = transmat.T.contiguous()
    for t in range(steps - 1, 0, -1):
        n_next, n_here = packed.active[t], packed.active[t - 1]
        gamma = alpha[t, :n_next] * beta[:n_next]
        emissions.index_add_(0, symbols[t, :n_next], gamma)
        # weighted = b[t] * beta[t] / c[t]: the backward message entering step t
        weighted = column(t, n_next).mul_(beta[:n_next]).div_(scale[t, :n_next])
        xi.addmm_(alpha[t - 1, :n_next].T, weighted)
        if n_here > n_next:  # rows whose last step is t - 1 start their backward pass with beta = 1
            beta = torch.ones((n_here, n_states), dtype=table.dtype, device=table.device)
            torch.mm(weighted, transmat_t, out=beta[:n_next])
        else:
            beta = weighted @ transmat_t
    gamma = alpha[0] * beta
    emissions.index_add_(0, symbols[0], gamma)
    log_likelihood = float(scale.log().sum())
    return ExpectedCounts(start=gamma.sum(0), transitions=transmat * xi, emissions=emissions.T.contiguous(),
                          log_likelihood=log_likelihood)


@dataclass
class StatePosteriors:
    gamma: torch.Tensor  # (T, N, K): P(state at t = k | row n), zero on padding
    transitions: torch.Tensor  # (K, K): expected transition counts summed over rows and time
    log_likelihood: float


def state_posteriors(startprob: torch.Tensor, transmat: torch.Tensor, b: torch.Tensor, packed: PackedSequences
                     ) -> StatePosteriors:
    """Forward–backward given the emission columns b (T, N, K): state posteriors and transition counts."""
    alpha, log_scale = scaled_forward(startprob, transmat, b, packed)
    steps, n_rows, n_states = alpha.shape
    scale = log_scale.exp()[:, :, None]
    # weighted[t] = b[t] * beta[t] / c[t]: the backward message entering step t, zero on padding.
    # Where rows have ended, gamma = alpha (beta = 1); alpha is already zero on padding.
    weighted = torch.empty_like(alpha)
    weighted[0] = 0.0
    gamma = alpha.clone()
    beta = torch.ones((n_rows, n_states), dtype=alpha.dtype, device=alpha.device)
    for t in range(steps - 1, 0, -1):
        n_next = packed.active[t]
        if n_next < n_rows:
            weighted[t, n_next:] = 0.0
        torch.mul(b[t, :n_next], beta[:n_next], out=weighted[t, :n_next])
        weighted[t, :n_next].div_(scale[t, :n_next])
        n_here = packed.active[t - 1]
        if n_here > n_next:  # rows whose last step is t - 1 start their backward pass with beta = 1
            beta = torch.ones((n_here, n_states), dtype=alpha.dtype, device=alpha.device)
            torch.mm(weighted[t, :n_next], transmat.T, out=beta[:n_next])
        else:
            beta = weighted[t, :n_next] @ transmat.T
        gamma[t - 1, :n_next].mul_(beta[:n_next])
    transitions = transmat * (alpha[:-1].reshape(-1, n_states).T @ weighted[1:].reshape(-1, n_states))
    return StatePosteriors(gamma, transitions, float(log_scale.sum()))


def viterbi(
    startprob: torch.Tensor, transmat: torch.Tensor, emissionprob: torch.Tensor, packed: PackedSequences
) -> tuple[torch.Tensor, torch.Tensor]:
    """Most likely state path per packed row: (log-probabilities (N,), paths (N, T) padded with -1)."""
    log_a = transmat.log()
    log_b = emissionprob.log().T[packed.symbols]  # (T, N, K)
    steps, n_rows, n_states = log_b.shape
    delta = startprob.log() + log_b[0]
    backpointers = torch.zeros((steps, n_rows, n_states), dtype=torch.long, device=log_b.device)
    for t in range(1, steps):
        n = packed.active[t]
        best, argbest = (delta[:n, :, None] + log_a).max(dim=1)
        delta = delta.clone()
        delta[:n] = best + log_b[t, :n]
        backpointers[t, :n] = argbest
    log_prob, state = delta.max(dim=1)
    paths = torch.full((n_rows, steps), -1, dtype=torch.long, device=log_b.device)
    for t in range(steps - 1, 0, -1):
        n = packed.active[t]
        paths[:n, t] = state[:n]
        state = state.clone()
        state[:n] = backpointers[t, :n].gather(1, state[:n, None]).squeeze(1)
    paths[:, 0] = state
    return log_prob, paths
