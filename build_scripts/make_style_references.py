"""Write what each shipped style keeps beside its checkpoint (models/paint/references.py).

NAME.match.json: the painter's range over picture statistics (models/paint/painting_match.py,
validated by bench/painting_match_validation.py), what style work is measured against (the app shows
no score from it yet: docs/style-engine.md). The range comes from the paintings the style was trained on; 100
is the median of each painting held out against the others, 0 the median of the shipped photographs
passed through the style's own feed-forward renderer (a texture filter). NAME.gatys.safetensors: the
VGG16 statistics "best quality" painting optimises towards.
NAME.composition.json: how the painter composes (horizon, focal point, heavy side; 160 crops of each
painting), which paintings from scratch follow (models/paint/scene/composition.py).

    python build_scripts/make_style_references.py [--styles van-gogh hokusai] [--only composition|match]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))

from train_styles import ART, STYLES  # noqa: E402

from models.paint.images import load_image  # noqa: E402
from models.paint.painting_match import PaintingMatch  # noqa: E402
from models.paint.references import write_painting_match, write_style_references  # noqa: E402
from models.paint.scene.composition import CompositionModel, composition_path_for  # noqa: E402
from models.paint.vgg import VGGFeatures  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="*", default=list(STYLES), choices=list(STYLES))
    parser.add_argument("--output", type=Path, default=ROOT / "resources" / "styles")
    parser.add_argument("--only", choices=["composition", "match"], help="write only this reference (no VGG16 needed)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    vgg = VGGFeatures() if args.only is None else None
    for name in args.styles:
        started = time.perf_counter()
        paintings = [load_image(ART / file, max_side=1024).image for file in STYLES[name]]
        style_path = args.output / f"{name}.safetensors"
        report: dict = {"style": name, "paintings": len(paintings)}
        if args.only == "composition":
            model = CompositionModel.fit(paintings, source=", ".join(STYLES[name]))
            written = [model.save(composition_path_for(style_path))]
            report["composition"] = model.summary()
        elif args.only == "match":
            written = [write_painting_match(style_path, paintings)]
        else:
            written = [*write_style_references(style_path, paintings, vgg, source=", ".join(STYLES[name])),
                       write_painting_match(style_path, paintings)]
        if args.only != "composition":
            match = PaintingMatch.load(written[-1])
            report |= {
                "own_paintings": round(match.own_paintings, 3),
                "filtered_photographs": round(match.filtered_photographs, 3),
                "separates": match.separates,
            }
        report |= {
            "written": [str(p.relative_to(ROOT)) for p in written],
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
