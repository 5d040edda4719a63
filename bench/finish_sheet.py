"""The finish, judged: plain stroke renders beside finished ones, beside the painter's own work, and timed.

    python bench/finish_sheet.py --style van-gogh [--finish build/finish/van-gogh/finish.safetensors]

Paints the pictures the finish never trained on (the held-out photographs chelsea and coffee, the
README's sketch) with the style's strokes, puts the finish on each, and writes a sheet (rows: plain,
finished, with a crop of the painter's painting at the end of each row) to look at, plus JSON: the
seconds of the strokes and of the finish (one thread) and the painter match's distance of each picture
(models/paint/painting_match.py: lower is nearer the painter's paintings), and the distance of a plain
grey sharpening of the same size (`sharpened`: what the finish must beat to be doing more than an unsharp
mask). The finish ships only if the sheet looks better by eye and no distance grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.paint.finish.apply import finish_for, finish_tiles, load_finish_file  # noqa: E402
from models.paint.finish.network import lock_colour  # noqa: E402
from models.paint.finish.training import finish_from_state  # noqa: E402
from models.paint.images import load_image, pil_to_tensor, tensor_to_pil  # noqa: E402
from models.paint.painting_match import PainterRange  # noqa: E402
from models.paint.strokes import StrokeParams, render_strokes  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402

INPUTS = {
    "chelsea": ROOT / "resources" / "paint" / "photos" / "chelsea.jpg",
    "coffee": ROOT / "resources" / "paint" / "photos" / "coffee.jpg",
    "sketch": ROOT / "docs" / "images" / "style-input-sketch.jpg",
}
SIDE = 512


def _fit(image: Image.Image) -> Image.Image:
    scale = SIDE / max(image.size)
    return image.convert("RGB").resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)


def sharpened(plain: torch.Tensor, finished: torch.Tensor) -> torch.Tensor:
    """A (3, H, W) render sharpened in light and dark only (its grey less a 1.5-px Gaussian blur, through the
    coarse colour lock), scaled so that its mean |change| is the finish's: the baseline a finish must beat."""
    grey = plain.mean(0, keepdim=True)[None]
    radius = 5
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float32)
    kernel = torch.exp(-(offsets**2) / (2 * 1.5**2))
    kernel = kernel / kernel.sum()
    blurred = F.conv2d(F.pad(grey, (radius, radius, 0, 0), mode="reflect"), kernel.view(1, 1, 1, -1))
    blurred = F.conv2d(F.pad(blurred, (0, 0, radius, radius), mode="reflect"), kernel.view(1, 1, -1, 1))
    detail = lock_colour(grey - blurred, "coarse")[0]
    scale = float((finished - plain).abs().mean()) / max(float(detail.abs().mean()), 1e-8)
    return (plain + scale * detail).clamp(0, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="van-gogh")
    parser.add_argument("--finish", type=Path, help="a trial finish; default: the style's shipped one")
    parser.add_argument("--state", type=Path, help="a training state (its weights' average) instead, mid-run")
    parser.add_argument("--out", type=Path, default=Path("/tmp/atelier-finish"))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    style = load_style(list_shipped_styles()[args.style])
    if args.state:
        network = finish_from_state(args.state)
    else:
        network = load_finish_file(args.finish) if args.finish else finish_for(style)
    if network is None:
        print(f"{args.style} has no finish: train one with build_scripts/train_finish.py", file=sys.stderr)
        return 2
    paintings = [load_image(ART / name, max_side=1024).image for name in STYLES[args.style]]
    painter = PainterRange.from_pictures(paintings)
    rows, tiles = [], []
    for name, path in INPUTS.items():
        picture = _fit(Image.open(path))
        started = time.perf_counter()
        plain = render_strokes(picture, style.stroke_style, StrokeParams(seed=1))
        strokes_s = time.perf_counter() - started
        started = time.perf_counter()
        finished = None
        for _, output in finish_tiles(network, pil_to_tensor(plain), 1.0, seed=1):
            finished = output
        assert finished is not None
        finish_s = time.perf_counter() - started
        finished_image = tensor_to_pil(finished)
        baseline = tensor_to_pil(sharpened(pil_to_tensor(plain), finished))
        rows.append(
            {
                "input": name,
                "size": list(plain.size),
                "strokes_s": round(strokes_s, 2),
                "finish_s": round(finish_s, 2),
                "finish_cost": round(finish_s / strokes_s, 2),
                "distance_plain": round(painter.distance(plain), 3),
                "distance_finished": round(painter.distance(finished_image), 3),
                "distance_sharpened": round(painter.distance(baseline), 3),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        tiles.append((plain, finished_image))
    reference = _fit(paintings[0])
    width = max(p.width for p, _ in tiles) * 2 + reference.width + 16
    height = sum(p.height for p, _ in tiles) + 8 * len(tiles)
    sheet, y = Image.new("RGB", (width, max(height, reference.height)), "white"), 0
    for plain, finished_image in tiles:
        sheet.paste(plain, (0, y))
        sheet.paste(finished_image, (plain.width + 8, y))
        y += plain.height + 8
    sheet.paste(reference, (width - reference.width, 0))
    sheet_path = args.out / f"{args.style}-finish-sheet.png"
    sheet.save(sheet_path)
    print(json.dumps({"style": args.style, "threads": args.threads, "sheet": str(sheet_path), "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
