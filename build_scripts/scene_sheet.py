"""The sheet of paintings from scratch in docs/: 4 subjects x the shipped styles x 2 seeds, each painting
beside the scene sketch it was painted from (each painter composes the scene their own way).

    python build_scripts/scene_sheet.py [-o docs/images/scenes-sheet.jpg] [--look strokes]
        [--subjects "a lighthouse on a cliff at sunset|mountains under snow" | --six] [--seeds 1 2] [--styles munch]

`--subjects` (separated by |) or `--six` (SCRATCH_SUBJECTS), `--seeds` and `--styles` make other sheets, to look at
paintings from scratch as a user would (docs/images/scratch-sheet.jpg: `--six --seeds 1`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.paint.painting import paint_job  # noqa: E402
from models.paint.recipe import PaintRecipe  # noqa: E402
from models.paint.scratch import scene_and_painting  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402

SUBJECTS = ("a stormy harbour", "a quiet village at dusk", "a river with a bridge",
            "a starry night over a village with a cypress")  # fmt: skip
SEEDS = (1, 2)
# Six subjects a user types, one of each kind of scene (session 18's look at paintings from scratch).
SCRATCH_SUBJECTS = ("a lighthouse on a cliff at sunset", "a village by a river", "mountains under snow",
                    "a harbour with boats", "a windmill by a canal", "a wheat field under stars")  # fmt: skip
TILE = (192, 128)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "images" / "scenes-sheet.jpg")
    parser.add_argument("--size", default="768x512", help="size each painting is made at")
    parser.add_argument("--look", default="strokes", help="the renderer's look (strokes, texture)")
    parser.add_argument("--subjects", help="subjects separated by | (default: the docs sheet's four)")
    parser.add_argument("--six", action="store_true", help="six kinds of scene a user types (SCRATCH_SUBJECTS)")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--styles", nargs="+", help="style names (default: every shipped style)")
    args = parser.parse_args()
    torch.set_num_threads(2)
    size = tuple(int(v) for v in args.size.split("x"))
    subjects = SCRATCH_SUBJECTS if args.six else args.subjects.split("|") if args.subjects else SUBJECTS
    styles = {name: path for name, path in list_shipped_styles().items() if not args.styles or name in args.styles}
    width, height = TILE
    label = 16
    sheet = Image.new("RGB", (2 * width * len(styles), label + height * len(subjects) * len(args.seeds)), "white")
    draw = ImageDraw.Draw(sheet)
    for column, (name, path) in enumerate(styles.items()):
        style = load_style(path)
        draw.text((2 * width * column + 4, 2), f"{style.title}: sketch | painting", fill=(0, 0, 0))
        for row, (subject, seed) in enumerate((s, seed) for s in subjects for seed in args.seeds):
            recipe = PaintRecipe(style=name, from_scratch=True, subject=subject, seed=seed, size=size, look=args.look)
            scene, painting = scene_and_painting(paint_job(recipe, style))
            top = label + row * height
            sheet.paste(Image.fromarray(scene.sketch).resize(TILE, Image.Resampling.LANCZOS), (2 * width * column, top))
            sheet.paste(painting.resize(TILE, Image.Resampling.LANCZOS), (2 * width * column + width, top))
            if column == 0:
                draw.text((4, top + 3), f"{subject} · seed {seed}", fill=(255, 255, 255))
            print(f"{name}: {subject} seed {seed}", flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.output, quality=85)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
