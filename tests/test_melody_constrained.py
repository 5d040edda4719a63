"""Constrained sampling is exact: it draws from the HMM conditioned on the constraints, on a tiny model."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest

from models.music import tokens
from models.music.constrained import (
    Entry,
    Event,
    InfeasibleRequest,
    SpanSampler,
    Tables,
    _logsumexp,
    forward_filter,
    suffix_exit,
)

METER = tokens.Meter(2, 4)  # 48 ticks a bar


def tiny_tables(seed: int = 0, k: int = 3, longer: float = 0.0) -> Tables:
    rng = np.random.default_rng(seed)
    start = rng.dirichlet(np.ones(k))
    trans = rng.dirichlet(np.ones(k), size=k)
    pitch = rng.dirichlet(np.full(tokens.N_PITCH_SYMBOLS, 0.3), size=(k, tokens.N_PITCH_SYMBOLS + 1))
    duration = rng.dirichlet(np.ones(len(tokens.DURATIONS)), size=(k, tokens.N_POSITION_CLASSES))
    return Tables.from_model(start, trans, pitch, duration, longer=longer)


def log_prob(tables: Tables, events: list[Event], meter: tokens.Meter = METER) -> float:
    """log P(the HMM's first notes are `events`) by the forward recursion, written out plainly."""
    log_alpha, previous = None, tokens.NO_PREVIOUS
    for e in events:
        prior = tables.log_start if log_alpha is None else _logsumexp(log_alpha[:, None] + tables.log_trans, 0)
        position = meter.position_class(e.onset)
        log_alpha = prior + tables.log_pitch[:, previous, e.symbol] + tables.log_duration[:, position, e.duration]
        previous = e.symbol
    return float(_logsumexp(log_alpha, 0))


def all_fillings(start: int, end: int, symbols: list[int], final: set[int],
                 meter: tokens.Meter = METER) -> list[list[Event]]:
    """Every sequence of allowed notes that fills [start, end) exactly without crossing a bar line."""
    out = []

    def extend(t: int, prefix: list[Event]) -> None:
        for d, ticks in enumerate(tokens.DURATIONS):
            stop = t + ticks
            if stop > end or (t % meter.bar_ticks) + ticks > meter.bar_ticks:
                continue
            for s in symbols:
                if stop == end and s not in final:
                    continue
                if not prefix and s == tokens.REST:
                    continue
                event = Event(t, s, d)
                if stop == end:
                    out.append([*prefix, event])
                else:
                    extend(stop, [*prefix, event])

    extend(start, [])
    return out


def allowed_mask(symbols: list[int]) -> np.ndarray:
    mask = np.zeros(tokens.N_PITCH_SYMBOLS, dtype=bool)
    mask[[s for s in symbols if s != tokens.REST]] = True
    return mask


TONIC = tokens.pitch_to_symbol(60, 0, "major")[0]
SECOND = tokens.pitch_to_symbol(62, 0, "major")[0]


def test_the_probability_of_meeting_the_constraints_equals_brute_force_enumeration():
    tables = tiny_tables()
    symbols = [TONIC, SECOND, tokens.REST]
    sampler = SpanSampler(tables, METER, 0, 36, allowed_mask(symbols), final_tonic=True, rests=True, dtype=np.float64)
    fillings = all_fillings(0, 36, symbols, final={TONIC})
    assert len(fillings) > 100
    brute = np.logaddexp.reduce([log_prob(tables, f) for f in fillings])
    assert sampler.log_probability(Entry(tables.log_start)) == pytest.approx(brute, abs=1e-9)


def test_samples_follow_the_exact_conditional_distribution():
    tables = tiny_tables(seed=1)
    symbols = [TONIC, SECOND]
    sampler = SpanSampler(tables, METER, 0, 24, allowed_mask(symbols), final_tonic=True, rests=False)
    fillings = all_fillings(0, 24, symbols, final={TONIC})
    exact = np.exp([log_prob(tables, f) for f in fillings])
    exact /= exact.sum()
    rng = np.random.default_rng(0)
    n = 4000
    counts = Counter(tuple(sampler.sample(Entry(tables.log_start), rng)) for _ in range(n))
    assert set(counts) <= {tuple(f) for f in fillings}
    empirical = np.array([counts[tuple(f)] / n for f in fillings])
    assert 0.5 * np.abs(empirical - exact).sum() < 0.05  # total variation distance


def test_a_jigs_longer_notes_lean_exactly():
    # In 6/8 the sampler leans, besides the tables' tilt, the quarter from the eighth after a beat by 2 ** longer and
    # a whole beat on a beat by 1.5 ** longer: the span's probability is the leaned sum over every filling.
    meter, longer = tokens.Meter(6, 8), 2.0
    tables = tiny_tables(seed=3, longer=longer)
    symbols = [TONIC, SECOND]

    def lean(event: Event) -> float:
        ticks, place = tokens.DURATIONS[event.duration], event.onset % 36
        return longer * (np.log(2.0) * (place == 12 and ticks == 24) + np.log(1.5) * (place == 0 and ticks % 36 == 0))

    sampler = SpanSampler(tables, meter, 0, 36, allowed_mask(symbols), final_tonic=True, rests=False,
                          dtype=np.float64)
    fillings = all_fillings(0, 36, symbols, final={TONIC}, meter=meter)
    assert len(fillings) > 100
    brute = np.logaddexp.reduce([log_prob(tables, f, meter) + sum(lean(e) for e in f) for f in fillings])
    assert sampler.log_probability(Entry(tables.log_start)) == pytest.approx(brute, abs=1e-9)


def test_infilling_conditions_on_the_notes_after_the_gap():
    tables = tiny_tables(seed=2)
    symbols = [TONIC, SECOND]
    prefix = [Event(0, SECOND, tokens.DURATIONS.index(24))]
    suffix = [Event(48, TONIC, tokens.DURATIONS.index(24)), Event(72, SECOND, tokens.DURATIONS.index(24))]
    entry = forward_filter(tables, prefix, METER)
    exit_log = suffix_exit(tables, suffix, METER)
    sampler = SpanSampler(tables, METER, 24, 48, allowed_mask(symbols), final_tonic=False, exit_log=exit_log,
                          rests=False, opening=False, dtype=np.float64)
    fillings = all_fillings(24, 48, symbols, final=set(symbols))
    whole = [log_prob(tables, prefix + f + suffix) for f in fillings]
    brute = np.logaddexp.reduce(whole) - log_prob(tables, prefix)
    assert sampler.log_probability(entry) == pytest.approx(brute, abs=1e-9)


def test_an_impossible_request_is_refused_with_a_reason():
    tables = tiny_tables()
    mask = allowed_mask([SECOND])  # no tonic allowed, but the melody must end on it
    sampler = SpanSampler(tables, METER, 0, 48, mask, final_tonic=True)
    assert not sampler.feasible(Entry(tables.log_start))
    with pytest.raises(InfeasibleRequest):
        sampler.sample(Entry(tables.log_start), np.random.default_rng(0))


def test_every_sample_fills_the_bars_exactly_and_never_crosses_a_bar_line():
    tables = tiny_tables(seed=3)
    for meter in (tokens.Meter(3, 4), tokens.Meter(6, 8), tokens.Meter(4, 4)):
        end = 3 * meter.bar_ticks
        sampler = SpanSampler(tables, meter, 0, end, np.ones(tokens.N_PITCH_SYMBOLS, bool), final_tonic=True)
        rng = np.random.default_rng(5)
        for _ in range(20):
            events = sampler.sample(Entry(tables.log_start), rng)
            assert sum(e.ticks for e in events) == end
            assert all(a.onset + a.ticks == b.onset for a, b in itertools.pairwise(events))
            assert all(e.onset // meter.bar_ticks == (e.onset + e.ticks - 1) // meter.bar_ticks for e in events)
            assert tokens.is_tonic_symbol(events[-1].symbol) and events[0].symbol != tokens.REST


def test_the_float32_look_ahead_agrees_with_float64_on_a_shipped_style():
    from models.music.generate import _tables, pitch_mask, style_path

    path = style_path("scottish")
    tables = _tables(str(path), path.stat().st_mtime, 1.0, "major")
    meter = tokens.Meter(4, 4)
    allowed = pitch_mask(2, "major", (55, 86))
    entry = Entry(tables.log_start)
    fast, exact = (SpanSampler(tables, meter, 0, 8 * meter.bar_ticks, allowed, final_tonic=True, dtype=dtype)
                   for dtype in (np.float32, np.float64))
    assert fast.log_probability(entry) == pytest.approx(exact.log_probability(entry), rel=1e-5)
