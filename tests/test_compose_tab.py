"""The Compose tab end to end, offscreen, with sound going to the ALSA null device."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import soundfile

from app.paths import melody_styles_dir
from tests.support.event_loop import assert_never_stalled, event_loop_gaps
from tests.support.jobs import wait_for_job
from tests.support.midi_files import write_tune, write_tune_folder


def generate(qtbot, tab, wait_for_sound: bool = True, **kwargs):
    """Generate, and (by default) wait until the selected variation's sound is rendered, as Play needs."""
    variations = wait_for_job(qtbot, tab, lambda: tab.generate(**kwargs))
    if wait_for_sound:
        qtbot.waitUntil(lambda: tab.selected_variation().audio is not None, timeout=30_000)
    return variations


def test_generate_fills_variations_and_piano_roll(qtbot, compose):
    assert compose.piano_roll.content is None
    generate(qtbot, compose)
    assert compose.variation_list.count() == 3
    content = compose.piano_roll.content
    assert content is not None and content.bars == 4 and content.notes
    low, high = compose.controls.low_spin.value(), compose.controls.high_spin.value()
    assert all(low <= note.pitch <= high for note in content.notes)
    total = sum(note.length for note in content.notes)
    assert total <= 4 * content.bar_beats + 1e-6
    compose.variation_list.setCurrentRow(2)
    assert compose.piano_roll.content is not content  # selecting shows that variation


def test_the_generate_button_generates(qtbot, compose):
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(compose.worker.job_finished, timeout=30_000):
        qtbot.mouseClick(compose.generate_button, Qt.MouseButton.LeftButton)
    assert compose.variation_list.count() == 3


def test_primary_shortcut_generates(qtbot, main_window, compose):
    with qtbot.waitSignal(compose.worker.job_finished, timeout=30_000):
        assert main_window.current_tab().primary_action()
    assert compose.variation_list.count() == 3


def test_play_loop_and_stop_on_the_null_device(qtbot, compose):
    generate(qtbot, compose)
    variation = compose.selected_variation()
    assert variation.audio is not None and variation.audio.seconds > 1.0
    compose.loop_check.setChecked(True)
    compose.toggle_play()
    assert compose.transport.is_playing and compose.play_button.text() == "■ Stop"
    player = compose.transport.player
    # the loop comes round at the melody's length, not the sound's (which rings on 0.8 s past the last bar)
    melody_seconds = variation.melody.total_ticks / 24 * 60 / variation.audio_tempo
    assert player._loop_end == round(melody_seconds * variation.audio.sample_rate) < len(variation.audio.samples)
    qtbot.waitUntil(lambda: player.frames_written > 2 * len(variation.audio.samples), timeout=20_000)
    assert compose.transport.is_playing  # looping past the end
    positions = []
    compose.transport.playhead_moved.connect(positions.append)
    qtbot.waitUntil(lambda: len(positions) >= 3, timeout=5000)
    assert any(p is not None and p >= 0 for p in positions)
    compose.toggle_play()
    qtbot.waitUntil(lambda: not compose.transport.is_playing, timeout=5000)
    assert compose.play_button.text() == "▶ Play"


def test_playing_without_loop_stops_at_the_end(qtbot, compose):
    generate(qtbot, compose)
    with qtbot.waitSignal(compose.transport.playing_changed, timeout=20_000, check_params_cb=lambda p: not p):
        compose.toggle_play()
    assert compose.transport.player.frames_written >= len(compose.selected_variation().audio.samples) - 1024


def test_a_b_switching_keeps_playing(qtbot, compose):
    generate(qtbot, compose)
    compose.loop_check.setChecked(True)
    compose.toggle_play()
    compose.variation_list.setCurrentRow(1)
    qtbot.waitUntil(lambda: compose.transport.variation.index == 1, timeout=20_000)  # once its sound is rendered
    assert compose.transport.is_playing
    compose.transport.stop()


