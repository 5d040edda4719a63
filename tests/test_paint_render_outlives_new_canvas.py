"""A render the user pressed is not lost when a new picture replaces its canvas (New canvas, Open, Paste, a
painting restored): it finishes into the history, and undoing the new picture brings it back beside its canvas.

Session 14 (firsthour2's note): New canvas cancelled a Render still running, minutes of Best quality gone, and
undoing New canvas brought back the canvas without it. Renders after a pause and previews are still cancelled.
"""

from __future__ import annotations

from tests.support.jobs import wait_for_job
from tests.test_paint_new_canvas_result import choose_square
from tests.test_paint_tab import centre, stroke


def history_count(paint) -> int:
    return len(paint.store.items("painting"))


def pressed_render_then_new_canvas(qtbot, paint, monkeypatch):
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y), (x + 40, y))
    choose_square(monkeypatch)

    def start():
        handle = paint.render()  # the user presses Render...
        paint.choose_new_canvas()  # ...and New canvas before it has finished (no event ran between the two)
        return handle

    return wait_for_job(qtbot, paint, start)


def test_new_canvas_lets_a_pressed_render_finish_into_the_history_and_undo_brings_it_back(qtbot, paint, monkeypatch):
    painting = pressed_render_then_new_canvas(qtbot, paint, monkeypatch)
    qtbot.waitUntil(lambda: history_count(paint) == 1, timeout=10_000)
    assert paint.painting is None and paint.result_view.image is None  # not beside the new white canvas
    assert not paint.keep_button.isEnabled()
    assert paint.undo()  # the canvas it was painted from, and the painting with it
    assert paint.painting is painting and paint.keep_button.isEnabled()
    assert paint.redo()
    assert paint.painting is None


def test_a_pressed_render_finishing_after_new_canvas_was_undone_is_shown(qtbot, paint, monkeypatch):
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y), (x + 40, y))
    choose_square(monkeypatch)

    def start():
        handle = paint.render()
        paint.choose_new_canvas()
        paint.undo()  # changed their mind before the render came back
        return handle

    painting = wait_for_job(qtbot, paint, start)
    assert paint.painting is painting and paint.result_view.image is not None


def test_a_render_after_a_pause_is_still_cancelled_by_new_canvas(qtbot, paint, monkeypatch):
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y), (x + 40, y))
    handle = paint._render_after_a_pause()
    choose_square(monkeypatch)
    paint.choose_new_canvas()
    assert handle.cancel_event.is_set()


def test_asking_for_a_picture_cancels_the_render_after_a_pause_at_once(qtbot, paint, tmp_path):
    # The worker runs jobs in order: a 6000x4000 photo reached the canvas 22-30 s after Open, behind the render after
    # a pause of the photo before (under Xvfb, load 10-12).
    from PIL import Image

    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y), (x + 40, y))
    Image.new("RGB", (96, 64), (200, 30, 30)).save(tmp_path / "photo.png")
    after_a_pause = paint._render_after_a_pause()
    opening = paint.open_image(tmp_path / "photo.png")
    assert after_a_pause.cancel_event.is_set() and not opening.cancel_event.is_set()
    wait_for_job(qtbot, paint, lambda: opening)
    assert paint.canvas.image.width() == 96


def test_a_picture_that_does_not_open_leaves_the_live_renders_of_the_canvas(qtbot, paint, tmp_path):
    paint.controls.live_check.setChecked(True)
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y), (x + 40, y))
    (tmp_path / "notes.png").write_text("not a picture")
    failed = []
    paint.worker.job_failed.connect(lambda handle, message: failed.append(message))
    paint.open_image(tmp_path / "notes.png")
    qtbot.waitUntil(lambda: bool(failed), timeout=30_000)
    assert paint._preview_timer.isActive() or paint._preview_job is not None
