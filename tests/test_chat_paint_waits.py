"""A painting asked for in the chat while the Paint tab's worker is busy says what it waits for.

Session 15 under Xvfb (/work/helpers/firsthour3/shots/61_chat_paint_waiting_20s.png): with a Best quality render
running in the Paint tab, "paint a lighthouse in a storm like Turner" answered "Painting…" and nothing else for
minutes, while the status bar showed the Paint tab's "Rendering: step 1/10": one worker paints for both tabs.
"""

from __future__ import annotations

import threading

from models.jobs import Progress, Result


def test_a_painting_asked_for_behind_a_render_says_it_waits_for_it(qtbot, main_window, paint):
    chat = main_window.activity_tabs[2]
    release = threading.Event()

    def long_render(context):
        yield Progress(None, "painting")
        release.wait(30)
        yield Result(None)

    paint.run_job("Rendering", long_render)
    try:
        assert chat.send("paint a stormy harbour like Turner")
        answer = chat.messages[-1].content
        assert "Painting…" in answer and "Paint tab's “Rendering”" in answer
    finally:
        paint.worker.cancel_all()  # the chat's painting too: what it paints is not what this checks
        release.set()
    qtbot.waitUntil(lambda: not paint.worker.pending_jobs(), timeout=20_000)


def test_with_the_paint_tab_idle_the_answer_only_says_painting(qtbot, main_window, paint):
    qtbot.waitUntil(lambda: not paint.worker.pending_jobs(), timeout=20_000)
    chat = main_window.activity_tabs[2]
    assert chat.send("paint a stormy harbour like Turner")
    assert chat.messages[-1].content.endswith("Painting…")
    paint.worker.cancel_all()
    qtbot.waitUntil(lambda: not paint.worker.pending_jobs(), timeout=20_000)
