"""How well paintings from scratch show their subject: JSON to stdout (and bench/results/scene_quality.json).

- named: share of (request, seed, painter) whose sketch shows every element the request names (>= 0.05%
  of the picture each), over the vocabulary table of tests/test_scene_composer.py;
- diversity: for each request, how much the layout moves between seeds — the spread of the horizon and of
  the focal point, and the mean of 1 - correlation between the coarse luminance of two seeds' sketches
  (0: the same layout, 1: unrelated); the same figure between two different requests for comparison;
- painters: each painter's composition as the sketches show it (mean horizon, focal point, heavy side);
- keeps scene (--renders): correlation between the coarse luminance (12 rows of cells, each about a twelfth
  of the height: heavily blurred) of each sketch and its painting, per style. #16 asks for >= 0.7;
- legible (--renders): for each thing the subject is read by (scratch.KEPT: harbour wall, boats, houses...), the
  share of its outline that shows as an edge in the painting, against in the sketch (scene/legibility.py), per
  style: the mean, the lowest, and each element's. `--without-keep` paints without the keep map (as before
  session 8), for comparison.

    python bench/scene_quality.py [--seeds 6] [--renders [--look strokes] [--without-keep] [--styles munch,turner]
        [--subjects "a stormy harbour|a stormy harbour at sunset"] [--save DIR]] [--size 768x512]

`--styles` and `--subjects` (separated by |) render a subset; `--save DIR` writes each painting and its sketch
as PNG, to look at.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.paint.scene.composer import compose_scene  # noqa: E402
from models.paint.scene.composition import load_composition  # noqa: E402
from models.paint.scene.words import read_subject  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402
from tests.test_scene_composer import REQUESTS, VISIBLE  # noqa: E402

SHEET_SUBJECTS = ("a stormy harbour", "a quiet village at dusk", "a river with a bridge",
                  "a starry night over a village with a cypress")  # fmt: skip
LEGIBLE_SUBJECTS = (*SHEET_SUBJECTS, "a stormy harbour at sunset")  # the last: the lead's session 7 example


def coarse_luminance(pixels: np.ndarray, rows: int = 12) -> np.ndarray:
    """Mean luminance in a grid of cells `rows` high (and as many wide as the aspect gives): heavy blur."""
    lum = pixels.astype(np.float64) @ np.array([0.299, 0.587, 0.114]) / 255
    height, width = lum.shape
    cols = max(1, round(rows * width / height))
    ys, xs = np.linspace(0, height, rows + 1).astype(int), np.linspace(0, width, cols + 1).astype(int)
    return np.array([[lum[ys[i] : ys[i + 1], xs[j] : xs[j + 1]].mean() for j in range(cols)] for i in range(rows)])


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--size", default="768x512")
    parser.add_argument("--renders", action="store_true", help="also paint the sheet's subjects (slow on a CPU)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--look", default="strokes", help="the renderer's look for --renders (strokes, texture)")
    parser.add_argument("--without-keep", action="store_true", help="--renders without the keep map (strokes/keep.py)")
    parser.add_argument("--styles", help="--renders: only these styles (comma-separated)")
    parser.add_argument("--subjects", help="--renders: only these subjects (separated by |)")
    parser.add_argument("--save", type=Path, help="--renders: write each painting and its sketch here as PNG")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "scene_quality.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    size = tuple(int(v) for v in args.size.split("x"))
    styles = list_shipped_styles()
    compositions = {name: load_composition(path) for name, path in styles.items()}
    started = time.perf_counter()
    results: dict = {"size": list(size), "seeds": args.seeds, "load_average_at_start": round(os.getloadavg()[0], 2)}

    shown, total, spreads, painters = 0, 0, [], {}
    within, between = [], []
    for name, composition in compositions.items():
        horizons, focal, sides = [], [], []
        lumas_by_request = []
        for subject, _ in REQUESTS:
            named = read_subject(subject).elements
            scenes = [compose_scene(subject, seed, size, composition) for seed in range(args.seeds)]
            for scene in scenes:
                total += 1
                shown += named <= {e for e, share in scene.visible.items() if share >= VISIBLE}
                horizons.append(scene.plan.horizon)
                focal.append((scene.plan.focal_x, scene.plan.focal_y))
                sides.append(scene.plan.mass_side)
            lumas = [coarse_luminance(scene.sketch) for scene in scenes]
            lumas_by_request.append(lumas)
            within += [1 - correlation(a, b) for a, b in combinations(lumas, 2)]
            spreads.append(
                {
                    "horizon_std": float(np.std([s.plan.horizon for s in scenes])),
                    "focal_x_std": float(np.std([s.plan.focal_x for s in scenes])),
                }
            )
        for first, second in combinations(range(len(lumas_by_request)), 2):
            between.append(1 - correlation(lumas_by_request[first][0], lumas_by_request[second][0]))
        painters[name] = {
            "horizon_mean": round(float(np.mean(horizons)), 3),
            "horizon_std": round(float(np.std(horizons)), 3),
            "focal_mean": [round(float(v), 3) for v in np.mean(focal, 0)],
            "masses_left_share": round(float(np.mean(np.array(sides) < 0)), 3),
        }
    results["named_elements_shown"] = {"shown": shown, "of": total, "share": round(shown / total, 4)}
    results["diversity"] = {
        "layout_difference_between_seeds_mean": round(float(np.mean(within)), 3),
        "layout_difference_between_requests_mean": round(float(np.mean(between)), 3),
        "horizon_std_between_seeds_mean": round(float(np.mean([s["horizon_std"] for s in spreads])), 3),
        "focal_x_std_between_seeds_mean": round(float(np.mean([s["focal_x_std"] for s in spreads])), 3),
        "note": "1 - correlation of 12-row coarse luminance between two sketches: 0 the same layout, 1 unrelated",
    }
    results["painters"] = painters

    if args.renders:
        from models.paint import scratch
        from models.paint.painting import paint_job
        from models.paint.recipe import PaintRecipe
        from models.paint.scene.legibility import element_masks, legibility, outline_shown
        from models.paint.scratch import KEPT, scene_and_painting

        if args.without_keep:
            scratch.keep_labels = lambda scene: None  # type: ignore[assignment]
        keeps, legible = {}, {}
        chosen = args.styles.split(",") if args.styles else list(styles)
        subjects = args.subjects.split("|") if args.subjects else LEGIBLE_SUBJECTS
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
        for name in chosen:
            style = load_style(styles[name])
            values, shown = [], {}
            for subject in subjects:
                for seed in (1, 2):
                    recipe = PaintRecipe(
                        style=name,
                        seed=seed,
                        size=size,
                        from_scratch=True,
                        subject=subject,
                        palette=0.5,
                        look=args.look,
                    )
                    scene, image = scene_and_painting(paint_job(recipe, style))
                    painting = np.asarray(image.convert("RGB"))
                    if subject in SHEET_SUBJECTS:
                        values.append(correlation(coarse_luminance(scene.sketch), coarse_luminance(painting)))
                    sketch = np.asarray(Image.fromarray(scene.sketch).resize(image.size, Image.Resampling.BOX))
                    if args.save:
                        stem = f"{name}_{'-'.join(subject.split())}_{seed}"
                        image.save(args.save / f"{stem}.png")
                        Image.fromarray(sketch).save(args.save / f"{stem}_sketch.png")
                    for element, mask in element_masks(scene.labels, scene.label_names, image.size).items():
                        if element in KEPT:
                            shown[f"{subject} / {seed} / {element}"] = (
                                round(outline_shown(sketch, mask), 3),
                                round(outline_shown(painting, mask), 3),
                                round(legibility(sketch, painting, mask), 3),
                            )
            if values:  # the sheet's subjects were among those painted
                keeps[name] = {
                    "mean": round(float(np.mean(values)), 3),
                    "min": round(float(np.min(values)), 3),
                    "each": [round(v, 3) for v in values],
                }
            ratios = [ratio for _, _, ratio in shown.values()]
            legible[name] = {
                "mean": round(float(np.mean(ratios)), 3),
                "min": round(float(np.min(ratios)), 3),
                "shown_in_sketch_mean": round(float(np.mean([s for s, _, _ in shown.values()])), 3),
                "shown_in_painting_mean": round(float(np.mean([p for _, p, _ in shown.values()])), 3),
                "each (sketch, painting, legibility)": shown,
            }
            print(name, legible[name]["mean"], flush=True, file=sys.stderr)
        results["render_keeps_scene"] = {"look": args.look, **keeps}
        results["legible"] = {"look": args.look, "keep_map": not args.without_keep, "subjects": list(subjects), **legible}
    results["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(results, indent=1)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
