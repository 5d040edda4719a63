"""Categorical hidden Markov models in torch: batched Baum–Welch, scoring, Viterbi and sampling."""

from models.hmm.baum_welch import FitResult, fit, fit_job
from models.hmm.categorical import CategoricalHMM
from models.hmm.sequences import PackedSequences, pack_sequences

__all__ = ["CategoricalHMM", "FitResult", "PackedSequences", "fit", "fit_job", "pack_sequences"]
