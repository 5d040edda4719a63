"""Cross-validated pitch prediction: PPM-C by hand, distributions that sum to one, folds that keep tunes apart."""

from __future__ import annotations

import numpy as np
import pytest

from models.jobs import run_job
from models.music import tokens
from models.music.corpus import Tune, load_corpus, select
from models.music.crossval import Settings, cross_validate_job, make_folds
from models.music.generate import load_style
from models.music.pitch_prediction import Line, hmm_distributions
from models.music.ppm import PPM


def test_ppm_c_with_exclusion_matches_the_escape_arithmetic_by_hand():
    # Alphabet {0, 1, 2}; training "0 1 0 1 0 2". After context (0,): 1 twice, 2 once: total 3, 2 types.
    model = PPM(3, order=1, interpolated=False).fit([[0, 1, 0, 1, 0, 2]])
    # 1: 2/5 and 2: 1/5 at order 1; 0 escapes (2/5) to order 0, where 1 and 2 are excluded and 0 was seen 3
    # times (3/(3+1)); nothing is left for order -1, so the remaining escape mass is renormalised away.
    expected = np.array([2 / 5 * 3 / 4, 2 / 5, 1 / 5])
    np.testing.assert_allclose(model.distribution([0]), expected / expected.sum())
    interpolated = PPM(3, order=1, interpolated=True).fit([[0, 1, 0, 1, 0, 2]])
    unigram = (np.array([3, 2, 1]) + 3 * np.full(3, 1 / 3)) / (6 + 3)  # order 0 blended with uniform
    expected = np.array([0, 2, 1]) / 5 + 2 / 5 * unigram
    np.testing.assert_allclose(interpolated.distribution([0]), expected)
    for model in (PPM(5, 3, True).fit([[0, 1, 2, 3, 4, 0, 1]]), PPM(5, 3, False).fit([[0, 1, 2, 3, 4, 0, 1]])):
        for history in ([], [0], [4, 0, 1], [3, 3, 3]):
            assert model.distribution(history).sum() == pytest.approx(1.0) and (model.distribution(history) > 0).all()


def test_the_hmm_pitch_distributions_sum_to_one_and_give_the_melodys_own_pitches_weight():
    tune = select(load_corpus()[0], "bach", "test")[0]
    line = Line.of(tune)
    with_rhythm, without = hmm_distributions(load_style("bach"), line)
    assert with_rhythm.shape == without.shape == (len(line.notes), 128)
    np.testing.assert_allclose(with_rhythm.sum(1), 1.0)
    np.testing.assert_allclose(without.sum(1), 1.0)
    uniform_bits = np.log2(len(set(line.midi)))
    assert -np.log2(with_rhythm[np.arange(len(line.midi)), line.midi]).mean() < uniform_bits


def test_folds_partition_the_melodies_and_keep_harmonisations_of_a_tune_together():
    meter = tokens.Meter(4, 4)
    tunes = [
        Tune(
            f"t{i}", "bach", i % 12, "major", meter, [[24 * j, 24, 60 + i % 12 + (j * (i // 3)) % 7] for j in range(16)]
        )
        for i in range(30)
    ]
    lines = [Line.of(t) for t in tunes]
    folds = make_folds(lines, 5)
    assert sorted(i for f in folds for i in f) == list(range(30))
    where = {i: n for n, f in enumerate(folds) for i in f}
    for i in range(30):
        for j in range(30):
            if lines[i].group() == lines[j].group():
                assert where[i] == where[j]


def test_a_small_cross_validation_reports_every_model_on_every_fold():
    chorales = select(load_corpus()[0], "bach", "test")[:18]
    report = run_job(cross_validate_job(chorales, k=3, settings=Settings(states=3, restarts=1, iterations=3)))
    assert report["melodies"] == 18 and report["folds"] == 3 and len(report["per_fold"]) == 3
    assert report["notes"] == sum(f["notes"] for f in report["per_fold"])
    for name, value in report["bits_per_note"].items():
        assert 0.5 < value < 6.0, name
    assert report["bits_per_note"]["Markov chain order 1"] < np.log2(18)  # better than guessing
