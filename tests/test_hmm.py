"""Correctness of the torch categorical HMM against brute force, EM theory and hmmlearn."""

from __future__ import annotations

import itertools
import math
import threading

import numpy as np
import pytest
import torch

from models.hmm import CategoricalHMM, fit, fit_job, pack_sequences
from models.hmm.inference import expected_counts
from models.jobs import JobCancelled, Progress, run_job


def brute_force(model: CategoricalHMM, symbols: list[int]) -> tuple[float, float, tuple[int, ...]]:
    """(log P(x), max over paths of log P(x, path), the best path) by enumerating every state path."""
    pi, a, b = (p.numpy() for p in model.parameters())
    total, best, best_path = 0.0, -math.inf, ()
    for path in itertools.product(range(model.n_states), repeat=len(symbols)):
        p = pi[path[0]] * b[path[0], symbols[0]]
        for t in range(1, len(symbols)):
            p *= a[path[t - 1], path[t]] * b[path[t], symbols[t]]
        total += p
        if math.log(p) > best:
            best, best_path = math.log(p), path
    return math.log(total), best, best_path


def test_forward_and_viterbi_equal_brute_force_enumeration():
    rng = np.random.default_rng(0)
    for seed in range(5):
        model = CategoricalHMM.random(3, 4, seed=seed)
        sequences = [rng.integers(0, 4, size=n).tolist() for n in (1, 2, 5, 3, 6)]
        log_likelihoods = model.log_likelihoods(sequences)
        viterbi_logs, paths = model.viterbi(sequences)
        for i, seq in enumerate(sequences):
            expected_total, expected_best, expected_path = brute_force(model, seq)
            assert log_likelihoods[i].item() == pytest.approx(expected_total, abs=1e-10)
            assert viterbi_logs[i].item() == pytest.approx(expected_best, abs=1e-10)
            assert tuple(paths[i].tolist()) == expected_path


def test_expected_counts_sum_to_the_number_of_tokens_and_transitions():
    model = CategoricalHMM.random(4, 6, seed=1)
    sequences = [[0, 1, 2], [5, 4, 3, 2, 1], [3]]
    counts = expected_counts(*model.parameters(), pack_sequences(sequences))
    assert counts.start.sum().item() == pytest.approx(3)
    assert counts.emissions.sum().item() == pytest.approx(9)
    assert counts.transitions.sum().item() == pytest.approx(2 + 4)


def test_em_never_lowers_the_training_log_likelihood():
    truth = CategoricalHMM.random(5, 12, seed=3)
    symbols, _ = truth.sample(60, 30, seed=4)
    lengths = np.random.default_rng(5).integers(5, 31, size=60)
    sequences = [symbols[i, : lengths[i]] for i in range(60)]
    result = fit(sequences, 5, 12, n_iter=40, tol=-1.0, seed=7)
    history = np.array(result.history)
    assert len(history) == 40
    assert (np.diff(history) >= -1e-9 * np.abs(history[1:])).all()
    assert history[-1] > history[0] + 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_score_equals_hmmlearn_categorical_hmm(seed):
    hmmlearn = pytest.importorskip("hmmlearn.hmm")
    model = CategoricalHMM.random(6, 9, seed=seed)
    symbols, _ = model.sample(20, 40, seed=seed + 10)
    lengths = np.random.default_rng(seed).integers(1, 41, size=20)
    sequences = [symbols[i, : lengths[i]].numpy() for i in range(20)]
    reference = hmmlearn.CategoricalHMM(n_components=6, n_features=9, implementation="scaling")
    reference.startprob_, reference.transmat_, reference.emissionprob_ = (p.numpy() for p in model.parameters())
    expected = reference.score(np.concatenate(sequences).reshape(-1, 1), lengths)
    assert model.score(sequences) == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_fit_from_the_same_start_matches_hmmlearn_iteration_by_iteration():
    hmmlearn = pytest.importorskip("hmmlearn.hmm")
    truth = CategoricalHMM.random(4, 10, seed=11)
    symbols, _ = truth.sample(30, 25, seed=12)
    sequences = [s.numpy() for s in symbols]
    start = CategoricalHMM.random(4, 10, seed=13)
    ours = fit(sequences, 4, 10, init=start, n_iter=5, tol=-1.0)
    reference = hmmlearn.CategoricalHMM(n_components=4, n_features=10, n_iter=5, tol=-1.0, init_params="",
                                        implementation="scaling")
    reference.startprob_, reference.transmat_, reference.emissionprob_ = (p.numpy() for p in start.parameters())
    reference.fit(np.concatenate(sequences).reshape(-1, 1), [25] * 30)
    np.testing.assert_allclose(ours.history, reference.monitor_.history, rtol=1e-9)
    np.testing.assert_allclose(ours.model.emissionprob.numpy(), reference.emissionprob_, atol=1e-9)


