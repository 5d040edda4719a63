"""Compose's Keep says whether the melody on show is kept, as Paint's does: it read "☆ Keep" after a Keep (only the
kept list and a message said so)."""

from __future__ import annotations

from tests.support.jobs import wait_for_job
from tests.test_compose_tab import generate


def test_keep_reads_kept_for_the_kept_melody_only(qtbot, compose):
    generate(qtbot, compose)
    assert compose.keep_button.text() == "☆ Keep"
    compose.keep_selected()
    assert compose.keep_button.text() == "★ Kept"
    compose.variation_list.setCurrentRow(1)
    assert compose.keep_button.text() == "☆ Keep"
    compose.variation_list.setCurrentRow(0)
    assert compose.keep_button.text() == "★ Kept"
    # A second Keep does not write the same melody into the kept list again.
    assert compose.keep_selected() is None and compose.history_list.count() == 1
    assert "kept already" in compose.message_bar.text()
    compose.first_bar_spin.setValue(2)
    compose.last_bar_spin.setValue(2)
    wait_for_job(qtbot, compose, compose.regenerate_bars, timeout=30_000)  # an edit since: not the kept melody
    assert compose.keep_button.text() == "☆ Keep"
    assert compose.undo_edit() and compose.keep_button.text() == "★ Kept"


def test_a_melody_kept_while_its_sound_was_rendered_stays_kept(qtbot, compose):
    # The sound job copies the variation; a copy made before Keep replaced the kept one when it came, and closing
    # asked about it again. The copy is made here, as the job makes it, so that the order is sure.
    import dataclasses

    generate(qtbot, compose)
    variation = compose.selected_variation()
    copy_with_sound = dataclasses.replace(variation)
    compose.keep_selected()
    compose.sound._arrived(copy_with_sound)
    assert compose.selected_variation() is copy_with_sound
    assert copy_with_sound.kept and compose.keep_button.text() == "★ Kept"
    assert "not kept" not in compose.unsaved_work()


def test_a_reopened_kept_melody_reads_kept(qtbot, compose):
    generate(qtbot, compose)
    compose.variation_list.setCurrentRow(2)
    compose.keep_selected()
    compose.controls.seed_spin.setValue(999)
    generate(qtbot, compose)
    assert compose.keep_button.text() == "☆ Keep"
    wait_for_job(qtbot, compose, lambda: compose.reopen(compose.history_list.item(0)))
    assert compose.variation_list.currentRow() == 2 and compose.keep_button.text() == "★ Kept"
    assert compose.unsaved_work() == ""  # the musician chose this one: closing does not ask about its siblings
