"""Memorization meter for painting from scratch (JSON out; not a test).

For each shipped style, 200 sampled compositions (8x8 OKLab layouts, the only part of a from-scratch
painting that is learned from the paintings' arrangement) are compared with the nearest of the
style's 400 training crops' layouts. Threshold for a near-copy: the median distance between a training
crop and its nearest *other* training crop (overlapping crops of one painting: near-duplicates by
construction). Reports the fraction of samples under it (target: under 5%).

    python bench/style_memorization.py > bench/results/style_memorization.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.paint.style import list_shipped_styles, load_style  # noqa: E402


def main() -> int:
    results = {}
    for name, path in list_shipped_styles().items():
        layout = load_style(path).layout
        if layout is None:
            continue
        training = layout.training
        pairwise = np.sqrt(((training[:, None, :] - training[None, :, :]) ** 2).mean(-1))
        np.fill_diagonal(pairwise, np.inf)
        threshold = float(np.median(pairwise.min(1)))
        distances = np.array([layout.nearest_training_distance(layout.sample(seed)) for seed in range(200)])
        results[name] = {
            "near_copy_threshold": round(threshold, 4),
            "median_distance_to_nearest_training_crop": round(float(np.median(distances)), 4),
            "min_distance": round(float(distances.min()), 4),
            "near_copies_percent": round(100.0 * float((distances < threshold).mean()), 1),
        }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
