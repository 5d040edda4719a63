"""Lists that say what they are for while empty: the Paint history and the kept melodies."""

from __future__ import annotations

from app.tabs.hint_list import HintList


def _grab(qtbot, hint: str, items: list[str]):
    widget = HintList(hint)
    qtbot.addWidget(widget)
    widget.addItems(items)
    widget.resize(220, 160)
    widget.show()
    qtbot.waitExposed(widget)
    return widget.grab().toImage()


def test_the_hint_shows_only_while_the_list_is_empty(qtbot):
    assert _grab(qtbot, "Each Render appears here.", []) != _grab(qtbot, "", [])
    assert _grab(qtbot, "Each Render appears here.", ["12:37 · Hokusai"]) == _grab(qtbot, "", ["12:37 · Hokusai"])


def test_the_paint_history_and_the_kept_melodies_say_how_to_fill_them(paint, compose):
    assert isinstance(paint.history_list, HintList) and "Render" in paint.history_list.hint
    assert isinstance(compose.history_list, HintList) and "Keep" in compose.history_list.hint
