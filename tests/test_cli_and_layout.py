"""The command line, the no-display message, and the one-way arrow app -> models."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def atelier(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env if env is not None else dict(os.environ),
    )


def test_help_lists_every_subcommand():
    from app.cli import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert {"paint", "train-style", "compose", "eval-melody", "train-melody", "chat", "info", "self-test"} <= set(commands)
    result = atelier("--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.split("commands:")[1].splitlines()[2:] if line.strip()}
    assert listed >= set(commands), f"--help does not list {sorted(set(commands) - listed)}"


def test_info_reports_versions_device_and_data_folder(data_dir):
    result = atelier("info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["atelier"] == "0.1.0"
    assert info["device"].startswith("CPU, ")
    assert info["data_folder"] == str(data_dir)
    assert isinstance(info["models"], list)
    plain = atelier("info")
    assert plain.returncode == 0 and "device:" in plain.stdout


def test_self_test_passes_and_writes_a_report(tmp_path):
    report = tmp_path / "report.json"
    result = atelier("self-test", "--json", str(report), timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(report.read_text())
    assert data["failed"] == []
    assert {check["name"] for check in data["checks"]} >= {"device", "checkpoints", "history"}


def test_self_test_names_a_failing_check(monkeypatch, capsys):
    from app import selftest
    from app.cli import main

    def broken() -> str:
        raise RuntimeError("this engine cannot load")

    monkeypatch.setattr(selftest, "SELF_TEST_CHECKS", [("broken", broken)])
    assert main(["self-test"]) == 1
    assert "broken" in capsys.readouterr().err


def test_no_display_gives_one_clear_line():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = atelier(env=env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "xvfb-run" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
    assert "Traceback" not in result.stderr


def test_models_never_import_qt_or_app():
    code = (
        "import importlib, pkgutil, sys, models\n"
        "for m in pkgutil.walk_packages(models.__path__, 'models.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'app')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_import_contracts_hold():
    """The arrows of pyproject.toml's import-linter contracts: engines without Qt or the app, engines and
    tabs independent of each other. lint-imports checks them on the code as it is."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in ("The engines never import Qt", "The tabs never import each other",
                     "The engines are independent of each other"):
        assert contract in result.stdout
    assert " 0 broken" in result.stdout


@pytest.mark.parametrize("missing", ["portaudio"])
def test_missing_portaudio_is_said_not_raised(monkeypatch, missing):
    import builtins

    from app import system_check

    real_import = builtins.__import__

    def no_portaudio(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    system_check.portaudio_problem.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    try:
        assert "libportaudio2" in system_check.portaudio_problem()
        assert system_check.audio_outputs() == []
    finally:
        system_check.portaudio_problem.cache_clear()
