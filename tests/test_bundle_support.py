"""The parts of the desktop bundle that run without building it: the self-test's window and audio checks,
the start-up timer, the FluidSynth runtime hook and the tarball's name. The bundle itself is tested by
`make package` / `make package-test` (build_scripts/smoke_test.sh), which take minutes."""

from __future__ import annotations

import ctypes.util
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_self_test_includes_the_window_and_melody_audio_checks():
    from app.selftest import SELF_TEST_CHECKS, check_main_window, check_melody_audio

    checks = dict(SELF_TEST_CHECKS)
    assert checks["main window"] is check_main_window
    assert checks["melody audio"] is check_melody_audio


def test_window_check_shows_the_window_and_leaves_the_user_data_alone(qapp, data_dir):
    from app.app_checks import check_main_window

    line = check_main_window()

    assert "window shown" in line and "Paint" in line
    assert list(data_dir.iterdir()) == []  # the check used its own temporary data folder
    assert os.environ["ATELIER_DATA_DIR"] == str(data_dir)  # and put the user's back


def test_window_shown_is_reported_and_the_app_quits(tmp_path, data_dir):
    env = dict(os.environ, ATELIER_EXIT_AFTER_SHOW="1", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "app"], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("atelier: window shown after"))
    assert 0 < float(line.split()[-2]) < 120
    assert list(tmp_path.iterdir()) == []  # nothing written to the working folder


def test_process_start_time_is_measured_from_the_kernel():
    from app.startup_timer import seconds_since_process_start

    seconds = seconds_since_process_start()
    # This test process started before the test session; the clock ticks are 10 ms.
    assert 0 < seconds < 24 * 3600


@pytest.fixture
def restore_find_library():
    original = ctypes.util.find_library
    yield
    ctypes.util.find_library = original


def test_runtime_hook_points_fluidsynth_at_the_bundled_library(tmp_path, monkeypatch, restore_find_library):
    (tmp_path / "libfluidsynth.so.3").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    system_libc = ctypes.util.find_library("c")

    runpy.run_path(str(REPO / "build_scripts" / "hooks" / "runtime" / "pyi_rth_fluidsynth.py"))

    for name in ("fluidsynth", "libfluidsynth-3", "fluidsynth-3"):
        assert ctypes.util.find_library(name) == str(tmp_path / "libfluidsynth.so.3")
    assert ctypes.util.find_library("c") == system_libc


def test_runtime_hook_leaves_the_system_search_when_nothing_is_bundled(tmp_path, monkeypatch, restore_find_library):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    before = ctypes.util.find_library

    runpy.run_path(str(REPO / "build_scripts" / "hooks" / "runtime" / "pyi_rth_fluidsynth.py"))

    assert ctypes.util.find_library is before


@pytest.mark.parametrize(
    ("line", "variant"),
    [("cuda: Optional[str] = None", "cpu"), ("cuda: Optional[str] = '12.6'", "cuda126"), ("cuda = '11.8'", "cuda118")],
)
def test_tarball_is_named_after_the_bundled_torch_build(tmp_path, line, variant):
    sys.path.insert(0, str(REPO / "build_scripts"))
    try:
        from make_tarball import torch_variant
    finally:
        sys.path.remove(str(REPO / "build_scripts"))
    version_file = tmp_path / "_internal" / "torch" / "version.py"
    version_file.parent.mkdir(parents=True)
    version_file.write_text(f"__version__ = '2.13.0'\ndebug = False\n{line}\n")

    assert torch_variant(tmp_path) == variant


def test_the_window_gets_the_shipped_icon(qapp):
    from app.gui import set_application_icon

    set_application_icon(qapp)

    assert not qapp.windowIcon().isNull()
    assert qapp.desktopFileName() == "atelier"
