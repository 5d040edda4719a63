"""Many integer sequences of different lengths packed into one padded, time-major tensor.

Sequences are sorted longest first, so at every time step the sequences still running are a
prefix of the batch: the forward, backward and Viterbi loops slice `[:active]` instead of masking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class PackedSequences:
    symbols: torch.Tensor  # (T, N) long, time-major, padded with 0 past each sequence's end
    lengths: torch.Tensor  # (N,) long, sorted longest first
    order: torch.Tensor  # (N,) long: packed row i holds input sequence order[i]
    active: list[int]  # active[t] = how many sequences are still running at time t

    @property
    def n_sequences(self) -> int:
        return int(self.lengths.numel())

    @property
    def n_tokens(self) -> int:
        return int(self.lengths.sum())

    @property
    def max_length(self) -> int:
        return int(self.symbols.shape[0])

    def to(self, device: torch.device | str) -> PackedSequences:
        return PackedSequences(self.symbols.to(device), self.lengths.to(device), self.order.to(device), self.active)

    def unsort(self, per_row: torch.Tensor) -> torch.Tensor:
        """Put a per-packed-row tensor back into the caller's original sequence order."""
        out = torch.empty_like(per_row)
        out[self.order.to(per_row.device)] = per_row
        return out


def pack_sequences(sequences: Sequence[Sequence[int] | np.ndarray | torch.Tensor] | PackedSequences) -> PackedSequences:
    """Pack a list of 1-D integer sequences; empty sequences are refused (they have no likelihood)."""
    if isinstance(sequences, PackedSequences):
        return sequences
    if len(sequences) == 0:
        raise ValueError("no sequences given")
    arrays = [np.asarray(s, dtype=np.int64).reshape(-1) for s in sequences]
    lengths = np.array([a.size for a in arrays], dtype=np.int64)
    if (lengths == 0).any():
        raise ValueError("empty sequences cannot be scored or fitted")
    if any((a < 0).any() for a in arrays):
        raise ValueError("symbols must be non-negative integers")
    order = np.argsort(-lengths, kind="stable")
    max_length = int(lengths.max())
    symbols = np.zeros((max_length, len(arrays)), dtype=np.int64)
    for row, index in enumerate(order):
        symbols[: lengths[index], row] = arrays[index]
    sorted_lengths = lengths[order]
    # active[t] = number of sorted sequences whose length exceeds t.
    active = [int(n) for n in np.searchsorted(-sorted_lengths, -np.arange(max_length), side="left")]
    return PackedSequences(
        symbols=torch.from_numpy(symbols),
        lengths=torch.from_numpy(sorted_lengths.copy()),
        order=torch.from_numpy(order.copy()),
        active=active,
    )


def pack_batches(sequences: Sequence[Sequence[int] | np.ndarray | torch.Tensor], max_cells: int
                 ) -> tuple[list[PackedSequences], list[np.ndarray]]:
    """Pack into batches of similar length whose padded size (time x sequences) stays under `max_cells`.

    Returns the batches and, for each, the indices of its sequences in the input list, so that
    memory stays bounded when a corpus mixes a few very long tunes with many short ones.
    """
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    order = np.argsort(-lengths, kind="stable")
    batches, members = [], []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and (len(current) + 1) * longest > max_cells:
            batches.append(pack_sequences([sequences[i] for i in current]))
            members.append(np.array(current))
            current = []
        current.append(int(index))
    if current:
        batches.append(pack_sequences([sequences[i] for i in current]))
        members.append(np.array(current))
    return batches, members