def test_tempo_change_rerenders_without_regenerating(qtbot, compose):
    generate(qtbot, compose)
    before = compose.selected_variation()
    compose.controls.tempo_spin.setValue(before.audio_tempo * 2)
    qtbot.waitUntil(lambda: compose.selected_variation().audio_tempo == before.audio_tempo * 2, timeout=20_000)
    after = compose.selected_variation()
    assert after.melody.events == before.melody.events
    assert after.audio_tempo == before.audio_tempo * 2
    assert after.audio.seconds < before.audio.seconds * 0.75


def test_count_in_adds_a_bar_of_clicks(qtbot, compose):
    generate(qtbot, compose)
    plain = compose.selected_variation()
    compose.controls.count_in_check.setChecked(True)
    qtbot.waitUntil(lambda: compose.selected_variation().count_in_seconds > 0, timeout=20_000)
    counted = compose.selected_variation()
    bar_seconds = 4 * 60.0 / plain.audio_tempo
    assert counted.count_in_seconds == pytest.approx(bar_seconds)
    assert counted.audio.seconds == pytest.approx(plain.audio.seconds + bar_seconds, abs=0.05)


def test_continue_a_motif_from_a_midi_file(qtbot, compose, tmp_path):
    motif_file = write_tune(tmp_path / "motif.mid", seed=42, bars=1, tonic=62)
    with qtbot.waitSignal(compose.worker.job_finished, timeout=10_000):
        compose.open_motif_file(motif_file)
    assert compose.motif and "Motif" in compose.motif_label.text()
    generate(qtbot, compose)
    expected = [pitch for pitch, _ in compose.motif if pitch is not None]
    for row in range(compose.variation_list.count()):
        compose.variation_list.setCurrentRow(row)
        notes = compose.piano_roll.content.notes
        assert [n.pitch for n in notes[: len(expected)]] == expected
        assert notes[0].is_motif


def test_motif_from_the_on_screen_keyboard(qtbot, compose):
    compose.keyboard.play(62)
    compose.keyboard.play(66)
    qtbot.keyClicks(compose.keyboard, "J")  # computer key J: B above the keyboard's C
    assert [pitch for pitch, _ in compose.motif] == [62, 66, compose.keyboard.lowest + 11]
    compose.motif_panel.remove_last()
    assert len(compose.motif) == 2


def test_a_motif_outside_the_range_says_which_notes_and_what_to_do(qtbot, compose):
    # A bass line read from a MIDI file, below the Range A3-D6: Generate said only "The motif has notes outside the
    # requested pitch range." (seen under Xvfb).
    compose.controls.low_spin.setValue(57)
    compose.controls.high_spin.setValue(86)
    compose.motif_panel.set_motif([(43, 1.0), (None, 0.5), (50, 1.0)])
    with qtbot.waitSignal(compose.worker.job_failed, timeout=20_000):
        compose.generate()
    assert compose.message_bar.text() == ("The motif's notes go from G2 to D3, outside the Range (A3 to D6): set the "
                                          "Range to G2 to D6 to take them in, or clear the motif.")
    compose.controls.low_spin.setValue(43)  # as it says
    with qtbot.waitSignal(compose.worker.job_finished, timeout=60_000):
        compose.generate()
    assert compose.variation_list.count() > 0

    compose.motif_panel.set_motif([(20, 1.0), (62, 1.0)])  # lower than the Range can go
    with qtbot.waitSignal(compose.worker.job_failed, timeout=20_000):
        compose.generate()
    assert compose.message_bar.text() == ("The motif's notes go from A♭0 to D4, beyond the notes a melody here can "
                                          "have (C2 to C7): open another MIDI file, or play the motif on the keyboard.")


