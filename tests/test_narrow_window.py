"""Every tab in the narrowest window (720 x 480, the window's minimum; half of a 1440-px laptop screen): its three
panes side by side, none drawn over another, each at least as wide as its controls need.

Session 17 measured the panes at their smallest: Paint 825 px (then 708), Compose 968, Chat 853; at 720 the Compose
controls were drawn over its variations and Chat's buttons over each other (under Xvfb).
"""

from __future__ import annotations

import pytest


def show_smallest(main_window, qtbot, index: int = 0):
    """The window at its minimum size on tab `index`, shown; that tab."""
    main_window.resize(main_window.minimumSize())
    main_window.tabs.setCurrentIndex(index)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window.activity_tabs[index]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["paint", "compose", "chat"])
def test_every_tab_fits_the_narrowest_window(main_window, qtbot, index):
    tab = show_smallest(main_window, qtbot, index)
    assert tab.minimumSizeHint().width() <= tab.width()
    panes = [tab.splitter.widget(pane) for pane in range(tab.splitter.count())]
    for left, right in zip(panes, panes[1:], strict=False):
        assert left.geometry().right() < right.geometry().left()
    for pane in panes:
        assert pane.width() >= max(pane.minimumSizeHint().width(), pane.minimumWidth())


def test_a_narrow_combo_box_opens_a_list_as_wide_as_its_longest_entry(qtbot):
    from app.tabs.narrow import NarrowComboBox

    combo = NarrowComboBox(characters=5)
    qtbot.addWidget(combo)
    combo.addItems(["Quarter", "Irish (O'Neill's Music of Ireland)"])
    combo.show()
    qtbot.waitExposed(combo)
    longest = combo.fontMetrics().horizontalAdvance("Irish (O'Neill's Music of Ireland)")
    assert combo.minimumSizeHint().width() < longest
    combo.showPopup()
    assert combo.view().width() >= longest
    combo.hidePopup()


def test_the_first_window_fits_the_screen(qtbot, data_dir):
    # On a 1280 x 720 laptop the first window (1200 x 780) opened with its bottom, the status bar and the Generate
    # button, below the screen's edge. The offscreen screen here is 800 x 800.
    from app.main_window import TITLE_BAR_ROOM, MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    try:
        free = window.screen().availableGeometry()
        assert window.width() <= free.width() and window.height() + TITLE_BAR_ROOM <= free.height()
        assert free.contains(window.geometry())
    finally:
        window.shutdown()


@pytest.mark.parametrize("index", [0, 1], ids=["paint", "compose"])
def test_the_primary_button_is_in_sight_in_the_smallest_window(main_window, qtbot, index):
    # Render and Generate sat in their scrolling panels, below the fold of a 760 x 520 window (under Xvfb).
    tab = show_smallest(main_window, qtbot, index)
    button = tab.controls.render_button if index == 0 else tab.generate_button
    assert button.visibleRegion().boundingRect() == button.rect()


def test_the_subject_hint_is_read_whole_in_the_smallest_window(main_window, qtbot):
    # "Subject, e.g. a stormy harbour (empty: the p…" was cut short even at 1260 px; its tooltip says what empty does.
    edit = show_smallest(main_window, qtbot).controls.subject_edit
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) < edit.contentsRect().width() - 8
    assert "empty" in edit.toolTip().lower()
