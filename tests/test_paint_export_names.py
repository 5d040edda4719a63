"""Export says the name of the file it wrote.

Session 16, under Xvfb: exporting to "c" wrote c.png and said "Exported c."; to "e.tiff", wrote e.png and said
"Exported e.tiff." — a name the user then looks for and does not find.
"""

from __future__ import annotations

import pytest

from tests.support.jobs import wait_for_job
from tests.test_paint_new_canvas_result import show_a_painting


@pytest.mark.parametrize(("typed", "written"), [("c", "c.png"), ("e.tiff", "e.png"), ("sunset v1.2", "sunset v1.2.png"),
                                                ("d.PNG", "d.PNG"), ("b.jpg", "b.jpg")])
def test_export_says_the_file_it_wrote(qtbot, paint, tmp_path, typed, written):
    show_a_painting(paint)
    assert wait_for_job(qtbot, paint, lambda: paint.export_to(tmp_path / typed)) == tmp_path / written
    assert [p.name for p in tmp_path.iterdir()] == [written]
    assert paint.message_bar.text() == f"Exported {written}."
