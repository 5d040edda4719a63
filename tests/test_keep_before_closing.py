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


def open_again(qtbot):
    from app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda window: window.close_without_asking())
    return window


def test_a_chat_message_not_sent_is_asked_about_and_save_keeps_it_for_next_time(qtbot, main_window):
    chat = main_window.activity_tabs[2]
    chat.input.setPlainText("What colours did Turner")
    main_window.show()
    main_window.close()
    text = main_window.keep_question.informativeText()
    assert "Chat: a message not sent." in text and "for the next time Atelier opens" in text
    assert "history" not in text  # nothing goes into the history
    answer(main_window, QMessageBox.StandardButton.Save)
    assert main_window.is_shut_down

    again = open_again(qtbot)
    try:
        chat = again.activity_tabs[2]
        assert chat.input.toPlainText() == "What colours did Turner"
        assert chat.unsaved_work() == ""  # kept: not asked about again until it changes
        chat.input.insertPlainText(" paint")
        assert chat.unsaved_work() == "a message not sent"
        chat.input.clear()
    finally:
        again.close()  # nothing to ask: the input is empty
    assert again.is_shut_down
    third = open_again(qtbot)  # cleared: not brought back
    try:
        assert third.activity_tabs[2].input.toPlainText() == ""
    finally:
        third.shutdown()


def test_a_chat_message_discarded_on_closing_is_gone_next_time(qtbot, main_window):
    main_window.activity_tabs[2].input.setPlainText("What colours did Turner")
    main_window.show()
    main_window.close()
    answer(main_window, QMessageBox.StandardButton.Discard)
    again = open_again(qtbot)
    try:
        assert again.activity_tabs[2].input.toPlainText() == ""
    finally:
        again.shutdown()


def test_a_private_chat_message_is_neither_asked_about_nor_saved(qtbot, main_window):
    chat = main_window.activity_tabs[2]
    chat.input.setPlainText("What colours did Turner")
    assert main_window.autosave.parts["chat-draft"].recovery_snapshot() is not None
    chat.sampling.private_check.setChecked(True)  # "Don't save this chat": never written to disk
    assert chat.unsaved_work() == ""
    assert main_window.autosave.parts["chat-draft"].recovery_snapshot() is None


def test_variations_restored_after_a_crash_remember_which_were_kept(qtbot, main_window, compose):
    import json

    from app.recovery import Snapshot

    generate(qtbot, compose)
    part = main_window.autosave.parts["compose"]
    with qtbot.waitSignal(part.recovery_changed, timeout=1_000):  # saved again once a variation is kept
        compose.keep_selected()
    saved = Snapshot(json.loads(json.dumps(part.recovery_snapshot().state)))  # as written to disk and read back
    part.restore_recovery_snapshot(saved)
    assert compose.variation_list.count() == 3
    assert compose.unsaved_work() == ""  # before: "3 melodies not kept", the kept flag was not saved


def test_loop_and_the_chosen_bars_come_back_after_a_crash(qtbot, main_window, compose):
    """A normal close remembers them in the settings; a crash left Loop off and the second half's opening bar."""
    import json

    from app.main_window import MainWindow
    from app.recovery import Snapshot

    generate(qtbot, compose)
    part = main_window.autosave.parts["compose"]
    changed = []
    part.recovery_changed.connect(lambda: changed.append(True))
    compose.loop_check.setChecked(True)
    assert changed  # saved again when Loop changes
    changed.clear()
    compose.edit_bar.set_bar_range(2, 3)
    assert changed  # and when the bars do
    saved = Snapshot(json.loads(json.dumps(part.recovery_snapshot().state)))  # as written to disk and read back
    after_crash = MainWindow()  # the settings as before: the crashed window never closed
    qtbot.addWidget(after_crash)
    tab = after_crash.activity_tabs[1]
    assert not tab.loop_check.isChecked()
    after_crash.autosave.parts["compose"].restore_recovery_snapshot(saved)
    assert tab.loop_check.isChecked() and tab.transport.loop
    assert tab.variation_list.count() == 3 and tab.edit_bar.bar_range() == (2, 3)
    after_crash.close_without_asking()


def job_end_receivers(worker) -> int:
    from PySide6.QtCore import SIGNAL

    signals = ("job_finished(PyObject,PyObject)", "job_failed(PyObject,QString)", "job_cancelled(PyObject)")
    return sum(worker.receivers(SIGNAL(signal)) for signal in signals)


def test_saving_again_after_a_stopped_render_connects_nothing_more(qtbot, main_window, paint):
    # Each Save connected three more callbacks to the worker, kept for the rest of the session.
    settle(qtbot, paint)
    paint_a_stroke(paint)
    main_window.show()
    counts = []
    for _ in range(3):
        main_window.close()
        with qtbot.waitSignal(paint.worker.job_cancelled, timeout=60_000):
            answer(main_window, QMessageBox.StandardButton.Save)
            main_window.cancel_job()  # Esc
        assert main_window.isVisible()
        counts.append(job_end_receivers(paint.worker))
    assert counts[0] == counts[1] == counts[2]
