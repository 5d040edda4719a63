"""Validate the style-match measure before using it: leave-one-painting-out ranking on the shipped paintings.

For each Van Gogh painting held out, the reference is the other six: does the held-out painting come
closer than every photograph and every other painter's painting? For the one-painting styles the
painting is split in two (left half reference, right half held out). Prints JSON. Compares against
a plain whole-image Gram distance on VGG16 features (the measure that failed).

    python bench/style_measure_validation.py > bench/results/style_measure_validation.json
    python bench/style_measure_validation.py --features random > bench/results/style_measure_validation_random.json

--features random describes the crops with a random-weight CNN instead of VGG16 (bench/random_texture.py):
the cross-check measure of bench/style_quality.py, validated the same way.

"perturbation" is the check that a faint per-pixel pattern does not count as painting: each photograph,
at the measure's own scale, against each style's paintings, as it is and with Gaussian noise of 0.02
added (about what one Gatys step adds, which fooled an earlier version of the quality bench).
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

from random_texture import RandomTextureFeatures  # noqa: E402

from models.paint.images import pil_to_tensor  # noqa: E402
from models.paint.measure import SCALE_LONG_SIDE, StyleReference  # noqa: E402
from models.paint.vgg import VGGFeatures, gram_matrix  # noqa: E402
from models.resources import resources_dir  # noqa: E402

ART = resources_dir() / "paint" / "art"
PHOTOS = resources_dir() / "paint" / "photos"
SINGLE = ["hokusai_the-great-wave.jpg", "munch_the-scream.jpg", "turner_the-wreck-of-a-transport-ship.jpg"]
PAINTERS = ("van-gogh", "hokusai", "munch", "turner")
FAINT_NOISE = 0.02


def load(path: Path) -> Image.Image:
    image = Image.open(path).convert("RGB")
    scale = 768 / max(image.size)
    return image.resize((round(image.size[0] * scale), round(image.size[1] * scale)), Image.Resampling.LANCZOS)


def halves(image: Image.Image) -> tuple[Image.Image, Image.Image]:
    width, height = image.size
    return image.crop((0, 0, width // 2, height)), image.crop((width // 2, 0, width, height))


@torch.no_grad()
def gram_descriptor(vgg: VGGFeatures, image: Image.Image) -> np.ndarray:
    picture = pil_to_tensor(image.resize((256, 256)))[None]
    features = vgg(picture, ["conv1_1", "conv2_1", "conv3_1", "conv4_1"])
    return np.concatenate([gram_matrix(f)[0].flatten().numpy() for f in features.values()])


def at_measure_scale(image: Image.Image) -> torch.Tensor:
    scale = SCALE_LONG_SIDE / max(image.size)
    size = (round(image.size[0] * scale), round(image.size[1] * scale))
    return pil_to_tensor(image.resize(size, Image.Resampling.LANCZOS))


def with_faint_noise(picture: torch.Tensor, seed: int) -> torch.Tensor:
    """A per-pixel pattern that leaves the picture looking unchanged."""
    noise = torch.randn(picture.shape, generator=torch.Generator().manual_seed(seed)) * FAINT_NOISE
    return (picture + noise).clamp(0, 1)


def perturbation(describe, paintings: dict[str, Image.Image], photos: dict[str, Image.Image]) -> dict:
    """Per painter: how far faint noise moves the photographs towards the paintings."""
    pictures = [at_measure_scale(im) for im in photos.values()]
    rows = {}
    for painter in PAINTERS:
        own = [im for n, im in paintings.items() if n.startswith(painter) and not n.endswith("_large.jpg")]
        reference = StyleReference.from_pictures(describe, own)
        clean = [reference.distance(describe, picture) for picture in pictures]
        noisy = [reference.distance(describe, with_faint_noise(picture, i)) for i, picture in enumerate(pictures)]
        rows[painter] = {
            "photographs": [round(d, 3) for d in clean],
            "with_faint_noise": [round(d, 3) for d in noisy],
            "largest_drop": round(max((c - n) / c for c, n in zip(clean, noisy, strict=True)), 3),
        }
    return rows


def ranking(same: list[float], others: list[float]) -> float:
    """Fraction of (same-painter, other) pairs where the same painter is closer (1.0 = perfect, 0.5 = chance)."""
    return float(np.mean([s < o for s in same for o in others]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", choices=["vgg", "random"], default="vgg", help="what describes the crops")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    vgg = VGGFeatures()
    describe = RandomTextureFeatures() if args.features == "random" else vgg
    paintings = {p.name: load(p) for p in sorted(ART.glob("*.jpg"))}
    photos = {p.name: load(p) for p in sorted(PHOTOS.glob("*.jpg"))}
    van_gogh = [n for n in paintings if n.startswith("van-gogh") and not n.endswith("_large.jpg")]
    features = "VGG conv1_1-conv3_1" if args.features == "vgg" else "random-weight CNN (3 stages)"
    results: dict = {"measure": f"band-passed texture crops, {features} mean/std, RMS z-score", "cases": []}
    measure_ranks, gram_ranks = [], []

    def evaluate(label: str, reference_images: list[Image.Image], held_out: Image.Image, excluded: set[str]) -> None:
        reference = StyleReference.from_pictures(describe, reference_images)
        others_p = {n: reference.distance(describe, im) for n, im in paintings.items() if n not in excluded}
        others_f = {n: reference.distance(describe, im) for n, im in photos.items()}
        same = reference.distance(describe, held_out)
        gram_ref = np.mean([gram_descriptor(vgg, im) for im in reference_images], axis=0)
        gram = lambda im: float(np.linalg.norm(gram_descriptor(vgg, im) - gram_ref))  # noqa: E731
        gram_same = gram(held_out)
        gram_others = [gram(im) for n, im in paintings.items() if n not in excluded] + [
            gram(im) for im in photos.values()
        ]
        measure_ranks.append(ranking([same], list(others_p.values()) + list(others_f.values())))
        gram_ranks.append(ranking([gram_same], gram_others))
        results["cases"].append(
            {
                "held_out": label,
                "distance_same_painter": round(same, 3),
                "median_distance_other_painters": round(float(np.median(list(others_p.values()))), 3),
                "median_distance_photographs": round(float(np.median(list(others_f.values()))), 3),
                "closest_non_painter": min({**others_p, **others_f}.items(), key=lambda kv: kv[1])[0],
                "ranking_measure": round(measure_ranks[-1], 3),
                "ranking_whole_image_gram": round(gram_ranks[-1], 3),
            }
        )

    for name in van_gogh:
        reference = [paintings[n] for n in van_gogh if n != name]
        evaluate(name, reference, paintings[name], set(van_gogh) | {"van-gogh_the-starry-night_large.jpg"})
    for name in SINGLE:
        left, right = halves(paintings[name])
        painter = name.split("_")[0]
        evaluate(f"{name} (right half vs left half)", [left], right, {n for n in paintings if n.startswith(painter)})
    results["mean_ranking_measure"] = round(float(np.mean(measure_ranks)), 3)
    results["mean_ranking_whole_image_gram"] = round(float(np.mean(gram_ranks)), 3)
    results["perfect_cases_measure"] = int(sum(r == 1.0 for r in measure_ranks))
    results["cases_total"] = len(measure_ranks)
    results["perturbation"] = perturbation(describe, paintings, photos)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
