"""How fast the Compose tab auditions: write 8 variations, render the selected one to sound (what the
user waits for before the list appears and Play works; the others render in the background), and
Play to first sound.

Prints JSON. Sound goes to an ALSA null device (no sound card needed), so "first sound" is the
moment PortAudio asks for the first block, which is when a real card would start playing.

    ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:tests/alsa-null.conf QT_QPA_PLATFORM=offscreen \
        .venv/bin/python bench/audition.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ALSA_CONFIG_PATH", f"/usr/share/alsa/alsa.conf:{REPO / 'tests' / 'alsa-null.conf'}")


def main() -> None:
    import torch
    from PySide6.QtWidgets import QApplication

    from app.audio_player import AudioPlayer
    from app.tabs.compose.jobs import Variation, render_variation
    from models.audio.render import AudioRenderer
    from models.music.generate import generate
    from models.music.request import MelodyRequest

    app = QApplication.instance() or QApplication([])
    request = MelodyRequest(style="irish", key="D", bars=16, tempo=110.0, variations=8, harmonize=True, seed=1,
                            pitch_range=(57, 86))  # the Compose tab's defaults
    renderer = AudioRenderer()
    generate(request.replace(variations=1))  # load the style once, as the tab's worker does

    generate_ms, first_ms, all_ms = [], [], []
    for seed in range(3):
        start = time.perf_counter()
        melodies = generate(request.replace(seed=seed))
        written = time.perf_counter()
        variations = [render_variation(Variation(0, melodies[0], request), request.tempo, False, renderer)]
        first = time.perf_counter()
        variations += [render_variation(Variation(i, m, request), request.tempo, False, renderer)
                       for i, m in enumerate(melodies[1:], start=1)]
        end = time.perf_counter()
        generate_ms.append(1000 * (written - start))
        first_ms.append(1000 * (first - written))
        all_ms.append(1000 * (end - written))

    player = AudioPlayer()
    first_sound_ms = []
    for variation in variations:
        audio = variation.audio
        start = time.perf_counter()
        player.play(audio.samples, audio.sample_rate)
        while player.frames_written == 0 and time.perf_counter() - start < 2.0:
            time.sleep(0.0005)
        first_sound_ms.append(1000 * (time.perf_counter() - start))
        player.stop()
        app.processEvents()

    print(json.dumps({
        "machine": platform.processor() or platform.machine(),
        "torch_threads": torch.get_num_threads(),
        "synthesizer": renderer.synthesizer,
        "request": "irish, 16 bars, harmonized, 8 variations",
        "generate_8_variations_ms_median": round(statistics.median(generate_ms), 1),
        "render_selected_variation_ms_median": round(statistics.median(first_ms), 1),
        "render_all_8_variations_ms_median": round(statistics.median(all_ms), 1),
        "seconds_of_audio_per_variation": round(variations[0].audio.seconds, 1),
        "play_to_first_sound_ms_median": round(statistics.median(first_sound_ms), 2),
        "play_to_first_sound_ms_max": round(max(first_sound_ms), 2),
    }, indent=2))


if __name__ == "__main__":
    main()
