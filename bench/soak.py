"""Soak run: use every tab of the real window for many minutes; count crashes, watch memory, stalls and leaks.

    python bench/soak.py --minutes 60                       # the source install
    python bench/soak.py --minutes 30 --frozen dist/atelier # the PyInstaller bundle

Runs `atelier soak` in a child process (offscreen, sound to the ALSA null device, a fresh data folder),
restarts it after a crash until the time is up, and writes bench/results/soak.json: minutes, crashes,
actions per kind, peak and final RSS, RSS growth per hour after the first 5 minutes, the largest UI
stall (as the clock saw it, and less the time the GUI thread waited for a CPU), None's reference-count drift, threads and open files at the end,
and memory by kind: private (anon) and mapped-file growth per hour, the private memory each kind of action left
behind after the warm-up and, with --trace-python, the source lines whose Python objects grew. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.report import publish  # noqa: E402
from bench.window_environment import window_environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WARM_UP_MINUTES = 5.0


def child_command(
    frozen: Path | None, minutes: float, report: Path, seed: int, trace_python: bool = False
) -> list[str]:
    arguments = ["soak", "--minutes", f"{minutes:.2f}", "--report", str(report), "--seed", str(seed)]
    arguments += ["--trace-python"] if trace_python else []
    if frozen is not None:
        return [str(frozen / "atelier"), *arguments]
    return [sys.executable, "-m", "app", *arguments]


def growth_per_hour(samples: list[dict], key: str = "rss_mb") -> float | None:
    """Growth of `key` after the warm-up, as a share of its value at the end of the warm-up, per hour (least squares)."""
    steady = [s for s in samples if s["minute"] >= WARM_UP_MINUTES and key in s]
    if len(steady) < 3:
        return None
    xs = [s["minute"] for s in steady]
    ys = [s[key] for s in steady]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    return round(slope * 60 / ys[0], 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--frozen", type=Path, help="a one-folder bundle (dist/atelier) to soak instead of the source")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    parser.add_argument(
        "--trace-python", action="store_true", help="trace Python's objects (slower): name the lines whose objects grew"
    )
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="atelier-soak-"))
    environment = window_environment(data)
    deadline = time.monotonic() + args.minutes * 60
    runs, crashes = [], []
    while (left := (deadline - time.monotonic()) / 60) > 0.5:
        report = data / f"run-{len(runs)}.json"
        log = data / f"run-{len(runs)}.log"
        started = time.monotonic()
        with log.open("w") as output:
            child = subprocess.run(
                child_command(args.frozen, left, report, args.seed + len(runs), args.trace_python),
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=left * 60 + 600,
            )
        run = json.loads(report.read_text()) if report.exists() else {"minutes": 0, "samples": []}
        run["exit_code"] = child.returncode
        run["wall_minutes"] = round((time.monotonic() - started) / 60, 2)
        runs.append(run)
        if child.returncode != 0:
            crashes.append(
                {
                    "exit_code": child.returncode,
                    "after_minutes": run["wall_minutes"],
                    "log_tail": log.read_text()[-3000:],
                }
            )
    actions: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    stalls: Counter[str] = Counter()
    own_stalls: Counter[str] = Counter()  # less the time the GUI thread waited for a CPU
    running_stalls: Counter[str] = Counter()  # in which the process ran at least half the gap (app/stall_watch.py)
    for run in runs:
        actions.update(run.get("actions", {}))
        failed.update(run.get("failed_actions", {}))
        for name, stall in run.get("largest_stall_by_action_ms", {}).items():
            stalls[name] = max(stalls[name], stall)
        for name, stall in run.get("largest_stall_less_cpu_wait_by_action_ms", {}).items():
            own_stalls[name] = max(own_stalls[name], stall)
        for name, stall in run.get("largest_stall_with_the_process_running_ms", {}).items():
            running_stalls[name] = max(running_stalls[name], stall)
    longest = max(runs, key=lambda run: run.get("minutes", 0))
    samples = longest.get("samples", [])
    result = {
        "target": f"bundle {args.frozen}" if args.frozen else "source install",
        "minutes": round(sum(run.get("wall_minutes", 0) for run in runs), 1),
        "crashes": len(crashes),
        "crash_details": crashes,
        "actions": dict(sorted(actions.items())),
        "failed_actions": dict(sorted(failed.items())),
        "peak_rss_mb": max((s["rss_mb"] for s in samples), default=None),
        "final_rss_mb": samples[-1]["rss_mb"] if samples else None,
        "rss_growth_per_hour_after_5_min": growth_per_hour(samples),
        # private memory (a leak grows it) apart from mapped file pages (library code, shared and droppable)
        "anon_growth_per_hour_after_5_min": growth_per_hour(samples, "anon_mb"),
        "file_growth_per_hour_after_5_min": growth_per_hour(samples, "file_mb"),
        "anon_mb_change_by_action_after_warm_up": longest.get("anon_mb_change_by_action_after_warm_up"),
        "python_growth_after_warm_up": longest.get("python_growth_after_warm_up"),
        "largest_stall_ms": max((run.get("largest_stall_ms", 0) for run in runs), default=None),
        "largest_stall_after_first_minute_ms": max(
            (run.get("largest_stall_after_first_minute_ms", 0) for run in runs), default=None
        ),
        "largest_stall_by_action_ms": dict(sorted(stalls.items())),
        "largest_stall_less_cpu_wait_ms": max(own_stalls.values(), default=None),
        "largest_stall_less_cpu_wait_by_action_ms": dict(sorted(own_stalls.items())),
        # A gap in which the process ran at least half its length of CPU: the app's own, whatever the machine's load
        "largest_stall_with_the_process_running_ms": max(running_stalls.values(), default=None),
        "largest_stall_with_the_process_running_by_action_ms": dict(sorted(running_stalls.items())),
        # the longest stalls of every run, with the stacks seen while each lasted (app/stall_watch.py)
        "stalls_with_stacks": sorted(
            (stall for run in runs for stall in run.get("stalls_with_stacks", [])), key=lambda s: -s["own_ms"]
        )[:12],
        "load_average_range": [min(loads), max(loads)]
        if (loads := [s["load_average"] for s in samples if "load_average" in s])
        else None,
        "none_refcount_drift": samples[-1]["none_refcount_drift"] if samples else None,
        "threads_at_end": samples[-1]["threads"] if samples else None,
        "open_files_at_end": samples[-1]["open_files"] if samples else None,
        "samples": samples,
    }
    publish(result, args.out, echo=False)
    print(json.dumps({k: v for k, v in result.items() if k not in ("samples", "crash_details")}, indent=1))
    return 0 if not crashes else 1


if __name__ == "__main__":
    sys.exit(main())
