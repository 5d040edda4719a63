"""The "train your own style" dialog that Paint and Compose share: pick a folder, see what was found in it
(and why a file was skipped), train with progress, pause or cancel.

A tab's dialog subclasses `FolderTrainingDialog` and says which job reads the folder, which job trains,
and how to show their results.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.tabs.message_bar import MessageBar
from app.worker import JobFactory, JobHandle, TabWorker
from models.jobs import Progress


def file_stem(name: str) -> str:
    """The style's file name for the name typed in the dialog: "Hokusai's waves" -> "Hokusais-waves", "Cézanne"
    -> "Cezanne"; "" when no letter or digit is left. The name itself is the style's title where the tab shows one."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace("'", "")
    return re.sub(r"[^A-Za-z0-9_-]+", "-", plain).strip("-_")[:64]


DIALOG_SIZE = (720, 560)  # pixels, or the screen where smaller


class FolderTrainingDialog(QDialog):
    trained = Signal(object)  # the new style's checkpoint path

    def __init__(
        self,
        title: str,
        intro: str,
        folder_kind: str,
        styles_dir: Path,
        worker: TabWorker,
        parent: QWidget | None = None,
        can_pause: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.styles_dir = styles_dir
        self.worker = worker
        self.folder_kind = folder_kind
        self.folder: Path | None = None
        self._suggested_name = ""  # the name we filled in from the folder, replaced when the folder changes
        self._scan_job: JobHandle | None = None
        self._train_job: JobHandle | None = None
        self._discard_on_cancel = True

        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        self.form = QFormLayout()
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName(f"{folder_kind.capitalize()} folder")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(choose)
        self.form.addRow("Folder:", folder_row)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Style name")
        self.name_edit.setPlaceholderText("my-style")
        self.form.addRow("Name:", self.name_edit)
        layout.addLayout(self.form)

        self.summary_label = QLabel("No folder chosen yet.")
        self.summary_label.setAccessibleName("Folder summary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.middle = QHBoxLayout()
        self.report_list = QListWidget()
        self.report_list.setAccessibleName("Files found")
        self.middle.addWidget(self.report_list, 1)
        layout.addLayout(self.middle)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Training progress")
        self.progress_label = QLabel()
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)

        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train")
        self.train_button.setAccessibleName("Train")
        self.train_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Stop now and keep the progress; Resume carries on later")
        self.pause_button.clicked.connect(self.pause)
        self.pause_button.setVisible(can_pause)
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
        # Wide enough to read why each file is skipped: sized by its wrapped intro, it opened 299 px wide, every
        # reason cut off ("huge.mid: too large (5471 KiB; the…", under Xvfb) and the folder's path too.
        available = self.screen().availableGeometry()
        self.resize(min(DIALOG_SIZE[0], available.width()), min(DIALOG_SIZE[1], available.height()))

        self.worker.job_progress.connect(self._on_progress)
        self.worker.job_finished.connect(self._on_finished)
        self.worker.job_failed.connect(self._on_failed)
        self.worker.job_cancelled.connect(self._on_cancelled)

    # What a tab's dialog provides --------------------------------------------------------------

    def scan_job(self, folder: Path) -> JobFactory:
        """A job whose result describes what the folder holds."""
        raise NotImplementedError

    def show_scan(self, result: Any) -> bool:
        """Fill `summary_label` and `report_list` from the scan; whether there is anything to train on."""
        raise NotImplementedError

    def training_job(self, name: str) -> JobFactory:
        raise NotImplementedError

    def trained_message(self, result: Any) -> tuple[str, Path]:
        """What to say when training has finished, and the new style's checkpoint."""
        raise NotImplementedError

    def show_preview(self, progress: Progress) -> None:
        """A tab whose training yields preview pictures shows them here."""

    def paused_progress(self) -> Path | None:
        """Where a paused training keeps its progress, when the tab's trainer can resume."""
        return None

    # The dialog --------------------------------------------------------------------------------

    @property
    def out_path(self) -> Path:
        return self.styles_dir / f"{file_stem(self.name_edit.text())}.safetensors"

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, f"Choose a folder of {self.folder_kind} files")
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> JobHandle:
        self.folder = folder
        self.folder_edit.setText(str(folder))
        if self.name_edit.text().strip() in ("", self._suggested_name):
            self._suggested_name = file_stem(folder.name) or "my-style"
            self.name_edit.setText(self._suggested_name)
        self.summary_label.setText(f"Reading the {self.folder_kind} files…")
        self.report_list.clear()
        self.train_button.setEnabled(False)
        self._scan_job = self.worker.submit(f"Reading {self.folder_kind} folder", self.scan_job(folder))
        return self._scan_job

    def start(self) -> JobHandle | None:
        """Train on the folder, as a file named after the name typed (any name: "My waves" was refused, and the
        refusal took the place of the folder's summary)."""
        name = file_stem(self.name_edit.text())
        if self.folder is None or not name:
            self.progress_label.setText("Choose a folder first." if self.folder is None else
                                        "Give the style a name with some letters or digits in it.")
            return None
        self.progress_label.clear()
        paused = self.paused_progress()
        resuming = paused is not None and paused.exists()
        if self.out_path.exists() and not resuming and not self._replace_confirmed(name):
            self.progress_label.setText("Give the new style another name, or replace the one there.")
            return None
        self.summary_label.setText("Resuming the paused training…" if resuming else "Training…")
        self.progress.setValue(0)
        self._set_running(True)
        self._train_job = self.worker.submit(f"Training style {name}", self.training_job(name))
        return self._train_job

    def _replace_confirmed(self, name: str) -> bool:
        """A style of that name is installed: training over it would replace it without a word (session 16)."""
        answer = QMessageBox.question(self, "Replace style", f"A style named “{name}” is already installed. Replace it "
                                      "with the one trained now? The old one is lost.")
        return answer == QMessageBox.StandardButton.Yes

    def pause(self) -> None:
        if self._train_job is not None:
            self._discard_on_cancel = False
            self._train_job.cancel()

    def cancel(self) -> None:
        if self._train_job is not None:
            self._discard_on_cancel = True
            self._train_job.cancel()

    def _set_running(self, running: bool, can_train: bool | None = None) -> None:
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.train_button.setEnabled(not running and self.folder is not None if can_train is None else can_train)
        paused = self.paused_progress()
        self.train_button.setText("Resume" if not running and paused is not None and paused.exists() else "Train")

    def _on_progress(self, handle: JobHandle, progress: Progress) -> None:
        if handle is not self._train_job:
            return
        if progress.fraction is not None:
            self.progress.setValue(round(1000 * progress.fraction))
        self.progress_label.setText(progress.message)
        if progress.preview is not None:
            self.show_preview(progress)

    def _on_finished(self, handle: JobHandle, result: Any) -> None:
        if handle is self._scan_job:
            self._scan_job = None
            self._set_running(False, can_train=self.show_scan(result))
        elif handle is self._train_job:
            self._train_job = None
            self._set_running(False)
            self.progress.setValue(1000)
            message, path = self.trained_message(result)
            self.summary_label.setText(message)
            self.trained.emit(path)

    def _on_failed(self, handle: JobHandle, message: str) -> None:
        if handle in (self._scan_job, self._train_job):
            self._scan_job = self._train_job = None
            self.summary_label.setText(message)
            self._set_running(False, can_train=False)
            # Said here: the tab behind shows each failure of its worker's jobs, and this one stayed in its message
            # bar after the dialog was closed ("No melody could be read from …", seen under Xvfb).
            tab_message_bar = getattr(self.parentWidget(), "message_bar", None)
            if isinstance(tab_message_bar, MessageBar):
                tab_message_bar.take_back(message)

    def _on_cancelled(self, handle: JobHandle) -> None:
        if handle is not self._train_job:
            return
        self._train_job = None
        paused = self.paused_progress()
        if self._discard_on_cancel or paused is None:
            if paused is not None:
                paused.unlink(missing_ok=True)
                paused.with_suffix(".json").unlink(missing_ok=True)
            self.summary_label.setText("Training cancelled; nothing was saved.")
            self.progress.setValue(0)
        else:
            self.summary_label.setText("Paused. Press Resume to carry on from here, now or another day.")
        self._set_running(False)
