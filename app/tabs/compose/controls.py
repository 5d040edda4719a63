"""The Compose tab's controls: what to write (style, key, metre, length...) and how it sounds."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.tabs.compose.piano_roll import note_name
from app.tabs.narrow import NarrowComboBox
from app.tabs.slider_value import with_value
from models.music.request import MelodyRequest, usual_tempo

RANGE_LIMITS = (36, 96)  # the lowest and highest notes the Range can be set to: C2 and C7
# generate.MAX_NOTE_LENGTH, the most MelodyRequest.note_length may be (that module imports torch: seconds at start-up).
NOTE_LENGTH_LIMIT = 8.0

SHIPPED_STYLES = {
    "irish": "Irish (O'Neill's Music of Ireland)",
    "fiddle": "American fiddle (Ryan's Mammoth)",
    "scottish": "Scottish air (Aird's Airs)",
    "bach": "Bach chorale",
}
KEYS = ("C", "C#", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MODES = ("major", "minor", "dorian", "mixolydian", "lydian", "phrygian")
METERS = ("4/4", "3/4", "2/4", "6/8", "9/8", "12/8")
# The Form list's entries; the first, which said "(learned from its tunes)", was cut at the panel's width ("The style's
# own (learned from its tun", seen under Xvfb): that is its tooltip now.
FORMS = {"style": "The style's own", "": "Free (through-composed)", "AABA": "AABA (song form)", "AABB": "AABB (dance tune)",
         "ABAB": "ABAB (verse and chorus)", "AA'BA'": "A A′ B A′ (varied repeats)", "AB": "AB (call and response)"}


def instrument_names() -> list[str]:
    import pretty_midi

    return [pretty_midi.program_to_instrument_name(program) for program in range(128)]


class ComposeControls(QWidget):
    """Emits `tempo_changed` at once (playback follows without regenerating)."""

    tempo_changed = Signal(float)
    count_in_changed = Signal(bool)

    def __init__(self, user_styles_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_styles_dir = user_styles_dir
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)  # the panel around it has margins
        form = QFormLayout()
        outer.addLayout(form)

        self.style_combo = self._combo("Style")
        self._style_tempo: float | None = None  # the chosen style's usual tempo (set by refresh_styles)
        self.refresh_styles()
        self.style_combo.currentIndexChanged.connect(self._follow_style_tempo)
        form.addRow("Style:", self.style_combo)

        key_row = QHBoxLayout()
        self.key_combo = self._combo("Key", KEYS, "D", narrow=False)
        self.mode_combo = self._combo("Mode", MODES, "major")
        key_row.addWidget(self.key_combo)
        key_row.addWidget(self.mode_combo)
        form.addRow("Key:", key_row)

        self.meter_combo = self._combo("Metre", METERS, "4/4")
        form.addRow("Metre:", self.meter_combo)
        self.bars_spin = self._spin("Bars", 1, 64, 8)
        form.addRow("Bars:", self.bars_spin)
        self.form_combo = NarrowComboBox()
        self.form_combo.setAccessibleName("Form")
        for value, label in FORMS.items():
            self.form_combo.addItem(label, value)
        self.form_combo.setItemData(0, "The forms the style's own tunes have, as often as they have them",
                                    Qt.ItemDataRole.ToolTipRole)
        form.addRow("Form:", self.form_combo)

        self.tempo_spin = QDoubleSpinBox()
        self.tempo_spin.setAccessibleName("Tempo")
        self.tempo_spin.setRange(30, 260)
        self.tempo_spin.setDecimals(0)
        self.tempo_spin.setSuffix(" BPM")
        self.tempo_spin.setValue(self._style_tempo or usual_tempo(""))
        self.tempo_spin.setKeyboardTracking(False)
        self.tempo_spin.valueChanged.connect(self.tempo_changed)
        form.addRow("Tempo:", self.tempo_spin)

        self.creativity_slider = QSlider(Qt.Orientation.Horizontal)
        self.creativity_slider.setAccessibleName("Creativity")
        self.creativity_slider.setRange(30, 200)  # temperature x 100
        self.creativity_slider.setValue(100)
        self.creativity_slider.setToolTip("Low: safe, typical phrases. High: surprising ones.")
        form.addRow("Creativity:", with_value(self.creativity_slider, lambda value: f"{value / 100:.2f}"))

        # MelodyRequest.note_length: the chat's sad tunes ask for 4, and Generate here reset them to the style's own
        # quick lengths, with no way to ask for it in the tab.
        self.note_length_spin = QDoubleSpinBox()
        self.note_length_spin.setAccessibleName("Long notes")
        self.note_length_spin.setRange(0.0, NOTE_LENGTH_LIMIT)
        self.note_length_spin.setDecimals(1)  # a kept request's own amount comes back as it was
        self.note_length_spin.setSingleStep(1.0)
        self.note_length_spin.setSpecialValueText("the style's own")
        self.note_length_spin.setToolTip("Fewer quick notes on the beats: 0 keeps the style's own note lengths; "
                                         "2 to 4 for a calm or sad tune.")
        form.addRow("Long notes:", self.note_length_spin)

        range_row = QHBoxLayout()
        self.low_spin = self._pitch_spin("Lowest note", 57)
        self.high_spin = self._pitch_spin("Highest note", 86)
        range_row.addWidget(self.low_spin)
        range_row.addWidget(QLabel("to"))
        range_row.addWidget(self.high_spin)
        form.addRow("Range:", range_row)

        self.end_on_tonic_check = self._check("End on the tonic", True)
        self.humanize_check = self._check("Humanize", True)
        self.humanize_check.setToolTip("Accents and timing as a player gives them, not a machine's even notes")
        form.addRow("", self.end_on_tonic_check)
        form.addRow("", self.humanize_check)

        self.variations_spin = self._spin("Variations", 1, 16, 4)
        form.addRow("Variations:", self.variations_spin)
        seed_row = QHBoxLayout()
        self.seed_spin = self._spin("Seed", 0, 999_999, 1)
        self.dice_button = QToolButton()
        self.dice_button.setText("⚄")  # a die face that common fonts carry
        self.dice_button.setAccessibleName("Random seed")
        self.dice_button.setToolTip("A new random seed")
        self.dice_button.clicked.connect(self.roll_seed)
        seed_row.addWidget(self.seed_spin)
        seed_row.addWidget(self.dice_button)
        form.addRow("Seed:", seed_row)

        names = instrument_names()
        self.instrument_combo = self._combo("Instrument", names, names[73])
        form.addRow("Instrument:", self.instrument_combo)
        self.harmonize_check = self._check("Harmonize", False)
        self.chord_instrument_combo = self._combo("Chord instrument", names, names[0])
        self.chord_instrument_combo.setEnabled(False)
        self.harmonize_check.toggled.connect(self.chord_instrument_combo.setEnabled)
        form.addRow("", self.harmonize_check)
        form.addRow("Chords on:", self.chord_instrument_combo)
        self.count_in_check = self._check("Metronome count-in", False)
        self.count_in_check.toggled.connect(self.count_in_changed)
        form.addRow("", self.count_in_check)

    # Building blocks ---------------------------------------------------------------------------

    @staticmethod
    def _combo(name: str, items=(), current: str | None = None, narrow: bool = True) -> QComboBox:
        """`narrow`: as wide as a few characters, for a list with long entries."""
        combo = NarrowComboBox() if narrow else QComboBox()
        combo.setAccessibleName(name)
        combo.addItems(list(items))
        if current is not None:
            combo.setCurrentText(current)
        return combo

    @staticmethod
    def _spin(name: str, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setAccessibleName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    @staticmethod
    def _pitch_spin(name: str, value: int) -> QSpinBox:
        spin = _PitchSpinBox()
        spin.setAccessibleName(name)
        spin.setRange(*RANGE_LIMITS)
        spin.setValue(value)
        return spin

    @staticmethod
    def _check(text: str, checked: bool) -> QCheckBox:
        check = QCheckBox(text)
        check.setAccessibleName(text)
        check.setChecked(checked)
        return check

    # Styles ------------------------------------------------------------------------------------

    def refresh_styles(self, select: str | None = None) -> None:
        """Shipped styles, then the user's own (their checkpoint paths)."""
        current = select or self.style_combo.currentData()
        self.style_combo.blockSignals(True)
        self.style_combo.clear()
        for name, label in SHIPPED_STYLES.items():
            self.style_combo.addItem(label, name)
        if self.user_styles_dir.is_dir():
            for path in sorted(self.user_styles_dir.glob("*.safetensors")):
                self.style_combo.addItem(f"{path.stem} (yours)", str(path))
        index = self.style_combo.findData(current) if current else -1
        self.style_combo.setCurrentIndex(max(index, 0))
        self.style_combo.blockSignals(False)
        self._follow_style_tempo()

    def _follow_style_tempo(self) -> None:
        """Another style brings its usual tempo (a chorale 80, a Scottish air 90), unless the tempo was set by hand:
        chosen in the tab, a Bach chorale played at the Irish 110 (the chat and the command line gave it 80)."""
        usual = usual_tempo(self.style_combo.currentData() or "")
        if self._style_tempo is not None and self.tempo_spin.value() == self._style_tempo:
            self.tempo_spin.setValue(usual)
        self._style_tempo = usual

    def roll_seed(self) -> None:
        self.seed_spin.setValue(random.randint(0, 999_999))

    # Requests ----------------------------------------------------------------------------------

    def request(self, motif: tuple = ()) -> MelodyRequest:
        low, high = sorted((self.low_spin.value(), self.high_spin.value()))
        return MelodyRequest(
            style=self.style_combo.currentData(),
            key=self.key_combo.currentText(),
            mode=self.mode_combo.currentText(),
            meter=self.meter_combo.currentText(),
            bars=self.bars_spin.value(),
            tempo=float(self.tempo_spin.value()),
            temperature=self.creativity_slider.value() / 100.0,
            note_length=self.note_length_spin.value(),
            seed=self.seed_spin.value(),
            variations=self.variations_spin.value(),
            end_on_tonic=self.end_on_tonic_check.isChecked(),
            pitch_range=(low, high),
            harmonize=self.harmonize_check.isChecked(),
            form=self.form_combo.currentData(),
            humanize=self.humanize_check.isChecked(),
            program=self.instrument_combo.currentIndex(),
            chord_program=self.chord_instrument_combo.currentIndex(),
            motif=tuple(motif),
        )

    def show_request(self, request: MelodyRequest) -> None:
        """Put a kept recipe back into the controls."""
        self.refresh_styles(select=request.style)
        self.key_combo.setCurrentText(request.key)
        self.mode_combo.setCurrentText(request.mode)
        self.meter_combo.setCurrentText(request.meter)
        self.bars_spin.setValue(request.bars)
        self.form_combo.setCurrentIndex(max(self.form_combo.findData(request.form), 0))
        if request.tempo is not None:
            self.tempo_spin.blockSignals(True)
            self.tempo_spin.setValue(request.tempo)
            self.tempo_spin.blockSignals(False)
        self.creativity_slider.setValue(round(request.temperature * 100))
        self.note_length_spin.setValue(request.note_length)
        if request.pitch_range:
            self.low_spin.setValue(request.pitch_range[0])
            self.high_spin.setValue(request.pitch_range[1])
        self.end_on_tonic_check.setChecked(request.end_on_tonic)
        self.humanize_check.setChecked(request.humanize)
        self.variations_spin.setValue(request.variations)
        self.seed_spin.setValue(request.seed)
        self.instrument_combo.setCurrentIndex(request.program)
        self.harmonize_check.setChecked(request.harmonize)
        self.chord_instrument_combo.setCurrentIndex(request.chord_program)


class _PitchSpinBox(QSpinBox):
    """Shows MIDI note numbers as note names (A3, D6)."""

    def textFromValue(self, value: int) -> str:
        return note_name(value).replace("♯", "#").replace("♭", "b")

    def valueFromText(self, text: str) -> int:
        for pitch in range(self.minimum(), self.maximum() + 1):
            if self.textFromValue(pitch).lower() == text.strip().lower():
                return pitch
        return self.value()

    def validate(self, text: str, position: int):
        from PySide6.QtGui import QValidator

        return (QValidator.State.Acceptable, text, position)
