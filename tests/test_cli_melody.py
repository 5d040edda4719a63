"""The melody commands: compose writes MIDI files, eval-melody prints JSON, train-melody makes a usable style."""

from __future__ import annotations

import json

import pretty_midi

from app.cli import main
from tests.test_melody_midi_folder import C_MAJOR_TUNE, write_midi


def test_compose_writes_one_midi_file_per_variation(tmp_path, capsys):
    out = tmp_path / "out.mid"
    code = main(["compose", "--style", "irish", "--key", "D", "--mode", "major", "--bars", "8", "--meter", "6/8",
                 "--tempo", "110", "--seed", "3", "--variations", "3", "--harmonize", "-o", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    for i in (1, 2, 3):
        path = tmp_path / f"out-{i}.mid"
        assert f"wrote {path}" in printed
        midi = pretty_midi.PrettyMIDI(str(path))
        assert len(midi.instruments) == 2 and midi.instruments[0].notes
        assert abs(midi.get_tempo_changes()[1][0] - 110) < 0.01


def test_compose_continues_a_motif_from_a_midi_file(tmp_path, capsys):
    motif = write_midi(tmp_path / "motif.mid", [62, 66, 69, 74])
    out = tmp_path / "cont.mid"
    assert main(["compose", "--style", "fiddle", "--key", "D", "--bars", "4", "--continue", str(motif),
                 "-o", str(out)]) == 0
    notes = pretty_midi.PrettyMIDI(str(out)).instruments[0].notes
    assert [n.pitch for n in notes[:4]] == [62, 66, 69, 74]


def test_compose_refuses_bad_requests_with_a_message(tmp_path, capsys):
    assert main(["compose", "--key", "H", "-o", str(tmp_path / "x.mid")]) == 2
    assert "unknown key" in capsys.readouterr().err
    assert main(["compose", "--range", "80-60", "-o", str(tmp_path / "x.mid")]) == 2


def test_eval_melody_prints_bits_per_note_for_the_model_and_the_baselines(capsys):
    assert main(["eval-melody", "--style", "bach"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["melodies"] > 10
    bits = report["bits_per_note"]
    assert len(bits) == 3 and all(0 < v < 12 for v in bits.values())


def test_train_melody_from_a_folder_then_compose_and_evaluate_with_it(tmp_path, capsys):
    folder = tmp_path / "tunes"
    folder.mkdir()
    for i in range(6):
        write_midi(folder / f"tune{i}.mid", [p + (i % 3) * 2 for p in C_MAJOR_TUNE * 2])
    (folder / "broken.mid").write_bytes(b"not midi at all")
    assert main(["train-melody", str(folder), "--name", "mine", "--states", "4", "--iterations", "10",
                 "--restarts", "1"]) == 0
    printed = capsys.readouterr().out
    assert "skipped: broken.mid" in printed and "trained style 'mine'" in printed
    assert main(["compose", "--style", "mine", "--bars", "2", "-o", str(tmp_path / "mine.mid")]) == 0
    assert main(["eval-melody", "--style", "mine", "--midi", str(folder)]) == 0
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["melodies"] == 6 and "broken.mid" in report["files_skipped"]


def test_train_melody_on_a_folder_without_melodies_fails_clearly(tmp_path, capsys):
    (tmp_path / "drums.mid").write_bytes(b"")
    assert main(["train-melody", str(tmp_path), "--name", "nothing"]) == 2
    assert "No melody could be read" in capsys.readouterr().err


def test_compose_writes_in_the_styles_own_form_unless_told_free(tmp_path, capsys):
    # From the command line no generated tune used to repeat a bar (the default form was none).
    assert main(["compose", "--style", "irish", "--key", "D", "--bars", "16", "--meter", "6/8", "--seed", "3",
                 "--variations", "8", "-o", str(tmp_path / "tune.mid")]) == 0
    printed = capsys.readouterr().out
    assert printed.count(", form ") == 8 and "A A" in printed

    def bars(path):
        notes = pretty_midi.PrettyMIDI(str(path)).instruments[0].notes
        bar = 3 * 60 / 110  # a 6/8 bar at 110 quarter notes a minute
        return [tuple(n.pitch for n in notes if b * bar - 0.02 <= n.start < (b + 1) * bar - 0.02) for b in range(16)]

    repeated = sum(any(b[i] == b[j] for j in range(i) if b[i]) for b in (bars(tmp_path / f"tune-{k}.mid")
                                                                         for k in range(1, 9)) for i in range(16))
    assert repeated >= 4
    assert main(["compose", "--style", "irish", "--bars", "16", "--form", "free", "-o", str(tmp_path / "f.mid")]) == 0
    assert ", form " not in capsys.readouterr().out


def test_eval_melody_cross_validation_asks_for_pitch_only_and_a_corpus_style(capsys):
    assert main(["eval-melody", "--style", "bach", "--cross-validate", "10"]) == 2
    assert "--pitch-only" in capsys.readouterr().err
    assert main(["eval-melody", "--style", "bach", "--pitch-only"]) == 2
    assert main(["eval-melody", "--style", "nonesuch", "--cross-validate", "3", "--pitch-only"]) == 2
    assert "corpus" in capsys.readouterr().err
