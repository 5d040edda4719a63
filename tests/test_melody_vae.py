"""The interpolation VAE: step encoding, exact two-bar outputs, the shipped checkpoint morphs A into B."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.music import tokens
from models.music.corpus import Tune
from models.music.generate import generate
from models.music.melody import Melody
from models.music.request import MelodyRequest
from models.music.vae import (
    HOLD,
    REST,
    STEPS,
    MelodyVAE,
    interpolate,
    load_vae,
    melody_steps,
    morph,
    slerp,
    steps_to_events,
    tune_windows,
)


def test_windows_mark_onsets_holds_and_rests_relative_to_the_tonic():
    notes = [[0, 24, 62], [24, 12, 64], [36, 12, -1], [48, 48, 69], [96, 96, 74]]
    tune = Tune("t", "irish", 2, "major", tokens.Meter(4, 4), notes)
    (window,) = tune_windows(tune)
    assert window[0] == 2 + 12 and list(window[1:4]) == [HOLD] * 3  # the tonic, held a quarter
    assert window[6] == REST and window[8] == 2 + 12 + 7  # a rest, then the fifth
    assert len(window) == STEPS


def random_steps(rng: np.random.Generator) -> np.ndarray:
    """Legal step sequences: notes of a representable length (no bar crossing) and rests."""
    steps = []
    while len(steps) < STEPS:
        room = 16 - len(steps) % 16
        length = int(rng.choice([n for n in (1, 2, 3, 4, 6, 8, 16) if n <= room]))
        if steps and rng.random() < 0.2:
            steps += [REST] * length
        else:
            steps += [int(rng.integers(2, 39))] + [HOLD] * (length - 1)
    return np.array(steps)


def test_steps_become_events_that_fill_two_bars_and_read_back_the_same():
    rng = np.random.default_rng(0)
    for _ in range(50):
        steps = random_steps(rng)
        events = steps_to_events(steps, 0, "major")
        assert sum(e.ticks for e in events) == 2 * 96
        melody = Melody(events, 0, "major", tokens.Meter(4, 4), 2, 100)
        assert np.array_equal(melody_steps(melody), steps)


def test_slerp_ends_at_its_two_points():
    a, b = torch.randn(8), torch.randn(8)
    torch.testing.assert_close(slerp(a, b, 0.0), a)
    torch.testing.assert_close(slerp(a, b, 1.0), b)


def test_interpolation_gives_n_two_bar_melodies_from_the_shipped_vae():
    vae = load_vae()
    a, b = generate(MelodyRequest(style="fiddle", key="G", meter="4/4", bars=2, seed=1, variations=2))
    morph = interpolate(vae, a, b, 5)
    assert len(morph) == 5
    assert all(sum(e.ticks for e in m.events) == 192 and m.notes() for m in morph)
    again = interpolate(vae, a, b, 5)
    assert [m.events for m in again] == [m.events for m in morph]
    # The shipped model reconstructs its ends better than an untrained one does.
    untrained = interpolate(MelodyVAE().eval(), a, b, 2)

    def agreement(melody, reference):
        return float(np.mean(melody_steps(melody) == melody_steps(reference)))

    assert agreement(morph[0], a) + agreement(morph[-1], b) > agreement(untrained[0], a) + agreement(untrained[-1], b)


def test_morph_writes_whole_melodies_between_two_variations_phrase_by_phrase():
    vae = load_vae()
    a, b = generate(MelodyRequest(style="irish", key="D", meter="4/4", bars=8, seed=4, variations=2))
    between = morph(vae, a, b, 3)
    assert len(between) == 3
    for melody in between:
        assert sum(e.ticks for e in melody.events) == a.total_ticks
        assert all(x.onset + x.ticks == y.onset for x, y in zip(melody.events, melody.events[1:], strict=False))
        assert all(e.onset // 96 == (e.onset + e.ticks - 1) // 96 for e in melody.events), "a note crosses a bar"
        assert melody.notes() and melody.bars == 8 and melody.style == a.style
    assert [m.events for m in morph(vae, a, b, 3)] == [m.events for m in between]

    # Closer to a at the start of the way, closer to b at its end, bar pair by bar pair.
    def agreement(melody, reference):
        return np.mean([np.mean(melody_steps(melody, s) == melody_steps(reference, s)) for s in range(0, 768, 192)])

    first, last = morph(vae, a, b, 9)[0], morph(vae, a, b, 9)[-1]
    assert agreement(first, a) > agreement(first, b) and agreement(last, b) > agreement(last, a)


def test_morph_refuses_what_it_cannot_do():
    vae = load_vae()
    (a,) = generate(MelodyRequest(style="irish", key="D", meter="6/8", bars=4, seed=1))
    with pytest.raises(ValueError, match="4/4"):
        morph(vae, a, a, 2)
    c, d = generate(MelodyRequest(style="irish", key="D", meter="4/4", bars=3, seed=1, variations=2))
    with pytest.raises(ValueError, match="even number"):
        morph(vae, c, d, 2)


def test_morphs_close_on_the_tonic_inside_the_range_when_asked():
    vae = load_vae()
    a, b, *_ = generate(MelodyRequest(style="irish", key="D", meter="4/4", bars=4, seed=11, variations=4))
    free = morph(vae, a, b, 9)
    assert any((m.notes()[-1].pitch - 2) % 12 for m in free)  # the VAE alone ends anywhere
    for m in morph(vae, a, b, 9, close_on_tonic=True, pitch_range=(57, 86)):
        assert (m.notes()[-1].pitch - 2) % 12 == 0 and 57 <= m.notes()[-1].pitch <= 86
        assert m.events[-1].symbol != tokens.REST
        assert sum(e.ticks for e in m.events) == m.total_ticks
        assert all(left.onset + left.ticks == right.onset for left, right in zip(m.events, m.events[1:], strict=False))
        # held from beat 1 or 3 to the bar line, as a generated tune closes (all nine ended on beat 4 or 4.5)
        assert m.events[-1].onset % 96 in (0, 48) and m.events[-1].onset + m.events[-1].ticks == m.total_ticks
