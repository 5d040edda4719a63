"""Speed and memory of the stroke renderer (JSON out; not a test): the app's live preview (384 px), 512x512,
2048x2048 and 4096x4096 renders of a photograph, each in its own process so that its peak memory is its own.

    python bench/stroke_speed.py [--threads 2] [--style van-gogh] [--sizes 384 512 2048 4096] > bench/results/stroke_speed_cpu.json

Wall seconds are the best of `--repeats`; CPU seconds (all threads) and the load average are recorded
beside them, because on a shared machine the wall clock says more about the neighbours than the code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

# As the app runs (app/cli sets it): OpenMP's threads sleep while they wait. Spinning, two threads on a busy machine
# measured Hokusai's 2048² at 58 CPU s against 10 at one thread (session 21).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure_one(style_name: str, side: int, threads: int, repeats: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    from models.paint.data import shipped_photos
    from models.paint.images import pil_to_tensor
    from models.paint.strokes import StrokeParams, render_strokes
    from models.paint.strokes.render import plan_for
    from models.paint.style import find_style, load_style

    style = load_style(find_style(style_name))
    photo = shipped_photos(("chelsea",))[0]
    size = (side, side) if side != 384 else (384, 256)  # the preview keeps the canvas's shape
    params = StrokeParams(seed=1, size=size)
    strokes = plan_for(style.stroke_style, pil_to_tensor(photo), params, *size).count
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        render_strokes(photo, style.stroke_style, params)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "size": f"{size[0]}x{size[1]}",
        "strokes": strokes,
        "wall_seconds": round(min(walls), 3),
        "cpu_seconds": round(min(cpus), 3),
        "peak_memory_mb": round(peak_kib / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--style", default="van-gogh")
    parser.add_argument("--sizes", type=int, nargs="*", default=[384, 512, 2048, 4096])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measuring one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.style, args.one, args.threads, args.repeats)))
        return 0
    results = {
        "threads": args.threads,
        "style": args.style,
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "renders": [],
    }
    for side in args.sizes:
        repeats = args.repeats if side <= 1024 else 1
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(side),
                "--threads",
                str(args.threads),
                "--style",
                args.style,
                "--repeats",
                str(repeats),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results["renders"].append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(json.dumps(results["renders"][-1]), file=sys.stderr, flush=True)
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
