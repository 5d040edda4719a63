"""Peak memory and time of the largest paintings Atelier accepts (issue #19 item 6: under 2 GB at any size).

    nice .venv/bin/python bench/largest_paintings.py            # writes bench/results/largest_paintings.json
    nice .venv/bin/python bench/largest_paintings.py --side 4096   # a quicker look at a smaller size

Each case is one `atelier paint` in its own process under /usr/bin/time (its "maximum resident set size"):
from scratch and from a picture, at --side x --side (default 16,384, the largest side accepted). Minutes
each on two cores; not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MB = 2048


def run(argv: list[str], env: dict) -> dict:
    """Peak MB, seconds and the command's last line of `atelier ARGV`."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        started = time.monotonic()
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", timing.name, sys.executable, "-m", "app", *argv],
            capture_output=True, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        seconds = time.monotonic() - started
        peak_kb = int(timing.read().split()[-1])
    said = (result.stdout + result.stderr).strip().splitlines()
    return {"argv": argv, "code": result.returncode, "peak_mb": round(peak_kb / 1024, 1),
            "seconds": round(seconds, 1), "said": said[-1][:300] if said else ""}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--side", type=int, default=16384)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "largest_paintings.json")
    args = parser.parse_args()
    from PIL import Image

    from models.files import atomic_write_bytes

    work = Path(tempfile.mkdtemp(prefix="atelier-largest-"))
    env = dict(os.environ, ATELIER_DATA_DIR=str(work / "data"), ATELIER_DEVICE="cpu")
    env.setdefault("OMP_NUM_THREADS", "1")
    photo = work / "photo.png"
    Image.radial_gradient("L").convert("RGB").resize((640, 480)).save(photo)
    size = f"{args.side}x{args.side}"
    cases = {
        "from scratch": ["paint", "--style", "munch", "--from-scratch", "--size", size, "-o", str(work / "a.png")],
        "from a picture": ["paint", "--style", "munch", "--input", str(photo), "--size", size, "-o", str(work / "b.png")],
    }  # fmt: skip
    result = {"side": args.side, "goal_peak_mb_under": GOAL_MB, "threads": env["OMP_NUM_THREADS"],
              "load_average_before": [round(x, 1) for x in os.getloadavg()], "cases": {}}  # fmt: skip
    for name, argv in cases.items():
        result["cases"][name] = run(argv, env)
        print(name, result["cases"][name], flush=True)
        atomic_write_bytes(args.out, (json.dumps(result, indent=2) + "\n").encode())
    result["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    atomic_write_bytes(args.out, (json.dumps(result, indent=2) + "\n").encode())
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
