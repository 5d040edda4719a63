"""The Compose tab's settings and unkept variations as a part of the session that survives a crash.

Melodies are saved note for note (not as recipes to generate again), so a variation edited by
Regenerate bars or made by Morph comes back exactly as it was, whatever model is installed then.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractSlider, QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

from app.recovery import Snapshot
from app.tabs.compose.jobs import Variation, edits_from_json, morph_from_json
from models.music.request import MelodyRequest


def melody_to_json(melody) -> dict[str, Any]:
    state = dataclasses.asdict(melody)
    state["meter"] = [melody.meter.numerator, melody.meter.denominator]
    return state


def melody_from_json(state: dict[str, Any]):
    from models.music.constrained import Event
    from models.music.melody import Chord, Melody
    from models.music.tokens import Meter

    known = {field.name for field in dataclasses.fields(Melody)}
    values = {key: value for key, value in state.items() if key in known}
    values["events"] = [Event(**event) for event in state["events"]]
    values["chords"] = [Chord(**{**chord, "pitches": tuple(chord["pitches"])}) for chord in state.get("chords", [])]
    values["meter"] = Meter(*state["meter"])
    return Melody(**values)


def variation_to_json(variation: Variation) -> dict[str, Any]:
    return {
        "index": variation.index,
        "request": variation.request.to_json(),
        "edits": [list(edit) for edit in variation.edits],
        "morph": list(variation.morph) if variation.morph else None,
        "melody": melody_to_json(variation.melody),
        "kept": variation.kept,
    }


def variation_from_json(state: dict[str, Any]) -> Variation:
    return Variation(
        index=int(state["index"]),
        melody=melody_from_json(state["melody"]),
        request=MelodyRequest.from_json(state["request"]),
        edits=edits_from_json(state["edits"]),
        morph=morph_from_json(state["morph"]),
        kept=bool(state.get("kept", False)),  # absent from older snapshots: asked about on closing
    )


class VariationsRecovery(QObject):
    recovery_changed = Signal()

    def __init__(self, compose_tab) -> None:
        super().__init__(compose_tab)
        self.compose = compose_tab
        model = compose_tab.variation_list.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset):
            signal.connect(self.recovery_changed)
        compose_tab.variation_list.currentRowChanged.connect(self.recovery_changed)
        compose_tab.kept.list.model().rowsInserted.connect(self.recovery_changed)  # a variation kept: saved as kept
        # Every control, whatever the form's layout: any change is worth saving.
        controls = compose_tab.controls
        for combo in controls.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self.recovery_changed)
        for spin in controls.findChildren(QSpinBox) + controls.findChildren(QDoubleSpinBox):  # tempo, longer notes
            spin.valueChanged.connect(self.recovery_changed)
        for slider in controls.findChildren(QAbstractSlider):
            slider.valueChanged.connect(self.recovery_changed)
        for check in controls.findChildren(QCheckBox):
            check.toggled.connect(self.recovery_changed)
        compose_tab.loop_check.toggled.connect(self.recovery_changed)
        for spin in (compose_tab.edit_bar.first_bar_spin, compose_tab.edit_bar.last_bar_spin):
            spin.valueChanged.connect(self.recovery_changed)

    def recovery_snapshot(self) -> Snapshot | None:
        variation_list = self.compose.variation_list
        variations = [variation_list.variation(row) for row in range(variation_list.count())]
        bars = self.compose.edit_bar.bars_to_remember()
        return Snapshot(
            {
                "request": self.compose.controls.request().to_json(),
                "selected": variation_list.currentRow(),
                "variations": [variation_to_json(v) for v in variations if v is not None],
                # Loop and the bars chosen, as a normal close remembers them (settings compose_loop, compose_bars).
                "loop": self.compose.loop_check.isChecked(),
                "bars": list(bars) if bars else None,
            }
        )

    def restore_recovery_snapshot(self, snapshot: Snapshot) -> None:
        state = snapshot.state
        self.compose.controls.show_request(MelodyRequest.from_json(state["request"]))
        if "loop" in state:  # absent from older snapshots
            self.compose.loop_check.setChecked(bool(state["loop"]))
        if state.get("bars"):
            first, last = state["bars"]
            self.compose.edit_bar.first_guess = (int(first), int(last))  # taken up as the variations are shown
        variations = [variation_from_json(v) for v in state["variations"]]
        if variations:
            self.compose.show_variations(variations, select=max(int(state.get("selected", 0)), 0))
