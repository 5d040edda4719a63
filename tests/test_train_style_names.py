"""A style trained from a folder may be named as a person names it ("My waves"), not only as a file is.

Session 16, under Xvfb (/work/helpers/firsthour4/shots/13-train-10s.png): typing "My waves" and pressing Train did
nothing but replace the folder's summary with "name the style with letters, digits, - and _ only".
"""

from __future__ import annotations

from types import SimpleNamespace

from models.jobs import Result
from tests.support.jobs import wait_for_job
from tests.support.paintings import painting_image


def test_a_typed_name_becomes_a_file_name():
    from app.tabs.train_dialog import file_stem

    assert file_stem("My waves") == "My-waves"
    assert file_stem("  Hokusai's waves, 2026! ") == "Hokusais-waves-2026"
    assert file_stem("Cézanne") == "Cezanne"
    assert file_stem("my-style_2") == "my-style_2"
    assert file_stem("../x") == "x"
    assert file_stem("モネ") == "" and file_stem("   ") == ""


def _dialog_training_nothing(qtbot, paint, tmp_path, monkeypatch, asked: list[dict]):
    """The Train dialog on a folder of one picture, its training a stand-in that records what it was asked."""
    from app.tabs.paint import train_dialog

    def recorded_train(folder, out_path, name, minutes, title=""):
        asked.append({"out_path": out_path, "name": name, "title": title})

        def job(context):
            yield Result(SimpleNamespace(steps=1, seconds=0.0, style_path=str(out_path)))

        return job

    monkeypatch.setattr(train_dialog, "train", recorded_train)
    folder = tmp_path / "waves"
    folder.mkdir()
    painting_image(0, 96).save(folder / "wave.png")
    dialog = paint.show_train_dialog()
    wait_for_job(qtbot, paint, lambda: dialog.set_folder(folder))
    return dialog


def test_a_style_named_with_spaces_trains_under_that_title(qtbot, paint, tmp_path, monkeypatch):
    asked: list[dict] = []
    dialog = _dialog_training_nothing(qtbot, paint, tmp_path, monkeypatch, asked)
    dialog.name_edit.setText("Hokusai's waves")
    handle = dialog.start()
    assert handle is not None, dialog.progress_label.text()
    qtbot.waitUntil(lambda: handle not in paint.worker.pending_jobs(), timeout=10_000)
    assert asked == [{"out_path": dialog.styles_dir / "Hokusais-waves.safetensors", "name": "Hokusais-waves",
                      "title": "Hokusai's waves"}]
    assert "1 image(s) usable" in dialog.summary_label.text() or "Trained" in dialog.summary_label.text()

    dialog.name_edit.setText("モネ")  # nothing left to name a file by: said where it does not hide the summary
    assert dialog.start() is None and "letters or digits" in dialog.progress_label.text()


def test_training_over_an_installed_style_asks_before_replacing_it(qtbot, paint, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    trained: list[dict] = []
    dialog = _dialog_training_nothing(qtbot, paint, tmp_path, monkeypatch, trained)
    dialog.name_edit.setText("stripes")  # the paint fixture's installed style
    assert dialog.out_path.exists()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    assert dialog.start() is None and trained == []  # declined: the installed style is kept
    assert "another name" in dialog.progress_label.text()
    handle = dialog.start()
    assert handle is not None
    qtbot.waitUntil(lambda: handle not in paint.worker.pending_jobs(), timeout=10_000)
    assert [asked["out_path"] for asked in trained] == [dialog.out_path]
