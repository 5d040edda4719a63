"""Exact constrained sampling from the melody HMM: fill a span of bars precisely, never by rejection.

The hidden state is augmented with the time already filled. A backward pass over (state, tick)
computes beta(k, t) = P(the rest of the span can be completed under every constraint | the note
starting at tick t is emitted from state k): durations must land exactly on the span's end and never
cross a bar line, pitches must lie in the allowed set, the last note may have to be the tonic, and
(for infilling) the fixed notes after the span must follow. Sampling forwards with beta as a
look-ahead then draws from the model conditioned on the constraints, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.music import tokens

NEG_INF = -np.inf
GRID = 2  # ticks: gcd of all token durations


@dataclass
class Tables:
    """Log-probabilities of the melody HMM after temperature: start (K,), trans (K, K), emit (K, P, S, D)."""

    log_start: np.ndarray
    log_trans: np.ndarray
    log_emit: np.ndarray

    @classmethod
    def from_model(cls, start, trans, emit_kpv, temperature: float = 1.0) -> Tables:
        def tempered(p: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
            logp = np.log(np.maximum(p, 1e-300)) / temperature
            return logp - np.logaddexp.reduce(logp, axis=axes, keepdims=True)

        k, positions, _ = emit_kpv.shape
        emit = np.asarray(emit_kpv, dtype=np.float64).reshape(k, positions, tokens.N_PITCH_SYMBOLS,
                                                              len(tokens.DURATIONS))
        return cls(tempered(np.asarray(start, np.float64), (0,)), tempered(np.asarray(trans, np.float64), (1,)),
                   tempered(emit, (2, 3)))

    @property
    def n_states(self) -> int:
        return self.log_start.shape[0]


@dataclass(frozen=True)
class Event:
    """One note or rest of a melody in token space: onset in ticks, pitch symbol, duration index."""

    onset: int
    symbol: int
    duration: int

    @property
    def ticks(self) -> int:
        return tokens.DURATIONS[self.duration]

    @property
    def token(self) -> int:
        return tokens.token_of(self.symbol, self.duration)


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    top[~np.isfinite(top)] = 0.0
    with np.errstate(divide="ignore"):
        return np.log(np.exp(x - top).sum(axis=axis)) + top.squeeze(axis)


def emission_column(tables: Tables, event: Event, meter: tokens.Meter) -> np.ndarray:
    return tables.log_emit[:, meter.position_class(event.onset), event.symbol, event.duration]


def forward_filter(tables: Tables, events: list[Event], meter: tokens.Meter) -> np.ndarray:
    """log P(state of the note after `events` | events), shape (K,); the start distribution if empty."""
    log_alpha = None
    for event in events:
        prior = tables.log_start if log_alpha is None else _logsumexp(log_alpha[:, None] + tables.log_trans, 0)
        log_alpha = prior + emission_column(tables, event, meter)
        log_alpha -= _logsumexp(log_alpha, 0)
    if log_alpha is None:
        return tables.log_start.copy()
    return _logsumexp(log_alpha[:, None] + tables.log_trans, 0)


def suffix_exit(tables: Tables, events: list[Event], meter: tokens.Meter) -> np.ndarray:
    """exit(k) = log P(the fixed `events` follow | the note before them came from state k), shape (K,)."""
    log_beta = np.zeros(tables.n_states)
    for event in reversed(events):
        log_beta = _logsumexp(tables.log_trans + (emission_column(tables, event, meter) + log_beta)[None, :], 1)
    return log_beta if events else np.zeros(tables.n_states)


class InfeasibleRequest(ValueError):
    """No melody satisfies the constraints (e.g. a pitch range with no tonic when ending on the tonic)."""


class SpanSampler:
    """Samples the notes of ticks [start, end) given the constraints; build once, sample many times."""

    def __init__(self, tables: Tables, meter: tokens.Meter, start: int, end: int, pitch_allowed: np.ndarray,
                 final_tonic: bool, exit_log: np.ndarray | None = None, rests: bool = True,
                 opening: bool = True) -> None:
        if (end - start) % GRID or start % GRID or end <= start:
            raise InfeasibleRequest("the span to fill must be a positive whole number of sixteenth-note triplets")
        self.tables, self.meter, self.start, self.end = tables, meter, start, end
        self.exit_log = np.zeros(tables.n_states) if exit_log is None else exit_log
        self.opening = opening  # the span opens the melody: no rest first
        symbols = np.asarray(pitch_allowed, dtype=bool).copy()
        symbols[tokens.REST] = rests
        tonic = np.array([tokens.is_tonic_symbol(s) for s in range(tokens.N_PITCH_SYMBOLS)])
        self.inner_symbols = symbols
        self.final_symbols = symbols & tonic if final_tonic else symbols & (np.arange(len(symbols)) != tokens.REST)
        self.durations = np.array(tokens.DURATIONS)
        self._positions: dict[int, int] = {}
        self._inner_mass = self._masses(self.inner_symbols)  # (K, P, D) log mass of allowed pitches
        self._final_mass = self._masses(self.final_symbols)
        not_rest = np.arange(len(symbols)) != tokens.REST
        self.first_symbols = self.inner_symbols & not_rest if opening else self.inner_symbols
        self._first_mass = self._masses(self.first_symbols)
        self._backward()

    def _masses(self, allowed: np.ndarray) -> np.ndarray:
        if not allowed.any():
            return np.full(self.tables.log_emit[:, :, 0, :].shape, NEG_INF)
        return _logsumexp(self.tables.log_emit[:, :, allowed, :], 2)

    def _duration_ok(self, t: int) -> np.ndarray:
        """Which durations can start at tick t: inside the span and not across a bar line."""
        bar = self.meter.bar_ticks
        return (t + self.durations <= self.end) & ((t % bar) + self.durations <= bar)

    def _position(self, t: int) -> int:
        position = self._positions.get(t % self.meter.bar_ticks)
        if position is None:
            position = self._positions[t % self.meter.bar_ticks] = self.meter.position_class(t)
        return position

    def _step_terms(self, t: int, first: bool) -> np.ndarray:
        """log of [emit a duration d at t from state k and complete the span after it], shape (K, D)."""
        p = self._position(t)
        ok = self._duration_ok(t)
        inner = self._first_mass[:, p] if first else self._inner_mass[:, p]
        ends = t + self.durations
        terms = np.full(inner.shape, NEG_INF)
        middle = ok & (ends < self.end)
        terms[:, middle] = inner[:, middle] + self._log_g[(ends[middle] - self.start) // GRID].T
        closing = ok & (ends == self.end)
        terms[:, closing] = self._final_mass[:, p, closing] + self.exit_log[:, None]
        return terms

    def _backward(self) -> None:
        n = (self.end - self.start) // GRID
        k = self.tables.n_states
        self._log_beta = np.full((n, k), NEG_INF)
        self._log_g = np.full((n, k), NEG_INF)  # g(k, t) = log sum_j A[k, j] beta(j, t)
        self._terms = np.full((n, k, len(tokens.DURATIONS)), NEG_INF)  # kept for sampling
        trans = np.exp(self.tables.log_trans)
        with np.errstate(divide="ignore"):
            for i in range(n - 1, -1, -1):
                t = self.start + i * GRID
                self._terms[i] = self._step_terms(t, first=False)
                beta = _logsumexp(self._terms[i], 1)
                self._log_beta[i] = beta
                # g = log(A @ exp(beta)), a matrix-vector product with the maximum factored out.
                top = beta.max()
                if np.isfinite(top):
                    self._log_g[i] = np.log(trans @ np.exp(beta - top)) + top
        self._first_terms = self._step_terms(self.start, first=self.opening)
        self._log_beta_first = _logsumexp(self._first_terms, 1)

    def feasible(self, entry_log: np.ndarray) -> bool:
        return bool(np.isfinite(_logsumexp(entry_log + self._log_beta_first, 0)))

    def sample(self, entry_log: np.ndarray, rng: np.random.Generator) -> list[Event]:
        """Draw one span given log P(state of its first note) from whatever came before."""
        weights = entry_log + self._log_beta_first
        if not np.isfinite(_logsumexp(weights, 0)):
            raise InfeasibleRequest("no melody satisfies these constraints: widen the pitch range or change the length")
        state = _draw(weights, rng)
        t, first, events = self.start, True, []
        while True:
            terms = self._first_terms[state] if first else self._terms[(t - self.start) // GRID, state]
            d = _draw(terms, rng)
            end = t + tokens.DURATIONS[d]
            allowed = self.final_symbols if end == self.end else self.first_symbols if first else self.inner_symbols
            column = self.tables.log_emit[state, self._position(t), :, d]
            symbol = _draw(np.where(allowed, column, NEG_INF), rng)
            events.append(Event(t, int(symbol), int(d)))
            if end == self.end:
                return events
            i = (end - self.start) // GRID
            state = _draw(self.tables.log_trans[state] + self._log_beta[i], rng)
            t, first = end, False


def _draw(log_weights: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn with probability proportional to exp(log_weights), from one uniform number."""
    top = log_weights.max()
    if not np.isfinite(top):
        raise InfeasibleRequest("no continuation satisfies the constraints")
    cumulative = np.cumsum(np.exp(log_weights - top))
    index = int(cumulative.searchsorted(rng.random() * cumulative[-1], side="right"))
    return min(index, len(cumulative) - 1)
