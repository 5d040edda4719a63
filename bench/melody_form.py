"""Form, leap and rhythm measures of a set of melodies, for comparing generated tunes with held-out ones.

Each measure is one number per tune; a generated set is "within the held-out spread" for a measure when
its mean is less than one standard deviation of the held-out tunes' values from their mean (the 10th to
90th percentiles are reported too, but most tunes repeat no bar at some distances, which leaves them
no width). Notes are
(onset, duration, MIDI pitch) of the pitched notes, onset 0 at the first downbeat (a pickup is left out).

- self-similarity at distance d bars: the share of bars equal to the bar d bars earlier (exactly: same
  onsets, lengths and pitches; nearly: the same pitch sounding on at least 75% of the sixteenths);
- leaps: the share of intervals between consecutive notes that are repeats (0), steps (1-2 semitones),
  thirds (3-4), fourths and fifths (5-7), sixths to octaves (8-12) and wider (13+), and the widest;
- rhythm variety: how many different note lengths a tune uses, the entropy of its note lengths (bits),
  and the share of its bars whose rhythm is new (not the rhythm of an earlier bar).
"""

from __future__ import annotations

import numpy as np

DISTANCES = (1, 2, 4, 8)
LEAP_CLASSES = {
    "repeat": (0, 0),
    "step": (1, 2),
    "third": (3, 4),
    "fourth-fifth": (5, 7),
    "sixth-octave": (8, 12),
    "wider": (13, 127),
}
SIXTEENTH = 6  # ticks
NEAR = 0.75


def _bars(notes: list[tuple[int, int, int]], bar_ticks: int) -> list[tuple]:
    n_bars = max((o + d for o, d, _ in notes), default=0) // bar_ticks + 1
    bars: list[list] = [[] for _ in range(n_bars)]
    for onset, duration, pitch in notes:
        if onset >= 0:
            bars[onset // bar_ticks].append((onset % bar_ticks, duration, pitch))
    return [tuple(b) for b in bars]


def _grid(bar: tuple, bar_ticks: int) -> np.ndarray:
    """The pitch sounding at each sixteenth of a bar (-1: silence)."""
    grid = np.full(max(1, bar_ticks // SIXTEENTH), -1)
    for onset, duration, pitch in bar:
        grid[onset // SIXTEENTH : (onset + duration + SIXTEENTH - 1) // SIXTEENTH] = pitch
    return grid


def tune_measures(notes: list[tuple[int, int, int]], bar_ticks: int) -> dict[str, float]:
    bars = _bars(notes, bar_ticks)
    grids = [_grid(b, bar_ticks) for b in bars]
    out: dict[str, float] = {}
    for d in DISTANCES:
        pairs = [(i, i + d) for i in range(len(bars) - d) if bars[i] and bars[i + d]]
        exact = [bars[i] == bars[j] for i, j in pairs]
        near = [np.mean(grids[i] == grids[j]) >= NEAR for i, j in pairs]
        out[f"bars repeated exactly at distance {d}"] = float(np.mean(exact)) if pairs else 0.0
        out[f"bars repeated nearly at distance {d}"] = float(np.mean(near)) if pairs else 0.0
    pitches = np.array([p for _, _, p in notes])
    intervals = np.abs(np.diff(pitches))
    for name, (low, high) in LEAP_CLASSES.items():
        out[f"leaps: {name}"] = float(np.mean((intervals >= low) & (intervals <= high))) if len(intervals) else 0.0
    out["widest leap"] = float(intervals.max()) if len(intervals) else 0.0
    durations = np.array([d for _, d, _ in notes])
    _, counts = np.unique(durations, return_counts=True)
    shares = counts / counts.sum()
    out["note lengths used"] = float(len(counts))
    out["note-length entropy (bits)"] = float(-(shares * np.log2(shares)).sum())
    rhythms = [tuple((o, d) for o, d, _ in b) for b in bars if b]
    out["bars with a new rhythm"] = len(set(rhythms)) / max(len(rhythms), 1)
    return out


def compare(held_out: list[dict[str, float]], generated: list[dict[str, float]]) -> dict[str, dict]:
    """Per measure: held-out mean, standard deviation and 10th-90th percentiles, the generated mean, and whether
    it lies within one held-out standard deviation of the held-out mean."""
    out = {}
    for name in held_out[0]:
        real = np.array([m[name] for m in held_out])
        made = np.array([m[name] for m in generated])
        low, high = np.quantile(real, [0.1, 0.9])
        out[name] = {
            "held_out_mean": round(float(real.mean()), 4),
            "held_out_sd": round(float(real.std()), 4),
            "held_out_p10_p90": [round(float(low), 4), round(float(high), 4)],
            "generated_mean": round(float(made.mean()), 4),
            "within_spread": bool(abs(made.mean() - real.mean()) <= real.std() + 1e-9),
        }
    return out
