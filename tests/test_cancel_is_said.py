"""Esc is seen to work: the status bar says the job is being cancelled until it stops, and a Best quality render
stopped half-way no longer says it is painting.

Session 16, under Xvfb at load 13 (/work/helpers/firsthour4/shots/07-esc.png, 07-after-esc.png): Esc during
Best quality left "Rendering: 1992 strokes planned 5%" and Cancel in the status bar for 7.5 s, as if the key had
not been pressed, and afterwards the result pane said "painting… 1992 strokes planned" for good.
"""

from __future__ import annotations

import threading

from PIL import Image
from PySide6.QtCore import QCoreApplication

from models.jobs import Progress, check_cancelled
from tests.support.jobs import wait_for_start_up


def test_escape_says_cancelling_until_the_job_stops(qtbot, main_window, paint, monkeypatch):
    from app import worker as workers

    monkeypatch.setattr(workers, "EMIT_INTERVAL_S", 0.0)  # every report reaches the window
    wait_for_start_up(qtbot, main_window)  # the paint fixture has waited for the longest, loading the styles
    worker, status = paint.worker, main_window.status
    escaped, stepped, reported = threading.Event(), threading.Event(), threading.Event()

    def slow_step(context):  # a step that looks at its cancel flag only once it is done, as Best quality's do
        yield Progress(0.05, "1992 strokes planned")
        escaped.wait(10)
        yield Progress(0.2, "step 1/10")
        stepped.set()  # the report has been sent
        reported.wait(10)
        check_cancelled(context.cancel)

    handle = worker.submit("Rendering", slow_step)
    qtbot.waitUntil(lambda: "strokes planned" in status.job_label.text(), timeout=10_000)
    assert main_window.menus.cancel_action.shortcut().toString() == "Esc"
    main_window.menus.cancel_action.trigger()
    assert handle.cancel_event.is_set()
    assert status.job_label.text() == "Rendering: cancelling…"
    escaped.set()
    assert stepped.wait(10)
    QCoreApplication.processEvents()  # the report reaches the window
    assert status.job_label.text() == "Rendering: cancelling…"  # the step's report does not take it back
    with qtbot.waitSignal(worker.job_cancelled, timeout=10_000):
        reported.set()
    assert not status.job_label.isVisible()


def test_a_best_quality_render_stopped_half_way_says_it_was_not_finished(qtbot, paint, monkeypatch):
    from app.tabs.paint import jobs

    def half_way(recipe, source, folder):
        def job(context):
            yield Progress(0.05, "1992 strokes planned", Image.new("RGB", (32, 24), (200, 120, 40)))
            while True:
                check_cancelled(context.cancel)
                context.cancel.wait(0.01)
                yield Progress(0.05, "step 1/10")

        return job

    monkeypatch.setattr(jobs, "paint_and_keep", half_way)
    paint.controls.best_check.setChecked(True)
    with qtbot.waitSignal(paint.worker.job_progress, timeout=10_000):
        handle = paint.render()
    qtbot.waitUntil(lambda: paint.result_view.caption.startswith("painting…"), timeout=10_000)
    with qtbot.waitSignal(paint.worker.job_cancelled, timeout=10_000):
        paint.cancel_running_job()
    assert handle.cancel_event.is_set()
    assert paint.result_view.image is not None  # what it had painted stays, for Copy
    assert paint.result_view.caption == "stopped before it was finished: not kept"
    assert not paint.keep_button.isEnabled() and not paint.export_button.isEnabled()
