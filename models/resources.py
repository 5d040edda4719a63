"""Where the shipped files are: the `resources/` folder of a checkout, or of a frozen bundle.

Every engine and the app find shipped checkpoints, data, SoundFonts and icons through `resource()`.
A PyInstaller bundle unpacks them under `sys._MEIPASS`; `ATELIER_RESOURCES_DIR` points elsewhere
(a build script trying resources it has not copied in yet). Nothing is ever written here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

OVERRIDE_VARIABLE = "ATELIER_RESOURCES_DIR"


def resources_dir() -> Path:
    """The shipped resources folder: the bundle's, else `ATELIER_RESOURCES_DIR`, else the checkout's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    override = os.environ.get(OVERRIDE_VARIABLE)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / "resources"


def resource(*parts: str) -> Path:
    """A shipped file or folder, e.g. `resource("melody", "corpus.json.gz")`."""
    return resources_dir().joinpath(*parts)
