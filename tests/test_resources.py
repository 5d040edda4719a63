"""Shipped files are found one way (models.resources), from a checkout or from a frozen bundle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_engine_finds_its_shipped_files_through_one_place(tmp_path):
    code = (
        "from models.music.corpus import CORPUS_PATH\n"
        "from models.music.generate import style_path\n"
        "from models.music.vae import VAE_PATH\n"
        "from models.paint.style import shipped_styles_dir\n"
        "from models.verse.verse import DEFAULT_CHECKPOINT, DEFAULT_CORPUS\n"
        "for path in (CORPUS_PATH, VAE_PATH, shipped_styles_dir(), DEFAULT_CHECKPOINT, DEFAULT_CORPUS):\n"
        "    print(path)\n"
    )
    bundle = tmp_path / "bundle"
    env = {"PATH": "/usr/bin:/bin", "ATELIER_RESOURCES_DIR": str(bundle / "resources")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    printed = result.stdout.split()
    assert len(printed) == 5
    assert all(Path(line).is_relative_to(bundle / "resources") for line in printed), printed


def test_a_frozen_bundle_reads_its_own_resources(tmp_path, monkeypatch):
    from models.resources import resource, resources_dir

    assert (resources_dir() / "styles").is_dir()  # the checkout's
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource("icons", "atelier.png") == tmp_path / "resources" / "icons" / "atelier.png"
