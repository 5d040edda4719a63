"""Nothing is painted on its own from a blank canvas: the empty state keeps saying what to do first.

Session 14, used as a new user would: 2-3 s after the first start, with no action, the result beside the white
canvas turned into a painting of nothing (Hokusai's sea over cream paper), replacing "Paint a few shapes, or drop
a photo on the canvas, then press Render" (/work/helpers/firsthour/shots/70_first_launch_after_6s.png); each
start spent a full render on it.
"""

from __future__ import annotations

from tests.test_paint_tab import centre, stroke


def no_render_due(paint) -> bool:
    return not paint._preview_timer.isActive() and not paint._full_timer.isActive() \
        and not paint.worker.pending_jobs()


def test_a_blank_canvas_is_not_rendered_when_a_setting_or_the_style_changes(qtbot, paint):
    qtbot.waitUntil(lambda: no_render_due(paint), timeout=10_000)
    paint.controls.live_check.setChecked(True)
    paint.controls.strength_slider.setValue(60)
    paint.controls.style_chosen.emit(paint.current_style())
    assert no_render_due(paint)
    assert paint.result_view.image is None  # the empty state is on show


def test_the_first_stroke_starts_the_live_preview(qtbot, paint):
    paint.controls.live_check.setChecked(True)
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 30, y), (x + 30, y))
    assert paint._preview_timer.isActive() and paint._full_timer.isActive()
    paint._preview_timer.stop()
    paint._full_timer.stop()


def test_render_still_paints_a_blank_canvas_when_asked(qtbot, paint):
    assert paint.render() is not None
    paint.cancel_running_job()
