"""The Paint tab's Train a new style dialog: a folder read with a sentence per file, pause and resume, the
trained style listed in the tab."""

from __future__ import annotations

import numpy as np
from PIL import Image

from tests.support.jobs import wait_for_job
from tests.support.paintings import painting_image, tiny_config


def test_train_a_style_from_a_folder_with_bad_files_pause_and_resume(qtbot, paint, tmp_path, monkeypatch):
    from app.tabs.paint import train_dialog

    monkeypatch.setattr(train_dialog, "train", _tiny_train)
    folder = tmp_path / "my paintings"
    folder.mkdir()
    for seed in range(3):
        painting_image(seed, 128).save(folder / f"painting-{seed}.png")
    (folder / "notes.txt").write_text("not an image")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "tiny.png").write_bytes(b"")
    Image.fromarray(np.zeros((20, 20, 3), dtype=np.uint8)).save(folder / "tiny.png")

    dialog = paint.show_train_dialog()
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(folder))
    assert "3 image(s) usable" in dialog.summary_label.text()
    reports = [dialog.report_list.item(i).text() for i in range(dialog.report_list.count())]
    assert any(r.startswith("✗ empty.jpg") for r in reports) and any(r.startswith("✗ tiny.png") for r in reports)

    dialog.name_edit.setText("mine")
    previews = []
    paint.worker.job_progress.connect(lambda h, p: previews.append(p) if p.preview is not None else None)
    with qtbot.waitSignal(paint.worker.job_progress, timeout=60_000,
                          check_params_cb=lambda h, p: p.message.startswith("step 2:")):
        dialog.start()
    with qtbot.waitSignal(paint.worker.job_cancelled, timeout=30_000):
        dialog.pause()
    assert dialog.state_path().exists() and dialog.train_button.text() == "Resume"
    with qtbot.waitSignal(dialog.trained, timeout=120_000):
        dialog.start()
    assert previews and not dialog.preview_label.pixmap().isNull()
    qtbot.waitUntil(lambda: any("Mine" in paint.controls.style_list.item(i).text()
                                for i in range(paint.controls.style_list.count())), timeout=30_000)


def test_train_dialog_reports_sizes_as_training_reads_them_and_names_each_folder(qtbot, paint, tmp_path):
    first, second = tmp_path / "street photos", tmp_path / "harbour"
    for folder in (first, second):
        folder.mkdir()
    painting_image(0, 128).resize((868, 600)).save(first / "building.jpg")
    painting_image(1, 128).resize((2000, 1000)).save(first / "huge.png")
    painting_image(2, 128).save(second / "boat.png")

    dialog = paint.show_train_dialog()
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(first))
    reports = [dialog.report_list.item(i).text() for i in range(dialog.report_list.count())]
    assert reports == ["✓ building.jpg", "✓ huge.png: downscaled from 2000x1000 to 1024x512"]
    assert dialog.name_edit.text() == "street-photos"
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(second))
    assert dialog.name_edit.text() == "harbour"
    dialog.name_edit.setText("my-own-name")
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(first))
    assert dialog.name_edit.text() == "my-own-name"


def _tiny_train(folder, out_path, name, minutes, title=""):
    def job(context):
        from models.paint.training import train_style_from_folder

        config = tiny_config(name, max_steps=8, title=title)
        yield from train_style_from_folder(folder, out_path, config, cancel=context.cancel)

    return job


def test_a_folder_without_pictures_says_what_to_choose(qtbot, paint, tmp_path):
    empty, notes = tmp_path / "empty", tmp_path / "notes"
    empty.mkdir()
    notes.mkdir()
    (notes / "readme.txt").write_text("not an image")
    dialog = paint.show_train_dialog()
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(empty))
    assert dialog.summary_label.text() == ("empty has no pictures to learn from: choose a folder with 1 to 500 "
                                           "paintings (PNG, JPEG, WebP, TIFF…).")
    assert not dialog.train_button.isEnabled()
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(notes))
    assert dialog.summary_label.text().startswith("notes has no pictures to learn from (1 file could not be used, "
                                                  "listed below): choose a folder")
    dialog.reject()
