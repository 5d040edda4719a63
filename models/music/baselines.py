"""Baselines for held-out melody likelihood: an interpolated Markov chain of order 1 or 2 on the same tokens.

P(x | a, b) = l2 * ML(x | a, b) + l1 * ML(x | b) + l0 * U(x), where U is the add-0.1 unigram and the
weights are chosen on the validation split, so the baseline is as strong as it fairly can be.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

BOS = -1  # the "before the first note" history symbol


class MarkovChain:
    def __init__(self, order: int, vocab_size: int) -> None:
        if order not in (1, 2):
            raise ValueError("order must be 1 or 2")
        self.order, self.vocab_size = order, vocab_size
        self.unigram = np.full(vocab_size, 0.1)
        self.counts: list[dict[tuple[int, ...], Counter]] = [defaultdict(Counter) for _ in range(order + 1)]
        self.weights = (1.0,) + (0.0,) * order

    def fit(self, sequences: Sequence[Sequence[int] | np.ndarray], valid: Sequence[Sequence[int] | np.ndarray] | None = None) -> MarkovChain:
        for seq in sequences:
            history = [BOS] * self.order + [int(x) for x in seq]
            for i in range(self.order, len(history)):
                x = history[i]
                self.unigram[x] += 1
                for n in range(1, self.order + 1):
                    self.counts[n][tuple(history[i - n : i])][x] += 1
        self.unigram /= self.unigram.sum()
        if valid:
            components = self._components(valid)
            grid = [w for w in itertools.product(*[np.linspace(0.0, 0.95, 20)] * self.order) if sum(w) < 1.0]
            candidates = np.array([(1 - sum(w), *w) for w in grid])
            bits = -np.log2(components @ candidates.T).mean(0)
            self.weights = tuple(float(w) for w in candidates[int(np.argmin(bits))])
        return self

    def _components(self, sequences: Sequence[Sequence[int] | np.ndarray]) -> np.ndarray:
        """Per note: [unigram, ML given 1 previous, ML given 2 previous], unseen histories backed off."""
        rows = []
        for seq in sequences:
            history = [BOS] * self.order
            for x in (int(v) for v in seq):
                row = [self.unigram[x]]
                for n in range(1, self.order + 1):
                    counter = self.counts[n].get(tuple(history[-n:]))
                    row.append(counter[x] / counter.total() if counter else self.unigram[x])
                rows.append(row)
                history.append(x)
        return np.array(rows)

    def bits_per_note(self, sequences: Sequence[Sequence[int] | np.ndarray]) -> float:
        return float(-np.log2(self._components(sequences) @ np.array(self.weights)).mean())
