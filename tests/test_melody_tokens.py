"""Melody tokens: key-free pitch symbols, durations and metric positions."""

from __future__ import annotations

import numpy as np
import pytest

from models.music import tokens


@pytest.mark.parametrize("mode", sorted(tokens.SCALES))
@pytest.mark.parametrize("tonic", [0, 2, 7, 11])
def test_every_pitch_in_range_survives_the_round_trip_through_a_symbol(mode, tonic):
    for midi in range(48, 90):
        symbol, clipped = tokens.pitch_to_symbol(midi, tonic, mode)
        if not clipped:
            assert tokens.symbol_to_pitch(symbol, tonic, mode) == midi


def test_the_same_symbol_is_a_major_third_in_major_and_a_minor_third_in_minor():
    symbol, _ = tokens.pitch_to_symbol(64, 0, "major")  # E over C
    assert tokens.symbol_to_pitch(symbol, 9, "minor") == 72  # C over A: the minor third
    assert tokens.symbol_to_pitch(symbol, 2, "major") == 66  # F# over D


def test_tonic_symbols_are_the_unaltered_tonic_in_any_octave():
    for midi in (48, 60, 72, 84):
        assert tokens.is_tonic_symbol(tokens.pitch_to_symbol(midi, 0, "major")[0])
    assert not tokens.is_tonic_symbol(tokens.pitch_to_symbol(61, 0, "major")[0])
    assert not tokens.is_tonic_symbol(tokens.REST)


def test_position_classes_follow_simple_and_compound_metre():
    four = tokens.Meter.parse("4/4")
    assert [four.position_class(t) for t in (0, 24, 12, 6, 96)] == [0, 1, 2, 3, 0]
    six = tokens.Meter.parse("6/8")
    assert six.bar_ticks == 72 and six.beat_ticks == 36
    assert [six.position_class(t) for t in (0, 36, 12, 24, 6)] == [0, 1, 2, 2, 3]


def test_durations_snap_to_the_nearest_value():
    assert tokens.DURATIONS[tokens.duration_index(24)] == 24
    assert tokens.DURATIONS[tokens.duration_index(25)] == 24
    assert tokens.DURATIONS[tokens.duration_index(200)] == 96


def test_key_names_and_bad_input():
    assert [tokens.parse_key(k) for k in ("C", "F#", "Bb", "eb", "B")] == [0, 6, 10, 3, 11]
    with pytest.raises(ValueError):
        tokens.parse_key("H")
    with pytest.raises(ValueError):
        tokens.Meter.parse("4/3")


def test_encoding_gives_tokens_and_positions():
    notes = [[0, 24, 60], [24, 12, 62], [36, 12, -1], [48, 48, 67]]
    ids, positions, clipped = tokens.encode_notes(notes, 0, "major", tokens.Meter.parse("4/4"))
    assert clipped == 0
    assert positions.tolist() == [0, 1, 2, 1]
    assert [tokens.split_token(int(t))[0] for t in ids][2] == tokens.REST
    assert np.all(ids < tokens.VOCAB_SIZE)
