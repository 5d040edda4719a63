"""Compose's one note-length control (MelodyRequest.note_length): Generate built its request without it, so a chat's
sad tune (note_length 4) opened here came back with the style's quick notes, and the tab could not ask for it."""

from __future__ import annotations

from models.music.request import MelodyRequest
from tests.support.jobs import wait_for_job


def test_the_control_is_the_engines_note_length_within_its_limit(qtbot, compose):
    from app.tabs.compose.controls import NOTE_LENGTH_LIMIT
    from models.music.generate import MAX_NOTE_LENGTH

    controls = compose.controls
    assert NOTE_LENGTH_LIMIT == MAX_NOTE_LENGTH and controls.note_length_spin.maximum() == MAX_NOTE_LENGTH
    assert controls.request().note_length == 0.0  # the style's own lengths by default
    assert controls.note_length_spin.text() == "the style's own"
    controls.note_length_spin.setValue(2.0)
    assert controls.request().note_length == 2.0
    variations = wait_for_job(qtbot, compose, compose.generate)
    assert variations and all(variation.request.note_length == 2.0 for variation in variations)


def test_a_sad_tune_opened_from_the_chat_keeps_its_longer_notes_on_generate(compose):
    sad = MelodyRequest(style="irish", mode="minor", note_length=4.0)
    compose.controls.show_request(sad)
    assert compose.controls.request().note_length == 4.0
    compose.controls.show_request(MelodyRequest(style="irish", note_length=2.5))  # a kept amount comes back exactly
    assert compose.controls.request().note_length == 2.5


def test_a_change_of_tempo_or_note_length_is_saved_for_a_crash(qtbot, compose):
    # Only whole-number spin boxes were watched: the tempo (a QDoubleSpinBox) changed without a word to the autosave.
    from app.tabs.compose.variations_recovery import VariationsRecovery

    (recovery,) = compose.findChildren(VariationsRecovery)
    with qtbot.waitSignal(recovery.recovery_changed, timeout=1000):
        compose.controls.tempo_spin.setValue(compose.controls.tempo_spin.value() + 7)
    with qtbot.waitSignal(recovery.recovery_changed, timeout=1000):
        compose.controls.note_length_spin.setValue(3.0)