def test_a_motifs_lengths_read_as_quarters_and_fractions_of_one(compose):
    compose.motif_panel.set_motif([(62, 1.0), (64, 1.5), (66, 0.125), (67, 1 / 12), (None, 1 / 3)])
    assert compose.motif_label.text() == "Motif, 5 notes: D4 (1) E4 (1.5) F♯4 (0.125) G4 (1/12) rest (1/3)"


def test_a_broken_motif_file_is_a_sentence(qtbot, compose, tmp_path):
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"not midi at all")
    with qtbot.waitSignal(compose.worker.job_failed, timeout=10_000):
        compose.open_motif_file(broken)
    assert "Choose another MIDI file" in compose.message_bar.text()
    assert compose.motif == []
    # A good file next gives the motif, and the broken one's sentence goes (it stayed up over the new motif).
    with qtbot.waitSignal(compose.worker.job_finished, timeout=10_000):
        compose.open_motif_file(write_tune(tmp_path / "motif.mid", seed=42, bars=1, tonic=62))
    assert compose.motif and compose.message_bar.isHidden()


def test_bad_midi_files_are_described_without_exception_names(qtbot, compose, tmp_path):
    import re

    fake, cut = tmp_path / "Fake.mid", tmp_path / "cut.mid"
    fake.write_text("hello, I am a text file")
    cut.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\x00\x20\x00\x90")
    sentences = []
    for path in (fake, cut):
        with qtbot.waitSignal(compose.worker.job_failed, timeout=10_000):
            compose.open_motif_file(path)
        sentences.append(compose.message_bar.text())
    assert sentences[0].startswith("Fake.mid cannot be used as a motif: not a readable MIDI file: it does not begin")
    assert "damaged or cut short" in sentences[1]
    assert sentences[1].startswith("cut.mid cannot")  # a file's name as it is spelt (it read "Cut.mid" until s14)
    assert not any(re.search(r"[A-Z][a-z]+(Error|Exception)\b|\(\w+\)", s) for s in sentences), sentences


def test_export_midi_and_wav_read_back(qtbot, compose, tmp_path, monkeypatch):
    compose.controls.harmonize_check.setChecked(True)
    generate(qtbot, compose)
    wait_for_job(qtbot, compose, lambda: compose.export_to(tmp_path / "tune.mid"))
    midi = pretty_midi.PrettyMIDI(str(tmp_path / "tune.mid"))
    assert [i.program for i in midi.instruments] == [73, 0]  # melody and chords as separate tracks
    assert midi.instruments[0].notes and midi.instruments[1].notes
    assert midi.get_tempo_changes()[1][0] == pytest.approx(compose.controls.tempo_spin.value(), abs=0.5)
    assert midi.key_signature_changes and midi.key_signature_changes[0].key_number == 2  # D major
    assert compose.piano_roll.content.chords  # chord symbols are drawn

    wait_for_job(qtbot, compose, lambda: compose.export_to(tmp_path / "tune.wav"))
    audio, rate = soundfile.read(tmp_path / "tune.wav")
    expected_seconds = 4 * 4 * 60.0 / compose.controls.tempo_spin.value()
    assert rate == 44100 and expected_seconds <= len(audio) / rate <= expected_seconds + 2.0
    assert np.sqrt(np.mean(audio**2)) > 0.01

    # The dialog gives back a name typed without a suffix as typed, with the type chosen beside it (Qt's own dialog
    # does): "WAV audio" and "my song" wrote the MIDI file "my song.mid".
    from PySide6.QtWidgets import QFileDialog

    for typed, chosen, written in (("my song", "WAV audio (*.wav)", "my song.wav"),
                                   ("take 2.1", "MIDI file (*.mid)", "take 2.1.mid")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_, typed=typed, chosen=chosen: (
            str(tmp_path / typed), chosen))
        wait_for_job(qtbot, compose, compose.export_selected)
        assert (tmp_path / written).is_file()
    assert soundfile.info(tmp_path / "my song.wav").samplerate == 44100


