"""The kept melodies (the Compose tab's history): each kept as MIDI with the request that wrote it and what
was done to it since (regenerated bars, morph), so that reopening makes it again exactly."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidgetItem, QVBoxLayout, QWidget

from app.paths import melodies_dir
from app.store import Store
from app.tabs.compose.export import file_stem, write_midi
from app.tabs.compose.jobs import Edit, Morph, Variation, edits_from_json, morph_from_json
from app.tabs.hint_list import HintList
from models.music.request import MelodyRequest


@dataclass(frozen=True)
class KeptMelody:
    """What reopening a kept melody asks the tab for: the request, which variation, and its edits."""

    request: MelodyRequest
    variation: int
    edits: tuple[Edit, ...]
    morph: Morph | None


class KeptMelodies(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        margins = layout.contentsMargins()
        layout.setContentsMargins(0, margins.top(), 0, margins.bottom())  # the splitter's handle parts it from the work
        layout.addWidget(QLabel("<b>Kept melodies</b>"))
        self.list = HintList("Melodies you keep (☆ Keep, Ctrl+S) are listed here; double-click one to reopen it "
                             "exactly.")
        self.list.setAccessibleName("Kept melodies")
        self.list.setWordWrap(True)  # a label's recipe part follows on the next line
        self.list.setToolTip("Double-click to reopen a kept melody exactly")
        layout.addWidget(self.list)
        self.refresh()

    def keep(self, variation: Variation, tempo: float) -> int:
        """Keep `variation` (as MIDI at `tempo`, with its recipe); returns its history id."""
        stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{file_stem(variation)}"
        path = write_midi(melodies_dir() / f"{stem}.mid", variation, tempo)
        params = {**variation.request.to_json(), "variation": variation.index, "tempo": tempo,
                  "edits": [list(edit) for edit in variation.edits],
                  "morph": list(variation.morph) if variation.morph else None}
        item_id = self.store.add_item("melody", title=variation.full_title, model=variation.request.style,
                                      params=params, seed=variation.request.seed, paths=[str(path)], starred=True)
        self.refresh()
        return item_id

    def refresh(self) -> None:
        self.list.clear()
        for item in self.store.items("melody", starred_only=True):
            # The time it was kept comes first: two keeps of one recipe differ in it at least.
            entry = QListWidgetItem(f"{time.strftime('%H:%M', time.localtime(item.created_at))} · {item.title}")
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setToolTip(", ".join(f"{k}: {v}" for k, v in item.params.items() if k != "motif"))
            self.list.addItem(entry)

    def kept(self, entry: QListWidgetItem) -> KeptMelody | None:
        item = self.store.item(entry.data(Qt.ItemDataRole.UserRole))
        if item is None:
            return None
        request = MelodyRequest.from_json(item.params)
        tempo = item.params.get("tempo", request.tempo)
        request = request.replace(tempo=float(tempo) if tempo is not None else None)
        return KeptMelody(request, int(item.params.get("variation", 0)), edits_from_json(item.params.get("edits")),
                          morph_from_json(item.params.get("morph")))
