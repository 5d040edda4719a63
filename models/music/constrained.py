"""Exact constrained sampling from the melody HMM: fill a span of bars precisely, never by rejection.

A note at tick t is emitted from hidden state k after a note of pitch p, so the backward pass runs over
(tick, state, previous pitch): beta(t, k, p) = P(the rest of the span can be completed under every
constraint | the note starting at tick t comes from state k and follows pitch p). Durations must land
exactly on the span's end and never cross a bar line, pitches must lie in the allowed set, the last
note may have to be the tonic, and (for infilling) the fixed notes after the span must follow.
Sampling forwards with beta as a look-ahead then draws from the model conditioned on the
constraints, exactly.

Only the pitches the request allows take part, so the previous-pitch dimension is the size of the
requested range (about 50 symbols for two octaves), not the whole vocabulary. beta is kept in
probability space with one log scale factor per tick, so long spans never underflow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.music import tokens

NEG_INF = -np.inf
GRID = 2  # ticks: gcd of all token durations
ON_BEATS = [0, 1]  # the position classes of the downbeat and the other beats (tokens.Meter.position_class)


@dataclass
class Tables:
    """Log-probabilities of the melody HMM after temperature.

    start (K,), trans (K, K), pitch (K, previous pitch incl. NO_PREVIOUS, pitch), duration (K, position, D).
    `usable` marks the pitch symbols the style may write and `log_pair` (previous pitch, pitch) is 0 for
    the pitch pairs it may write and -inf for the others (leaps wider than the style's): every sampler
    keeps to both. Fixed notes (a motif) are scored without them.
    """

    log_start: np.ndarray
    log_trans: np.ndarray
    log_pitch: np.ndarray
    log_duration: np.ndarray
    usable: np.ndarray
    log_pair: np.ndarray
    longer: float = 0.0  # from_model's; the samplers lean a compound metre's lengths by it as well (SpanSampler)

    @classmethod
    def from_model(cls, start, trans, pitch, duration, temperature: float = 1.0,
                   usable: np.ndarray | None = None, pairs: np.ndarray | None = None,
                   longer: float = 0.0, pair_weights: np.ndarray | None = None) -> Tables:
        """`longer` > 0 tilts the lengths of the notes starting on a beat away from the ones shorter than a quarter:
        each length's probability times (its ticks, at most a quarter's) ** longer, renormalized, so a quarter and a
        half note keep their odds (tilting towards ever longer ones filled bars with whole notes). Notes between the
        beats keep the style's lengths (a long one there is a syncopation). `pair_weights` (previous pitch, pitch)
        multiply the pitch probabilities of the pairs `pairs` allows (StyleFacts.pair_weights)."""
        def tempered(p) -> np.ndarray:
            logp = np.log(np.maximum(np.asarray(p, dtype=np.float64), 1e-300)) / temperature
            return logp - np.logaddexp.reduce(logp, axis=-1, keepdims=True)

        usable = np.ones(tokens.N_PITCH_SYMBOLS, dtype=bool) if usable is None else np.asarray(usable, dtype=bool)
        pairs = np.ones((tokens.N_PITCH_SYMBOLS + 1, tokens.N_PITCH_SYMBOLS), dtype=bool) if pairs is None else pairs
        log_pair = np.where(pairs, 0.0 if pair_weights is None else np.log(pair_weights), NEG_INF)
        log_duration = tempered(duration)
        if longer:
            log_duration[:, ON_BEATS] += longer * np.log(np.minimum(tokens.DURATIONS, tokens.TICKS_PER_QUARTER))
            log_duration -= np.logaddexp.reduce(log_duration, axis=-1, keepdims=True)
        return cls(tempered(start), tempered(trans), tempered(pitch), log_duration, usable, log_pair, longer)

    @property
    def n_states(self) -> int:
        return self.log_start.shape[0]

    def note_column(self, event: Event, previous: int, meter: tokens.Meter) -> np.ndarray:
        """log P(event | state k, previous pitch) for every state, shape (K,)."""
        return (self.log_pitch[:, previous, event.symbol]
                + self.log_duration[:, meter.position_class(event.onset), event.duration])


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


@dataclass(frozen=True)
class Entry:
    """What a span starts from: log P(state of its first note | earlier notes), and the previous pitch."""

    log_state: np.ndarray
    previous: int = tokens.NO_PREVIOUS


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    top[~np.isfinite(top)] = 0.0
    with np.errstate(divide="ignore"):
        return np.log(np.exp(x - top).sum(axis=axis)) + top.squeeze(axis)


class ForwardFilter:
    """The state distribution after a growing list of events: each call reads only the events added since
    the last one (a melody written section by section is filtered once, not once per section)."""

    def __init__(self, tables: Tables, meter: tokens.Meter) -> None:
        self.tables, self.meter = tables, meter
        self.log_alpha: np.ndarray | None = None
        self.previous, self.count = tokens.NO_PREVIOUS, 0

    def entry(self, events: list[Event]) -> Entry:
        """The state distribution of the note after `events` (which must extend the events seen before)."""
        tables = self.tables
        for event in events[self.count :]:
            prior = tables.log_start if self.log_alpha is None else _logsumexp(self.log_alpha[:, None] + tables.log_trans, 0)
            log_alpha = prior + tables.note_column(event, self.previous, self.meter)
            self.log_alpha = log_alpha - _logsumexp(log_alpha, 0)
            self.previous = event.symbol
        self.count = len(events)
        if self.log_alpha is None:
            return Entry(tables.log_start.copy())
        return Entry(_logsumexp(self.log_alpha[:, None] + tables.log_trans, 0), self.previous)


def forward_filter(tables: Tables, events: list[Event], meter: tokens.Meter) -> Entry:
    """The state distribution of the note after `events`, given them; the start distribution if empty."""
    return ForwardFilter(tables, meter).entry(events)


def suffix_exit(tables: Tables, events: list[Event], meter: tokens.Meter) -> np.ndarray:
    """exit(k, p) = log P(the fixed `events` follow | the note before them came from state k, pitch p), (K, S)."""
    n_symbols = tokens.N_PITCH_SYMBOLS
    if not events:
        return np.zeros((tables.n_states, n_symbols))
    # Backward over the fixed notes after the first: their previous pitches are known.
    log_beta = np.zeros(tables.n_states)
    for before, event in zip(reversed(events[:-1]), reversed(events[1:]), strict=True):
        log_beta = _logsumexp(tables.log_trans + (tables.note_column(event, before.symbol, meter) + log_beta)[None],
                              1)
    first = events[0]
    position = meter.position_class(first.onset)
    # (K_next, p): the first fixed note from state j after pitch p, then everything after it.
    first_from = (tables.log_pitch[:, :n_symbols, first.symbol] + tables.log_pair[None, :n_symbols, first.symbol]
                  + tables.log_duration[:, position, first.duration, None] + log_beta[:, None])
    return _logsumexp(tables.log_trans[:, :, None] + first_from[None], 1)


class InfeasibleRequest(ValueError):
    """No melody satisfies the constraints (e.g. a pitch range with no tonic when ending on the tonic)."""


def _scaled(log_values: np.ndarray) -> tuple[np.ndarray, float]:
    top = float(log_values.max())
    if not np.isfinite(top):
        return np.zeros_like(log_values), NEG_INF
    return np.exp(log_values - top), top


class SpanSampler:
    """Samples the notes of ticks [start, end) given the constraints; build once, sample many times."""

    def __init__(self, tables: Tables, meter: tokens.Meter, start: int, end: int, pitch_allowed: np.ndarray,
                 final_tonic: bool, exit_log: np.ndarray | None = None, rests: bool = True,
                 opening: bool = True, dtype: type = np.float32, cadence: tuple[np.ndarray, int] | None = None,
                 closing: bool = False, first_shares: np.ndarray | None = None) -> None:
        """`cadence` = (pitch symbols the span's last note may have, the shortest it may last in ticks); `closing`:
        the span ends the tune, so its last note starts where a tune closes (`Meter.closing_onsets`);
        `first_shares`: per pitch symbol, the share of the style's tunes whose first downbeat has its degree (0: none
        may); an opening span's first note is drawn with its degree at that share (`StyleFacts.opening`)."""
        if (end - start) % GRID or start % GRID or end <= start:
            raise InfeasibleRequest("the span to fill must be a positive whole number of sixteenth-note triplets")
        self.tables, self.meter, self.start, self.end = tables, meter, start, end
        symbols = np.asarray(pitch_allowed, dtype=bool) & tables.usable
        symbols[tokens.REST] = rests
        tonic = np.array([tokens.is_tonic_symbol(s) for s in range(tokens.N_PITCH_SYMBOLS)])
        final = symbols & tonic if final_tonic else symbols & (np.arange(len(symbols)) != tokens.REST)
        if cadence is not None:
            final &= cadence[0]
        self.final_min_ticks = cadence[1] if cadence is not None else 0
        self.closing_onsets = meter.closing_onsets() if closing else None
        # The span's pitches: previous and next pitch of every inner note range over these M symbols.
        self.pitches = np.flatnonzero(symbols)
        self.final_mask = final[self.pitches].astype(float)
        first = symbols.copy()
        if opening:
            first[tokens.REST] = False
            if first_shares is not None:
                first &= first_shares > 0
        self.first_mask = first[self.pitches].astype(float)
        # The first note's degree (index into the span's pitches -> a group per degree) and the degree's share.
        self.first_groups: list[tuple[np.ndarray, float]] = []
        if opening and first_shares is not None:
            degree = (self.pitches // len(tokens.ALTERATIONS)) % 7 * len(tokens.ALTERATIONS) + self.pitches % len(
                tokens.ALTERATIONS)
            shares = np.asarray(first_shares, dtype=float)[self.pitches]
            self.first_groups = [(np.flatnonzero((degree == d) & (shares > 0)), float(shares[degree == d].max()))
                                 for d in np.unique(degree[shares > 0])]
        # float32 halves the time of the backward pass (two matrix products per tick); look-ahead values
        # below 1e-30 of a tick's largest are set to zero, which keeps float32 out of its slow subnormals.
        self.dtype = dtype
        self.log_pitch = (tables.log_pitch[:, self.pitches][:, :, self.pitches]  # (K, M, M), for sampling
                          + tables.log_pair[self.pitches][:, self.pitches][None])
        self.pitch: np.ndarray = np.ascontiguousarray(np.exp(self.log_pitch), dtype=dtype)  # the batched products need C order
        self.duration = np.exp(tables.log_duration).astype(dtype)  # (K, P, D)
        self.trans = np.exp(tables.log_trans).astype(dtype)
        exit_full = np.zeros((tables.n_states, tokens.N_PITCH_SYMBOLS)) if exit_log is None else exit_log
        exit_scaled, self.exit_log_scale = _scaled(exit_full[:, self.pitches])
        self.exit = (exit_scaled * self.final_mask).astype(dtype)  # (K, M): end the span on pitch p from state k
        self._positions: dict[int, int] = {}
        self._shapes: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._backward()

    def _position(self, t: int) -> int:
        position = self._positions.get(t % self.meter.bar_ticks)
        if position is None:
            position = self._positions[t % self.meter.bar_ticks] = self.meter.position_class(t)
        return position

    def _note_shapes(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The durations a note starting at tick t may have (inside the span, not across a bar line), how
        many grid steps each lasts and its `_compound_lean`. The answer repeats bar after bar, so it is computed
        once per place."""
        bar = self.meter.bar_ticks
        key = (t % bar, min(self.end - t, bar))
        shapes = self._shapes.get(key)
        if shapes is None:
            fits = [d for d, ticks in enumerate(tokens.DURATIONS) if ticks <= key[1] and key[0] + ticks <= bar]
            ticks = np.array([tokens.DURATIONS[d] for d in fits], dtype=int)
            shapes = self._shapes[key] = (np.array(fits, dtype=int), ticks // GRID, self._compound_lean(t, ticks))
        return shapes

    def _compound_lean(self, t: int, ticks: np.ndarray) -> np.ndarray:
        """log-weights for the lengths (ticks) of a note starting at tick t, in compound time with `longer`: the
        quarter that ends on the next beat from the eighth after a beat times 2 ** longer, as the quarter on a
        beat against its eighth (Tables.from_model), and on a beat a length of whole beats (the dotted quarter)
        times 1.5 ** longer against the quarter, where from_model's tilt stops. The position classes cannot
        tell the eighth after a beat from the one before the next, so it is done here, where the tick is known;
        a weight that is the same for every state leaves the states' posterior as it was. Without it a jig at
        note_length 3 kept its eighths: 1.52 notes a quarter against 1.62 at 0 (a reel's 1.64 -> 1.39)."""
        beat = self.meter.beat_ticks
        if not self.tables.longer or not self.meter.compound:
            return np.zeros(len(ticks))
        eighth = beat // 3
        if t % beat == eighth:
            return self.tables.longer * np.log(2.0) * (ticks == beat - eighth)
        if t % beat == 0:
            return self.tables.longer * np.log(1.5) * (ticks % beat == 0)
        return np.zeros(len(ticks))

    def _next_notes(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """For a note starting at grid step i: the durations it may have (inside the span, not across a bar
        line, completable), the grid step each one ends on, their relative weights and the common log scale.

        Step n, the span's end, holds the exit values, so a closing note needs no special case.
        """
        durations, lengths, lean = self._note_shapes(self.start + i * GRID)
        steps = i + lengths
        if self.final_min_ticks:  # a cadence: the span's last note lasts at least this long
            long_enough = (steps < len(self._log_scale) - 1) | (lengths * GRID >= self.final_min_ticks)
            durations, lengths, steps, lean = (durations[long_enough], lengths[long_enough], steps[long_enough],
                                               lean[long_enough])
        if self.closing_onsets is not None and (self.start + i * GRID) % self.meter.bar_ticks not in self.closing_onsets:
            inner = steps < len(self._log_scale) - 1  # no closing note from here
            durations, lengths, steps, lean = durations[inner], lengths[inner], steps[inner], lean[inner]
        logs = self._log_scale[steps] + lean  # the lean weighs each path through the note, forwards and backwards
        completable = logs > NEG_INF
        if not completable.any():
            return durations[:0], steps[:0], logs[:0], NEG_INF
        if not completable.all():
            durations, steps, logs = durations[completable], steps[completable], logs[completable]
        top = float(logs.max())
        weights = np.exp(logs - top)
        weights[weights < 1e-30] = 0.0  # as in the backward pass: float32 must not meet subnormals
        return durations, steps, weights, top

    def _backward(self) -> None:
        n = (self.end - self.start) // GRID
        k, m = self.tables.n_states, len(self.pitches)
        self._beta: np.ndarray = np.zeros((n + 1, k, m), dtype=self.dtype)  # beta(step, k, previous pitch), scaled per step
        # g(step, k, p) = sum_j A[k, j] beta(step, j, p): a note of pitch p from state k ends at that step.
        self._g: np.ndarray = np.zeros((n + 1, k, m), dtype=self.dtype)
        self._g[n] = self.exit
        self._log_scale = np.full(n + 1, NEG_INF)
        self._log_scale[n] = self.exit_log_scale
        self._next: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, float]] = {}  # kept for sampling
        # A note lasts at least `shortest` steps, so the steps of a block that long depend only on steps
        # after the block: their pitch sums go through one matrix product instead of one each.
        shortest = min(tokens.DURATIONS) // GRID
        for last in range(n - 1, 0, -shortest):
            block = range(last, max(last - shortest, 0), -1)
            live, h, logs = [], [], []
            for i in block:
                durations, steps, weights, log = self._next[i] = self._next_notes(i)
                if len(durations):
                    # h(k, p) = sum_d P(d | k, position) g(end of d, k, p)
                    duration = self.duration[:, self._position(self.start + i * GRID), durations]
                    h.append(np.einsum("kd,dkp->kp", duration * weights.astype(self.dtype), self._g[steps]))
                    live.append(i)
                    logs.append(log)
            if not live:
                continue
            # beta(k, q) = sum_p P(p | k, q) h(k, p), for every step of the block at once
            betas = np.matmul(self.pitch, np.stack(h, axis=2))
            for column, (i, log) in enumerate(zip(live, logs, strict=True)):
                beta = betas[:, :, column]
                top = beta.max()
                if top <= 0.0:
                    continue
                beta = beta / top
                beta[beta < 1e-30] = 0.0
                self._beta[i] = beta
                np.matmul(self.trans, beta, out=self._g[i])
                self._log_scale[i] = log + np.log(top)
        self._next[0] = self._next_notes(0)

    def _first_weights(self, entry: Entry) -> tuple[np.ndarray, np.ndarray]:
        """log P(first note from state k with the d-th possible duration and pitch p, and the span completes),
        (K, d, M), and the possible durations."""
        durations, steps, weights, log = self._next[0]
        with np.errstate(divide="ignore"):
            pitch = (self.tables.log_pitch[:, entry.previous, self.pitches] + np.log(self.first_mask)
                     + self.tables.log_pair[entry.previous, self.pitches])
            duration = self.tables.log_duration[:, self._position(self.start), durations]
            after = np.log(self._g[steps].transpose(1, 0, 2) * weights[None, :, None]) + log
            return entry.log_state[:, None, None] + duration[:, :, None] + pitch[:, None, :] + after, durations

    def log_probability(self, entry: Entry) -> float:
        """log P(the model's notes from `entry` on fill the span under every constraint)."""
        weights, _ = self._first_weights(entry)
        return float(_logsumexp(weights.reshape(-1), 0)) if weights.size else NEG_INF

    def feasible(self, entry: Entry) -> bool:
        return bool(np.isfinite(self.log_probability(entry)))

    def _at_opening_shares(self, weights: np.ndarray) -> np.ndarray:
        """The first note's weights (K, d, M) rescaled so that each opening degree comes at its share of the style's
        tunes (among the degrees the span can start on): the start distribution learned the tunes' first notes,
        mostly upbeats, and gave the fifth 70% of the fiddle's first downbeats (26% in its tunes)."""
        by_pitch = _logsumexp(weights.reshape(-1, weights.shape[2]), 0)
        out = np.full_like(weights, NEG_INF)
        for members, share in self.first_groups:
            total = float(_logsumexp(by_pitch[members], 0)) if len(members) else NEG_INF
            if np.isfinite(total):
                out[:, :, members] = weights[:, :, members] - total + np.log(share)
        return out

    def sample(self, entry: Entry, rng: np.random.Generator) -> list[Event]:
        """Draw one span given the state distribution and previous pitch that whatever came before left."""
        weights, durations = self._first_weights(entry)
        if self.first_groups and weights.size:
            weights = self._at_opening_shares(weights)
        if not weights.size or not np.isfinite(weights.max()):
            raise InfeasibleRequest("no melody satisfies these constraints: widen the pitch range or change the length")
        state, choice, p = (int(i) for i in np.unravel_index(_draw(weights.reshape(-1), rng), weights.shape))
        d, t, events = durations[choice], self.start, []
        with np.errstate(divide="ignore"):
            while True:
                events.append(Event(t, int(self.pitches[p]), int(d)))
                t += tokens.DURATIONS[d]
                if t == self.end:
                    return events
                i = (t - self.start) // GRID
                state = _draw(self.tables.log_trans[state] + np.log(self._beta[i][:, p]), rng)
                durations, steps, weights, _ = self._next[i]
                joint = (self.tables.log_duration[state, self._position(t), durations][:, None]
                         + np.log(self._g[steps, state] * weights[:, None]) + self.log_pitch[state, p][None, :])
                choice, p = (int(i) for i in np.unravel_index(_draw(joint.reshape(-1), rng), joint.shape))
                d = durations[choice]


def _draw(log_weights: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn with probability proportional to exp(log_weights), from one uniform number."""
    top = log_weights.max()
    if not np.isfinite(top):
        raise InfeasibleRequest("no continuation satisfies the constraints")
    cumulative = np.cumsum(np.exp(log_weights - top))
    index = int(cumulative.searchsorted(rng.random() * cumulative[-1], side="right"))
    return min(index, len(cumulative) - 1)
