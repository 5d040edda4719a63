"""Render the README's examples: a sketch and a photograph in each shipped style, and one from-scratch painting each.

python build_scripts/render_style_examples.py [--styles munch]   # docs/images/style-*.jpg
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.jobs import run_job  # noqa: E402
from models.paint.data import shipped_photos  # noqa: E402
from models.paint.render import RenderParams, render_in_style  # noqa: E402
from models.paint.scratch import paint_from_scratch_job  # noqa: E402
from models.paint.selftest import sample_sketch  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402

OUT = ROOT / "docs" / "images"


def save(image: Image.Image, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image.save(OUT / name, quality=85)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="*", help="only these shipped styles (default: all)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    sketch = sample_sketch(512, 384)
    photo = shipped_photos(("chelsea",))[0]
    photo = photo.resize((512, round(512 * photo.size[1] / photo.size[0])), Image.Resampling.LANCZOS)
    save(sketch, "style-input-sketch.jpg")
    save(photo, "style-input-photo.jpg")
    for name, path in list_shipped_styles().items():
        if args.styles and name not in args.styles:
            continue
        style = load_style(path)
        save(render_in_style(style, sketch, RenderParams(seed=1, palette=0.5)), f"style-{name}-sketch.jpg")
        save(render_in_style(style, photo, RenderParams(seed=1, palette=0.5)), f"style-{name}-photo.jpg")
        params = RenderParams(seed=3, palette=0.5, size=(512, 384))
        save(run_job(paint_from_scratch_job(style, "", params)), f"style-{name}-scratch.jpg")
        print(f"rendered {name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
