"""Quality of the shipped styles with the validated style-match measure (JSON out; not a test).

For each style: distance (texture z-score, lower is closer to the painter) to the style's paintings of
(a) the unrendered inputs, (b) Gatys optimisation with the same VGG features, (ours) the renderer, and
(c) half of the paintings against the other half (real vs real). Whole-image Gram distance beside it
for reference. Inputs: a held-out photograph (chelsea) and a flat-colour sketch. The Gatys run is also
measured after 1, 2, 3, 5, 10 and 20 of its steps ("gatys_curve"; step 0 is the input), which says how
many optimisation steps the renderer's one pass is worth ("ours_equals_gatys_steps"). The "random_*" fields are the cross-check:
the same measure with a random-weight CNN in place of VGG16 (bench/random_texture.py), which Gatys
does not optimise against.

    python bench/style_quality.py [--gatys-steps 40] > bench/results/style_quality.json
    python bench/style_quality.py --styles-dir /tmp/trial --styles munch --gatys-from bench/results/style_quality.json

--styles-dir measures the checkpoints in another folder (trial runs before they are shipped), --styles
only the named ones, and --gatys-from takes the Gatys rows (which take 25-100 s each) from an earlier
JSON of this script instead of running them again (same inputs, same measure, so the same numbers).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))

from random_texture import RandomTextureFeatures  # noqa: E402
from style_measure_validation import gram_descriptor, halves  # noqa: E402
from train_styles import ART, STYLES  # noqa: E402

from models.jobs import Progress, run_job  # noqa: E402
from models.paint.data import HELD_OUT_PHOTOS, shipped_photos  # noqa: E402
from models.paint.gatys import gatys_job, painting_targets  # noqa: E402
from models.paint.measure import SCALE_LONG_SIDE, StyleReference  # noqa: E402
from models.paint.render import RenderParams, render_in_style  # noqa: E402
from models.paint.selftest import sample_sketch  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402
from models.paint.vgg import VGGFeatures  # noqa: E402

# Inputs, renders and Gatys results are made at the measure's own scale, so the measure never resamples
# the picture it judges. (An earlier version made them at 384 px, and the measure enlarged them to 512:
# that smoothed away each picture's own fine texture and rewarded anything that added grain, so that one
# Gatys step, a faint per-pixel pattern, already counted as painting.)
SIZE = SCALE_LONG_SIDE
CURVE_STEPS = (1, 2, 3, 5, 10, 20)


def equal_steps(curve: dict[str, float], distance: float) -> int | str:
    """The fewest Gatys steps whose result is as close as `distance`; '>N' when none is."""
    for steps, value in sorted(curve.items(), key=lambda item: int(item[0])):
        if value <= distance:
            return int(steps)
    return f">{max(int(s) for s in curve)}"


def fit(image: Image.Image) -> Image.Image:
    scale = SIZE / max(image.size)
    return image.resize(
        (round(image.size[0] * scale) // 4 * 4, round(image.size[1] * scale) // 4 * 4), Image.Resampling.LANCZOS
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gatys-steps", type=int, default=40)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--save", type=Path, help="folder for the rendered images")
    parser.add_argument("--styles-dir", type=Path, help="measure the checkpoints in this folder, not the shipped ones")
    parser.add_argument("--styles", nargs="*", help="only these styles")
    parser.add_argument("--gatys-from", type=Path, help="reuse the Gatys rows of an earlier JSON of this script")
    args = parser.parse_args()
    earlier = json.loads(args.gatys_from.read_text())["styles"] if args.gatys_from else {}
    torch.set_num_threads(args.threads)
    vgg = VGGFeatures()
    random_features = RandomTextureFeatures()
    inputs = {name: fit(im) for name, im in zip(HELD_OUT_PHOTOS[:1], shipped_photos(HELD_OUT_PHOTOS[:1]), strict=True)}
    inputs["sketch"] = fit(sample_sketch(512, 384))
    results = {"size": SIZE, "gatys_steps": args.gatys_steps, "threads": args.threads, "styles": {}}
    if args.styles_dir:
        checkpoints = {p.stem: p for p in sorted(args.styles_dir.glob("*.safetensors"))}
    else:
        checkpoints = list_shipped_styles()
    if args.gatys_from:
        results["gatys_from"] = str(args.gatys_from)
    for name, path in checkpoints.items():
        if args.styles and name not in args.styles:
            continue
        style = load_style(path)
        paintings = [Image.open(ART / f).convert("RGB") for f in STYLES.get(name, [])]
        if not paintings:
            continue
        reference = StyleReference.from_pictures(vgg, paintings)
        random_reference = StyleReference.from_pictures(random_features, paintings)

        def random_distance(im: Image.Image, reference: StyleReference = random_reference) -> float:
            return round(reference.distance(random_features, im), 3)

        gram_ref = np.mean([gram_descriptor(vgg, p) for p in paintings], axis=0)

        def gram(im: Image.Image, gram_ref: np.ndarray = gram_ref) -> float:
            return round(float(np.linalg.norm(gram_descriptor(vgg, im) - gram_ref)), 1)

        if len(paintings) > 1:
            half_a, half_b = paintings[::2], paintings[1::2]
        else:
            half_a, half_b = map(lambda h: [h], halves(paintings[0]))
        split_reference = StyleReference.from_pictures(vgg, half_a)
        real_vs_real = float(np.mean([split_reference.distance(vgg, p) for p in half_b]))
        random_split = StyleReference.from_pictures(random_features, half_a)
        random_real_vs_real = float(np.mean([random_split.distance(random_features, p) for p in half_b]))
        targets = painting_targets(vgg, paintings)
        rows = {}
        for label, picture in inputs.items():
            started = time.perf_counter()
            ours = render_in_style(style, picture, RenderParams(seed=0, palette=1.0, look="texture"))
            ours_seconds = time.perf_counter() - started
            input_distance = round(reference.distance(vgg, picture), 3)
            old = earlier.get(name, {}).get("inputs", {}).get(label)
            if old is None or "gatys_curve" not in old:
                started = time.perf_counter()
                curve: dict[str, float] = {}

                def measure_preview(
                    event: object, curve: dict[str, float] = curve, reference: StyleReference = reference
                ) -> None:
                    if not isinstance(event, Progress) or event.preview is None or event.fraction is None:
                        return
                    step = round(event.fraction * args.gatys_steps)
                    if step in CURVE_STEPS:
                        curve[str(step)] = round(reference.distance(vgg, event.preview), 3)

                job = gatys_job(picture, targets, vgg, steps=args.gatys_steps, preview_every=1)
                slow = run_job(job, measure_preview)
                gatys_seconds = time.perf_counter() - started  # includes measuring the curve (~1 s a point)
                gatys_row = {"gatys": round(reference.distance(vgg, slow), 3), "gram_gatys": gram(slow)}
                gatys_row["random_gatys"] = random_distance(slow)
                gatys_row["seconds_gatys"] = round(gatys_seconds, 1)
                gatys_row["gatys_curve"] = {"0": input_distance, **curve, str(args.gatys_steps): gatys_row["gatys"]}
            else:
                slow = None
                gatys_row = {
                    key: old[key] for key in ("gatys", "gram_gatys", "seconds_gatys", "gatys_curve", "random_gatys")
                }
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                ours.save(args.save / f"{name}_{label}_ours.png")
                if slow is not None:
                    slow.save(args.save / f"{name}_{label}_gatys.png")
            ours_distance = round(reference.distance(vgg, ours), 3)
            rows[label] = {
                "input": input_distance,
                "gatys": gatys_row["gatys"],
                "ours": ours_distance,
                "gatys_curve": gatys_row["gatys_curve"],
                "ours_equals_gatys_steps": equal_steps(gatys_row["gatys_curve"], ours_distance),
                "random_input": random_distance(picture),
                "random_gatys": gatys_row["random_gatys"],
                "random_ours": random_distance(ours),
                "gram_input": gram(picture),
                "gram_gatys": gatys_row["gram_gatys"],
                "gram_ours": gram(ours),
                "seconds_ours": round(ours_seconds, 2),
                "seconds_gatys": gatys_row["seconds_gatys"],
            }
        results["styles"][name] = {
            "real_vs_real": round(real_vs_real, 3),
            "random_real_vs_real": round(random_real_vs_real, 3),
            "inputs": rows,
        }
        print(json.dumps({name: results["styles"][name]}), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
