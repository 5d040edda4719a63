"""Train your own melody style from a folder of MIDI files: see what was found, train, cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.tabs.train_dialog import FolderTrainingDialog
from app.worker import JobContext, TabWorker
from models.jobs import JobError, Progress, Result


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


class TrainMelodyStyleDialog(FolderTrainingDialog):
    def __init__(self, styles_dir: Path, worker: TabWorker, parent: QWidget | None = None) -> None:
        super().__init__("Train your own melody style",
                         "Pick a folder of MIDI files with melodies in the style you want (a few dozen tunes is "
                         "plenty). Drums are skipped; the melody is the track named Melody, Lead, Vocals… or else "
                         "the highest line of each file.",
                         "MIDI", styles_dir, worker, parent)
        self.name_edit.setPlaceholderText("my-tunes")

    def scan_job(self, folder: Path):
        return scan_folder(folder)

    def show_scan(self, result) -> bool:
        melodies, reports = result
        skipped = [r for r in reports if not r.used]
        self.summary_label.setText(f"{melodies} melodies found; {len(skipped)} file(s) skipped.")
        for report in reports:
            self.report_list.addItem(f"{'✓' if report.used else '✗'} {Path(report.path).name}: {report.reason}")
        return melodies > 0

    def training_job(self, name: str):
        assert self.folder is not None  # training starts only once a folder is chosen
        return train_style(self.folder, name, self.out_path)

    def trained_message(self, result) -> tuple[str, Path]:
        return (f"Trained “{result['name']}” on {result['melodies']} melodies in {result['seconds']} s "
                f"({result['valid_bits_per_note']} bits per note on held-out melodies). It is now in the Style list.",
                Path(result["path"]))
