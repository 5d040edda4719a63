"""Every test runs offscreen, with its own empty data folder, no sound card and the CPU."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ATELIER_DEVICE", "cpu")


def _small_soundfont() -> str:
    # pretty_midi's 6 MB General MIDI SoundFont loads in 0.1 s; tests need sound, not beauty.
    import pretty_midi

    return os.path.join(os.path.dirname(pretty_midi.__file__), "TimGM6mb.sf2")


os.environ.setdefault("ATELIER_SOUNDFONT", _small_soundfont())


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run_slow = config.getoption("--run-slow")
    cuda = _cuda_available()
    for item in items:
        if "slow" in item.keywords and not run_slow:
            item.add_marker(pytest.mark.skip(reason="slow: run with --run-slow"))
        if "gpu" in item.keywords and not cuda:
            item.add_marker(pytest.mark.skip(reason="needs a CUDA device"))


def _cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A fresh data folder per test, so no test reads or writes a real user's files."""
    folder = tmp_path_factory.mktemp("atelier-data")
    monkeypatch.setenv("ATELIER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def main_window(qtbot):
    from app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    yield window
    window.shutdown()
