"""One home for every folder: the CLI and the app save and look in the same places, resolved once per run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.jobs import wait_for_job
from tests.support.paintings import painting_image, tiny_config

REPO = Path(__file__).resolve().parent.parent


def test_a_style_trained_with_the_cli_is_listed_in_the_paint_tab(qtbot, main_window, tmp_path, monkeypatch):
    from app.cli import main
    from app.paths import paint_styles_dir
    from models.paint import references, training

    folder = tmp_path / "my paintings"
    folder.mkdir()
    for seed in (1, 2):
        painting_image(seed).save(folder / f"{seed}.png")
    # The command's own settings take minutes, and so do the style-match references it writes beside the
    # style (a minute of VGG on the photographs); the folder it saves to is what this test is about.
    monkeypatch.setattr(training, "TrainingConfig", lambda name, minutes: tiny_config(name))
    monkeypatch.setattr(references, "write_style_references_from_folder", lambda style, paintings: [])

    assert main(["train-style", str(folder), "--name", "mine"]) == 0  # no -o: where a user's style goes

    assert (paint_styles_dir() / "mine.safetensors").exists()
    paint = main_window.activity_tabs[0]
    wait_for_job(qtbot, paint, paint.reload_styles, timeout=60_000)
    listed = [paint.controls.style_list.item(row).text() for row in range(paint.controls.style_list.count())]
    assert "Mine (yours)" in listed


def test_styles_the_cli_saved_in_the_old_folder_move_where_the_app_finds_them(data_dir):
    from app import paths

    assert paths.data_dir() == data_dir  # this run's: the files below are left by an older version
    legacy = data_dir / "models" / "paint"
    (legacy / "references").mkdir(parents=True)
    for name in ("old.safetensors", "old.json", "old.training.safetensors", "references/old.match.json"):
        (legacy / name).write_text(name)
    taken = paths.paint_styles_dir() / "both.safetensors"
    taken.write_text("the app's")
    (legacy / "both.safetensors").write_text("the command line's")

    paths.use_data_dir(None)  # a new run
    styles = paths.paint_styles_dir()

    for name in ("old.safetensors", "old.json", "old.training.safetensors", "references/old.match.json"):
        assert (styles / name).read_text() == name
    assert taken.read_text() == "the app's"  # never overwritten: the other one stays where it was
    assert (legacy / "both.safetensors").read_text() == "the command line's"
    assert not (legacy / "references").exists()


def test_the_data_folder_is_resolved_once_per_run(data_dir, monkeypatch):
    from app import paths
    from app.settings import Settings

    assert paths.data_dir() == data_dir
    # Without the override the settings live in the config folder: a temporary one here.
    monkeypatch.delenv(paths.DATA_DIR_VARIABLE)
    monkeypatch.setattr(paths, "_standard_location", lambda name: data_dir / name)
    Settings().set(paths.DATA_DIR_SETTING, str(data_dir / "elsewhere"))
    assert paths.data_dir() == data_dir  # a Preferences change takes effect at the next start
    paths.use_data_dir(None)
    assert paths.data_dir() == data_dir / "elsewhere"


def test_paths_does_not_import_the_settings():
    code = "import sys, app.paths; print('app.settings' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
