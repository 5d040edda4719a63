"""Where the stroke look's memory goes at the largest sizes: resident MB after each step of one render,
in-process, up to the first tiles (the peak is set there: the painting's picture is allocated whole before
the first tile, and every tile after needs what the first ones did). Minutes, where a whole 16,384-px
painting takes an hour on the loaded two-core machine (bench/largest_paintings.py measures those).

    nice .venv/bin/python bench/stroke_memory.py          # writes bench/results/stroke_memory.json

Each case runs in its own process, so that its peak (VmHWM) is its own: munch at 4,096, 8,192 and
16,384 px from a 640x480 picture; at 16,384 px with brushes four times the painter's; from a 4,096-px
picture. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CASES = {
    "4096": {"side": 4096},
    "8192": {"side": 8192},
    "16384": {"side": 16384},
    "16384, brush scale 4": {"side": 16384, "brush_scale": 4.0},
    "16384, from a 4096-px picture": {"side": 16384, "picture_side": 4096},
}


def status_mb(field: str) -> float:
    with open("/proc/self/status") as lines:
        return round(next(int(line.split()[1]) for line in lines if line.startswith(field)) / 1024, 1)


def measure_one(side: int, brush_scale: float = 1.0, picture_side: int = 0, tiles: int = 2) -> dict:
    from PIL import Image

    from app.paths import paint_styles_dir
    from models.paint.strokes.render import StrokeParams, stroke_render_job
    from models.paint.style import find_style, load_style

    style = load_style(find_style("munch", [paint_styles_dir()]), "cpu")
    size = (picture_side, picture_side) if picture_side else (640, 480)
    gradient = Image.linear_gradient("L").resize(size)
    picture = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient))
    steps = {"loaded": status_mb("VmRSS")}
    started = time.process_time()
    job = stroke_render_job(style.stroke_style, picture, StrokeParams(size=(side, side), brush_scale=brush_scale))
    drawn = 0
    for event in job:
        message = getattr(event, "message", "")
        if message.startswith("planning"):
            continue
        if "painting" in message and "planned" not in steps:
            steps["planned"] = status_mb("VmRSS")
            continue
        drawn += 1
        steps[f"tile {drawn}"] = status_mb("VmRSS")
        if drawn >= tiles:
            break
    return {"side": side, "brush_scale": brush_scale, "picture": list(size), "resident_mb": steps,
            "peak_mb": status_mb("VmHWM"), "cpu_seconds": round(time.process_time() - started, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "stroke_memory.json")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(**CASES[args.one])))
        return
    from models.files import atomic_write_bytes

    env = dict(os.environ, ATELIER_DEVICE="cpu")
    env.setdefault("OMP_NUM_THREADS", "1")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    result = {"style": "munch", "threads": env["OMP_NUM_THREADS"], "commit": commit.stdout.strip(), "cases": {}}
    for name in CASES:
        before = [round(x, 1) for x in os.getloadavg()]
        done = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True, env=env)
        if done.returncode:
            raise SystemExit(done.stderr)
        result["cases"][name] = {**json.loads(done.stdout), "load_average_before": before}
        print(name, result["cases"][name], flush=True)
        atomic_write_bytes(args.out, (json.dumps(result, indent=2) + "\n").encode())


if __name__ == "__main__":
    main()
