"""Keep and Export act on the painting on show, never on one a preview has replaced.

Session 14, used as a new user would (/work/helpers/firsthour2/shots/P4_preview_of_coffee_keep_is_the_cats.png):
with Best quality on, a photo opened after a painting of another showed its preview, while Keep and Export still
starred and wrote the painting of the photo before, for as long as no Render was pressed.
"""

from __future__ import annotations

from tests.support.jobs import wait_for_job
from tests.test_paint_new_canvas_result import show_a_painting
from tests.test_paint_tab import centre, stroke


def test_a_preview_of_the_canvas_now_disables_keep_and_export_until_the_full_render(qtbot, paint):
    show_a_painting(paint)
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y), (x + 40, y))
    wait_for_job(qtbot, paint, paint.render_preview)
    assert paint.result_view.caption == "preview"
    assert not paint.keep_button.isEnabled() and not paint.export_button.isEnabled()
    assert not paint.keep_current() and not paint.export()
    assert paint.copy_button.isEnabled() and paint.copy_result()  # what is on show
    painting = wait_for_job(qtbot, paint, paint.render)
    assert paint.painting is painting and paint.keep_button.isEnabled() and paint.export_button.isEnabled()