def test_float32_fit_on_a_sparse_model_stays_finite_and_close_to_float64():
    # Sparse emissions push scaled forward variables towards subnormals in float32.
    generator = torch.Generator().manual_seed(0)
    emit = torch.rand(8, 40, generator=generator, dtype=torch.float64) ** 12
    emit /= emit.sum(1, keepdim=True)
    truth = CategoricalHMM(torch.full((8,), 1 / 8, dtype=torch.float64), torch.eye(8, dtype=torch.float64) * 0.9 + 0.1 / 8,
                           emit)
    symbols, _ = truth.sample(40, 50, seed=1)
    start = CategoricalHMM.random(8, 40, seed=2)
    r64 = fit(list(symbols), 8, 40, init=start, n_iter=8, tol=-1.0)
    r32 = fit(list(symbols), 8, 40, init=start, n_iter=8, tol=-1.0, dtype=torch.float32)
    assert all(math.isfinite(x) for x in r32.history)
    np.testing.assert_allclose(r32.history, r64.history, rtol=1e-4)


def test_sampling_is_reproducible_from_the_seed():
    model = CategoricalHMM.random(5, 7, seed=0)
    a, sa = model.sample(4, 10, seed=42)
    b, sb = model.sample(4, 10, seed=42)
    c, _ = model.sample(4, 10, seed=43)
    assert torch.equal(a, b) and torch.equal(sa, sb)
    assert not torch.equal(a, c)


def test_fit_job_reports_progress_and_stops_when_cancelled():
    sequences = [list(range(5))] * 10
    cancel = threading.Event()
    events = []

    def on_event(event):
        events.append(event)
        if len(events) == 3:
            cancel.set()

    with pytest.raises(JobCancelled):
        run_job(fit_job(sequences, 3, 5, n_iter=50, tol=-1.0, cancel=cancel), on_event)
    assert len(events) == 3 and all(isinstance(e, Progress) for e in events)
    assert 0 < events[-1].fraction < 1


def test_restarts_keep_the_best_training_likelihood():
    truth = CategoricalHMM.random(4, 8, seed=5)
    symbols, _ = truth.sample(20, 20, seed=6)
    result = fit(list(symbols), 4, 8, n_iter=10, restarts=3, seed=0)
    assert len(result.restarts) == 3
    assert result.log_likelihood == pytest.approx(max(result.restarts))
    assert result.model.score(list(symbols)) == pytest.approx(result.log_likelihood)


def test_out_of_vocabulary_symbols_and_empty_sequences_are_refused():
    model = CategoricalHMM.random(2, 3)
    with pytest.raises(ValueError):
        model.score([[0, 3]])
    with pytest.raises(ValueError):
        model.score([[]])


def test_small_memory_batches_give_the_same_score_and_fit(monkeypatch):
    import models.hmm.categorical as categorical

    truth = CategoricalHMM.random(3, 6, seed=8)
    symbols, _ = truth.sample(25, 30, seed=9)
    lengths = np.random.default_rng(1).integers(1, 31, size=25)
    sequences = [symbols[i, : lengths[i]] for i in range(25)]
    whole = truth.log_likelihoods(sequences)
    whole_fit = fit(sequences, 3, 6, n_iter=4, tol=-1.0, seed=2)
    monkeypatch.setattr(categorical, "MAX_ELEMENTS", 3 * 40)  # a few sequences per batch
    import models.hmm.baum_welch as baum_welch

    monkeypatch.setattr(baum_welch, "MAX_ELEMENTS", 3 * 40)
    torch.testing.assert_close(truth.log_likelihoods(sequences), whole)
    np.testing.assert_allclose(fit(sequences, 3, 6, n_iter=4, tol=-1.0, seed=2).history, whole_fit.history, rtol=1e-12)


def test_context_blocks_keep_each_block_a_distribution_and_match_brute_force():
    # Two contexts of 3 symbols each: symbol c * 3 + x is x observed in context c.
    rng = np.random.default_rng(3)
    sequences = [(rng.integers(0, 2, size=n) * 3 + rng.integers(0, 3, size=n)).tolist() for n in (4, 6, 5)]
    result = fit(sequences, 2, 6, n_iter=10, tol=-1.0, emission_blocks=2, seed=1)
    emit = result.model.emissionprob.reshape(2, 2, 3)
    torch.testing.assert_close(emit.sum(-1), torch.ones(2, 2, dtype=emit.dtype))
    assert (np.diff(result.history) >= -1e-9).all()
    for seq in sequences:
        expected, _, _ = brute_force(result.model, seq)
        assert result.model.log_likelihoods([seq])[0].item() == pytest.approx(expected, abs=1e-10)
