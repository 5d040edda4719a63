"""Open the main window on the current display, wait for it to settle, and save a screenshot.

Run under Xvfb for the README's pictures:
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python build_scripts/take_screenshot.py --tab 0 -o docs/images/paint.png
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--tab", type=int, default=0, help="0 Paint, 1 Compose, 2 Chat")
    parser.add_argument("--delay-ms", type=int, default=2500, help="time for the device probe and first paint")
    parser.add_argument("--compose", metavar="STYLE", help="generate melodies in STYLE first (Compose tab)")
    args = parser.parse_args()
    # A fresh data folder, so the picture shows what a new user sees.
    os.environ.setdefault("ATELIER_DATA_DIR", tempfile.mkdtemp(prefix="atelier-screenshot-"))

    from app.main_window import MainWindow
    from app.theme import apply_theme

    app = QApplication(sys.argv)
    window = MainWindow()
    apply_theme(app, window.settings.get("dark_theme"))
    window.resize(1200, 760)
    window.move(40, 20)
    window.tabs.setCurrentIndex(args.tab)
    window.show()
    if args.compose:
        compose = window.activity_tabs[1]
        window.tabs.setCurrentWidget(compose)
        compose.controls.refresh_styles(select=args.compose)
        compose.controls.harmonize_check.setChecked((Path(__file__).parent.parent / "resources/melody/harmonizer.json").exists())
        compose.controls.form_combo.setCurrentIndex(compose.controls.form_combo.findData("AABA"))
        handle = compose.generate()
        # Shoot once the melodies are there, not on a timer.
        compose.worker.job_finished.connect(lambda h, _: QTimer.singleShot(300, shoot) if h is handle else None)

    def shoot() -> None:
        screen = window.screen()
        picture = screen.grabWindow(0, window.frameGeometry().x(), window.frameGeometry().y(),
                                    window.frameGeometry().width(), window.frameGeometry().height())
        if picture.isNull() or not picture.save(args.output):
            picture = window.grab()  # offscreen platforms cannot grab the screen
            picture.save(args.output)
        print(f"wrote {args.output}")
        window.close()
        app.quit()

    if not args.compose:
        QTimer.singleShot(args.delay_ms, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
