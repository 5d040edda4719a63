"""Best quality: seconds to the first preview and to the finished picture, at 512 px.

Paints the README's photograph in each chosen style with Best quality and prints JSON: the time of
the first preview, the total, the style loss and content loss of the result measured at full size (as
the one-scale optimisation defines them), the painter match's distance (models/paint/painting_match.py:
lower is nearer the painter's paintings), and where the pictures were written, to be looked at.
`--method strokes` (the stroke look's Best quality: the stroke plan optimised, models/paint/best/) also
measures the plain stroke render's losses, for comparison; `--method pixels` is the texture look's
(the pixels optimised coarse to fine, `gatys.best_quality_job`). `--full-scale-steps N` also runs the
earlier one-scale pixel optimisation (N Adam steps at full size).

    python bench/best_quality_speed.py --threads 2 --styles munch van-gogh > bench/results/best_quality_speed.json
    python bench/best_quality_speed.py --method strokes --threads 2 > bench/results/best_quality_strokes_speed.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.jobs import Progress, Result  # noqa: E402
from models.paint import gatys  # noqa: E402
from models.paint.best.strokes_job import STEPS as STROKE_STEPS  # noqa: E402
from models.paint.best.strokes_job import best_strokes_job  # noqa: E402
from models.paint.images import load_image, pil_to_tensor  # noqa: E402
from models.paint.losses import content_loss, style_loss  # noqa: E402
from models.paint.painting_match import PainterRange  # noqa: E402
from models.paint.strokes import StrokeParams, render_strokes  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402
from models.paint.vgg import VGGFeatures  # noqa: E402

PICTURES = {
    "photo": ROOT / "docs" / "images" / "style-input-photo.jpg",  # the README's photograph
    "coffee": ROOT / "resources" / "paint" / "photos" / "coffee.jpg",
    "sketch": ROOT / "docs" / "images" / "style-input-sketch.jpg",
}


@torch.no_grad()
def losses(vgg: VGGFeatures, targets, picture: Image.Image, source: Image.Image) -> dict:
    layers = gatys.STYLE_LAYERS + [gatys.CONTENT_LAYER]
    features = vgg(pil_to_tensor(picture)[None], layers)
    reference = vgg(pil_to_tensor(source)[None], [gatys.CONTENT_LAYER])
    return {
        "style_loss": round(style_loss(features, targets, gatys.STYLE_LAYERS).item(), 4),
        "content_loss": round(content_loss(features, reference, gatys.CONTENT_LAYER).item(), 4),
    }


def painter_distance(painter: PainterRange, picture: Image.Image) -> float:
    """The painter match's distance (models/paint/painting_match.py): lower is nearer the painter's own paintings."""
    return round(painter.distance(picture), 3)


def timed(job) -> tuple[Image.Image, dict]:
    """The job's result and its times: wall seconds to the first preview and to the end, process CPU seconds
    (user + sys, all threads: on a shared machine the wall time grows with the load, the CPU time much less),
    the number of previews, and the 1-minute load average before and after."""
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    first_preview, result, previews = None, None, 0
    for event in job:
        if isinstance(event, Progress) and event.preview is not None:
            previews += 1
            if first_preview is None:
                first_preview = time.perf_counter() - started
        elif isinstance(event, Result):
            result = event.value
    times = {
        "first_preview_s": round(first_preview or 0, 1),
        "total_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(time.process_time() - cpu_started, 1),
        "previews": previews,
        "load_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    return result, times


def open_picture(path: Path) -> Image.Image:
    """The picture at the size Best quality paints at on a CPU (long side gatys.WORK_SIDE, 512 px)."""
    picture = Image.open(path).convert("RGB")
    scale = gatys.WORK_SIDE / max(picture.size)
    return picture.resize((round(picture.width * scale), round(picture.height * scale)), Image.Resampling.LANCZOS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--styles", nargs="*", default=["munch", "van-gogh"])
    parser.add_argument("--pictures", nargs="*", choices=sorted(PICTURES), default=["photo"])
    parser.add_argument("--method", choices=["pixels", "strokes"], default="pixels")
    parser.add_argument("--full-scale-steps", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/atelier-best-quality"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    vgg = VGGFeatures()
    rows = []
    for name in args.styles:
        targets = gatys.load_gatys_targets(list_shipped_styles()[name])
        painter = PainterRange.from_pictures([load_image(ART / file, max_side=1024).image for file in STYLES[name]])
        for picture_name in args.pictures:
            photo = open_picture(PICTURES[picture_name])
            row = {"style": name, "picture_name": picture_name, "size": list(photo.size), "method": args.method}
            stem = name if picture_name == "photo" else f"{name}-{picture_name}"
            if args.method == "strokes":
                strokes = load_style(list_shipped_styles()[name]).stroke_style
                job = best_strokes_job(photo, strokes, StrokeParams(seed=1), targets, vgg)
                picture, times = timed(job)
                path = args.out / f"{stem}-strokes.png"
                row["steps"] = STROKE_STEPS
                plain = render_strokes(photo, strokes, StrokeParams(seed=1))
                plain.save(args.out / f"{stem}-plain-strokes.png")
                row["plain_strokes"] = losses(vgg, targets, plain, photo) | {
                    "painter_distance": painter_distance(painter, plain)
                }
            else:
                picture, times = timed(gatys.best_quality_job(photo, targets, vgg))
                path = args.out / f"{stem}-coarse-to-fine.png"
                row["schedule"] = gatys.SCHEDULE
            picture.save(path)
            row |= {"threads": args.threads} | times
            row |= {"picture": str(path)} | losses(vgg, targets, picture, photo)
            row["painter_distance"] = painter_distance(painter, picture)
            if args.full_scale_steps:
                job = gatys.gatys_job(photo, targets, vgg, steps=args.full_scale_steps, preview_every=10)
                picture, times = timed(job)
                path = args.out / f"{stem}-full-scale-{args.full_scale_steps}.png"
                picture.save(path)
                row["full_scale"] = {"steps": args.full_scale_steps, **times, "picture": str(path)}
                row["full_scale"] |= losses(vgg, targets, picture, photo)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps({"device": "cpu", "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
