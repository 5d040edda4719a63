"""The "style match" measure: how close a picture's brushwork is to a painter's, with colour and content taken out.

Plain measures fail on our paintings (a sliced Wasserstein distance on Laplacian patches and a Gram
distance on whole images put photographs as close to Van Gogh as his own paintings: colour and
content dominate). This one looks only at band-passed texture: small crops at a fixed scale, turned
to lightness, high-passed (a blurred copy subtracted) and contrast-normalised, then described by the
mean and spread of VGG16 conv1_1, conv2_1 and conv3_1 responses. A picture's distance to a style is
the root-mean-square z-score of its descriptor against the style's paintings' crops.
bench/style_measure_validation.py checks the ranking leave-one-painting-out.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ..files import atomic_write_bytes
from .images import pil_to_tensor
from .style import reference_path
from .vgg import VGGFeatures, mean_std

LAYERS = ["conv1_1", "conv2_1", "conv3_1"]
SCALE_LONG_SIDE = 512  # pictures are compared at the renderer's working scale
CROP = 96


def _gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = int(3 * sigma)
    positions = torch.arange(-radius, radius + 1, dtype=x.dtype)
    kernel = torch.exp(-(positions**2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    channels = x.shape[1]
    x = F.pad(x, (radius, radius, radius, radius), mode="reflect")
    x = F.conv2d(x, kernel.view(1, 1, 1, -1).repeat(channels, 1, 1, 1), groups=channels)
    return F.conv2d(x, kernel.view(1, 1, -1, 1).repeat(channels, 1, 1, 1), groups=channels)


MIN_MEASURED_SIDE = 32  # px at the measuring scale: the high-pass blur needs room, and a crop some texture


def measurable(size: tuple[int, int]) -> bool:
    """Whether a picture of (width, height) is wide and tall enough to measure (16384 x 8 is not)."""
    return min(size) * SCALE_LONG_SIDE / max(size) >= MIN_MEASURED_SIDE


def band_passed_crops(image: Image.Image | torch.Tensor, count: int, seed: int, crop: int = CROP) -> torch.Tensor:
    """(count, 3, crop, crop) lightness texture of random crops, high-passed and contrast-normalised."""
    size = image.size if isinstance(image, Image.Image) else (image.shape[2], image.shape[1])
    if not measurable(size):
        raise ValueError(f"a {size[0]}x{size[1]} picture is too narrow to measure its brushwork")
    if isinstance(image, Image.Image) and max(image.size) >= 4 * SCALE_LONG_SIDE:
        # A huge painting (up to 16384 px a side) would take 3 GB as float pixels: shrink it first by a
        # whole factor (a box filter, no more memory than the result) to 2-4x the scale measured at.
        image = image.reduce(max(image.size) // (2 * SCALE_LONG_SIDE))
    picture = pil_to_tensor(image) if isinstance(image, Image.Image) else image
    scale = SCALE_LONG_SIDE / max(picture.shape[1:])
    picture = F.interpolate(picture[None], scale_factor=scale, mode="bilinear", antialias=True, align_corners=False)
    lightness = (picture * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, keepdim=True)
    texture = lightness - _gaussian_blur(lightness, 4.0)
    rng = np.random.default_rng(seed)
    _, _, height, width = texture.shape
    side = min(crop, height, width)
    crops = []
    for _ in range(count):
        y, x = int(rng.integers(0, height - side + 1)), int(rng.integers(0, width - side + 1))
        patch = texture[:, :, y : y + side, x : x + side]
        patch = patch / patch.std().clamp_min(1e-3) * 0.15 + 0.5
        crops.append(patch.repeat(1, 3, 1, 1))
    return torch.cat(crops)


@torch.no_grad()
def crop_descriptors(vgg: VGGFeatures, image: Image.Image | torch.Tensor, count: int = 24, seed: int = 0) -> np.ndarray:
    """(count, D) texture descriptors of random crops of one picture."""
    features = vgg(band_passed_crops(image, count, seed), LAYERS)
    parts = []
    for layer in LAYERS:
        mean, std = mean_std(features[layer])
        parts += [torch.log1p(mean), torch.log1p(std)]
    return torch.cat(parts, dim=1).double().numpy()


@dataclass
class StyleReference:
    mean: np.ndarray
    spread: np.ndarray

    @classmethod
    def from_pictures(
        cls, vgg: VGGFeatures, pictures: list[Image.Image | torch.Tensor], crops_each: int = 24
    ) -> StyleReference:
        descriptors = np.concatenate([crop_descriptors(vgg, p, crops_each, seed=i) for i, p in enumerate(pictures)])
        return cls(mean=descriptors.mean(0), spread=descriptors.std(0) + 1e-3)

    def distance(self, vgg: VGGFeatures, picture: Image.Image | torch.Tensor, crops: int = 24, seed: int = 99) -> float:
        """Root-mean-square z-score of the picture's mean crop descriptor: 0 is the painter's own average."""
        descriptor = crop_descriptors(vgg, picture, crops, seed).mean(0)
        return float(np.sqrt((((descriptor - self.mean) / self.spread) ** 2).mean()))


def style_match_score(distance: float, same_painter: float, photographs: float) -> float:
    """0-100 for users: 100 at the painter's own held-out paintings' distance, 0 at a photograph's."""
    return float(np.clip(100.0 * (photographs - distance) / max(photographs - same_painter, 1e-6), 0.0, 100.0))


