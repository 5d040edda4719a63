"""Train the finish of the shipped styles: stroke renders turned into the painter's surface.

    python build_scripts/train_finish.py [--styles van-gogh munch] [--minutes 20] [--threads 1]
    python build_scripts/train_finish.py --ship van-gogh     # copy a trial finish into resources/
    python build_scripts/train_finish.py --styles van-gogh --minutes 30 --style-weight 0 --colour-lock coarse \
        --structure-weight 0 --discriminator-input detail --tail-rate 4 [--grey] --work build/finish-c
        # session 10's third design (docs/style-engine.md, "The finish"): it moves, but only darkens outlines
    ... --discriminator-width 32 --max-inputs 19 --crop-centres edges --work build/finish-e
        # session 11's run E: crops centred on edges; nearer by the measure, by eye only sharper (not shipped)

For each style: (1) stroke-render the training inputs at 512 px with varied seeds, brush sizes and
detail (cached in build/finish/STYLE/renders/): the three training photographs, the other painters'
paintings and scene sketches (never chelsea or coffee, which the comparison sheet uses); (2) train
the finish against the painter's paintings (models/paint/finish/training.py), resumable from
build/finish/STYLE/state.safetensors (or --work's); running again continues up to the new budget; (3) write
the trial to build/finish/STYLE/finish.safetensors. A trial ships (--ship) only after it looked better
by eye than the plain strokes on bench/finish_sheet.py's sheet.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.checkpoint import metadata_path  # noqa: E402
from models.jobs import Progress, Result  # noqa: E402
from models.paint.data import TRAINING_PHOTOS, shipped_photos  # noqa: E402
from models.paint.finish.apply import finish_path_for  # noqa: E402
from models.paint.finish.training import CROP_CENTRES, FinishConfig, train_finish  # noqa: E402
from models.paint.images import load_image  # noqa: E402
from models.paint.scene.composer import compose_scene  # noqa: E402
from models.paint.strokes import StrokeParams, render_strokes  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402

WORK = ROOT / "build" / "finish"
SIDE = 512
SCENES = (
    "a quiet village at dusk",
    "a stormy harbour",
    "a starry night over a village with a cypress",
    "a river with a bridge",
    "a field of sunflowers under a blue sky",
    "mountains over a lake",
)


def _fit(image: Image.Image) -> Image.Image:
    scale = SIDE / max(image.size)
    return image.convert("RGB").resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)


def training_inputs(name: str) -> list[Image.Image]:
    """Photographs, other painters' paintings and scene sketches, at 512 px on the long side."""
    own = set(STYLES.get(name, []))
    others = [load_image(p, max_side=1024).image for p in sorted(ART.glob("*.jpg")) if p.name not in own]
    scenes = [Image.fromarray(compose_scene(subject, 1, (768, 512)).sketch) for subject in SCENES]
    return [_fit(image) for image in [*shipped_photos(TRAINING_PHOTOS), *others, *scenes]]


def make_renders(name: str, folder: Path, variants: int, max_inputs: int) -> list[Image.Image]:
    """Stroke renders of the training inputs (at most `max_inputs`, spread over photographs, paintings and
    scenes), `variants` each (seed, brush size, detail varied); cached."""
    style = load_style(list_shipped_styles()[name])
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    inputs = training_inputs(name)
    chosen = sorted({round(i) for i in np.linspace(0, len(inputs) - 1, min(max_inputs, len(inputs)))})
    renders = []
    for index in chosen:
        picture = inputs[index]
        for variant in range(variants):
            brush, detail = float(rng.choice([0.7, 1.0, 1.4])), float(rng.choice([0.3, 0.5, 0.8]))
            path = folder / f"{index:02d}-{variant}.png"
            if not path.exists():
                params = StrokeParams(seed=index * 10 + variant, brush_scale=brush, detail=detail)
                render_strokes(picture, style.stroke_style, params).save(path)
                print(f"[{name}] rendered {path.name} (brush {brush}, detail {detail})", flush=True)
            renders.append(Image.open(path).convert("RGB"))
    return renders


