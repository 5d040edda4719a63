"""Reading a user's MIDI folder: skyline melodies, key estimation, and a reason for every skipped file."""

from __future__ import annotations

from pathlib import Path

import pretty_midi
import pytest

from models.music.midi_folder import estimate_key, motif_from_midi, read_midi_folder, skyline

C_MAJOR_TUNE = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 62, 60]


def write_midi(path: Path, melody: list[int], *, drums: bool = False, chords: bool = False, name: str = "lead",
               key: int | None = None, extra_track: list[int] | None = None) -> Path:
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)
    lead = pretty_midi.Instrument(program=0, is_drum=drums, name=name)
    for i, pitch in enumerate(melody):
        lead.notes.append(pretty_midi.Note(90, pitch, i * 0.5, i * 0.5 + 0.45))
        if chords:
            lead.notes.append(pretty_midi.Note(70, pitch - 12, i * 0.5, i * 0.5 + 0.45))
    midi.instruments.append(lead)
    if extra_track:
        other = pretty_midi.Instrument(program=33, name="bass")
        for i, pitch in enumerate(extra_track):
            other.notes.append(pretty_midi.Note(80, pitch, i * 0.5, i * 0.5 + 0.45))
        midi.instruments.append(other)
    if key is not None:
        midi.key_signature_changes.append(pretty_midi.KeySignature(key, 0.0))
    midi.write(str(path))
    return path


def test_good_files_are_read_and_odd_files_are_skipped_with_reasons(tmp_path):
    write_midi(tmp_path / "tune.mid", C_MAJOR_TUNE)
    write_midi(tmp_path / "chords.mid", C_MAJOR_TUNE, chords=True)
    write_midi(tmp_path / "drums.mid", [36, 38] * 8, drums=True)
    (tmp_path / "empty.mid").write_bytes(b"")
    (tmp_path / "corrupt.mid").write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\xff\xff")
    (tmp_path / "not-midi.mid").write_text("hello, I am a text file")
    (tmp_path / "huge.mid").write_bytes(b"MThd" + b"\x00" * (5 * 1024 * 1024))
    write_midi(tmp_path / "short.mid", [60, 62])
    (tmp_path / "notes.txt").write_text("ignored: not a MIDI suffix")
    tunes, reports = read_midi_folder(tmp_path)
    by_name = {Path(r.path).name: r for r in reports}
    assert {t.title for t in tunes} == {"tune", "chords"}
    assert "notes.txt" not in by_name
    assert not by_name["drums.mid"].used and "drums" in by_name["drums.mid"].reason
    assert not by_name["empty.mid"].used and "empty" in by_name["empty.mid"].reason
    assert not by_name["corrupt.mid"].used and "not a readable MIDI" in by_name["corrupt.mid"].reason
    assert not by_name["not-midi.mid"].used
    assert not by_name["huge.mid"].used and "too large" in by_name["huge.mid"].reason
    assert not by_name["short.mid"].used and "fewer than" in by_name["short.mid"].reason


def test_the_skyline_keeps_the_top_line_and_the_notes_in_order(tmp_path):
    write_midi(tmp_path / "chords.mid", C_MAJOR_TUNE, chords=True)
    tunes, _ = read_midi_folder(tmp_path)
    pitches = [p for _, _, p in tunes[0].notes if p >= 0]
    assert pitches == C_MAJOR_TUNE
    assert skyline([(0, 10, 60), (0, 10, 64), (5, 20, 67)]) == [(0, 5, 64), (5, 20, 67)]


def test_a_named_track_is_used_as_the_melody(tmp_path):
    write_midi(tmp_path / "two.mid", C_MAJOR_TUNE, name="Fiddle", extra_track=[80] * 12)
    tunes, _ = read_midi_folder(tmp_path, track="fiddle")
    assert [p for _, _, p in tunes[0].notes if p >= 0] == C_MAJOR_TUNE
    with pytest.raises(ValueError, match="No melody"):
        read_midi_folder(tmp_path, track="Oboe")


