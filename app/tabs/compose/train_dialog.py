"""Train your own melody style from a folder of MIDI files: see what was found, train, cancel."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.worker import JobContext, JobHandle, TabWorker
from models.jobs import JobError, Progress, Result

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def scan_folder(folder: Path):
    def job(context: JobContext):
        from models.music.midi_folder import read_midi_folder

        yield Progress(None, f"reading MIDI files in {folder.name}")
        try:
            tunes, reports = read_midi_folder(folder)
        except ValueError as error:
            raise JobError(str(error)) from None
        yield Result((len(tunes), reports))

    return job


def train_style(folder: Path, name: str, out_path: Path):
    def job(context: JobContext):
        from models.music.training import train_style_job

        yield from train_style_job(folder, name, out_path, cancel=context.cancel)

    return job


class TrainMelodyStyleDialog(QDialog):
    trained = Signal(object)  # the new style's checkpoint path

    def __init__(self, styles_dir: Path, parent: QWidget | None = None, worker: TabWorker | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train your own melody style")
        self.styles_dir = styles_dir
        self.worker = worker if worker is not None else parent.worker
        self._job: JobHandle | None = None
        self.folder: Path | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Pick a folder of MIDI files with melodies in the style you want (a few dozen tunes "
                                "is plenty). Drums are skipped; the melody is the highest line of each file."))
        form = QFormLayout()
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("MIDI folder")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(choose)
        form.addRow("Folder:", folder_row)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Style name")
        self.name_edit.setPlaceholderText("my-tunes")
        form.addRow("Name:", self.name_edit)
        layout.addLayout(form)

        self.summary_label = QLabel("No folder chosen yet.")
        self.summary_label.setAccessibleName("Folder summary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.report_list = QListWidget()
        self.report_list.setAccessibleName("Files found")
        layout.addWidget(self.report_list)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Training progress")
        self.progress_label = QLabel()
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)

        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train")
        self.train_button.setAccessibleName("Train")
        self.train_button.setEnabled(False)
        self.train_button.clicked.connect(self.train)
        self.cancel_button = QPushButton("Cancel training")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.train_button, self.cancel_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.worker.job_progress.connect(self._on_progress)
        self.worker.job_finished.connect(self._on_finished)
        self.worker.job_failed.connect(self._on_failed)
        self.worker.job_cancelled.connect(self._on_cancelled)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of MIDI files")
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> JobHandle:
        self.folder = folder
        self.folder_edit.setText(str(folder))
        if not self.name_edit.text():
            self.name_edit.setText(re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-")[:64] or "my-style")
        self.summary_label.setText("Reading the MIDI files…")
        self.report_list.clear()
        self.train_button.setEnabled(False)
        self._job = self.worker.submit("Reading MIDI folder", scan_folder(folder))
        return self._job

    def train(self) -> JobHandle | None:
        name = self.name_edit.text().strip()
        if not NAME_PATTERN.fullmatch(name):
            self.summary_label.setText("Name the style with letters, digits, - and _ only.")
            return None
        self.train_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self._job = self.worker.submit(f"Training style {name}", train_style(self.folder, name,
                                                                            self.styles_dir / f"{name}.safetensors"))
        return self._job

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _on_progress(self, handle: JobHandle, progress: Progress) -> None:
        if handle is self._job:
            if progress.fraction is not None:
                self.progress.setValue(round(1000 * progress.fraction))
            self.progress_label.setText(progress.message)

    def _on_finished(self, handle: JobHandle, result) -> None:
        if handle is not self._job:
            return
        self._job = None
        if isinstance(result, tuple):  # the folder scan
            melodies, reports = result
            skipped = [r for r in reports if not r.used]
            self.summary_label.setText(f"{melodies} melodies found; {len(skipped)} file(s) skipped.")
            for report in reports:
                self.report_list.addItem(f"{'✓' if report.used else '✗'} {Path(report.path).name}: {report.reason}")
            self.train_button.setEnabled(melodies > 0)
            return
        self.cancel_button.setEnabled(False)
        self.progress.setValue(1000)
        self.summary_label.setText(
            f"Trained “{result['name']}” on {result['melodies']} melodies in {result['seconds']} s "
            f"({result['valid_bits_per_note']} bits per note on held-out melodies). It is now in the Style list."
        )
        self.trained.emit(Path(result["path"]))

    def _on_failed(self, handle: JobHandle, message: str) -> None:
        if handle is self._job:
            self._job = None
            self.summary_label.setText(message)
            self.cancel_button.setEnabled(False)
            self.train_button.setEnabled(False)

    def _on_cancelled(self, handle: JobHandle) -> None:
        if handle is self._job:
            self._job = None
            self.summary_label.setText("Training cancelled; nothing was saved.")
            self.cancel_button.setEnabled(False)
            self.train_button.setEnabled(True)
            self.progress.setValue(0)
