"""The variations of the last Generate, one per row; drag one out to a file manager or a DAW as a .mid file."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.paths import drag_dir
from app.tabs.compose.export import file_stem, write_midi
from app.tabs.compose.jobs import Variation
from app.tabs.compose.piano_roll import RollChord, RollContent, RollNote, key_spelling


def roll_content(variation: Variation) -> RollContent:
    """What the piano roll draws for a variation: notes (the motif's marked), chords, bars and beats."""
    from models.music import tokens

    melody = variation.melody
    per_quarter = tokens.TICKS_PER_QUARTER
    motif_ticks = sum(round(length * per_quarter) for _, length in variation.request.motif)
    notes = [RollNote(n.onset / per_quarter, n.duration / per_quarter, n.pitch, n.velocity, n.onset < motif_ticks)
             for n in melody.notes()]
    chords = [RollChord(c.onset / per_quarter, c.duration / per_quarter, c.numeral) for c in melody.chords]
    return RollContent(notes, chords, melody.meter.bar_ticks / per_quarter, melody.bars,
                       melody.meter.beat_ticks / per_quarter, key_spelling(melody.tonic, melody.mode))


class VariationList(QListWidget):
    """Rows hold `Variation`s. A variation is replaced by one with the same melody object when its sound
    arrives, and by another melody when an edit (Regenerate bars, Undo) swaps it: both find its row by melody."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Variations")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSpacing(2)  # room between the labels' contour blocks, which are as tall as a line
        self.tempo = 110.0  # of the MIDI files a drag writes

    def variation(self, row: int | None = None) -> Variation | None:
        item = self.item(self.currentRow() if row is None else row)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def variations(self) -> list[Variation]:
        return [self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())]

    def show_variations(self, variations: list[Variation]) -> None:
        self.clear()
        self.add_variations(variations)

    def add_variations(self, variations: list[Variation]) -> None:
        for variation in variations:
            self.addItem(QListWidgetItem())
            self.put(self.count() - 1, variation)

    def row_of(self, melody: object) -> int | None:
        """The row showing `melody` (the same object), if it is still in the list."""
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole).melody is melody:
                return row
        return None

    def put(self, row: int, variation: Variation) -> None:
        item = self.item(row)
        item.setData(Qt.ItemDataRole.UserRole, variation)
        item.setText(f"{row + 1}. {variation.title}")  # its place in this list (a melody opened from Chat joins it)
        item.setToolTip(variation.full_title)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        folder = drag_dir()
        urls = []
        for item in items:
            variation = item.data(Qt.ItemDataRole.UserRole)
            path = write_midi(folder / f"{file_stem(variation)}.mid", variation, self.tempo)
            urls.append(QUrl.fromLocalFile(str(path)))
        mime = QMimeData()
        mime.setUrls(urls)
        return mime
