"""The Compose tab's regenerate history is bounded, and what falls off it is let go.

Session 14's lead note: the undo stack of Regenerate bars had no limit (Paint's canvas keeps 300 strokes), and a
limit alone would have freed nothing, since each edited variation linked to the one before (`previous`), so every
version ever written stayed reachable from the melody on show.
"""

from __future__ import annotations

import gc
import weakref

from app.tabs.compose.edit_bar import UNDO_LIMIT, EditBar
from app.tabs.compose.jobs import Variation


class Notes:
    """Stands for a melody: what matters here is only whether it is still held."""


def edit_of(current: Variation, seed: int) -> Variation:
    # As jobs.regenerate makes it: the edit's recipe added, and a link to the variation it was made from.
    return Variation(0, Notes(), current.request, edits=current.edits + ((1, 1, seed),),
                     previous=current.without_sound())


def test_undo_goes_back_at_most_the_limit_and_older_melodies_are_let_go(qtbot):
    shown: list[Variation] = []  # what the last swap put on show (the variation list holds only that one)

    def swap(old: Variation, new: Variation) -> None:
        shown[:] = [new]

    bar = EditBar(lambda: None, lambda: None, swap)
    qtbot.addWidget(bar)
    current = Variation(0, Notes(), None)
    first_melodies = []
    for seed in range(UNDO_LIMIT + 30):
        edited = edit_of(current, seed)
        if seed < 10:
            first_melodies.append(weakref.ref(edited.melody))
        bar.edited(current, edited)
        current = edited

    assert bar.undo_stack.count() == UNDO_LIMIT
    assert len(current.edits) == UNDO_LIMIT + 30  # the recipe keeps every edit: a kept melody replays them all
    del edited
    gc.collect()
    assert all(ref() is None for ref in first_melodies)  # neither the stack nor the melody on show holds them

    undone = 0
    while bar.undo():
        undone += 1
    assert undone == UNDO_LIMIT
    assert shown[-1].edits == current.edits[:30]  # back to the version the oldest step on the stack began from
