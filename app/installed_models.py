"""The models Atelier can use: shipped ones in resources/ and the user's own in the data folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.paths import user_models_dir
from models.resources import resources_dir


@dataclass(frozen=True)
class InstalledModel:
    name: str
    kind: str
    path: Path
    shipped: bool


def _models_in(folder: Path, shipped: bool) -> list[InstalledModel]:
    found = []
    for meta_path in sorted(folder.rglob("*.json")):
        weights = meta_path.with_suffix(".safetensors")
        if not weights.exists():
            continue
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(metadata, dict) and "kind" in metadata:
            name = str(metadata.get("name") or meta_path.stem)
            found.append(InstalledModel(name, str(metadata["kind"]), weights, shipped))
    return found


def installed_models() -> list[InstalledModel]:
    shipped_folder = resources_dir()
    shipped = _models_in(shipped_folder, True) if shipped_folder.is_dir() else []
    return shipped + _models_in(user_models_dir(), False)
