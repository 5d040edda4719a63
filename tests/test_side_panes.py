"""View ▸ Controls / History fold a side pane away in every tab, giving its width to the work, and bring it back at
the width it had; the menu ticks what the tab on show has, after a drag too, and the layout persists."""

from __future__ import annotations

from app.tabs.activity_tab import ActivityTab


def _shown(window, pane: int) -> list[bool]:
    return [tab.side_pane_shown(pane) for tab in window.activity_tabs]


def test_history_folds_away_in_every_tab_and_comes_back_at_its_width(main_window, qtbot):
    main_window.resize(1200, 780)
    main_window.show()
    qtbot.waitExposed(main_window)
    paint = main_window.activity_tabs[0]
    history = main_window.menus.pane_actions[ActivityTab.HISTORY]
    assert history.isChecked() and _shown(main_window, ActivityTab.HISTORY) == [True, True, True]
    before = paint.splitter.sizes()

    history.trigger()
    assert _shown(main_window, ActivityTab.HISTORY) == [False, False, False]
    folded = paint.splitter.sizes()
    assert folded[2] == 0 and folded[1] >= before[1] + before[2] - 2  # the work took its width
    assert _shown(main_window, ActivityTab.CONTROLS) == [True, True, True]

    history.trigger()
    assert paint.splitter.sizes() == before


def test_the_menu_ticks_what_the_tab_on_show_has(main_window, qtbot):
    main_window.resize(1200, 780)
    main_window.show()
    qtbot.waitExposed(main_window)
    paint, compose, _ = main_window.activity_tabs
    controls = main_window.menus.pane_actions[ActivityTab.CONTROLS]
    assert controls.isChecked()
    # Dragged to the edge in Paint only: Paint's menu shows it folded, Compose's still open.
    sizes = paint.splitter.sizes()
    paint.splitter.moveSplitter(0, 1)
    assert paint.splitter.sizes()[0] == 0, sizes
    assert not controls.isChecked()
    main_window.tabs.setCurrentWidget(compose)
    assert controls.isChecked()
    controls.trigger()  # folded in every tab, Paint's already was
    assert _shown(main_window, ActivityTab.CONTROLS) == [False, False, False]


def test_a_folded_pane_stays_folded_at_the_next_start(main_window, qtbot):
    from app.main_window import MainWindow

    main_window.resize(1200, 780)
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.menus.pane_actions[ActivityTab.HISTORY].trigger()
    main_window.save_state()

    again = MainWindow()
    qtbot.addWidget(again)
    try:
        again.show()
        qtbot.waitExposed(again)
        assert _shown(again, ActivityTab.HISTORY) == [False, False, False]
        assert not again.menus.pane_actions[ActivityTab.HISTORY].isChecked()
    finally:
        again.shutdown()
