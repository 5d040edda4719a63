"""Closing the window with work not kept asks Save / Discard / Cancel (MainWindow.ask_to_keep); with nothing to
lose it closes at once. Before, a clean close dropped every variation on show and deleted a render after a pause
that was never kept, without a word."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.support.jobs import wait_for_job
from tests.test_paint_tab import settle


def generate(qtbot, compose):
    return wait_for_job(qtbot, compose, compose.generate)


def answer(main_window, button: QMessageBox.StandardButton) -> None:
    box = main_window.keep_question
    assert box.isVisible()
    box.button(button).click()


def test_closing_with_nothing_made_does_not_ask(qtbot, main_window):
    main_window.show()
    main_window.close()
    assert not main_window.isVisible() and main_window.is_shut_down


def test_cancel_keeps_the_window_open_and_save_keeps_every_variation(qtbot, main_window, compose):
    generate(qtbot, compose)
    assert compose.unsaved_work() == "3 melodies not kept"
    main_window.show()
    main_window.close()
    assert main_window.isVisible() and not main_window.is_shut_down
    assert "Compose: 3 melodies not kept." in main_window.keep_question.informativeText()
    answer(main_window, QMessageBox.StandardButton.Cancel)
    assert main_window.isVisible() and not main_window.is_shut_down

    main_window.close()
    answer(main_window, QMessageBox.StandardButton.Save)
    assert main_window.is_shut_down
    assert compose.history_list.count() == 3


def test_discard_closes_without_keeping(qtbot, main_window, compose):
    generate(qtbot, compose)
    main_window.show()
    main_window.close()
    answer(main_window, QMessageBox.StandardButton.Discard)
    assert main_window.is_shut_down and not main_window.isVisible()
    assert compose.history_list.count() == 0


def test_a_kept_choice_is_enough_until_a_melody_is_edited(qtbot, main_window, compose):
    generate(qtbot, compose)
    compose.keep_selected()
    assert compose.unsaved_work() == ""
    compose.variation_list.setCurrentRow(1)
    compose.first_bar_spin.setValue(1)
    compose.last_bar_spin.setValue(2)
    wait_for_job(qtbot, compose, compose.regenerate_bars)
    assert compose.unsaved_work() == "1 melody not kept"


def test_a_render_after_a_pause_not_in_the_history_is_asked_about(qtbot, main_window, paint):
    settle(qtbot, paint)
    wait_for_job(qtbot, paint, paint._render_after_a_pause, timeout=60_000)
    assert paint.unsaved_work()
    main_window.show()
    main_window.close()
    assert "Paint: the painting on show is not in the history." in main_window.keep_question.informativeText()
    answer(main_window, QMessageBox.StandardButton.Save)
    assert main_window.is_shut_down
    assert paint.painting.history_id is not None


def paint_a_stroke(paint) -> None:
    from PySide6.QtCore import QPointF

    paint.canvas.begin_stroke(QPointF(50, 50))
    paint.canvas.stroke_to(QPointF(150, 80))
    paint.canvas.end_stroke()


def test_strokes_not_rendered_are_rendered_into_the_history_before_the_window_closes(qtbot, main_window, paint):
    settle(qtbot, paint)
    paint_a_stroke(paint)
    assert paint.unsaved_work() == "the canvas has changes not rendered yet"
    main_window.show()
    main_window.close()
    with qtbot.waitSignal(paint.worker.job_finished, timeout=60_000):
        answer(main_window, QMessageBox.StandardButton.Save)
        assert main_window.isVisible()  # until the render is kept
    qtbot.waitUntil(lambda: main_window.is_shut_down, timeout=10_000)
    from app.paths import history_database_path
    from app.store import Store

    history = Store(history_database_path())  # the window's is closed
    try:
        assert [item.id for item in history.items("painting")] == [paint.painting.history_id]
    finally:
        history.close()


def test_a_render_stopped_before_it_is_kept_leaves_the_window_open(qtbot, main_window, paint):
    settle(qtbot, paint)
    paint_a_stroke(paint)
    main_window.show()
    main_window.close()
    with qtbot.waitSignal(paint.worker.job_cancelled, timeout=60_000):
        answer(main_window, QMessageBox.StandardButton.Save)
        main_window.cancel_job()  # Esc
    assert main_window.isVisible() and not main_window.is_shut_down
    assert paint.unsaved_work() == "the canvas has changes not rendered yet"


def test_a_window_already_shut_down_closes_without_asking(qtbot, main_window, compose):
    # Nothing can be kept once the history is closed; the question, left open, took later tests' mouse events.
    generate(qtbot, compose)
    main_window.show()
    main_window.shutdown()
    main_window.close()
    assert not main_window.isVisible() and getattr(main_window, "keep_question", None) is None
