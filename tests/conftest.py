"""Every test runs offscreen, with its own empty data folder, no sound card and the CPU."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ATELIER_DEVICE", "cpu")
# The ALSA null device `make test` names, so that a test run by hand (pytest tests/test_x.py) has a sound
# device too: without it, PortAudio finds no output on a machine with no sound card and playback tests fail.
os.environ.setdefault(
    "ALSA_CONFIG_PATH", f"/usr/share/alsa/alsa.conf:{Path(__file__).resolve().parent / 'alsa-null.conf'}"
)


def _small_soundfont() -> str:
    # pretty_midi's 6 MB General MIDI SoundFont loads in 0.1 s; tests need sound, not beauty.
    import pretty_midi

    return os.path.join(os.path.dirname(pretty_midi.__file__), "TimGM6mb.sf2")


os.environ.setdefault("ATELIER_SOUNDFONT", _small_soundfont())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Long work belongs in bench/, not here; only GPU tests are skipped, where there is no CUDA device.
    if any("gpu" in item.keywords for item in items) and not _cuda_available():
        for item in items:
            if "gpu" in item.keywords:
                item.add_marker(pytest.mark.skip(reason="needs a CUDA device"))


def _cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A fresh data folder per test, so no test reads or writes a real user's files."""
    from app import paths

    folder = tmp_path_factory.mktemp("atelier-data")
    monkeypatch.setenv(paths.DATA_DIR_VARIABLE, str(folder))
    paths.use_data_dir(None)  # resolved again, from the variable, at its first use
    yield folder
    paths.use_data_dir(None)


@pytest.fixture
def main_window(qtbot):
    from app.main_window import MainWindow

    window = MainWindow()
    # A test that leaves work not kept (variations, strokes) would be asked Save / Discard / Cancel when qtbot closes
    # the window, and the question, left open, took the next tests' mouse events.
    qtbot.addWidget(window, before_close_func=lambda window: window.close_without_asking())
    yield window
    window.shutdown()


@pytest.fixture(scope="module")
def one_torch_thread():
    """Run a test module's torch work on one thread (decoding measured 6x slower with two on a busy machine)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def install_checkpoint(checkpoint: Path, folder: Path, name: str) -> Path:
    """Copy a checkpoint (weights and JSON) into a data-folder models directory, as a user's own; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".safetensors", ".json"):
        shutil.copy(checkpoint.with_suffix(suffix), folder / f"{name}{suffix}")
    return folder


# Tab fixtures: a main window whose Paint and Compose tabs have a tiny style of their own, trained in
# seconds once per session, so tab tests never depend on the shipped checkpoints.


@pytest.fixture(scope="session")
def tiny_style(tmp_path_factory) -> Path:
    """A melody style trained in about a second on a few synthetic tunes."""
    from models.jobs import run_job
    from models.music.training import train_style_job
    from tests.support.midi_files import write_tune_folder

    folder = write_tune_folder(tmp_path_factory.mktemp("tunes"), with_bad_files=False)
    out = tmp_path_factory.mktemp("style") / "tiny.safetensors"
    run_job(train_style_job(folder, "tiny", out, n_states=8, restarts=1, n_iter=20))
    return out


@pytest.fixture
def compose(qtbot, main_window, data_dir, tiny_style):
    from app.paths import melody_styles_dir

    styles = install_checkpoint(tiny_style, melody_styles_dir(), "tiny")
    tab = main_window.activity_tabs[1]
    tab.controls.refresh_styles(select=str(styles / "tiny.safetensors"))
    tab.controls.variations_spin.setValue(3)
    tab.controls.bars_spin.setValue(4)
    tab.controls.seed_spin.setValue(5)
    main_window.tabs.setCurrentWidget(tab)
    return tab


@pytest.fixture(scope="session")
def tiny_paint_style(tmp_path_factory) -> Path:
    from models.jobs import run_job
    from models.paint.training import train_style
    from tests.support.paintings import painting_image, tiny_config

    out = tmp_path_factory.mktemp("paint-style") / "stripes.safetensors"
    paintings = [("a.png", painting_image(1)), ("b.png", painting_image(2))]
    run_job(train_style(paintings, [painting_image(3)], out, tiny_config("stripes")))
    return out


@pytest.fixture
def paint(qtbot, main_window, data_dir, tiny_paint_style):
    from app.paths import paint_styles_dir

    styles = install_checkpoint(tiny_paint_style, paint_styles_dir(), "stripes")
    tab = main_window.activity_tabs[0]
    from tests.support.jobs import wait_for_job

    wait_for_job(qtbot, tab, lambda: tab.reload_styles(select=styles / "stripes.safetensors"), timeout=60_000)
    tab.controls.live_check.setChecked(False)
    # A quarter of the default canvas's pixels: each render these tests wait for costs about a quarter, and what they
    # check does not depend on the size (a blank canvas is no edit: nothing to undo).
    from PySide6.QtCore import QSize

    tab.canvas.new_canvas(QSize(384, 256))
    tab.canvas.undo_stack.clear()
    main_window.show()
    qtbot.waitExposed(main_window)
    return tab
