"""Validate the painter match before trusting it: held-out paintings against photographs, texture-filtered
photographs and colour blobs the range never saw.

Per painter, each case holds one painting out (Van Gogh and Hokusai: each painting against the others;
Munch and Turner, one painting each: the right half against the left) and asks how often the
held-out painting is closer to the painter's range than:
- photographs: the five shipped ones plus those scikit-image and scikit-learn ship (when installed:
  `pip install -e .[dev,bench]`), colour and grey;
- filtered: every photograph passed through every shipped style's feed-forward renderer (the
  texture filter the issue describes), and separately through this painter's own;
- blobs: flat and blurred random colour shapes, the README's sketch, and their filtered renders;
- noisy photographs: each photograph with faint Gaussian noise (0.02), which looks unchanged.
1.0 = always closer (perfect), 0.5 = chance. The same cases are scored with the earlier VGG texture
measure (models/paint/measure.py) for comparison. Prints JSON; failure cases name the pictures that
came closer than the held-out painting. With --with-layout the painter match is the candidate that adds
the colour-layout statistics (models/paint/colour_layout.py: hue by lightness, soft edges) to its 41 (34 before session 12).

    python bench/painting_match_validation.py > bench/results/painting_match_validation.json
    python bench/painting_match_validation.py --skip-old --with-layout > bench/results/painting_match_validation_layout.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.paint import painting_match  # noqa: E402
from models.paint.colour_layout import surface_and_layout_of_views  # noqa: E402
from models.paint.images import pil_to_tensor, tensor_to_pil  # noqa: E402
from models.paint.measure import StyleReference  # noqa: E402
from models.paint.painting_match import PainterRange  # noqa: E402
from models.paint.picture_statistics import statistics_of_views  # noqa: E402
from models.paint.render import RenderParams, render_in_style  # noqa: E402
from models.paint.style import list_shipped_styles, load_style  # noqa: E402
from models.paint.vgg import VGGFeatures  # noqa: E402
from models.resources import resources_dir  # noqa: E402

ART = resources_dir() / "paint" / "art"
PAINTERS = ("van-gogh", "hokusai", "munch", "turner")
FAINT_NOISE = 0.02
SKIMAGE_PHOTOS = ("motorcycle_left", "ihc", "hubble_deep_field", "camera", "moon", "grass", "gravel", "brick", "coins")


def fit(image: Image.Image, side: int = 512) -> Image.Image:
    image = image.convert("RGB")
    scale = side / max(image.size)
    return image.resize((round(image.size[0] * scale), round(image.size[1] * scale)), Image.Resampling.LANCZOS)


def photographs() -> dict[str, Image.Image]:
    photos = {p.stem: fit(Image.open(p)) for p in sorted((resources_dir() / "paint" / "photos").glob("*.jpg"))}
    try:
        import skimage.data

        folder = Path(skimage.data.__file__).parent
        for name in SKIMAGE_PHOTOS:
            found = sorted(folder.glob(name + ".*"))
            if found:
                photos[name] = fit(Image.open(found[0]))
    except ImportError:  # the figures are only comparable on the same photographs
        sys.exit("scikit-image is not installed, so some of the photographs are missing: make .venv/.installed-bench "
                 "(or pip install -e '.[bench]')")
    try:
        import sklearn.datasets

        for path in sorted((Path(sklearn.datasets.__file__).parent / "images").glob("*.jpg")):
            photos[path.stem] = fit(Image.open(path))
    except ImportError:  # the figures are only comparable on the same photographs
        sys.exit("scikit-learn is not installed, so some of the photographs are missing: make setup-dev")
    return photos


def blob(seed: int, flat: bool) -> Image.Image:
    """Random colour shapes, as a user might paint them (flat) or smeared (blurred)."""
    rng = np.random.default_rng(seed)
    width, height = 512, 384
    image = Image.new("RGB", (width, height), tuple(int(v) for v in rng.integers(0, 255, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(4, 12))):
        x, y = int(rng.integers(-50, width)), int(rng.integers(-50, height))
        w, h = (int(v) for v in rng.integers(40, 250, 2))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + w, y + h], fill=colour)
        else:
            points = [
                (int(rng.integers(0, width)), int(rng.integers(0, height))) for _ in range(int(rng.integers(3, 6)))
            ]
            draw.polygon(points, fill=colour)
    return image if flat else image.filter(ImageFilter.GaussianBlur(float(rng.uniform(6, 25))))


def filtered(cache: Path, style_name: str, picture_name: str, picture: Image.Image) -> Image.Image:
    """`picture` through the style's feed-forward renderer (cached: rendering is the slow part)."""
    path = cache / f"{style_name}__{picture_name}.png"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        style = load_style(list_shipped_styles()[style_name])
        fit(render_in_style(style, picture, RenderParams(look="texture"))).save(path)
    return Image.open(path).convert("RGB")


def with_faint_noise(picture: Image.Image, seed: int) -> Image.Image:
    tensor = pil_to_tensor(picture)
    noise = torch.randn(tensor.shape, generator=torch.Generator().manual_seed(seed)) * FAINT_NOISE
    return tensor_to_pil((tensor + noise).clamp(0, 1))


