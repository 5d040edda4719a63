"""Speed of the style engine (JSON out; not a test): render 512x512 and 2048x2048, from scratch 1024x1024,
training throughput in crops per second at 64, 128 and 256 px.

    python bench/style_speed.py [--threads 2] [--device cpu] > bench/results/style_speed_cpu.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))

from train_styles import ART, STYLES  # noqa: E402

from models.jobs import run_job  # noqa: E402
from models.paint.data import TrainingData, shipped_photos  # noqa: E402
from models.paint.images import load_image  # noqa: E402
from models.paint.render import RenderParams, render_in_style  # noqa: E402
from models.paint.scratch import paint_from_scratch_job  # noqa: E402
from models.paint.selftest import sample_sketch  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402
from models.paint.training import StyleTrainer, TrainingConfig  # noqa: E402


def best_of(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    return round(min(times), 3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--train-steps", type=int, default=4)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    style = load_style(next(iter(list_shipped_styles().values())), device)
    sketch = sample_sketch(512, 512)
    results = {
        "device": str(device) if device.type == "cpu" else torch.cuda.get_device_name(0),
        "threads": args.threads,
        "machine": platform.processor() or platform.machine(),
        "style": style.name,
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "note": "best of the repeats; the build machine is shared with other jobs, so CPU figures are pessimistic",
    }
    render_in_style(style, sketch.resize((128, 128)), RenderParams(), device=device)  # warm-up
    results["render_512x512_s"] = best_of(
        lambda: render_in_style(style, sketch, RenderParams(size=(512, 512)), device=device), 3
    )
    results["render_2048x2048_s"] = best_of(
        lambda: render_in_style(style, sketch, RenderParams(size=(2048, 2048)), device=device), 2
    )
    results["render_work_size_px"] = style.work_size
    results["from_scratch_1024x1024_s"] = best_of(
        lambda: run_job(paint_from_scratch_job(style, "", RenderParams(seed=1, size=(1024, 1024)), device=device)), 2
    )
    paintings = [load_image(ART / f, max_side=1024).image for f in STYLES["van-gogh"]]
    throughput = {}
    for crop in (64, 128, 256):
        config = TrainingConfig(name="bench", crop=crop, target_crops=8)
        trainer = StyleTrainer(config, TrainingData(paintings, shipped_photos(), crop=crop), device)
        trainer.step()  # warm-up
        started = time.perf_counter()
        for _ in range(args.train_steps):
            trainer.step()
        seconds = time.perf_counter() - started
        throughput[str(crop)] = round(args.train_steps * config.batch / seconds, 2)
    results["training_crops_per_s"] = throughput
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