def test_the_list_appears_before_the_sound_and_the_selected_variation_renders_first(qtbot, compose):
    compose.controls.variations_spin.setValue(4)
    rendered = []
    compose.worker.job_finished.connect(
        lambda handle, value: rendered.append(value.index) if handle.title == "Rendering" else None)
    variations = generate(qtbot, compose, wait_for_sound=False, select=2)
    assert [v.audio for v in variations] == [None] * 4  # the list and the roll do not wait for sound
    assert compose.variation_list.currentRow() == 2 and compose.piano_roll.content is not None
    qtbot.waitUntil(lambda: len(rendered) == 4, timeout=30_000)
    assert rendered[0] == 2  # the selected variation is heard first
    assert all(compose.variation_list.variation(row).audio is not None for row in range(4))


def test_drag_gives_a_mid_file_url(qtbot, compose):
    generate(qtbot, compose)
    item = compose.variation_list.item(0)
    mime = compose.variation_list.mimeData([item])
    urls = mime.urls()
    assert len(urls) == 1 and urls[0].isLocalFile() and urls[0].toLocalFile().endswith(".mid")
    midi = pretty_midi.PrettyMIDI(urls[0].toLocalFile())
    assert len(midi.instruments[0].notes) == len(compose.variation_list.variation(0).melody.notes())


def test_keep_and_reopen_exactly(qtbot, compose):
    generate(qtbot, compose)
    compose.variation_list.setCurrentRow(2)
    kept = compose.selected_variation()
    item_id = compose.keep_selected()
    assert compose.store.item(item_id).starred and Path(compose.store.item(item_id).paths[0]).exists()
    assert compose.history_list.count() == 1

    compose.controls.seed_spin.setValue(999)
    generate(qtbot, compose)
    assert compose.selected_variation().melody.events != kept.melody.events

    wait_for_job(qtbot, compose, lambda: compose.reopen(compose.history_list.item(0)))
    reopened = compose.selected_variation()
    assert reopened.index == 2 and reopened.melody.events == kept.melody.events
    assert compose.controls.seed_spin.value() == 5


def test_a_folder_the_train_dialog_cannot_use_is_said_in_the_dialog_not_left_in_the_tab(qtbot, compose, tmp_path):
    dialog = compose.show_train_dialog()
    with qtbot.waitSignal(compose.worker.job_failed, timeout=30_000):
        dialog.set_folder(tmp_path)  # no MIDI files in it
    assert dialog.summary_label.text().startswith("No melody could be read from")
    assert compose.message_bar.isHidden()  # not left behind the dialog, and after it
    dialog.reject()


def test_train_a_style_from_a_folder_with_bad_files(qtbot, compose, tmp_path):
    folder = write_tune_folder(tmp_path / "my tunes")
    dialog = compose.show_train_dialog()
    with qtbot.waitSignal(compose.worker.job_finished, timeout=20_000):
        dialog.set_folder(folder)
    assert "8 melodies found; 3 file(s) skipped" in dialog.summary_label.text()
    reports = [dialog.report_list.item(i).text() for i in range(dialog.report_list.count())]
    assert any(r.startswith("✗ corrupt.mid") for r in reports)
    assert any(r.startswith("✗ drums-only.mid") and "drums" in r for r in reports)
    assert any(r.startswith("✗ empty.mid") for r in reports)
    # every reason reads whole (the dialog opened 299 px wide and cut them off)
    metrics, room = dialog.report_list.fontMetrics(), dialog.report_list.viewport().width()
    assert all(metrics.horizontalAdvance(r) < room for r in reports), (room, max(reports, key=len))
    dialog.name_edit.setText("my-tunes")
    with qtbot.waitSignal(dialog.trained, timeout=60_000):
        dialog.start()
    labels = [compose.controls.style_combo.itemText(i) for i in range(compose.controls.style_combo.count())]
    assert "my-tunes (yours)" in labels
    assert compose.controls.style_combo.currentText() == "my-tunes (yours)"
    generate(qtbot, compose)
    assert compose.variation_list.count() == 3