def train_one(name: str, config: FinishConfig, variants: int, max_inputs: int, work: Path) -> dict:
    folder = work / name
    renders = make_renders(name, WORK / name / "renders", variants, max_inputs)
    paintings = [load_image(ART / file, max_side=1024).image for file in STYLES[name]]
    started = time.monotonic()
    last_print = 0.0
    for event in train_finish(renders, paintings, folder / "finish.safetensors", folder / "state.safetensors", config):
        if isinstance(event, Progress) and time.monotonic() - last_print > 30:
            print(f"[{name}] {event.message}", flush=True)
            last_print = time.monotonic()
        elif isinstance(event, Result):
            print(f"[{name}] wrote {event.value}", flush=True)
    training = json.loads(metadata_path(folder / "finish.safetensors").read_text())["training"]
    return {"style": name, "this_run_seconds": round(time.monotonic() - started, 1), **training}


def ship(name: str, work: Path) -> None:
    trial = work / name / "finish.safetensors"
    target = finish_path_for(list_shipped_styles()[name])
    shutil.copyfile(trial, target)
    shutil.copyfile(metadata_path(trial), metadata_path(target))
    print(f"shipped {target.relative_to(ROOT)}")


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """The trainer's design options (FinishConfig's fields), shared with bench/finish_gradients.py."""
    parser.add_argument(
        "--style-weight",
        type=float,
        default=FinishConfig.style_weight,
        help="0: the discriminator alone sets the surface",
    )
    parser.add_argument("--colour-lock", default=FinishConfig.colour_lock, choices=["highpass", "coarse"])
    parser.add_argument("--structure-weight", type=float, default=FinishConfig.structure_weight)
    parser.add_argument("--content-weight", type=float, default=FinishConfig.content_weight)
    parser.add_argument(
        "--discriminator-input", default=FinishConfig.discriminator_input, choices=["image", "detail"]
    )
    parser.add_argument(
        "--tail-rate", type=float, default=FinishConfig.tail_learning_rate_scale, help="the output layer's rate scale"
    )
    parser.add_argument("--discriminator-width", type=int, default=FinishConfig.discriminator_width)
    parser.add_argument(
        "--crop-centres",
        default=FinishConfig.crop_centres,
        choices=CROP_CENTRES,
        help="edges: 1:1 crops of renders and paintings centred on edges",
    )
    parser.add_argument("--grey", action="store_true", help="the finish changes light and dark only")


def config_from(args: argparse.Namespace, **more: Any) -> FinishConfig:
    """The FinishConfig of the options `add_config_options` added; `more` sets other fields (minutes...)."""
    return FinishConfig(
        style_weight=args.style_weight,
        colour_lock=args.colour_lock,
        structure_weight=args.structure_weight,
        content_weight=args.content_weight,
        discriminator_input=args.discriminator_input,
        tail_learning_rate_scale=args.tail_rate,
        grey=args.grey,
        discriminator_width=args.discriminator_width,
        crop_centres=args.crop_centres,
        **more,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="+", default=list(STYLES))
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--variants", type=int, default=2, help="stroke renders per training input")
    parser.add_argument("--max-inputs", type=int, default=100, help="training inputs to render at most")
    add_config_options(parser)
    parser.add_argument("--work", type=Path, default=WORK, help="where the trial and its resumable state are kept")
    parser.add_argument("--ship", nargs="+", default=[], help="copy these styles' trial finishes into resources/")
    args = parser.parse_args()
    if args.ship:
        for name in args.ship:
            ship(name, args.work)
        return 0
    torch.set_num_threads(args.threads)
    for name in args.styles:
        config = config_from(args, minutes=args.minutes)
        trial = train_one(name, config, args.variants, args.max_inputs, args.work)
        print(json.dumps(trial), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