def test_keys_come_from_the_file_or_are_estimated():
    import numpy as np

    a_minor = np.array([69, 71, 72, 74, 76, 77, 79, 80, 81, 76, 72, 69, 69, 64])
    assert estimate_key(a_minor, np.ones(len(a_minor))) == (9, "minor")
    g_major = np.array([67, 69, 71, 72, 74, 76, 78, 79, 74, 71, 67, 67])
    assert estimate_key(g_major, np.ones(len(g_major))) == (7, "major")


def test_the_written_key_signature_wins(tmp_path):
    write_midi(tmp_path / "tune.mid", C_MAJOR_TUNE, key=9 + 12)  # says A minor
    tunes, _ = read_midi_folder(tmp_path)
    assert (tunes[0].tonic, tunes[0].mode) == (9, "minor")


def test_an_empty_result_is_a_clear_error(tmp_path):
    (tmp_path / "bad.mid").write_bytes(b"junk")
    with pytest.raises(ValueError, match="No melody could be read"):
        read_midi_folder(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no .mid files"):
        read_midi_folder(empty)
    with pytest.raises(ValueError, match="does not exist"):
        read_midi_folder(tmp_path / "missing")


def test_a_motif_file_becomes_pitch_and_length_pairs(tmp_path):
    path = write_midi(tmp_path / "motif.mid", [62, 66, 69])
    motif = motif_from_midi(path)
    assert [p for p, _ in motif if p is not None] == [62, 66, 69]
    assert all(q > 0 for _, q in motif)


def test_a_track_named_as_the_melody_is_the_melody_with_chords_above_it(tmp_path):
    """A DAW's file: a 'Melody' track and a piano's chords above it. The skyline took the chords' top notes (a
    type-1 file read as D major where its tune is in G); a track named Melody, Lead, Vocals... is the melody."""
    for name in ("Melody", "Lead vocals", "SOPRANO"):
        write_midi(tmp_path / f"{name}.mid", C_MAJOR_TUNE, name=name, extra_track=[84] * 12)
    write_midi(tmp_path / "leader.mid", C_MAJOR_TUNE, name="Leader", extra_track=[84] * 12)  # no melody word in it
    tunes, reports = read_midi_folder(tmp_path)
    lines = {t.title: [p for _, _, p in t.notes if p >= 0] for t in tunes}
    assert lines["Melody"] == lines["Lead vocals"] == lines["SOPRANO"] == C_MAJOR_TUNE
    assert lines["leader"] == [84] * 12
    assert "track 'Melody'" in next(r.reason for r in reports if r.path.endswith("Melody.mid"))


def test_the_report_names_each_files_key_as_a_musician_reads_it(tmp_path):
    """The Train dialog listed 'key 7 major' and 'key 4 minor' for tunes in G major and E minor."""
    write_midi(tmp_path / "g.mid", [p + 7 for p in C_MAJOR_TUNE])
    write_midi(tmp_path / "f-sharp-minor.mid", C_MAJOR_TUNE, key=18)  # pretty_midi's key number of F# minor
    _, reports = read_midi_folder(tmp_path)
    reasons = {Path(r.path).stem: r.reason for r in reports}
    assert reasons["g"].endswith("in G major") and reasons["f-sharp-minor"].endswith("in F# minor")


def test_the_key_of_a_motif_that_leaves_the_chosen_key():
    from models.music.midi_folder import key_for_motif

    white_keys = [(60, 1.0), (62, 1.0), (64, 1.0), (65, 1.0), (67, 2.0), (64, 1.0), (60, 1.0)]
    assert key_for_motif(white_keys, 2, "major") == (0, "major")
    e_minor = [(64, 1.0), (67, 1.0), (69, 1.0), (71, 1.0), (72, 0.5), (71, 0.5), (69, 1.0), (67, 1.0), (64, 1.0)]
    assert key_for_motif(e_minor, 2, "major") == (4, "minor")
    assert key_for_motif([(57, 1.0), (60, 1.0), (64, 1.0), (68, 1.0), (69, 2.0)], 2, "major") == (9, "minor")  # G#
    assert key_for_motif([(62, 1.0), (64, 1.0), (66, 1.0), (69, 1.0)], 2, "major") is None  # D major holds it
    assert key_for_motif([(62, 1.0), (65, 1.0), (71, 1.0)], 2, "dorian") is None  # so does D dorian (B natural)
    assert key_for_motif([(None, 1.0)], 2, "major") is None