def test_cancelled_training_saves_nothing(qtbot, compose, tmp_path, data_dir):
    folder = write_tune_folder(tmp_path / "tunes", count=40, with_bad_files=False)
    dialog = compose.show_train_dialog()
    with qtbot.waitSignal(compose.worker.job_finished, timeout=20_000):
        dialog.set_folder(folder)
    dialog.name_edit.setText("never")
    with qtbot.waitSignal(compose.worker.job_progress, timeout=30_000):
        dialog.start()  # running, not just queued
    with qtbot.waitSignal(compose.worker.job_cancelled, timeout=30_000):
        dialog.cancel()
    assert "cancelled" in dialog.summary_label.text()
    assert not (melody_styles_dir() / "never.safetensors").exists()


def test_no_sound_card_is_a_sentence_and_export_still_works(qtbot, compose, tmp_path, monkeypatch):
    monkeypatch.setattr("app.audio_player.portaudio_problem", lambda: "Sound playback needs PortAudio.")
    generate(qtbot, compose)
    compose.toggle_play()
    assert "PortAudio" in compose.message_bar.text()
    wait_for_job(qtbot, compose, lambda: compose.export_to(tmp_path / "still.mid"))
    assert (tmp_path / "still.mid").stat().st_size > 0


def test_an_impossible_request_is_a_sentence(qtbot, compose):
    compose.controls.low_spin.setValue(60)
    compose.controls.high_spin.setValue(60)
    compose.controls.key_combo.setCurrentText("D")
    with qtbot.waitSignal(compose.worker.job_failed, timeout=20_000):
        compose.generate()
    assert compose.message_bar.text() and "Traceback" not in compose.message_bar.text()
    assert compose.generate_button.text() == "Generate"


def test_ui_never_stalls_while_composing_and_rendering(qtbot, main_window, compose):
    qtbot.waitUntil(lambda: main_window.device_info is not None, timeout=20_000)  # start-up done, as for a user
    # ... the other tabs' start-up jobs included (the Paint tab loading its styles: in a fresh checkout its
    # first imports also compile bytecode, which holds the interpreter lock). This test is about composing.
    qtbot.waitUntil(lambda: not any(tab.worker.pending_jobs() for tab in main_window.activity_tabs
                                    if tab is not compose), timeout=60_000)
    compose.controls.variations_spin.setValue(16)
    compose.controls.bars_spin.setValue(32)
    with event_loop_gaps() as gaps:
        generate(qtbot, compose)
        qtbot.wait(50)
    assert compose.variation_list.count() == 16
    assert_never_stalled(gaps)


def test_exported_and_dragged_files_follow_the_umask(qtbot, compose, tmp_path):
    import os
    import stat

    generate(qtbot, compose)
    before = os.umask(0o022)
    try:
        wait_for_job(qtbot, compose, lambda: compose.export_to(tmp_path / "tune.mid"))
        wait_for_job(qtbot, compose, lambda: compose.export_to(tmp_path / "tune.wav"))
        dragged = compose.variation_list.mimeData([compose.variation_list.item(0)]).urls()[0].toLocalFile()
    finally:
        os.umask(before)
    for path in (tmp_path / "tune.mid", tmp_path / "tune.wav", dragged):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644, path


def test_the_creativity_slider_shows_its_value(compose):
    from PySide6.QtWidgets import QLabel

    label = next(w for w in compose.controls.findChildren(QLabel) if w.accessibleName() == "Creativity value")
    compose.controls.creativity_slider.setValue(135)
    assert label.text() == "1.35" and label.isVisibleTo(compose.controls)


