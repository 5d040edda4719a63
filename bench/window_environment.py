"""The environment a bench runs the real window in: offscreen, a null sound card, its own data folder."""

from __future__ import annotations

import os
from pathlib import Path


def window_environment(data: Path) -> dict[str, str]:
    """os.environ plus what the window needs here; `data` becomes the app's data folder (and holds the ALSA file)."""
    alsa = data / "alsa-null.conf"
    alsa.write_text("pcm.!default { type null }\nctl.!default { type null }\n")
    return os.environ | {
        "ATELIER_DATA_DIR": str(data),
        "QT_QPA_PLATFORM": "offscreen",
        "ALSA_CONFIG_PATH": f"/usr/share/alsa/alsa.conf:{alsa}",
        "OMP_WAIT_POLICY": "PASSIVE",  # OpenMP's threads sleep between jobs instead of spinning for the next
    }
