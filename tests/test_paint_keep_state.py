"""Keep says whether the painting on show is kept: it read "☆ Keep" after a Keep and for a starred entry brought back
(only the history's ★ and a message said so, under Xvfb)."""

from __future__ import annotations

from tests.support.jobs import wait_for_job


def test_keep_reads_kept_while_the_painting_on_show_is_starred(qtbot, paint):
    painting = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    assert paint.keep_button.text() == "☆ Keep"
    assert paint.keep_current()
    assert paint.keep_button.text() == "★ Kept" and paint.keep_button.isEnabled()
    paint.history_strip.star(painting.history_id, False)  # unstarred from the history's menu
    assert paint.keep_button.text() == "☆ Keep"
    paint.history_strip.star(painting.history_id)
    wait_for_job(qtbot, paint, paint.render, timeout=60_000)  # a new painting, not kept
    assert paint.keep_button.text() == "☆ Keep"
    wait_for_job(qtbot, paint, lambda: paint.restore(paint.history_list.item(1)), timeout=60_000)  # the kept one
    assert paint.painting.history_id == painting.history_id and paint.keep_button.text() == "★ Kept"