def test_variations_and_kept_melodies_can_be_told_apart(qtbot, compose):
    import re

    compose.controls.variations_spin.setValue(4)
    variations = generate(qtbot, compose)
    assert all(v.label for v in variations)  # worked out by the job, off the UI thread
    labels = [compose.variation_list.item(row).text() for row in range(4)]
    # Each label leads with its number and what sets it apart: a contour bar by bar and its first notes.
    apart = [re.sub(r"^\d+\. ", "", label) for label in labels]
    assert len(set(apart)) == 4, labels
    for row, label in enumerate(labels):
        assert label.startswith(f"{row + 1}. ") and re.search(r"[▁▂▃▄▅▆▇█ ]{4} · [A-G]", label), label
        opening = [note.pitch for note in variations[row].melody.notes()[:3]]
        names = ("C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B")
        assert " ".join(names[p % 12] for p in opening) in label
    # What they share is said once, above them.
    assert compose.recipe_label.text() == "tiny · D major · 4/4 · 4 bars · seed 5"
    assert "seed" not in labels[0]

    # An edited variation says so; kept melodies carry the label, the recipe and the time they were kept.
    compose.first_bar_spin.setValue(2)
    compose.last_bar_spin.setValue(2)
    wait_for_job(qtbot, compose, compose.regenerate_bars, timeout=30_000)
    assert compose.variation_list.item(0).text().endswith(" · new bar 2")
    compose.keep_selected()
    compose.variation_list.setCurrentRow(1)
    compose.keep_selected()
    kept = sorted(compose.history_list.item(row).text() for row in range(compose.history_list.count()))
    assert len(set(kept)) == 2
    assert all(re.match(r"\d\d:\d\d · [▁▂▃▄▅▆▇█ ]{4} · ", text) and "tiny · D major" in text for text in kept)


def test_the_playhead_runs_over_the_roll_only_for_the_melody_heard(qtbot, compose):
    # Session 15 under Xvfb: the chat's ▶ Play plays its melody through this tab's transport, and the playhead ran
    # over the notes of the variation on show, another melody (/work/helpers/firsthour3/shots/54_*.png).
    generate(qtbot, compose)
    compose.variation_list.setCurrentRow(0)
    other = compose.variation_list.variation(1)
    qtbot.waitUntil(lambda: compose.variation_list.variation(1).audio is not None, timeout=20_000)
    compose.loop_check.setChecked(True)
    heads: list = []
    compose.transport.playhead_moved.connect(heads.append)
    assert compose.play_melody(compose.variation_list.variation(1))  # as the chat's ▶ Play does
    qtbot.waitUntil(lambda: any(beats is not None for beats in heads), timeout=5000)
    assert compose.piano_roll.playhead is None
    compose.variation_list.setCurrentRow(1)  # the melody heard on show: its playhead (A/B keeps it playing)
    heads.clear()
    qtbot.waitUntil(lambda: any(beats is not None for beats in heads), timeout=5000)
    assert compose.selected_variation().melody is other.melody and compose.piano_roll.playhead is not None
    compose.transport.stop()


