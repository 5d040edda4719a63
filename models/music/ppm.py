"""Prediction by Partial Match (PPM) over a small alphabet: the literature's baseline for melodic pitch.

A PPM model counts, for every context of up to `order` previous symbols, which symbol came next. To
predict, it starts at the longest context it has seen and blends towards shorter ones, down to a
uniform distribution over the alphabet. Escape method C (Moffat 1990) gives the longer context's
counts the weight total / (total + distinct symbols) and passes the rest down. Two ways to pass it
down, as Pearce & Wiggins (2004) compare for melodies:

- backoff with exclusion: a symbol already predicted by a longer context is left out of the shorter
  ones (classic PPM-C);
- interpolated: every order adds its share for every symbol, no exclusion.

The same class serves as the long-term model (fitted on a corpus) and as the short-term model (empty,
updated note by note as a melody is read, so it learns that melody's own repetitions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np


class PPM:
    def __init__(self, alphabet_size: int, order: int, interpolated: bool = True) -> None:
        if order < 0:
            raise ValueError("the order bound must be 0 or more")
        self.size, self.order, self.interpolated = alphabet_size, order, interpolated
        # counts[n][context of n symbols] = {next symbol: count}
        self.counts: list[dict[tuple[int, ...], dict[int, int]]] = [defaultdict(dict) for _ in range(order + 1)]

    def update(self, history: Sequence[int], symbol: int) -> None:
        """Count `symbol` after every context the end of `history` offers, orders 0..order."""
        for n in range(min(self.order, len(history)) + 1):
            context = tuple(history[len(history) - n :])
            table = self.counts[n][context]
            table[symbol] = table.get(symbol, 0) + 1

    def fit(self, sequences: Sequence[Sequence[int]]) -> PPM:
        for sequence in sequences:
            for i, symbol in enumerate(sequence):
                self.update(sequence[max(0, i - self.order) : i], symbol)
        return self

    def distribution(self, history: Sequence[int]) -> np.ndarray:
        """P(next symbol | history) over the whole alphabet; sums to one."""
        seen = []  # (symbols, counts) for each order whose context was seen, longest first
        for n in range(min(self.order, len(history)), -1, -1):
            table = self.counts[n].get(tuple(history[len(history) - n :]))
            if table:
                seen.append((np.fromiter(table.keys(), int), np.fromiter(table.values(), float)))
        if self.interpolated:
            p = np.full(self.size, 1.0 / self.size)
            for symbols, counts in reversed(seen):  # shortest context first
                total, types = counts.sum(), len(counts)
                p *= types / (total + types)
                p[symbols] += counts / (total + types)
            return p
        p, mass = np.zeros(self.size), 1.0
        excluded = np.zeros(self.size, dtype=bool)
        for symbols, counts in seen:
            keep = ~excluded[symbols]
            if not keep.any():
                continue
            symbols, counts = symbols[keep], counts[keep]
            total, types = counts.sum(), len(counts)
            p[symbols] += mass * counts / (total + types)
            mass *= types / (total + types)
            excluded[symbols] = True
        if (~excluded).any():
            p[~excluded] += mass / (~excluded).sum()
        return p / p.sum()
