"""Best quality: seconds to the first preview and to the finished picture, coarse to fine, at 512 px.

Paints the README's photograph in each chosen style with `gatys.best_quality_job` and prints JSON: the
time of the first preview, the total, the style loss and content loss of the result measured at full
size (as the one-scale optimisation defines them), and where the pictures were written, to be looked at.
`--full-scale-steps N` also runs the earlier one-scale optimisation (N Adam steps at full size) for
comparison.

    python bench/best_quality_speed.py --threads 2 --styles munch van-gogh > bench/results/best_quality_speed.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.jobs import Progress, Result  # noqa: E402
from models.paint import gatys  # noqa: E402
from models.paint.images import pil_to_tensor  # noqa: E402
from models.paint.losses import content_loss, style_loss  # noqa: E402
from models.paint.style import list_shipped_styles  # noqa: E402
from models.paint.vgg import VGGFeatures  # noqa: E402

PHOTO = ROOT / "docs" / "images" / "style-input-photo.jpg"


@torch.no_grad()
def losses(vgg: VGGFeatures, targets, picture: Image.Image, source: Image.Image) -> dict:
    layers = gatys.STYLE_LAYERS + [gatys.CONTENT_LAYER]
    features = vgg(pil_to_tensor(picture)[None], layers)
    reference = vgg(pil_to_tensor(source)[None], [gatys.CONTENT_LAYER])
    return {
        "style_loss": round(style_loss(features, targets, gatys.STYLE_LAYERS).item(), 4),
        "content_loss": round(content_loss(features, reference, gatys.CONTENT_LAYER).item(), 4),
    }


def timed(job) -> tuple[Image.Image, float | None, float]:
    started = time.perf_counter()
    first_preview, result = None, None
    for event in job:
        if isinstance(event, Progress) and event.preview is not None and first_preview is None:
            first_preview = time.perf_counter() - started
        elif isinstance(event, Result):
            result = event.value
    return result, first_preview, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--styles", nargs="*", default=["munch", "van-gogh"])
    parser.add_argument("--full-scale-steps", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/atelier-best-quality"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    vgg = VGGFeatures()
    photo = Image.open(PHOTO).convert("RGB")
    scale = gatys.WORK_SIDE / max(photo.size)
    photo = photo.resize((round(photo.width * scale), round(photo.height * scale)), Image.Resampling.LANCZOS)
    rows = []
    for name in args.styles:
        targets = gatys.load_gatys_targets(list_shipped_styles()[name])
        picture, first, total = timed(gatys.best_quality_job(photo, targets, vgg))
        path = args.out / f"{name}-coarse-to-fine.png"
        picture.save(path)
        row = {"style": name, "size": list(photo.size), "schedule": gatys.SCHEDULE, "threads": args.threads}
        row |= {"first_preview_s": round(first or 0, 1), "total_s": round(total, 1), "picture": str(path)}
        row |= losses(vgg, targets, picture, photo)
        if args.full_scale_steps:
            job = gatys.gatys_job(photo, targets, vgg, steps=args.full_scale_steps, preview_every=10)
            picture, first, total = timed(job)
            path = args.out / f"{name}-full-scale-{args.full_scale_steps}.png"
            picture.save(path)
            row["full_scale"] = {"steps": args.full_scale_steps, "first_preview_s": round(first or 0, 1)}
            row["full_scale"] |= {
                "total_s": round(total, 1),
                "picture": str(path),
                **losses(vgg, targets, picture, photo),
            }
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps({"device": "cpu", "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
