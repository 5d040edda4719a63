"""Train the shipped painting styles into resources/styles/ from the public-domain paintings in resources/paint/art/.

    python build_scripts/train_styles.py [--styles van-gogh hokusai] [--minutes 10] [--threads 1]
    python build_scripts/train_styles.py --strokes-only [--styles ...] [--minutes 40] [--evaluations 200] [--sweep]
    python build_scripts/train_styles.py --strokes-only --styles turner --only dark_keep calm   # those alone

With --strokes-only, only the stroke renderer's brushwork and colour habits are fitted again (strokes/
fitting.py) and written into the existing checkpoint; its texture network is left as it is. The fit renders
two training photographs and, since session 6, one flat-colour scene sketch (FIT_SKETCH; `--photos-only`
fits as before): the Paint tab paints sketches as often as photographs, and a fit on photographs alone laid
a surface on flat areas that was nothing like the painter's.

Each style trains for a fixed wall-clock budget (the checkpoint's JSON records steps, seconds and
losses). The resumable training state goes to build/style-training/ (not shipped); running the
script again continues from it up to the new budget. Preview renders go beside the state.
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

from models.jobs import Progress, Result  # noqa: E402
from models.paint.data import HELD_OUT_PHOTOS, shipped_photos  # noqa: E402
from models.paint.images import load_image  # noqa: E402
from models.paint.scene.composer import compose_scene  # noqa: E402
from models.paint.strokes.fitting import fit_stroke_style  # noqa: E402
from models.paint.style import load_style, replace_stroke_style  # noqa: E402
from models.paint.training import TrainingConfig, train_style  # noqa: E402

ART = ROOT / "resources" / "paint" / "art"
STYLES = {
    "van-gogh": [
        "van-gogh_the-starry-night.jpg",
        "van-gogh_the-church-at-auvers.jpg",
        "van-gogh_cafe-terrace-at-night.jpg",
        "van-gogh_portrait-of-pere-tanguy.jpg",
        "van-gogh_the-night-cafe.jpg",
        "van-gogh_hospital-corridor-at-saint-remy.jpg",
        "van-gogh_the-painter-on-the-road-to-tarascon.jpg",
        "van-gogh_the-langlois-bridge-at-arles.jpg",
        "van-gogh_the-harvest.jpg",
        "van-gogh_village-street-in-auvers.jpg",
        "van-gogh_the-bedroom.jpg",
    ],
    "hokusai": [
        "hokusai_the-great-wave.jpg",
        "hokusai_ejiri-in-suruga-province.jpg",
        "hokusai_the-kazusa-sea-route.jpg",
        "hokusai_sunset-across-the-ryogoku-bridge.jpg",
        "hokusai_poppies.jpg",
    ],
    "munch": ["munch_the-scream.jpg"],
    "turner": ["turner_the-wreck-of-a-transport-ship.jpg"],  # the one Turner we have (README: no second one found)
}
# The sketch the stroke fit renders beside the photographs: a plain landscape (hills, a lake, a morning sky),
# unlike the stroke sheet's unseen village sketch and README sketch.
FIT_SKETCH = ("a lake among hills in the morning", 3, (512, 384))
TITLES = {"van-gogh": "Van Gogh", "hokusai": "Hokusai", "munch": "Munch", "turner": "Turner"}


def train_one(name: str, minutes: float, output_dir: Path, work_dir: Path, overrides: dict) -> dict:
    paintings = [(file, load_image(ART / file, max_side=1024).image) for file in STYLES[name]]
    config = TrainingConfig(name=name, title=TITLES.get(name, name), minutes=minutes, preview_every=100, **overrides)
    preview = shipped_photos(HELD_OUT_PHOTOS[:1])[0]
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    summary = None
    job = train_style(
        paintings,
        shipped_photos(),
        output_dir / f"{name}.safetensors",
        config,
        preview_image=preview,
        state_path=work_dir / f"{name}.training.safetensors",
    )
    for event in job:
        if isinstance(event, Progress) and event.preview is not None:
            event.preview.save(work_dir / f"{name}-preview.png")
            print(f"[{name}] {event.message}", flush=True)
        elif isinstance(event, Result):
            summary = event.value
    assert summary is not None
    return {
        "style": name,
        "steps": summary.steps,
        "seconds": round(summary.seconds, 1),
        "this_run_seconds": round(time.monotonic() - started, 1),
        "losses": summary.losses,
        "fixed_batch_start": summary.evaluation_at_start,
        "fixed_batch_end": summary.evaluation_at_end,
    }


def fit_sketch() -> Image.Image:
    subject, seed, size = FIT_SKETCH
    return Image.fromarray(np.asarray(compose_scene(subject, seed, size).sketch, dtype=np.uint8))


def fit_strokes(
    name: str,
    minutes: float,
    evaluations: int,
    output_dir: Path,
    sweep_all: bool = False,
    sketch: bool = True,
    only: list[str] | None = None,
) -> dict:
    """Fit the style's strokes, carrying on from the brush parameters its checkpoint already has."""
    paintings = [load_image(ART / file, max_side=1024).image for file in STYLES[name]]
    earlier = load_style(output_dir / f"{name}.safetensors").strokes
    start_from = earlier.brush_parameters() if earlier is not None else None
    result = None
    job = fit_stroke_style(
        paintings,
        shipped_photos(),
        seconds=minutes * 60,
        max_evaluations=evaluations,
        start_from=start_from,
        sweep_all=sweep_all,
        sketches=[fit_sketch()] if sketch else [],
        only=only,
    )
    for event in job:
        if isinstance(event, Result):
            result = event.value
        elif event.fraction is not None and "tries" in event.message:
            print(f"[{name}] {event.message}", flush=True)
    assert result is not None
    strokes, report = result
    replace_stroke_style(output_dir / f"{name}.safetensors", strokes, report.to_json())
    return {"style": name, **report.to_json(), "parameters": strokes.to_json()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="*", default=list(STYLES), choices=list(STYLES))
    parser.add_argument("--minutes", type=float, default=10.0, help="wall-clock training budget per style")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ROOT / "resources" / "styles")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "style-training")
    parser.add_argument("--config", default="{}", help="JSON of TrainingConfig fields to override")
    parser.add_argument("--strokes-only", action="store_true", help="fit only the stroke renderer's style")
    parser.add_argument("--evaluations", type=int, default=200, help="with --strokes-only: renders tried at most")
    parser.add_argument("--sweep", action="store_true", help="with --strokes-only: try each parameter alone first")
    parser.add_argument("--photos-only", action="store_true", help="with --strokes-only: fit without the sketch")
    parser.add_argument(
        "--only", nargs="+", metavar="PARAMETER", help="with --strokes-only: search these brush parameters alone"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.strokes_only:
        for name in args.styles:
            fitted = fit_strokes(
                name, args.minutes, args.evaluations, args.output, args.sweep, not args.photos_only, args.only
            )
            print(json.dumps(fitted), flush=True)
        return 0
    for name in args.styles:
        print(json.dumps(train_one(name, args.minutes, args.output, args.work, json.loads(args.config))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
