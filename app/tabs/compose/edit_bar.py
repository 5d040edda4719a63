"""Editing the selected variation: regenerate a range of bars (with Undo / Redo), or morph it into another.

Each regenerate is a command on a `QUndoStack` (as the Paint canvas's strokes are on its own):
Undo puts the melody from before it back in its row, Redo the edited one again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.tabs.activity_tab import action_button
from app.tabs.compose.jobs import Variation
from app.tabs.narrow import narrow_button

Swap = Callable[[Variation, Variation], None]  # put the second variation where the first one is

# Regenerates that Undo can go back through (the Paint canvas keeps 300 strokes). Each step holds a melody's notes
# (no sound), a few kB; without a bound an afternoon of edits kept every version.
UNDO_LIMIT = 100

MORPH_TIP = "Add melodies on the way from the selected variation to another one (4/4 or 2/2, an even number of bars)"


def morph_obstacle(variation: Variation) -> str:
    """Why `variation` cannot be morphed, as a sentence ("" when it can): the melody VAE reads bars of 4/4 or 2/2, two
    at a time (models/music/vae.morph). Morph stood ready under a waltz and failed when pressed."""
    from models.music import tokens

    melody = variation.melody
    if melody.meter.bar_ticks != 4 * tokens.TICKS_PER_QUARTER:
        return f"Morphing works on melodies in 4/4 or 2/2; this one is in {melody.meter}."
    if melody.bars % 2:
        return f"Morphing works on an even number of bars; this melody has {melody.bars}."
    return ""


class RegenerateCommand(QUndoCommand):
    def __init__(self, swap: Swap, before: Variation, after: Variation, done: bool = False) -> None:
        super().__init__("Regenerate bars")
        self.swap, self.before, self.after = swap, before, after
        self._skip_redo = done  # pushed for an edit already shown (a kept melody's edits, replayed)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.swap(self.before, self.after)

    def undo(self) -> None:
        self.swap(self.after, self.before)


class ReplaceVariationsCommand(QUndoCommand):
    """A Generate (or a kept melody reopened) put new variations in place of the ones on show: Undo brings those
    back as they were, edits included, with the row that was selected (their sound is rendered again)."""

    def __init__(self, show: Callable[[list[Variation], int], None], before: list[Variation], before_row: int,
                 after: list[Variation], after_row: int) -> None:
        super().__init__("Generate")
        self.show = show
        self.before = [variation.without_sound() for variation in before]  # 10-20 MB of audio each otherwise
        self.before_row, self.after, self.after_row = before_row, after, after_row

    def redo(self) -> None:
        self.show(self.after, self.after_row)
        # Redone later, the variations come back without the sound they have by then.
        self.after = [variation.without_sound() for variation in self.after]

    def undo(self) -> None:
        self.show(self.before, self.before_row)


class EditBar(QWidget):
    """The rows under the variations: bars first..last to regenerate, Undo; morph into variation N in K steps.
    It keeps the regenerates of the variations on show, for Undo and Redo; `swap` puts a variation in place of
    another in the list."""

    def __init__(self, regenerate: Callable[[], object], morph: Callable[[], object], swap: Swap,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.swap = swap
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.first_guess: tuple[int, int] | None = None  # the bars chosen when Atelier last closed
        self._guessed = False  # the range is the musician's (or the first guess) once a melody has been shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        editing = QHBoxLayout()
        self.first_bar_spin, self.last_bar_spin = QSpinBox(), QSpinBox()
        for spin, which in ((self.first_bar_spin, "First"), (self.last_bar_spin, "Last")):
            spin.setAccessibleName(f"{which} bar to regenerate")
            spin.setRange(1, 1)
        # The range stays a range: moving one end past the other drags it along.
        first, last = self.first_bar_spin, self.last_bar_spin
        first.valueChanged.connect(lambda value: last.setValue(max(value, last.value())))
        last.valueChanged.connect(lambda value: first.setValue(min(value, first.value())))
        self.regenerate_button = action_button("↻ Regenerate bars", "Regenerate bars",
                                               "Write these bars again and keep every other note (Ctrl+R)", regenerate)
        self.undo_button = action_button("↶ Undo", "Undo",
                                         "Go back to the melody before the last regenerate, or to the "
                                         "variations before the last Generate (Ctrl+Z; Ctrl+Shift+Z redoes it)",
                                         self.undo)
        widget: QWidget
        for widget in (QLabel("Bars"), self.first_bar_spin, QLabel("to"), self.last_bar_spin,
                       narrow_button(self.regenerate_button), narrow_button(self.undo_button)):
            editing.addWidget(widget)
        editing.addStretch(1)
        layout.addLayout(editing)

        morphing = QHBoxLayout()
        self.morph_target = QComboBox()
        self.morph_target.setAccessibleName("Morph into variation")
        self.morph_count = QSpinBox()
        self.morph_count.setAccessibleName("In-between melodies")
        self.morph_count.setRange(1, 8)
        self.morph_count.setValue(3)
        self.morph_button = action_button("⇝ Morph", "Morph", MORPH_TIP, morph)
        self._morph_obstacle = ""  # why the variation on show cannot be morphed; "" when it can
        for widget in (QLabel("Morph into"), self.morph_target, QLabel("in"), self.morph_count,
                       QLabel("steps"), narrow_button(self.morph_button)):
            morphing.addWidget(widget)
        morphing.addStretch(1)
        layout.addLayout(morphing)

        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        # A screen reader hears what Undo undoes: it was named "Undo regenerate" also when it undid a Generate.
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_button.setAccessibleName(f"Undo {text.lower()}" if text else "Undo"))

    def edited(self, before: Variation, after: Variation) -> None:
        """A regenerate has been written: put it in place, to be undone."""
        # Undo keeps the notes, not the sound: a long session of edits would otherwise hold every version's audio.
        self.undo_stack.push(RegenerateCommand(self.swap, before.without_sound(), after))
        _forget_previous(after)

    def replayed(self, edited: Variation) -> None:
        """A kept melody reopened with its edits made again: each can be undone, as if just made."""
        steps = []
        while edited.previous is not None:
            steps.append((edited.previous, edited))
            edited = edited.previous
        for before, after in reversed(steps):
            self.undo_stack.push(RegenerateCommand(self.swap, before, after, done=True))
        for _, after in steps:
            _forget_previous(after)

    def undo(self) -> bool:
        if not self.undo_stack.canUndo():
            return False
        self.undo_stack.undo()
        return True

    def redo(self) -> bool:
        if not self.undo_stack.canRedo():
            return False
        self.undo_stack.redo()
        return True

    def bar_range(self) -> tuple[int, int]:
        return self.first_bar_spin.value(), self.last_bar_spin.value()

    def set_bar_range(self, first: int, last: int) -> None:
        # Set the far end first, so that dragging one spin box never pushes the other.
        if first > self.last_bar_spin.value():
            self.last_bar_spin.setValue(last)
            self.first_bar_spin.setValue(first)
        else:
            self.first_bar_spin.setValue(first)
            self.last_bar_spin.setValue(last)

    def show_variation(self, row: int, variation: Variation, count: int) -> None:
        """The selected variation (row `row` of `count`): the morph targets, whether it can be morphed, and the bar
        range."""
        bars = variation.melody.bars
        self._morph_obstacle = morph_obstacle(variation)
        self.morph_button.setToolTip(self._morph_obstacle or MORPH_TIP)
        self._enable_morph(self.regenerate_button.isEnabled())
        self.morph_target.clear()
        for other in range(count):
            if other != row:
                self.morph_target.addItem(str(other + 1), other)
        for spin in (self.first_bar_spin, self.last_bar_spin):
            spin.setMaximum(bars)
        if not self._guessed and bars > 1:
            # A first guess: the bars chosen when Atelier last closed, where they fit, else the second half's opening
            # bar (bar 5 of 8; it was bar 4, the first half's close). Bar 1 chosen by hand stays (it was taken for
            # no choice, and moved to bar 5 at the next variation).
            guess = self.first_guess
            self.set_bar_range(*(guess if guess is not None and guess[1] <= bars else (bars // 2 + 1, bars // 2 + 1)))
            self._guessed = True

    def bars_to_remember(self) -> tuple[int, int] | None:
        """The bars chosen now, or, before any melody has been shown, the ones remembered from before."""
        return self.bar_range() if self._guessed else self.first_guess

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.regenerate_button, self.first_bar_spin, self.last_bar_spin):
            widget.setEnabled(enabled)
        self._enable_morph(enabled)
        self.undo_button.setEnabled(enabled and self.undo_stack.canUndo())

    def _enable_morph(self, enabled: bool) -> None:
        for widget in (self.morph_button, self.morph_target, self.morph_count):
            widget.setEnabled(enabled and not self._morph_obstacle)


def _forget_previous(variation: Variation) -> None:
    """Let go of the melodies before `variation`: its `previous` links (each edit's to the one before) only tell
    `replayed` the steps of a reopened melody, and once those steps are on the undo stack the stack holds what Undo
    needs; kept, the links held every version ever written, whatever the stack's limit."""
    variation.previous = None
