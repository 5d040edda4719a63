"""Speed of "Surprise me" (JSON out; not a test): four paintings from scratch at 768x512, made one after
another through the same path as the Paint tab (`painting.paint_job` with a from-scratch recipe), each
ready — and shown in the app — as soon as it is painted. #14 asks for all four in under 8 s on 2 cores.

Wall-clock seconds to each picture, and the process's CPU seconds (on a machine shared with other jobs the
wall clock is longer than the work; CPU seconds / threads is a floor for an idle machine).

    python bench/surprise_speed.py [--style van-gogh] [--threads 2] [--count 4] [--size 768x512]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.jobs import Preview, Result  # noqa: E402
from models.paint.painting import paint_job  # noqa: E402
from models.paint.recipe import PaintRecipe  # noqa: E402
from models.paint.style import find_style, list_shipped_styles, load_style  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default=None, help="a shipped style (default: each of them)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--size", default="768x512")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "surprise_speed.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    size = tuple(int(v) for v in args.size.split("x"))
    names = [args.style] if args.style else list(list_shipped_styles())
    results = {
        "threads": args.threads,
        "size": list(size),
        "count": args.count,
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "styles": {},
    }
    for name in names:
        style = load_style(find_style(name))
        warm = PaintRecipe(style=name, from_scratch=True, seed=999, size=(128, 96))
        list(paint_job(warm, style))  # load the code paths once, as the app's worker has
        ready, compose = [], []
        wall, cpu = time.perf_counter(), time.process_time()
        for seed in range(1, args.count + 1):
            recipe = PaintRecipe(style=name, from_scratch=True, seed=seed, size=size)
            began = time.perf_counter()
            for event in paint_job(recipe, style):
                if isinstance(event, Preview):
                    compose.append(round(time.perf_counter() - began, 3))
                elif isinstance(event, Result):
                    ready.append(round(time.perf_counter() - wall, 2))
        results["styles"][name] = {
            "seconds_until_each_is_ready": ready,
            "all_wall_s": ready[-1],
            "all_cpu_s": round(time.process_time() - cpu, 2),
            "compose_s_each": compose,
            "work_size": style.work_size,
        }
        print(json.dumps({name: results["styles"][name]}), flush=True)
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    text = json.dumps(results, indent=1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
