"""The texture measure of the training benches: how close a picture's band-passed texture is to a painter's.

It is no longer shown to users: a texture filter trained on these very VGG statistics scores as a
painting by it (issue 15), so the Paint tab's score is now the painter match of painting_match.py.
The benches that pick training copies (bench/style_quality.py, bench/style_validation.py) still use it.

Plain measures fail on our paintings (a sliced Wasserstein distance on Laplacian patches and a Gram
distance on whole images put photographs as close to Van Gogh as his own paintings: colour and
content dominate). This one looks only at band-passed texture: small crops at a fixed scale, turned
to lightness, high-passed (a blurred copy subtracted) and contrast-normalised, then described by the
mean and spread of VGG16 conv1_1, conv2_1 and conv3_1 responses. A picture's distance to a style is
the root-mean-square z-score of its descriptor against the style's paintings' crops.
bench/style_measure_validation.py checks the ranking leave-one-painting-out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .images import pil_to_tensor
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
