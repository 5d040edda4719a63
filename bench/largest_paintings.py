"""Peak memory and time of the largest paintings Atelier accepts (issue #19 item 6: under 2 GB at any size).

    nice .venv/bin/python bench/largest_paintings.py                  # both cases, stroke look, 16,384 px
    nice .venv/bin/python bench/largest_paintings.py --side 4096      # a quicker look at a smaller size
    nice .venv/bin/python bench/largest_paintings.py --look texture --case scratch

Each case is one `atelier paint` in its own process under /usr/bin/time (its "maximum resident set size"
and its CPU seconds): from scratch and from a picture, at --side x --side (default 16,384, the largest side
accepted), in the look asked for. `--case` runs one case only, so that the two can run side by side as two
processes (each peak is its own process's). Every run is kept in bench/results/largest_paintings.json under
its look, side and case (a later run of the same replaces it; the file is merged under a lock). Up to an
hour a case on a loaded two-core machine; not part of `make test`.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "largest_paintings.json"
GOAL_MB = 2048


def load_average() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()]


def run(argv: list[str], env: dict) -> dict:
    """Peak MB, wall and CPU seconds (user + system) and the command's last line of `atelier ARGV`."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        before, started = load_average(), time.monotonic()
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", "-o", timing.name, sys.executable, "-m", "app", *argv],
            capture_output=True, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        seconds = time.monotonic() - started
        peak_kb, user, system = timing.read().split()[-3:]
    said = (result.stdout + result.stderr).strip().splitlines()
    return {"code": result.returncode, "peak_mb": round(int(peak_kb) / 1024, 1), "seconds": round(seconds, 1),
            "cpu_seconds": round(float(user) + float(system), 1), "load_average_before": before,
            "load_average_after": load_average(), "said": said[-1][:300] if said else ""}  # fmt: skip


def keep(path: Path, look: str, side: int, case: str, measured: dict) -> None:
    """Put one case's result into the results file, under a lock (two cases may finish together)."""
    from models.files import atomic_write_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            results = json.loads(path.read_text())
        except (OSError, ValueError):
            results = {}
        results.setdefault("goal_peak_mb_under", GOAL_MB)
        results.setdefault("runs", {}).setdefault(look, {}).setdefault(str(side), {})[case] = measured
        atomic_write_bytes(path, (json.dumps(results, indent=2, sort_keys=True) + "\n").encode())


def commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--side", type=int, default=16384)
    parser.add_argument("--look", choices=("strokes", "texture"), default="strokes")
    parser.add_argument("--case", choices=("scratch", "picture", "both"), default="both")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    from PIL import Image

    work = Path(tempfile.mkdtemp(prefix="atelier-largest-"))
    env = dict(os.environ, ATELIER_DATA_DIR=str(work / "data"), ATELIER_DEVICE="cpu")
    env.setdefault("OMP_NUM_THREADS", "1")
    photo = work / "photo.png"
    Image.radial_gradient("L").convert("RGB").resize((640, 480)).save(photo)
    size, look = f"{args.side}x{args.side}", ["--look", args.look]
    cases = {
        "from scratch": ["paint", "--style", "munch", *look, "--from-scratch", "--size", size, "-o", str(work / "a.png")],
        "from a picture": ["paint", "--style", "munch", *look, "--input", str(photo), "--size", size, "-o", str(work / "b.png")],
    }  # fmt: skip
    if args.case != "both":
        cases = {name: argv for name, argv in cases.items() if name.endswith(args.case)}
    for name, argv in cases.items():
        measured = {"argv": argv, "threads": env["OMP_NUM_THREADS"], "commit": commit(),
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **run(argv, env)}  # fmt: skip
        print(args.look, args.side, name, measured, flush=True)
        keep(args.out, args.look, args.side, name, measured)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
