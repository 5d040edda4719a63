"""Self-test checks of the app itself: the main window shows, and a melody plays through the app's renderer.

Both run for real (no mocks), so the frozen bundle's smoke test proves that Qt's plugins, the
SoundFont and libfluidsynth were all carried into the bundle and are found there.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from app import paths


def check_main_window() -> str:
    """Build the main window, show it for one event-loop turn, close it; user data goes to a temp folder."""
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a self-test over ssh has no display; it still builds the window
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication(["atelier"])
    saved = os.environ.get(paths.DATA_DIR_VARIABLE)
    saved_folder = paths.data_dir()
    with tempfile.TemporaryDirectory(prefix="atelier-window-check-") as folder:
        # A self-test must never change the user's history or settings.
        os.environ[paths.DATA_DIR_VARIABLE] = folder
        paths.use_data_dir(Path(folder))
        try:
            from app.main_window import MainWindow

            start = time.perf_counter()
            window = MainWindow()
            window.show()
            application.processEvents()
            shown = window.isVisible()
            tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
            window.close()
            application.processEvents()
            seconds = time.perf_counter() - start
        finally:
            paths.use_data_dir(saved_folder)
            if saved is None:
                os.environ.pop(paths.DATA_DIR_VARIABLE, None)
            else:
                os.environ[paths.DATA_DIR_VARIABLE] = saved
    if not shown:
        raise RuntimeError("the main window did not become visible")
    return f"window shown and closed in {seconds:.2f} s on {application.platformName()}; tabs: {', '.join(tabs)}"


def check_melody_audio() -> str:
    """Write two bars in the first shipped style and render them with the same renderer the Compose tab uses."""
    from models.audio.notes import notes_from_midi
    from models.audio.render import AudioRenderer
    from models.music.generate import SHIPPED_STYLES, generate, style_path
    from models.music.request import MelodyRequest
    from models.resources import resource

    styles = []
    for style in SHIPPED_STYLES:
        try:
            style_path(style)
        except ValueError:
            continue
        styles.append(style)
    if not styles:
        raise RuntimeError("no melody styles are installed in resources/melody")
    (melody,) = generate(MelodyRequest(style=styles[0], key="G", mode="major", meter="4/4", bars=2, seed=1))
    renderer = AudioRenderer(soundfont_folders=(resource("soundfonts"),))
    audio = renderer.render(notes_from_midi(melody.to_pretty_midi()))
    if audio.seconds <= 0 or float(abs(audio.samples).max()) == 0.0:
        raise RuntimeError(f"the {renderer.synthesizer} rendered silence")
    notice = f" ({audio.notice})" if audio.notice else ""
    return f"{styles[0]}: {len(melody.notes())} notes, {audio.seconds:.1f} s of audio with {audio.synthesizer}{notice}"
