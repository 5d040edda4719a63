"""The stroke look's contact sheet: pictures the styles never saw (rows) painted in each shipped style
(columns), under a crop of each painter's own painting, to judge by eye; and the painter match's
distance of each render (models/paint/painting_match.py, lower is nearer the painter's paintings) beside
the texture look's on the same pictures.

    python build_scripts/stroke_sheet.py   # docs/images/stroke-sheet.jpg, bench/results/stroke_sheet.json
    python build_scripts/stroke_sheet.py --seeds 1 2 3 --out /tmp/sheet.jpg --json bench/results/stroke_sheet_seeds.json

With several seeds the strokes are painted again at each further seed and the JSON gives each style's median
at every seed and its mean over all renders (the sheet's picture and the per-picture entries stay the first
seed's; the farthest statistics are over every render): a render's distance moves with the seed alone by as
much as the changes a session tries (session 8's Munch's median at seeds 1, 2, 3: 2.69, 2.37, 2.69), so one seed cannot
tell such a change from chance.

The photographs: scikit-learn's two sample photographs and scikit-image's motorcycle (install the
`bench` extras), the held-out shipped photograph *coffee* (no style trains or fits on it), a scene
sketch of the from-scratch path and the README's sketch. No style's stroke fitting saw any of them
(it renders astronaut, rocket: models/paint/data.TRAINING_PHOTOS).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.paint.data import shipped_photos  # noqa: E402
from models.paint.painting_match import MATCH_FORMAT, PaintingMatch, match_path_for  # noqa: E402
from models.paint.picture_statistics import statistic_names, statistics_of_views  # noqa: E402
from models.paint.render import RenderParams, render_in_style  # noqa: E402
from models.paint.scene.composer import compose_scene  # noqa: E402
from models.paint.selftest import sample_sketch  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402

SIDE = 512  # renders are made and measured at the measure's scale
CELL = 300  # width of a cell on the sheet
LABEL = 18  # height of a cell's caption


def _fit(image: Image.Image, side: int = SIDE) -> Image.Image:
    scale = side / max(image.size)
    size = (round(image.width * scale), round(image.height * scale))
    return image.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def unseen_pictures() -> dict[str, Image.Image]:
    pictures: dict[str, Image.Image] = {}
    try:
        import sklearn.datasets

        for path in sorted((Path(sklearn.datasets.__file__).parent / "images").glob("*.jpg")):
            pictures[path.stem] = _fit(Image.open(path))
    except ImportError:  # the figures are only comparable on the same photographs
        sys.exit("scikit-learn is not installed, so some of the photographs are missing: make setup-dev")
    try:
        import skimage.data

        pictures["motorcycle"] = _fit(Image.open(Path(skimage.data.__file__).parent / "motorcycle_left.png"))
    except ImportError:  # the figures are only comparable on the same photographs
        sys.exit(
            "scikit-image is not installed, so some of the photographs are missing: make .venv/.installed-bench "
            "(or pip install -e '.[bench]')"
        )
    pictures["coffee"] = _fit(shipped_photos(("coffee",))[0])
    scene = compose_scene("a quiet village at dusk", 1, (SIDE, 384)).sketch
    pictures["village sketch"] = Image.fromarray(np.asarray(scene, dtype=np.uint8))
    pictures["README sketch"] = _fit(sample_sketch(512, 384))
    return pictures


def painter_crop(name: str, height: int) -> Image.Image:
    """The middle of the style's first painting, at the sheet's cell size."""
    painting = Image.open(ART / STYLES[name][0]).convert("RGB")
    scale = CELL / min(painting.size) * 1.6  # a detail: the strokes at about the size the renders show them
    painting = painting.resize((round(painting.width * scale), round(painting.height * scale)), Image.LANCZOS)
    left, top = (painting.width - CELL) // 2, (painting.height - height) // 2
    return painting.crop((left, top, left + CELL, top + height))


def _cell(image: Image.Image, caption: str, height: int) -> Image.Image:
    cell = Image.new("RGB", (CELL, height + LABEL), "white")
    image = image.resize((CELL, round(CELL * image.height / image.width)), Image.Resampling.LANCZOS)
    cell.paste(image.crop((0, 0, CELL, min(height, image.height))), (0, LABEL))
    ImageDraw.Draw(cell).text((4, 3), caption, fill="black")
    return cell


def farthest_statistics(match: PaintingMatch, offsets: list[np.ndarray], count: int = 8) -> dict[str, float]:
    """The statistics on which the renders sit farthest from the painter's paintings, in the range's standard
    deviations (+: the renders have more of it): what the measure says differs, to compare with the eye."""
    spread = np.sqrt(np.diag(np.linalg.inv(match.range.precision)))
    z = np.mean(offsets, axis=0) / spread
    return {statistic_names()[i]: round(float(z[i]), 1) for i in np.argsort(-np.abs(z))[:count]}


def seed_summary(distances: dict[int, dict[str, float]]) -> dict:
    """Per seed the median distance over the pictures, and the mean and the median of those medians over all
    seeds: what a change must beat, when the same style's medians differ from seed to seed."""
    medians = {seed: float(np.median(list(row.values()))) for seed, row in distances.items()}
    every = [d for row in distances.values() for d in row.values()]
    return {
        "median_by_seed": {str(seed): round(m, 3) for seed, m in medians.items()},
        "mean_of_medians": round(float(np.mean(list(medians.values()))), 3),
        "spread_of_medians": round(float(max(medians.values()) - min(medians.values())), 3),
        "mean_all_renders": round(float(np.mean(every)), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "stroke-sheet.jpg")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "stroke_sheet.json")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[1], help="paint the strokes at each (the sheet: the first)"
    )
    parser.add_argument("--styles", nargs="+", help="only these shipped styles (a style's lane measures its own)")
    parser.add_argument(
        "--strokes-only", action="store_true", help="skip the texture look's renders (their distances are left out)"
    )
    args = parser.parse_args()
    first_seed = args.seeds[0]
    torch.set_num_threads(args.threads)
    pictures = unseen_pictures()
    shipped = list_shipped_styles()
    if unknown := set(args.styles or []) - set(shipped):
        sys.exit(f"no shipped style {', '.join(sorted(unknown))}: the shipped ones are {', '.join(shipped)}")
    chosen = {name: path for name, path in shipped.items() if not args.styles or name in args.styles}
    styles = {name: load_style(path) for name, path in chosen.items()}
    loaded = {name: PaintingMatch.load(match_path_for(path)) for name, path in chosen.items()}
    if missing := [name for name, match in loaded.items() if match is None]:
        sys.exit(
            f"no painter match of this version (format {MATCH_FORMAT}) for {', '.join(missing)}: "
            "python build_scripts/make_style_references.py --only match"
        )
    matches = {name: match for name, match in loaded.items() if match is not None}
    height = round(CELL * 0.75)
    rows = [[_cell(Image.new("RGB", (CELL, height), "white"), "the painter's own (detail)", height)]]
    rows[0] += [_cell(painter_crop(name, height), style.title, height) for name, style in styles.items()]
    results: dict[str, dict] = {}
    offsets: dict[str, list[np.ndarray]] = {}  # per style: each render's statistics less the painter's mean
    by_seed: dict[str, dict[int, dict[str, float]]] = {}  # per style, per seed: each picture's distance
    for picture_name, picture in pictures.items():
        row = [_cell(picture, picture_name, height)]
        for name, style in styles.items():
            match = matches[name]
            started = time.process_time()
            painted = render_in_style(style, picture, RenderParams(seed=first_seed))
            seconds = time.process_time() - started
            distance, score = match.score(painted)
            offsets.setdefault(name, []).append(statistics_of_views(painted).mean(0) - match.range.mean)
            entry = {
                "stroke_cpu_seconds": round(seconds, 2),
                "strokes": round(distance, 3),
                "strokes_score": round(score),
            }
            if not args.strokes_only:
                texture = render_in_style(style, picture, RenderParams(seed=first_seed, look="texture"))
                texture_distance, texture_score = match.score(texture)
                entry |= {"texture": round(texture_distance, 3), "texture_score": round(texture_score)}
            results.setdefault(name, {})[picture_name] = entry
            by_seed.setdefault(name, {}).setdefault(first_seed, {})[picture_name] = entry["strokes"]
            for seed in args.seeds[1:]:
                again = render_in_style(style, picture, RenderParams(seed=seed))
                by_seed[name].setdefault(seed, {})[picture_name] = round(match.score(again)[0], 3)
                offsets[name].append(statistics_of_views(again).mean(0) - match.range.mean)
            caption = f"{style.title}  d {entry['strokes']:.2f}"
            if not args.strokes_only:
                caption += f" (texture {entry['texture']:.2f})"
            row.append(_cell(painted, caption, height))
            print(picture_name, name, entry, flush=True)
        rows.append(row)
    sheet = Image.new("RGB", (CELL * len(rows[0]), (height + LABEL) * len(rows)), "white")
    for y, row in enumerate(rows):
        for x, cell in enumerate(row):
            sheet.paste(cell, (x * CELL, y * (height + LABEL)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, quality=88)
    summary = {
        name: {
            "own_paintings": round(match.own_paintings, 3),
            "filtered_photographs": round(match.filtered_photographs, 3),
            "median_strokes": float(np.median([e["strokes"] for e in results[name].values()])),
            **(
                {}
                if args.strokes_only
                else {"median_texture": float(np.median([e["texture"] for e in results[name].values()]))}
            ),
            "inside_range": sum(e["strokes"] <= match.own_paintings for e in results[name].values()),
            "farthest_statistics": farthest_statistics(match, offsets[name]),
            "pictures": results[name],
            **(
                {"seeds": seed_summary(by_seed[name]), "pictures_by_seed": by_seed[name]} if len(args.seeds) > 1 else {}
            ),
        }
        for name, match in matches.items()
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps({k: {x: v[x] for x in v if not x.startswith("pictures")} for k, v in summary.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