def test_a_midi_file_dropped_on_the_tab_is_the_motif(qtbot, compose, tmp_path):
    # Session 15, used as a musician would: a MIDI file dragged from the file manager onto the Compose tab did nothing
    # (the Paint canvas takes a dropped photo); Open MIDI motif… was the only way in.
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    motif_file = write_tune(tmp_path / "motif.mid", seed=42, bars=1, tonic=62)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(motif_file))])
    where, action = QPoint(20, 20), Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where, action, mime, buttons, keys)
    QApplication.sendEvent(compose, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(compose.worker.job_finished, timeout=20_000):
        QApplication.sendEvent(compose, QDropEvent(where, action, mime, buttons, keys))
    assert compose.motif and compose.motif[0][0] is not None


def test_the_controls_are_as_they_were_when_the_window_reopens(qtbot, main_window, compose):
    """A musician who set D minor, 16 bars, 140 BPM and Harmonize found D major, 8 bars and 110 after closing and
    opening Atelier again (seen under Xvfb); a damaged remembered recipe leaves the defaults."""
    from app.main_window import MainWindow

    controls = compose.controls
    controls.mode_combo.setCurrentText("minor")
    controls.bars_spin.setValue(16)
    controls.tempo_spin.setValue(140)
    controls.harmonize_check.setChecked(True)
    controls.instrument_combo.setCurrentIndex(0)
    wanted = controls.request()
    main_window.close()
    reopened = MainWindow()
    qtbot.addWidget(reopened)
    try:
        assert reopened.activity_tabs[1].controls.request() == wanted
    finally:
        reopened.close()
    reopened.settings.set("compose_recipe", '{"bars": "many"}')
    again = MainWindow()
    qtbot.addWidget(again)
    try:
        assert again.activity_tabs[1].controls.bars_spin.value() == 8
    finally:
        again.shutdown()


def test_a_style_brings_its_usual_tempo_unless_the_tempo_was_set_by_hand(qtbot, compose):
    """Chosen in the tab, a Bach chorale played at the Irish 110 (the chat and `atelier compose` gave it 80)."""
    controls = compose.controls
    controls.refresh_styles(select="irish")
    assert controls.tempo_spin.value() == 110
    controls.style_combo.setCurrentIndex(controls.style_combo.findData("bach"))
    assert controls.tempo_spin.value() == 80
    controls.style_combo.setCurrentIndex(controls.style_combo.findData("scottish"))
    assert controls.tempo_spin.value() == 90
    controls.tempo_spin.setValue(72)  # the musician's own tempo stays
    controls.style_combo.setCurrentIndex(controls.style_combo.findData("fiddle"))
    assert controls.tempo_spin.value() == 72


def test_a_motif_that_leaves_the_key_sets_the_key_to_its_own(qtbot, compose):
    """Played on the white keys under the default D major, a motif went on in D major: C sharps and F sharps against
    its C and F naturals. A motif the chosen key holds leaves the key alone."""
    compose.controls.key_combo.setCurrentText("D")
    compose.controls.mode_combo.setCurrentText("major")
    compose.motif_panel.set_motif([(62, 1.0), (64, 1.0), (66, 1.0), (69, 1.0)])  # D E F# A: D major holds it
    generate(qtbot, compose, wait_for_sound=False)
    assert (compose.controls.key_combo.currentText(), compose.controls.mode_combo.currentText()) == ("D", "major")
    compose.motif_panel.set_motif([(60, 1.0), (62, 1.0), (64, 1.0), (65, 1.0), (67, 2.0), (64, 1.0), (60, 1.0)])
    generate(qtbot, compose, wait_for_sound=False)
    assert (compose.controls.key_combo.currentText(), compose.controls.mode_combo.currentText()) == ("C", "major")
    assert compose.selected_variation().melody.tonic == 0
    assert "The motif is in C major, not D major" in compose.message_bar.text()


def test_play_after_esc_cancelled_the_sound_renders_it_again(qtbot, compose, monkeypatch):
    # Esc on the Compose tab cancels the sound being rendered; Play then waited for that render, which never came,
    # and did nothing for good (seen under Xvfb).
    import threading

    from app.tabs.compose import jobs

    release = threading.Event()
    render = jobs.rerender

    def held_render(variation, tempo, count_in):
        job = render(variation, tempo, count_in)

        def held(context):
            release.wait(10)
            yield from job(context)

        return held

    monkeypatch.setattr(jobs, "rerender", held_render)
    generate(qtbot, compose, wait_for_sound=False)
    assert compose.cancel_running_job()  # Esc: the selected variation's sound, rendered first
    release.set()
    qtbot.waitUntil(lambda: not compose.worker.pending_jobs(), timeout=30_000)
    assert compose.selected_variation().audio is None
    compose.toggle_play()
    qtbot.waitUntil(lambda: compose.selected_variation().audio is not None, timeout=30_000)
    assert compose.transport.is_playing or compose.transport.player.frames_written > 0
