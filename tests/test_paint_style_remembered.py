"""The Paint tab starts on the style chosen last.

Session 16, under Xvfb: after a restart the style list was back on its first entry (Hokusai) whatever one had
painted in; each start, a Van Gogh painter re-picked Van Gogh.
"""

from __future__ import annotations

from pathlib import Path


def test_the_paint_tab_starts_on_the_style_chosen_last(qtbot, main_window, paint, monkeypatch):
    from app.tabs.paint.paint_tab import PaintTab

    controls = paint.controls
    titles = [entry.title for entry in controls.style_entries()]
    van_gogh = controls.style_entries()[titles.index("Van Gogh")]
    controls.style_list.setCurrentRow(titles.index("Van Gogh"))
    assert main_window.settings.get("paint_style") == van_gogh.path.as_posix()

    asked = []
    monkeypatch.setattr(PaintTab, "reload_styles", lambda tab, select=None: asked.append(select))
    next_start = PaintTab(main_window.store, main_window.settings)
    qtbot.addWidget(next_start)
    try:
        assert asked == [Path(van_gogh.path.as_posix())]
    finally:
        next_start.shutdown()
    controls.style_list.setCurrentRow(0)
    controls.set_styles(controls.style_entries(), asked[0].as_posix())  # the list, loaded, selects it
    assert controls.current_style() is not None and controls.current_style().title == "Van Gogh"
