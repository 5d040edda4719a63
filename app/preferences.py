"""The Preferences dialog: compute device, data folder, audio output, theme."""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.paths import DATA_DIR_VARIABLE, data_dir_in_use, default_data_dir
from app.settings import Settings
from app.system_check import audio_outputs, portaudio_problem
from app.theme import ERROR_COLOUR

DEVICE_LABELS = {"auto": "Auto (best available)", "cpu": "CPU", "cuda": "NVIDIA GPU (CUDA)", "mps": "Apple GPU (MPS)"}


class PreferencesDialog(QDialog):
    """Edits the settings; nothing changes until OK."""

    def __init__(self, settings: Settings, available_devices: dict[str, bool] | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(640)  # room for a folder path and the notes under it
        self.settings = settings
        form = QFormLayout(self)

        self.device_combo = QComboBox()
        self.device_combo.setAccessibleName("Compute device")
        for key, label in DEVICE_LABELS.items():
            exists = available_devices.get(key, False) if available_devices is not None else key in ("auto", "cpu")
            self.device_combo.addItem(label if exists else f"{label} — not on this computer", key)
            if not exists:
                self.device_combo.model().item(self.device_combo.count() - 1).setEnabled(False)
        self._select(self.device_combo, settings.get("device"))
        form.addRow("Compute device:", self.device_combo)

        self.data_dir_edit = QLineEdit(settings.get("data_dir"))
        self.data_dir_edit.setPlaceholderText(f"The standard place: {default_data_dir()}")
        self.data_dir_edit.setAccessibleName("Data folder")
        self.data_dir_edit.setToolTip("Empty: the standard place for your system")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_data_dir)
        row = QHBoxLayout()
        row.addWidget(self.data_dir_edit)
        row.addWidget(browse)
        form.addRow("Data folder:", row)
        in_use, reason = data_dir_in_use()
        note = f"In use now: {in_use} ({reason})."
        if os.environ.get(DATA_DIR_VARIABLE):
            note += f" The folder chosen here applies when {DATA_DIR_VARIABLE} is not set."
        note += " History, your styles and logs live there; a change takes effect after a restart."
        self.data_dir_note = QLabel(f"<small>{html.escape(note)}</small>")
        self.data_dir_note.setAccessibleName("Data folder in use")
        self.data_dir_note.setWordWrap(True)
        self.data_dir_note.setMinimumWidth(480)  # a wrapped label otherwise asks for the height of a narrow one
        self.data_dir_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.data_dir_note)

        self.audio_combo = QComboBox()
        self.audio_combo.setAccessibleName("Audio output")
        self.audio_combo.addItem("System default", "")
        for output in audio_outputs():
            self.audio_combo.addItem(output.name, output.name)
        self._select(self.audio_combo, settings.get("audio_output"))
        form.addRow("Audio output:", self.audio_combo)
        problem = portaudio_problem()
        if problem or self.audio_combo.count() == 1:
            form.addRow("", QLabel(f"<small>{problem or 'No sound output device was found.'}</small>"))

        self.server_edit = QLineEdit(settings.get("chat_server_url"))
        self.server_edit.setAccessibleName("Chat server")
        self.server_edit.setPlaceholderText("Empty: the built-in model. E.g. http://127.0.0.1:11434 (Ollama)")
        form.addRow("Chat server:", self.server_edit)
        self.server_note = QLabel(
            "<small>Only the address you type is ever contacted. If it is down, the built-in model answers.</small>"
        )
        self.server_note.setWordWrap(True)
        self.server_note.setMinimumWidth(480)
        form.addRow("", self.server_note)

        self.dark_theme_check = QCheckBox("Dark theme")
        self.dark_theme_check.setAccessibleName("Dark theme")
        self.dark_theme_check.setChecked(settings.get("dark_theme"))
        form.addRow("Look:", self.dark_theme_check)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _choose_data_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the data folder", self.data_dir_edit.text())
        if folder:
            self.data_dir_edit.setText(folder)

    def accept(self) -> None:
        server = self.server_edit.text().strip()
        if server:
            from models.jobs import JobError
            from models.text.server import check_server_url

            try:
                server = check_server_url(server)
            except JobError as error:
                self.server_note.setText(f"<small style='color:{ERROR_COLOUR}'>{error}</small>")
                return
        self.settings.set("chat_server_url", server)
        self.settings.set("device", self.device_combo.currentData())
        self.settings.set("data_dir", self.data_dir_edit.text().strip())
        self.settings.set("audio_output", self.audio_combo.currentData())
        self.settings.set("dark_theme", self.dark_theme_check.isChecked())
        self.settings.sync()
        super().accept()
