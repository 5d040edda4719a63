"""Time from process start to the main window shown, cold and warm, from a checkout or from the bundle.

    python bench/startup.py                          # the checkout's .venv/bin/atelier
    python bench/startup.py --frozen dist/atelier    # the PyInstaller bundle
    python bench/startup.py --frozen dist/atelier --runs 5 --cold-runs 2 --json out.json

Each run starts the app offscreen with ATELIER_EXIT_AFTER_SHOW=1 from an empty working folder
and a temporary data folder; the app prints the time since its process started once the window
has been shown for one event-loop turn. The bench also times the same thing from outside (spawn
to that line). A cold run first evicts the program's files from the page cache with
posix_fadvise(DONTNEED) (no root needed; as close to a first start after boot as we can get
without dropping all caches). Prints JSON.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import publish  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHOWN_LINE_PREFIX = "atelier: window shown after"


def evict_from_page_cache(folders: list[Path]) -> int:
    """Ask the kernel to drop every file under `folders` from the page cache; returns bytes covered."""
    total = 0
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                if os.path.islink(path):
                    continue
                try:
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    total += os.fstat(fd).st_size
                finally:
                    os.close(fd)
    return total


def start_once(command: list[str], timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="atelier-bench-cwd-") as cwd, \
            tempfile.TemporaryDirectory(prefix="atelier-bench-data-") as data:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ATELIER_EXIT_AFTER_SHOW="1", ATELIER_DATA_DIR=data)
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        reported = None
        try:
            deadline = started + timeout
            for line in process.stdout:
                if line.startswith(SHOWN_LINE_PREFIX):
                    reported = float(line.split()[-2])
                    break
                if time.perf_counter() > deadline:
                    break
            outside = time.perf_counter() - started
        finally:
            # The window is shown: what remains is shutting down, which is not start-up time.
            process.kill()
            process.wait()
    if reported is None:
        raise RuntimeError(f"{' '.join(command)} never reported the window shown")
    return {"reported_s": round(reported, 3), "spawn_to_line_s": round(outside, 3)}


def summary(runs: list[dict]) -> dict:
    if not runs:
        return {}
    reported = [r["reported_s"] for r in runs]
    outside = [r["spawn_to_line_s"] for r in runs]
    return {
        "runs": runs,
        "median_reported_s": round(statistics.median(reported), 3),
        "median_spawn_to_line_s": round(statistics.median(outside), 3),
        "min_spawn_to_line_s": round(min(outside), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frozen", type=Path, metavar="BUNDLE", help="the bundle folder (dist/atelier); default: the checkout")
    parser.add_argument("--runs", type=int, default=5, help="warm runs (after one untimed start)")
    parser.add_argument("--cold-runs", type=int, default=2, help="runs after evicting the program's files from the page cache")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the JSON here")
    args = parser.parse_args()

    if args.frozen:
        bundle = args.frozen.resolve()
        command = [str(bundle / "atelier")]
        cached_folders = [bundle]
    else:
        venv_bin = Path(sys.executable).parent
        command = [str(venv_bin / "atelier")] if (venv_bin / "atelier").exists() else [sys.executable, "-m", "app"]
        cached_folders = [Path(sys.prefix), Path(sys.base_prefix) / "lib", REPO / "app", REPO / "models"]

    cold = []
    for _ in range(args.cold_runs):
        evicted = evict_from_page_cache(cached_folders)
        cold.append({**start_once(command, args.timeout), "evicted_mb": round(evicted / 2**20)})
    start_once(command, args.timeout)  # untimed: fills the page cache
    warm = [start_once(command, args.timeout) for _ in range(args.runs)]

    result = {
        "bench": "startup",
        "what": "process start to main window shown (offscreen, one event-loop turn)",
        "frozen": bool(args.frozen),
        "command": command,
        "machine": {"cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
                    "python": platform.python_version(), "platform": platform.platform()},
        "cold": summary(cold),
        "warm": summary(warm),
    }
    publish(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