MATCH_FORMAT = 1


def match_path_for(style_path: str | os.PathLike) -> Path:
    return reference_path(style_path, ".match.json")


@dataclass
class StyleMatch:
    """A style's reference texture statistics and the two distances that anchor its 0-100 score: the
    painter's own held-out paintings (100) and photographs (0)."""

    reference: StyleReference
    same_painter: float
    photographs: float

    def score(self, vgg: VGGFeatures, picture: Image.Image | torch.Tensor) -> tuple[float, float]:
        """(distance, score) of a picture."""
        distance = self.reference.distance(vgg, picture)
        return distance, style_match_score(distance, self.same_painter, self.photographs)

    def save(self, path: str | os.PathLike) -> None:
        data = {
            "format": MATCH_FORMAT,
            "measure": "band-passed texture crops, VGG16 conv1_1-conv3_1 mean/std",
            "mean": self.reference.mean.tolist(),
            "spread": self.reference.spread.tolist(),
            "same_painter": self.same_painter,
            "photographs": self.photographs,
        }
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(Path(path), json.dumps(data).encode())

    @classmethod
    def load(cls, path: str | os.PathLike) -> StyleMatch | None:
        """The saved style match, or None when there is none (or it is from another version)."""
        try:
            data = json.loads(Path(path).read_text())
            if data.get("format") != MATCH_FORMAT:
                return None
            reference = StyleReference(np.asarray(data["mean"], float), np.asarray(data["spread"], float))
            return cls(reference, float(data["same_painter"]), float(data["photographs"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def measure_style_match(
    vgg: VGGFeatures,
    paintings: list[Image.Image],
    photographs: list[Image.Image],
    max_paintings: int = 40,
    max_held_out: int = 8,
) -> StyleMatch:
    """Build a style's match from its paintings, calibrated the way bench/style_measure_validation.py
    validated the measure: each painting held out against the others (a single painting: its right half
    against its left), and photographs against all of them."""
    paintings = paintings[:max_paintings]
    if not paintings or not photographs:
        raise ValueError("a style match needs at least one painting and one photograph")
    if len(paintings) == 1:
        (painting,) = paintings
        width, height = painting.size
        left, right = painting.crop((0, 0, width // 2, height)), painting.crop((width // 2, 0, width, height))
        held_out = [StyleReference.from_pictures(vgg, [left]).distance(vgg, right)]
    else:
        descriptors = [crop_descriptors(vgg, p, 24, seed=i) for i, p in enumerate(paintings)]
        held_out = []
        for i in range(min(len(paintings), max_held_out)):
            others = np.concatenate([d for j, d in enumerate(descriptors) if j != i])
            reference = StyleReference(others.mean(0), others.std(0) + 1e-3)
            held_out.append(reference.distance(vgg, paintings[i]))
    reference = StyleReference.from_pictures(vgg, paintings)
    photo_distance = float(np.median([reference.distance(vgg, photo) for photo in photographs]))
    return StyleMatch(reference, float(np.median(held_out)), photo_distance)
