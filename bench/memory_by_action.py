"""Which of the soak's actions grow the app's memory: each kind repeated alone in one window, measured after each.

    .venv/bin/python bench/memory_by_action.py --repeats 10 --out bench/results/memory_by_action.json
    .venv/bin/python bench/memory_by_action.py --only chat_stream_and_stop render --trace-python

The soak run (`bench/soak.py`) mixes its ten kinds of action at random, so its memory curve cannot say
which one grows. Here each kind runs once to load what it needs, then `--repeats` times more; after each run
the private memory (anon), glibc's heap in use, Python's object count (objects made since the app froze its
start-up objects, gc.freeze), `None`'s reference count and (with --trace-python) Python's
traced memory are recorded, and the growth per run is fitted by least squares. A leak grows at a steady rate
however long it runs; a cache grows and then stops. With --trace-python the lines whose Python objects grew
between the second run and the last are named.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.report import publish  # noqa: E402
from bench.window_environment import window_environment  # noqa: E402


def slope(values: list[float]) -> float | None:
    """Least-squares change per run."""
    if len(values) < 3:
        return None
    mean_x, mean_y = (len(values) - 1) / 2, sum(values) / len(values)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return round(numerator / sum((x - mean_x) ** 2 for x in range(len(values))), 3)


def measure() -> dict:
    """What is still held: the heap's free pages are given back first (the workers do it after each job, but
    the UI can see a job end before that)."""
    from app.memory_report import memory_breakdown
    from models.memory import give_back_freed_memory

    give_back_freed_memory()
    # None's count: PySide6 6.11 adds 6 for every QPainter begun on a paint device new to it, holding nothing
    # (docs/soak.md); the soak's drift, per kind of action
    return memory_breakdown() | {"python_objects": len(gc.get_objects()), "none_references": sys.getrefcount(None)}


def repeat_each(kinds: list[str], repeats: int, trace_python: bool) -> dict:
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.memory_report import python_growth
    from app.soak import SoakSession

    application = QApplication.instance() or QApplication(["atelier-memory-by-action"])  # noqa: F841
    window = MainWindow()
    window.show()
    session = SoakSession(window, minutes=0, report_path=Path(tempfile.mkdtemp()) / "unused.json")
    session.wait_ready()
    actions = dict(session._actions())
    if trace_python:
        tracemalloc.start()
    results = {}
    for kind in kinds:
        action = actions[kind]
        action()  # the first run loads what this kind needs (models, dictionaries): not growth
        session.delete_what_was_let_go()
        after_first = tracemalloc.take_snapshot() if trace_python else None
        runs = []
        for _ in range(repeats):
            action()
            session.delete_what_was_let_go()
            runs.append(measure())
        keys = [key for key in runs[0] if key != "python_objects"] + ["python_objects"]
        results[kind] = {
            "growth_per_run": {key: slope([run[key] for run in runs]) for key in keys},
            "runs": runs,
        }
        if after_first is not None:
            results[kind]["python_growth"] = python_growth(after_first, tracemalloc.take_snapshot(), top=10)
    window.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--only", nargs="+", help="these kinds of action (the soak's names)")
    parser.add_argument("--trace-python", action="store_true", help="trace Python's objects (slower, larger)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/memory_by_action.json")
    parser.add_argument("--in-this-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    kinds = args.only or [
        "paint_strokes_live_preview",
        "render",
        "surprise_me",
        "best_quality_cancelled",
        "generate",
        "play_and_loop",
        "regenerate_bars",
        "morph",
        "chat_stream_and_stop",
        "switch_tabs",
    ]
    if args.in_this_process:
        print(json.dumps(repeat_each(kinds, args.repeats, args.trace_python)))
        return 0
    with tempfile.TemporaryDirectory() as data:
        environment = window_environment(Path(data))
        command = [sys.executable, __file__, "--in-this-process", "--repeats", str(args.repeats), "--only", *kinds]
        command += ["--trace-python"] if args.trace_python else []
        child = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT)
    if child.returncode != 0:
        print(child.stderr[-3000:], file=sys.stderr)
        return 1
    by_kind = json.loads(child.stdout.strip().splitlines()[-1])
    result = {
        "repeats": args.repeats,
        "trace_python": args.trace_python,
        "load_average": round(os.getloadavg()[0], 1),
        "growth_per_run": {kind: found["growth_per_run"] for kind, found in by_kind.items()},
        "by_kind": by_kind,
        "unit": "MB are MiB; growth per run is a least-squares slope over the runs after the first",
    }
    publish(result, args.out, echo=False)
    print(json.dumps(result["growth_per_run"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
