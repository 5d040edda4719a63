"""`atelier info`: versions, compute device, data folder and installed models."""

from __future__ import annotations

import argparse
import json
import platform


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("info", help="show versions, the compute device, the data folder and the models")
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from app import __version__
    from app.installed_models import installed_models
    from app.log import log_file_path
    from app.paths import data_dir
    from app.settings import Settings
    from models.device import device_report

    device = device_report(setting=Settings().get("device"))
    models = installed_models()
    info = {
        "atelier": __version__,
        "python": platform.python_version(),
        "torch": device["torch_version"],
        "qt": qVersion(),
        "pyside6": pyside_version,
        "device": device["description"],
        "device_notice": device["notice"],
        "data_folder": str(data_dir()),
        "log_file": str(log_file_path()),
        "models": [{"name": m.name, "kind": m.kind, "shipped": m.shipped, "path": str(m.path)} for m in models],
    }
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    width = 12
    for key in ("atelier", "python", "torch", "qt", "pyside6", "device", "data_folder", "log_file"):
        print(f"{key.replace('_', ' ') + ':':<{width}} {info[key]}")
    if device["notice"]:
        print(f"{'note:':<{width}} {device['notice']}")
    print(f"{'models:':<{width}} {len(models) or 'none installed'}")
    for model in models:
        origin = "shipped" if model.shipped else "yours"
        print(f"  {model.kind:<16} {model.name:<24} ({origin})")
    return 0
