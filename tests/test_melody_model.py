"""The melody HMM: its likelihood is the plain forward recursion, MAP-EM climbs, checkpoints are checked."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from models.checkpoint import CheckpointError, save_checkpoint
from models.hmm.sequences import pack_sequences
from models.jobs import run_job
from models.music import tokens
from models.music.corpus import EncodedTune, encode, load_corpus, select
from models.music.model import (
    KIND,
    Backoff,
    MelodyModel,
    expected_counts,
    maximise,
    observations,
    random_model,
    train_job,
)


@pytest.fixture(scope="module")
def chorales() -> dict[str, list[EncodedTune]]:
    corpus, _ = load_corpus()
    return {split: [encode(t) for t in select(corpus, "bach", split)] for split in ("train", "valid")}


def plain_log_likelihood(model: MelodyModel, melody: EncodedTune) -> float:
    """log P(melody) by the textbook forward recursion in log space, one note at a time."""
    log_start, log_trans = model.startprob.log().numpy(), model.transmat.log().numpy()
    log_pitch, log_duration = model.pitch.log().numpy(), model.duration.log().numpy()
    log_alpha, previous = None, tokens.NO_PREVIOUS
    for token, position in zip(melody.tokens, melody.positions, strict=True):
        pitch, duration = tokens.split_token(int(token))
        emit = log_pitch[:, previous, pitch] + log_duration[:, position, duration]
        prior = log_start if log_alpha is None else np.logaddexp.reduce(log_alpha[:, None] + log_trans, axis=0)
        log_alpha = prior + emit
        previous = pitch
    return float(np.logaddexp.reduce(log_alpha))


def test_the_likelihood_is_the_forward_recursion_with_the_previous_pitch_as_context(chorales):
    model = random_model(5, Backoff.count(chorales["train"]), seed=1, dtype=torch.float64)
    melodies = chorales["valid"][:6]
    ours = sorted(model.log_likelihoods(melodies).tolist())
    plain = sorted(plain_log_likelihood(model, m) for m in melodies)
    np.testing.assert_allclose(ours, plain, rtol=1e-10)


def log_prior(model: MelodyModel, backoff: Backoff, pitch_prior: float, duration_prior: float) -> float:
    return float((pitch_prior * backoff.pitch * model.pitch.log()).sum()
                 + (duration_prior * backoff.duration * model.duration.log()).sum())


def test_map_em_never_lowers_the_log_posterior(chorales):
    train = chorales["train"][:60]
    backoff = Backoff.count(train)
    batches = [pack_sequences([observations(e) for e in train])]
    model = random_model(6, backoff, seed=0, dtype=torch.float64)
    objective = []
    for _ in range(15):
        counts = expected_counts(model, batches)
        objective.append(counts.log_likelihood + log_prior(model, backoff, 3.0, 10.0))
        model = maximise(counts, backoff, 3.0, 10.0)
    assert all(b >= a - 1e-7 * abs(a) for a, b in zip(objective, objective[1:], strict=False))
    assert objective[-1] > objective[0] + 100


def test_training_gives_every_held_out_note_a_probability_and_beats_the_counted_bigram(chorales):
    train, valid = chorales["train"][:80], chorales["valid"]
    model = run_job(train_job(train, valid, n_states=8, restarts=1, n_iter=40))
    bits = model.bits_per_note(valid)
    assert math.isfinite(bits)
    # The states' starting point is the counted bigram itself (a 1-state model of it).
    backoff = Backoff.count(train)
    bigram = MelodyModel(torch.ones(1, dtype=torch.float64), torch.ones(1, 1, dtype=torch.float64),
                         backoff.pitch[None], backoff.duration[None])
    assert bits < bigram.bits_per_note(valid) - 0.05
    for table in (model.startprob, model.transmat, model.pitch, model.duration):
        torch.testing.assert_close(table.sum(-1), torch.ones_like(table.sum(-1)))


def test_a_checkpoint_round_trips_and_one_from_the_earlier_design_is_refused(chorales, tmp_path):
    model = random_model(4, Backoff.count(chorales["train"][:20]), seed=2, dtype=torch.float64)
    model.style, model.priors = "tiny", {"pitch_prior": 3.0, "duration_prior": 10.0}
    path = tmp_path / "tiny.safetensors"
    model.save(path)
    again = MelodyModel.load(path)
    assert again.style == "tiny" and again.priors == model.priors
    torch.testing.assert_close(again.pitch, model.pitch)
    assert again.bits_per_note(chorales["valid"][:3]) == pytest.approx(model.bits_per_note(chorales["valid"][:3]))

    old = tmp_path / "old.safetensors"
    save_checkpoint(old, {"startprob": torch.ones(2) / 2, "transmat": torch.ones(2, 2) / 2,
                          "emissionprob": torch.ones(2, 4 * tokens.VOCAB_SIZE), "unigram": torch.ones(4, 765)},
                    kind=KIND, hyperparameters={"n_states": 2, "contextual": True, "vocab_size": tokens.VOCAB_SIZE})
    with pytest.raises(CheckpointError, match="earlier version"):
        MelodyModel.load(old)
