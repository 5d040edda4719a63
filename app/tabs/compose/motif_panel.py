"""Continue a motif: play it on the on-screen keyboard (or open a MIDI file), and the melodies start with it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.tabs.compose.keyboard import OnScreenKeyboard
from app.tabs.compose.piano_roll import note_name
from app.tabs.narrow import NarrowComboBox
from app.tabs.save_dialog import Place, dialog_folder, remember_folder

MOTIF_LENGTHS = {"Sixteenth": 0.25, "Eighth": 0.5, "Dotted eighth": 0.75, "Quarter": 1.0, "Dotted quarter": 1.5,
                 "Half": 2.0}

Motif = list[tuple[int | None, float]]  # (MIDI pitch or None for a rest, length in quarter notes)


class MotifPanel(QGroupBox):
    file_chosen = Signal(object)  # Path of a MIDI file to read the motif from (the tab reads it on its worker)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Continue a motif", parent)
        self.motif: Motif = []
        layout = QVBoxLayout(self)
        self.label = QLabel("No motif: melodies start fresh.")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Motif")
        layout.addWidget(self.label)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.note_played.connect(lambda pitch: self.add_note(pitch))
        layout.addWidget(self.keyboard)
        row = QHBoxLayout()
        self.length_combo = NarrowComboBox(characters=5)
        self.length_combo.setAccessibleName("Motif note length")
        self.length_combo.addItems(list(MOTIF_LENGTHS))
        self.length_combo.setCurrentText("Quarter")
        row.addWidget(self.length_combo)
        for text, slot in (("Rest", lambda: self.add_note(None)), ("⌫", self.remove_last), ("Clear", self.clear)):
            # Tool buttons, as narrow as their text: three push buttons (80 px at least each) made the panel 401 px.
            button = QToolButton()
            button.setText(text)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(f"Motif {text if text != '⌫' else 'remove last note'}")
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)
        open_button = QPushButton("Open MIDI motif…")
        open_button.setToolTip("Start the melodies with the first line of a MIDI file (or drop the file on this tab)")
        open_button.clicked.connect(self.choose_file)
        layout.addWidget(open_button)

    def add_note(self, pitch: int | None) -> None:
        self.motif.append((pitch, MOTIF_LENGTHS[self.length_combo.currentText()]))
        self._show()

    def remove_last(self) -> None:
        if self.motif:
            self.motif.pop()
        self._show()

    def clear(self) -> None:
        self.set_motif([])

    def set_motif(self, motif: Motif) -> None:
        self.motif = list(motif)
        self._show()

    def _show(self) -> None:
        if not self.motif:
            self.label.setText("No motif: melodies start fresh.")
            return
        names = [("rest" if pitch is None else note_name(pitch)) + f" ({_quarters(length)})" for pitch, length in self.motif]
        self.label.setText(f"Motif, {len(self.motif)} notes: " + " ".join(names))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a MIDI motif", str(dialog_folder(Place.MusicLocation)),
                                              "MIDI files (*.mid *.midi *.kar)")
        if path:
            remember_folder(path)
            self.file_chosen.emit(Path(path))


def _quarters(length: float) -> str:
    """A length in quarter notes as the musician reads it: 1, 0.5, 1.5, and a triplet's 1/3, not 0.333333 (a MIDI
    file's motif showed "A♭0 (0.0833333)" for each twelfth of a quarter, seen under Xvfb)."""
    plain = f"{length:g}"
    return plain if len(plain) <= 5 else str(Fraction(length).limit_denominator(96))
