"""Measure how each shipped painter composes (models/paint/scene/composition.py) and write
resources/styles/references/NAME.composition.json, from the same paintings the style was trained on.

Each painting gives 160 crops of 75-100% of its frame; each crop gives the horizon, the focal point,
the side of the dark masses and how much lighter the sky is. The scene composer samples these.

    python build_scripts/fit_compositions.py [--styles van-gogh hokusai]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))

from train_styles import ART, STYLES  # noqa: E402

from models.paint.images import load_image  # noqa: E402
from models.paint.scene.composition import CompositionModel, composition_path_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="*", default=list(STYLES), choices=list(STYLES))
    parser.add_argument("--output", type=Path, default=ROOT / "resources" / "styles")
    args = parser.parse_args()
    for name in args.styles:
        started = time.perf_counter()
        paintings = [load_image(ART / file, max_side=1024).image for file in STYLES[name]]
        model = CompositionModel.fit(paintings, crops=160, seed=0, source=", ".join(STYLES[name]))
        path = model.save(composition_path_for(args.output / f"{name}.safetensors"))
        print(
            json.dumps(
                {
                    "style": name,
                    "paintings": len(paintings),
                    "summary": model.summary(),
                    "written": str(path.relative_to(ROOT)),
                    "seconds": round(time.perf_counter() - started, 1),
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