def halves(image: Image.Image) -> tuple[Image.Image, Image.Image]:
    width, height = image.size
    return image.crop((0, 0, width // 2, height)), image.crop((width // 2, 0, width, height))


def ranking(same: float, others: list[float]) -> float:
    return float(np.mean([same < other for other in others]))


class Measures:
    """The painter range (new) and the VGG texture distance (old), with every picture's statistics cached."""

    def __init__(self, cache: Path, with_layout: bool) -> None:
        self.vgg = VGGFeatures()
        self.cache = cache / ("statistics-layout" if with_layout else "statistics")
        self.cache.mkdir(parents=True, exist_ok=True)
        self.of_views = surface_and_layout_of_views if with_layout else statistics_of_views

    def statistics(self, name: str, picture: Image.Image) -> np.ndarray:
        path = self.cache / f"{name}.npy"
        if not path.exists():
            np.save(path, self.of_views(picture))
        return np.load(path)

    def new(self, references: dict[str, Image.Image]) -> callable:
        painter_range = PainterRange.from_statistics(
            np.concatenate([self.statistics(n, im) for n, im in references.items()])
        )
        return lambda name, picture: painter_range.distance_of_statistics(self.statistics(name, picture))

    def old(self, references: dict[str, Image.Image]) -> callable:
        reference = StyleReference.from_pictures(self.vgg, list(references.values()))
        return lambda name, picture: reference.distance(self.vgg, picture)


def cases(paintings: dict[str, Image.Image], painter: str) -> list[tuple[str, dict, str, Image.Image]]:
    """(label, reference paintings, held-out name, held-out picture) for one painter."""
    own = [n for n in paintings if n.startswith(painter)]
    if len(own) >= 2:
        return [(n, {o: paintings[o] for o in own if o != n}, n, paintings[n]) for n in own]
    left, right = halves(paintings[own[0]])
    return [(f"{own[0]} (right half vs left)", {f"{own[0]}:left": left}, f"{own[0]}:right", right)]


def bench_pictures(cache: Path) -> tuple[dict[str, Image.Image], dict[str, dict[str, Image.Image]]]:
    """The painters' paintings (at 512 px, by name) and the kinds of picture a held-out painting must rank above:
    photographs, the same through each style's texture look, colour blobs (three of them also filtered) and
    photographs with faint noise. The filtered renders are kept in `cache`."""
    paintings = {p.stem: fit(Image.open(p)) for p in sorted(ART.glob("*.jpg")) if not p.stem.endswith("_large")}
    photos = photographs()
    blobs = {f"flat{s}": blob(s, True) for s in range(6)} | {f"soft{s}": blob(100 + s, False) for s in range(6)}
    blobs["readme-sketch"] = fit(Image.open(ROOT / "docs" / "images" / "style-input-sketch.jpg"))
    styles = sorted(list_shipped_styles())
    negatives: dict[str, dict[str, Image.Image]] = {"photographs": photos, "blobs": dict(blobs)}
    negatives["filtered"] = {f"{s}__{n}": filtered(cache, s, n, im) for s in styles for n, im in photos.items()}
    for s in styles:
        for n in ("flat0", "soft0", "readme-sketch"):
            negatives["blobs"][f"{s}__{n}"] = filtered(cache, s, n, blobs[n])
    negatives["noisy photographs"] = {f"noisy {n}": with_faint_noise(im, i) for i, (n, im) in enumerate(photos.items())}
    return paintings, negatives


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("/tmp/atelier-painting-match-cache"),
        help="renders and statistics are kept here; empty it after changing the statistics",
    )
    parser.add_argument("--skip-old", action="store_true", help="leave out the VGG texture measure")
    parser.add_argument("--with-layout", action="store_true", help="the candidate: + colour-layout statistics")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    paintings, negatives = bench_pictures(args.cache)
    print(f"pictures ready after {time.perf_counter() - started:.0f} s", file=sys.stderr)
    measures = Measures(args.cache, args.with_layout)
    results: dict = {
        "measure": f"painter range over picture statistics{' and colour layout' if args.with_layout else ''}, "
        f"shrink to diagonal {painting_match.SHRINK_TO_DIAGONAL}",
        "counts": {kind: len(v) for kind, v in negatives.items()},
        "cases": [],
    }
    for painter in PAINTERS:
        for label, references, held_name, held in cases(paintings, painter):
            row: dict = {"painter": painter, "held_out": label}
            for which in ("new", "old") if not args.skip_old else ("new",):
                distance = getattr(measures, which)(references)
                same = distance(held_name, held)
                row[which] = {"held_out_distance": round(same, 3)}
                closer: list[tuple[float, str]] = []
                for kind, pictures in negatives.items():
                    if which == "old" and kind == "noisy photographs":
                        continue
                    d = {n: distance(n, im) for n, im in pictures.items()}
                    row[which][kind] = round(ranking(same, list(d.values())), 3)
                    row[which][f"median {kind}"] = round(float(np.median(list(d.values()))), 3)
                    if kind == "filtered":
                        own_style = [v for n, v in d.items() if n.startswith(painter + "__")]
                        row[which]["filtered by this painter's style"] = round(ranking(same, own_style), 3)
                    closer += [(v, n) for n, v in d.items() if v <= same]
                row[which]["closer than the held-out painting"] = [n for _, n in sorted(closer)][:8]
            results["cases"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    for which in ("new", "old") if not args.skip_old else ("new",):
        summary = {}
        for key in ("photographs", "filtered", "filtered by this painter's style", "blobs", "noisy photographs"):
            values = [c[which][key] for c in results["cases"] if key in c[which]]
            if values:
                summary[key] = {"mean": round(float(np.mean(values)), 3), "perfect": int(sum(v == 1.0 for v in values))}
        results[f"summary {which}"] = summary
    results["cases_total"] = len(results["cases"])
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
