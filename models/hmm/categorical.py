"""A categorical (discrete-emission) hidden Markov model in torch: score, Viterbi, sample.

Parameters are probabilities, float64 by default. `fit` (Baum–Welch) lives in
`models.hmm.baum_welch`; this module holds the model and the questions one asks of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from models.hmm import inference
from models.hmm.sequences import PackedSequences, pack_batches, pack_sequences

MAX_ELEMENTS = 16_000_000  # time x sequences x states per batch: bounds memory on long corpora

SequencesLike = Sequence[Sequence[int] | np.ndarray | torch.Tensor] | PackedSequences


def random_distribution(shape: tuple[int, ...], generator: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    """Rows drawn from a flat Dirichlet (normalised exponentials), reproducible from `generator`."""
    weights = -torch.rand(shape, generator=generator, dtype=torch.float64).clamp_min(1e-12).log()
    return (weights / weights.sum(-1, keepdim=True)).to(dtype)


class CategoricalHMM:
    """startprob (K,), transmat (K, K), emissionprob (K, V); rows are probability distributions."""

    def __init__(self, startprob: torch.Tensor, transmat: torch.Tensor, emissionprob: torch.Tensor) -> None:
        startprob, transmat, emissionprob = (torch.as_tensor(p) for p in (startprob, transmat, emissionprob))
        k = startprob.shape[0]
        if transmat.shape != (k, k) or emissionprob.dim() != 2 or emissionprob.shape[0] != k:
            raise ValueError(
                f"inconsistent shapes: startprob {tuple(startprob.shape)}, transmat {tuple(transmat.shape)}, "
                f"emissionprob {tuple(emissionprob.shape)}"
            )
        self.startprob = startprob
        self.transmat = transmat.to(startprob.dtype)
        self.emissionprob = emissionprob.to(startprob.dtype)

    @classmethod
    def random(
        cls,
        n_states: int,
        n_symbols: int,
        seed: int = 0,
        dtype: torch.dtype = torch.float64,
        device: torch.device | str = "cpu",
    ) -> CategoricalHMM:
        generator = torch.Generator().manual_seed(seed)
        start = random_distribution((n_states,), generator, dtype)
        trans = random_distribution((n_states, n_states), generator, dtype)
        emit = random_distribution((n_states, n_symbols), generator, dtype)
        return cls(start, trans, emit).to(device)

    @property
    def n_states(self) -> int:
        return int(self.startprob.shape[0])

    @property
    def n_symbols(self) -> int:
        return int(self.emissionprob.shape[1])

    @property
    def device(self) -> torch.device:
        return self.startprob.device

    @property
    def dtype(self) -> torch.dtype:
        return self.startprob.dtype

    def to(self, device: torch.device | str | None = None, dtype: torch.dtype | None = None) -> CategoricalHMM:
        return CategoricalHMM(*(p.to(device=device, dtype=dtype) for p in self.parameters()))

    def parameters(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.startprob, self.transmat, self.emissionprob

    def state_dict(self) -> dict[str, torch.Tensor]:
        return {"startprob": self.startprob, "transmat": self.transmat, "emissionprob": self.emissionprob}

    @classmethod
    def from_state_dict(cls, tensors: dict[str, torch.Tensor]) -> CategoricalHMM:
        return cls(tensors["startprob"], tensors["transmat"], tensors["emissionprob"])

    def _pack(self, sequences: SequencesLike) -> PackedSequences:
        packed = pack_sequences(sequences)
        if int(packed.symbols.max()) >= self.n_symbols:
            raise ValueError(f"a symbol is outside the model's vocabulary of {self.n_symbols}")
        return packed.to(self.device)

    def log_likelihoods(self, sequences: SequencesLike) -> torch.Tensor:
        """log P(x) for each sequence, in the order given (natural log)."""
        if isinstance(sequences, PackedSequences):
            packed = self._pack(sequences)
            return packed.unsort(inference.log_likelihoods(*self.parameters(), packed))
        batches, members = pack_batches(sequences, max(1, MAX_ELEMENTS // self.n_states))
        out = torch.empty(len(sequences), dtype=self.dtype, device=self.device)
        for batch, indices in zip(batches, members, strict=True):
            packed = self._pack(batch)
            out[torch.as_tensor(indices, device=self.device)] = packed.unsort(
                inference.log_likelihoods(*self.parameters(), packed))
        return out

    def score(self, sequences: SequencesLike) -> float:
        """Total log-likelihood of all sequences (natural log), as hmmlearn's `score`."""
        return float(self.log_likelihoods(sequences).sum())

    def viterbi(self, sequences: SequencesLike) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Most likely state path of each sequence and its joint log-probability, in the order given."""
        packed = self._pack(sequences)
        log_prob, paths = inference.viterbi(*self.parameters(), packed)
        log_prob, paths = packed.unsort(log_prob), packed.unsort(paths)
        lengths = packed.unsort(packed.lengths)
        return log_prob, [paths[i, : int(lengths[i])].cpu() for i in range(paths.shape[0])]

    def sample(self, n_sequences: int, length: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw (symbols, states), each (n_sequences, length), reproducibly from `seed` (sampled on the CPU)."""
        generator = torch.Generator().manual_seed(seed)
        start, trans, emit = (p.detach().to("cpu", torch.float64) for p in self.parameters())
        states = torch.empty((n_sequences, length), dtype=torch.long)
        symbols = torch.empty((n_sequences, length), dtype=torch.long)
        state = torch.multinomial(start.expand(n_sequences, -1), 1, generator=generator).squeeze(1)
        for t in range(length):
            if t > 0:
                state = torch.multinomial(trans[state], 1, generator=generator).squeeze(1)
            states[:, t] = state
            symbols[:, t] = torch.multinomial(emit[state], 1, generator=generator).squeeze(1)
        return symbols, states
