"""Train a new painting style from a folder of images: see what was found, watch previews improve,
pause and resume later, or cancel and leave nothing behind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QWidget

from app.tabs.paint.controls import pixmap_from_array
from app.tabs.train_dialog import FolderTrainingDialog
from app.worker import JobContext, TabWorker
from models.jobs import JobError, Progress, Result


def scan_folder(folder: Path):
    def job(context: JobContext):
        from models.paint.images import ImageRejected, survey_image_folder
        from models.paint.training import TRAINING_MAX_SIDE

        yield Progress(None, f"looking at the images in {folder.name}")
        try:
            report = survey_image_folder(folder, max_side=TRAINING_MAX_SIDE)
        except ImageRejected as error:
            raise JobError(f"{error}. Choose a folder of paintings.") from None
        yield Result(report)

    return job


def train(folder: Path, out_path: Path, name: str, minutes: float, title: str = ""):
    def job(context: JobContext):
        from models.paint.references import write_style_references_from_folder
        from models.paint.training import TrainingConfig, train_style_from_folder

        config = TrainingConfig(name=name, minutes=minutes, title=title)
        for event in train_style_from_folder(folder, out_path, config, device=context.device, cancel=context.cancel):
            if isinstance(event, Result):
                yield Progress(None, "writing the best-quality data")
                write_style_references_from_folder(out_path, folder)
            yield event

    return job


class TrainPaintStyleDialog(FolderTrainingDialog):
    def __init__(self, styles_dir: Path, worker: TabWorker, parent: QWidget | None = None):
        super().__init__(
            "Train a new painting style",
            "Pick a folder with 1 to 500 paintings in one style (yours, or a painter's). "
            "Training runs on this computer; you can pause and resume it later.",
            "image",
            styles_dir,
            worker,
            parent,
            can_pause=True,
        )
        self.minutes_spin = QDoubleSpinBox()
        self.minutes_spin.setAccessibleName("Training minutes")
        self.minutes_spin.setRange(0.05, 600)
        self.minutes_spin.setValue(20)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setToolTip("About 20 minutes on a laptop CPU gives a usable style; longer is better")
        self.form.addRow("Train for:", self.minutes_spin)
        self.preview_label = QLabel("Previews appear here while training.")
        self.preview_label.setAccessibleName("Training preview")
        self.preview_label.setFixedSize(260, 200)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.middle.addWidget(self.preview_label)

    def state_path(self) -> Path:
        from models.paint.training import state_path_for

        return state_path_for(self.out_path)

    def paused_progress(self) -> Path | None:
        return self.state_path() if self.name_edit.text().strip() else None

    def scan_job(self, folder: Path):
        return scan_folder(folder)

    def show_scan(self, result) -> bool:
        usable = [r for r in result if r.used]
        skipped = [r for r in result if not r.used]
        if usable:
            self.summary_label.setText(f"{len(usable)} image(s) usable; {len(skipped)} file(s) skipped.")
        else:  # "0 image(s) usable; 0 file(s) skipped." and Train greyed out said nothing of what to do next
            name = self.folder.name if self.folder is not None else "The folder"
            listed = (f" ({len(skipped)} file{' could' if len(skipped) == 1 else 's could'} not be used, listed below)"
                      if skipped else "")
            self.summary_label.setText(f"{name} has no pictures to learn from{listed}: choose a folder with 1 to 500 "
                                       "paintings (PNG, JPEG, WebP, TIFF…).")
        for report in result:
            mark = "✓" if report.used else "✗"
            self.report_list.addItem(f"{mark} {report.name}{': ' + report.reason if report.reason else ''}")
        return bool(usable)

    def training_job(self, name: str):
        assert self.folder is not None  # training starts only once a folder is chosen
        typed = self.name_edit.text().strip()  # shown in the style list as typed; a plain name as before
        return train(self.folder, self.out_path, name, self.minutes_spin.value(), typed if typed != name else "")

    def show_preview(self, progress: Progress) -> None:
        pixmap = pixmap_from_array(np.asarray(progress.preview.convert("RGB")))
        self.preview_label.setPixmap(
            pixmap.scaled(
                self.preview_label.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def trained_message(self, result) -> tuple[str, Path]:
        return (
            f"Trained “{self.name_edit.text().strip()}”: {result.steps} steps in {result.seconds:.0f} s. "
            "It is now in the style picker.",
            Path(result.style_path),
        )
