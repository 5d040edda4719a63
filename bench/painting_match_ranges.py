"""Which bound for "inside the painter's range" holds the painter's unseen paintings and keeps the rest out?

build_scripts/stroke_sheet.py counts a render inside a painter's range when it is no further than the
median of the painter's held-out paintings (`PaintingMatch.own_paintings`). This checks that rule and
looser ones by nested leave-one-painting-out, for the painters with two or more paintings: each painting
is held out, the range and the bound come from the others only (the bound from their own leave-one-out
distances), and it counts whether the held-out painting is inside, and what share of the photographs,
texture-filtered photographs and colour blobs are. Munch and Turner have one painting: nothing to hold out.

Reads the statistics bench/painting_match_validation.py cached (run it first with the same --cache):

    python bench/painting_match_ranges.py [--cache DIR] > bench/results/painting_match_ranges.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.paint.painting_match import PainterRange  # noqa: E402
from models.resources import resources_dir  # noqa: E402

RULES = {
    "median (the sheet's rule)": lambda d: np.median(d),
    "75th percentile": lambda d: np.quantile(d, 0.75),
    "1.25 x median": lambda d: 1.25 * np.median(d),
    "largest": lambda d: d.max(),
}
BLOB_NAMES = ("flat", "soft", "readme")
PAINTERS = ("van-gogh", "hokusai")  # two or more paintings each


def held_out_distances(statistics: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    distances = []
    for name in names:
        others = np.concatenate([statistics[n] for n in names if n != name])
        distances.append(PainterRange.from_statistics(others).distance_of_statistics(statistics[name]))
    return np.array(distances)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/atelier-painting-match-cache"))
    args = parser.parse_args()
    statistics = {p.stem: np.load(p) for p in (args.cache / "statistics").glob("*.npy")}
    art = sorted(p.stem for p in (resources_dir() / "paint" / "art").glob("*.jpg") if not p.stem.endswith("_large"))
    art = [name for name in art if name.startswith(tuple(p + "_" for p in PAINTERS))]
    if not all(name in statistics for name in art):
        raise SystemExit("run bench/painting_match_validation.py with this --cache first")
    plain = [n for n in statistics if n not in art and "__" not in n and ":" not in n and not n.startswith("noisy")]
    negatives = {
        "photographs": [n for n in plain if not n.startswith(BLOB_NAMES)],
        "filtered": [n for n in statistics if "__" in n and not n.split("__")[1].startswith(BLOB_NAMES)],
        "blobs": [n for n in statistics if n.split("__")[-1].startswith(BLOB_NAMES)],
    }
    report: dict = {"negatives": {kind: len(names) for kind, names in negatives.items()}}
    for painter in PAINTERS:
        own = [n for n in art if n.startswith(painter + "_")]
        inside: dict[str, dict[str, list[float]]] = {rule: {} for rule in RULES}
        for held in own:
            rest = [n for n in own if n != held]
            painter_range = PainterRange.from_statistics(np.concatenate([statistics[n] for n in rest]))
            bounds = {rule: bound(held_out_distances(statistics, rest)) for rule, bound in RULES.items()}
            distances = {"painting": np.array([painter_range.distance_of_statistics(statistics[held])])}
            for kind, names in negatives.items():
                distances[kind] = np.array([painter_range.distance_of_statistics(statistics[n]) for n in names])
            for rule, bound in bounds.items():
                for kind, values in distances.items():
                    inside[rule].setdefault(f"{kind} inside", []).append(float((values <= bound).mean()))
        report[painter] = {
            "paintings": len(own),
            "held-out distances": {
                n.split("_", 1)[1]: round(float(d), 3)
                for n, d in zip(own, held_out_distances(statistics, own), strict=True)
            },
            "rules": {
                rule: {k: round(float(np.mean(v)), 3) for k, v in kinds.items()} for rule, kinds in inside.items()
            },
        }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
