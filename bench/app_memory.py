"""Peak resident memory of the app with all three engines loaded, used the way a user first uses them.

    .venv/bin/python bench/app_memory.py --out bench/results/app_memory.json

Opens the real window (offscreen, sound to the ALSA null device, a fresh data folder) and, through its
tabs, renders a painting, generates melodies and plays one, and asks the chat "hi" (its reply in full),
then does each once more. After each step it records the peak so far (VmHWM, what `/usr/bin/time -v`
calls the maximum resident set) and what the memory is now, by kind (`app/memory_report.py`).
Goal (#17 item 7): under 1.2 GB with the three engines loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.report import publish  # noqa: E402
from bench.window_environment import window_environment  # noqa: E402


def measure(step: str) -> dict:
    from app.memory_report import memory_breakdown, status_megabytes

    status = status_megabytes("VmHWM", "VmRSS")
    return {"step": step, "peak_mb": round(status["VmHWM"], 1), "rss_mb": round(status["VmRSS"], 1)} | (
        memory_breakdown()
    )


def use_the_app() -> list[dict]:
    """In this process: the window, then each engine through its tab, twice; the measures after each step."""
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.soak import SoakSession

    application = QApplication.instance() or QApplication(["atelier-app-memory"])  # noqa: F841 (kept alive)
    window = MainWindow()
    window.show()
    session = SoakSession(window, minutes=0, report_path=Path(tempfile.mkdtemp()) / "unused.json")
    session.wait_ready()
    steps = [measure("window open")]
    chat = window.activity_tabs[2]
    for round_ in (1, 2):
        session.render()
        steps.append(measure(f"painting rendered ({round_})"))
        session.generate()
        session.play_and_loop()
        steps.append(measure(f"melodies generated and played ({round_})"))
        session._show(2)
        chat.send("hi")
        session.wait_idle(chat)
        steps.append(measure(f"chat answered ({round_})"))
    window.close()
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/app_memory.json")
    parser.add_argument("--in-this-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_this_process:
        print(json.dumps(use_the_app()))
        return 0
    with tempfile.TemporaryDirectory() as data:
        environment = window_environment(Path(data))
        child = subprocess.run(
            ["/usr/bin/time", "-v", sys.executable, __file__, "--in-this-process"],
            capture_output=True,
            text=True,
            env=environment,
            cwd=ROOT,
        )
    if child.returncode != 0:
        print(child.stderr[-3000:], file=sys.stderr)
        return 1
    steps = json.loads(child.stdout.strip().splitlines()[-1])
    peak_kilobytes = next(
        int(line.split(":")[1]) for line in child.stderr.splitlines() if "Maximum resident set size" in line
    )
    result = {
        "peak_mb_by_time_v": round(peak_kilobytes / 1000, 1),
        "goal_mb": 1200,
        "steps": steps,
        "load_average": round(os.getloadavg()[0], 1),
        "unit": "peak_mb_by_time_v: /usr/bin/time -v's kbytes / 1000, as issue #17 counts; the steps' MB are MiB",
    }
    publish(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
