"""Should a retrained style replace the shipped one? Both measured side by side (JSON out; not a test).

The rule, fixed before any trial is measured: a trial style ships only if its last copy (no picking
among copies) is closer to its paintings than the shipped style on the validation inputs (mean of
the photograph *coffee* and a posterised copy of it, a sketch stand-in; neither is in the quality
table) and on each of the quality table's inputs (*chelsea* and the flat-colour sketch). Distances
are the validated style-match measure at its own scale, renders as in bench/style_quality.py.

    python bench/style_validation.py --trial build/trial-styles [--styles munch] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))

from style_quality import fit  # noqa: E402
from train_styles import ART, STYLES  # noqa: E402

from models.paint.data import shipped_photos  # noqa: E402
from models.paint.measure import StyleReference  # noqa: E402
from models.paint.render import RenderParams, render_in_style  # noqa: E402
from models.paint.selftest import sample_sketch  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402
from models.paint.vgg import VGGFeatures  # noqa: E402

VALIDATION = ("coffee", "coffee_posterised")
TABLE = ("chelsea", "sketch")


def posterised(photo: Image.Image, colours: int = 6) -> Image.Image:
    """Flat colour areas with the photograph's layout: what a rough painted sketch of it looks like."""
    smooth = photo.filter(ImageFilter.MedianFilter(9)).filter(ImageFilter.GaussianBlur(2))
    return smooth.quantize(colours, method=Image.Quantize.MEDIANCUT).convert("RGB")


def inputs() -> dict[str, Image.Image]:
    chelsea, coffee = shipped_photos(("chelsea", "coffee"))
    return {
        "coffee": fit(coffee),
        "coffee_posterised": fit(posterised(coffee)),
        "chelsea": fit(chelsea),
        "sketch": fit(sample_sketch(512, 384)),
    }


def distances(path: Path, reference: StyleReference, vgg: VGGFeatures, pictures: dict[str, Image.Image]) -> dict:
    style = load_style(path)
    row = {
        label: round(reference.distance(vgg, render_in_style(style, picture, RenderParams(seed=0, palette=1.0, look="texture"))), 3)
        for label, picture in pictures.items()
    }
    row["validation"] = round(sum(row[label] for label in VALIDATION) / len(VALIDATION), 3)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trial", type=Path, required=True, help="folder of trial checkpoints (NAME.safetensors)")
    parser.add_argument("--styles", nargs="*", help="only these styles")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    vgg = VGGFeatures()
    pictures = inputs()
    shipped = list_shipped_styles()
    results = {"rule": __doc__.split("\n\n")[1].replace("\n", " "), "styles": {}}
    for trial in sorted(args.trial.glob("*.safetensors")):
        name = trial.stem
        if name not in STYLES or (args.styles and name not in args.styles):
            continue
        reference = StyleReference.from_pictures(vgg, [Image.open(ART / f).convert("RGB") for f in STYLES[name]])
        row = {"trial": distances(trial, reference, vgg, pictures)}
        if name in shipped:
            row["shipped"] = distances(shipped[name], reference, vgg, pictures)
            row["ships"] = all(row["trial"][label] < row["shipped"][label] for label in ("validation", *TABLE))
        results["styles"][name] = row
        print(json.dumps({name: row}), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
