"""How the assistant answers: presets, temperature, top-p, max length, seed; and whether the chat is saved."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QWidget

PRESETS = {"Balanced": (0.7, 0.9), "Precise": (0.0, 1.0), "Creative": (1.0, 0.95)}


class SamplingPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.addRow(QLabel("<b>Answer settings</b>"))
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName("Preset")
        self.preset_combo.addItems(list(PRESETS))
        self.preset_combo.currentTextChanged.connect(self._apply_preset)
        form.addRow("Preset:", self.preset_combo)
        self.temperature_spin = QDoubleSpinBox()
        self.temperature_spin.setAccessibleName("Temperature")
        self.temperature_spin.setRange(0.0, 2.0)
        self.temperature_spin.setSingleStep(0.1)
        form.addRow("Temperature:", self.temperature_spin)
        self.top_p_spin = QDoubleSpinBox()
        self.top_p_spin.setAccessibleName("Top-p")
        self.top_p_spin.setRange(0.05, 1.0)
        self.top_p_spin.setSingleStep(0.05)
        form.addRow("Top-p:", self.top_p_spin)
        self.max_length_spin = QSpinBox()
        self.max_length_spin.setAccessibleName("Max length")
        self.max_length_spin.setRange(16, 1024)
        self.max_length_spin.setValue(256)
        self.max_length_spin.setSuffix(" tokens")
        form.addRow("Max length:", self.max_length_spin)
        self.seed_spin = QSpinBox()
        self.seed_spin.setAccessibleName("Seed")
        self.seed_spin.setRange(0, 999_999)
        self.seed_spin.setSpecialValueText("new each time")
        form.addRow("Seed:", self.seed_spin)
        self.private_check = QCheckBox("Don't save this chat")
        self.private_check.setAccessibleName("Don't save this chat")
        self.private_check.setToolTip("A private chat is never written to disk and is gone when you leave it")
        form.addRow(self.private_check)  # across the form: under the numbers it made the panel 248 px wide
        self._apply_preset(self.preset_combo.currentText())

    def _apply_preset(self, name: str) -> None:
        temperature, top_p = PRESETS[name]
        self.temperature_spin.setValue(temperature)
        self.top_p_spin.setValue(top_p)

    def settings(self):
        from models.text.sampling import SamplingSettings

        return SamplingSettings(temperature=self.temperature_spin.value(), top_p=self.top_p_spin.value(),
                                max_new_tokens=self.max_length_spin.value(),
                                seed=self.seed_spin.value() or None)

