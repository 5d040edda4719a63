"""Open the main window, show a tab doing real work, and save a screenshot once the work is done.

Run under Xvfb for the README's pictures (a fresh data folder each time, as a new user sees it):
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python build_scripts/take_screenshot.py -o docs/images/main-window.png
    ... take_screenshot.py --demo paint -o docs/images/paint-tab.png
    ... take_screenshot.py --demo compose -o docs/images/compose-tab.png
    ... take_screenshot.py --demo chat -o docs/images/chat-tab.png
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
SKETCH = REPO / "docs" / "images" / "style-input-sketch.jpg"
CHAT_MESSAGES = ["paint a stormy harbour like Turner", "compose a gentle Scottish air in G, 8 bars",
                 "lyrics for my last melody"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--demo", choices=["paint", "compose", "chat"], help="do real work in this tab first")
    parser.add_argument("--delay-ms", type=int, default=2500, help="without --demo: time for the first paint")
    args = parser.parse_args()
    os.environ.setdefault("ATELIER_DATA_DIR", tempfile.mkdtemp(prefix="atelier-screenshot-"))

    from app.main_window import MainWindow
    from app.theme import apply_theme

    app = QApplication(sys.argv)
    window = MainWindow()
    apply_theme(app, window.settings.get("dark_theme"))
    window.resize(1260, 780)
    window.move(10, 10)
    window.show()

    def shoot() -> None:
        geometry = window.frameGeometry()
        picture = window.screen().grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        if picture.isNull() or not picture.save(args.output):
            window.grab().save(args.output)  # offscreen platforms cannot grab the screen
        print(f"wrote {args.output}")
        window.close_without_asking()
        app.quit()

    def when_idle(tab, then) -> None:
        """Call `then` once the tab's worker has nothing left to do."""
        timer = QTimer(window)
        timer.setInterval(200)

        def check() -> None:
            if not tab.worker.pending_jobs():
                timer.stop()
                QTimer.singleShot(400, then)

        timer.timeout.connect(check)
        QTimer.singleShot(500, timer.start)

    paint, compose, chat = window.activity_tabs
    if args.demo == "paint":
        window.tabs.setCurrentWidget(paint)
        paint.controls.live_check.setChecked(False)
        paint.open_image(SKETCH)
        when_idle(paint, lambda: (paint.render(), when_idle(paint, shoot)))
    elif args.demo == "compose":
        window.tabs.setCurrentWidget(compose)
        compose.controls.refresh_styles(select="irish")
        compose.controls.harmonize_check.setChecked(True)
        compose.controls.form_combo.setCurrentIndex(compose.controls.form_combo.findData("AABA"))
        compose.generate()
        when_idle(compose, shoot)
    elif args.demo == "chat":
        window.tabs.setCurrentWidget(chat)
        chat.sampling.seed_spin.setValue(5)
        pending = list(CHAT_MESSAGES)

        def next_message() -> None:
            busy = any(tab.worker.pending_jobs() for tab in (paint, compose, chat))
            if busy:
                QTimer.singleShot(300, next_message)
            elif pending:
                chat.send(pending.pop(0))
                QTimer.singleShot(800, next_message)
            else:
                QTimer.singleShot(500, shoot)

        when_idle(paint, next_message)  # the styles load first
    else:
        QTimer.singleShot(args.delay_ms, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
