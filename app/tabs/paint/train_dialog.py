"""Train a new painting style from a folder of images: see what was found, watch previews improve,
pause and resume later, or cancel and leave nothing behind."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
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

from app.tabs.paint.controls import pixmap_from_array
from app.worker import JobContext, JobHandle, TabWorker
from models.jobs import JobError, Progress, Result

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def scan_folder(folder: Path):
    def job(context: JobContext):
        from models.paint.images import ImageRejected, load_image_folder

        yield Progress(None, f"looking at the images in {folder.name}")
        try:
            found = load_image_folder(folder, max_side=256)
        except ImageRejected as error:
            raise JobError(f"{error}. Choose a folder of paintings.") from None
        yield Result(found)

    return job


def train(folder: Path, out_path: Path, name: str, minutes: float, device_setting: str):
    def job(context: JobContext):
        from models.device import pick_device
        from models.paint.training import TrainingConfig, train_style_from_folder

        config = TrainingConfig(name=name, minutes=minutes)
        yield from train_style_from_folder(folder, out_path, config, device=pick_device(setting=device_setting).device,
                                           cancel=context.cancel)

    return job


class TrainPaintStyleDialog(QDialog):
    trained = Signal(object)  # the new style's checkpoint path

    def __init__(self, styles_dir: Path, worker: TabWorker, device_setting: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Train a new painting style")
        self.styles_dir = styles_dir
        self.worker = worker
        self.device_setting = device_setting
        self.folder: Path | None = None
        self._job: JobHandle | None = None
        self._discard_on_cancel = False

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Pick a folder with 1 to 500 paintings in one style (yours, or a painter's). "
                                "Training runs on this computer; you can pause and resume it later."))
        form = QFormLayout()
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("Image folder")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(choose)
        form.addRow("Folder:", folder_row)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Style name")
        form.addRow("Name:", self.name_edit)
        self.minutes_spin = QDoubleSpinBox()
        self.minutes_spin.setAccessibleName("Training minutes")
        self.minutes_spin.setRange(0.05, 600)
        self.minutes_spin.setValue(20)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setToolTip("About 20 minutes on a laptop CPU gives a usable style; longer is better")
        form.addRow("Train for:", self.minutes_spin)
        layout.addLayout(form)

        self.summary_label = QLabel("No folder chosen yet.")
        self.summary_label.setAccessibleName("Folder summary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        middle = QHBoxLayout()
        self.report_list = QListWidget()
        self.report_list.setAccessibleName("Images found")
        self.preview_label = QLabel("Previews appear here while training.")
        self.preview_label.setAccessibleName("Training preview")
        self.preview_label.setFixedSize(260, 200)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        middle.addWidget(self.report_list, 1)
        middle.addWidget(self.preview_label)
        layout.addLayout(middle)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Training progress")
        self.progress_label = QLabel()
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)

        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train")
        self.train_button.setEnabled(False)
        self.train_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Stop now and keep the progress; Resume carries on later")
        self.pause_button.clicked.connect(self.pause)
        self.cancel_button = QPushButton("Cancel training")
        self.cancel_button.setToolTip("Stop and throw this training away")
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.train_button, self.pause_button, self.cancel_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._set_running(False)

        self.worker.job_progress.connect(self._on_progress)
        self.worker.job_finished.connect(self._on_finished)
        self.worker.job_failed.connect(self._on_failed)
        self.worker.job_cancelled.connect(self._on_cancelled)

    @property
    def out_path(self) -> Path:
        return self.styles_dir / f"{self.name_edit.text().strip()}.safetensors"

    def state_path(self) -> Path:
        from models.paint.training import state_path_for

        return state_path_for(self.out_path)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of paintings")
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> JobHandle:
        self.folder = folder
        self.folder_edit.setText(str(folder))
        if not self.name_edit.text():
            self.name_edit.setText(re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-")[:64] or "my-style")
        self.summary_label.setText("Looking at the images…")
        self.report_list.clear()
        self._job = self.worker.submit("Reading image folder", scan_folder(folder))
        return self._job

    def start(self) -> JobHandle | None:
        name = self.name_edit.text().strip()
        if not NAME_PATTERN.fullmatch(name) or self.folder is None:
            self.summary_label.setText("Choose a folder, and name the style with letters, digits, - and _ only.")
            return None
        resuming = self.state_path().exists()
        self.summary_label.setText("Resuming the paused training…" if resuming else "Training…")
        self._set_running(True)
        self._job = self.worker.submit(f"Training style {name}", train(self.folder, self.out_path, name,
                                                                      self.minutes_spin.value(), self.device_setting))
        return self._job

    def pause(self) -> None:
        if self._job is not None:
            self._discard_on_cancel = False
            self._job.cancel()

    def cancel(self) -> None:
        if self._job is not None:
            self._discard_on_cancel = True
            self._job.cancel()

    def _set_running(self, running: bool) -> None:
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.train_button.setEnabled(not running and self.folder is not None)
        self.train_button.setText("Resume" if not running and self.folder and self.state_path().exists() else "Train")

    def _on_progress(self, handle: JobHandle, progress: Progress) -> None:
        if handle is not self._job:
            return
        if progress.fraction is not None:
            self.progress.setValue(round(1000 * progress.fraction))
        self.progress_label.setText(progress.message)
        if progress.preview is not None:
            pixmap = pixmap_from_array(np.asarray(progress.preview.convert("RGB")))
            self.preview_label.setPixmap(pixmap.scaled(self.preview_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.SmoothTransformation))

    def _on_finished(self, handle: JobHandle, result) -> None:
        if handle is not self._job:
            return
        self._job = None
        if hasattr(result, "report"):  # the folder scan
            usable = [r for r in result.report if r.used]
            skipped = [r for r in result.report if not r.used]
            self.summary_label.setText(f"{len(usable)} image(s) usable; {len(skipped)} file(s) skipped.")
            for report in result.report:
                mark = "✓" if report.used else "✗"
                self.report_list.addItem(f"{mark} {report.name}{': ' + report.reason if report.reason else ''}")
            self._set_running(False)
            self.train_button.setEnabled(bool(usable))
            return
        self._set_running(False)
        self.progress.setValue(1000)
        self.summary_label.setText(f"Trained “{self.name_edit.text()}”: {result.steps} steps in {result.seconds:.0f} s. "
                                   "It is now in the style picker.")
        self.trained.emit(Path(result.style_path))

    def _on_failed(self, handle: JobHandle, message: str) -> None:
        if handle is self._job:
            self._job = None
            self.summary_label.setText(message)
            self._set_running(False)

    def _on_cancelled(self, handle: JobHandle) -> None:
        if handle is not self._job:
            return
        self._job = None
        if self._discard_on_cancel:
            self.state_path().unlink(missing_ok=True)
            self.state_path().with_suffix(".json").unlink(missing_ok=True)
            self.summary_label.setText("Training cancelled; nothing was kept.")
            self.progress.setValue(0)
        else:
            self.summary_label.setText("Paused. Press Resume to carry on from here, now or another day.")
        self._set_running(False)
