"""Training batches: crops of photographs and paintings as content, crops of the paintings as the style.

Content crops come at random scales (multi-scale training, so strokes hold up across output sizes)
and their colours are jittered before the renderer sees them (hue turned, chroma and lightness
changed, sometimes greyscale): the renderer cannot copy the input's colours and must learn the
painter's. Crops taken from the paintings are also degraded (detail removed) and keep the original
crop as a reconstruction target: the painting-pairs of the issue, at low weight.
Every batch is a function of (seed, step), so a resumed run sees the same batches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .colour import oklab_to_srgb, srgb_to_oklab
from .images import pil_to_tensor


def _fit_long_side(image: Image.Image, long_side: int, min_short: int) -> torch.Tensor:
    width, height = image.size
    scale = long_side / max(width, height)
    scale = max(scale, min_short / min(width, height))
    size = (max(min_short, round(width * scale)), max(min_short, round(height * scale)))
    return pil_to_tensor(image.resize(size, Image.Resampling.LANCZOS))


@dataclass
class Batch:
    inputs: torch.Tensor  # (B, 3, S, S) colour-jittered content the renderer sees
    references: torch.Tensor  # (B, 3, S, S) same crops, jittered but not degraded (content target)
    targets: torch.Tensor  # (B, 3, S, S) the painting crop for painting-derived items (see `from_painting`)
    from_painting: torch.Tensor  # (B,) bool
    paintings: torch.Tensor  # (B, 3, S, S) real painting crops for the discriminator


class TrainingData:
    def __init__(
        self,
        paintings: list[Image.Image],
        photos: list[Image.Image],
        *,
        crop: int = 128,
        painting_size: int = 512,
        photo_size: int = 640,
    ):
        if not paintings:
            raise ValueError("at least one painting is needed")
        self.crop = crop
        self.paintings = [_fit_long_side(p, painting_size, crop) for p in paintings]
        self.photos = [_fit_long_side(p, photo_size, crop) for p in photos]
        self.content = self.photos + self.paintings

    def _random_crop(
        self, image: torch.Tensor, rng: np.random.Generator, scale_range: tuple[float, float]
    ) -> torch.Tensor:
        _, height, width = image.shape
        side = int(self.crop * rng.uniform(*scale_range))
        side = max(16, min(side, height, width))
        y = int(rng.integers(0, height - side + 1))
        x = int(rng.integers(0, width - side + 1))
        patch = image[:, y : y + side, x : x + side]
        if rng.random() < 0.5:
            patch = patch.flip(2)
        if side != self.crop:
            patch = F.interpolate(
                patch[None], size=(self.crop, self.crop), mode="bilinear", antialias=True, align_corners=False
            )[0]
        return patch.clamp(0, 1)

    def painting_crops(
        self, rng: np.random.Generator, count: int, scale_range: tuple[float, float] = (0.8, 1.25)
    ) -> torch.Tensor:
        picks = rng.integers(0, len(self.paintings), size=count)
        return torch.stack([self._random_crop(self.paintings[i], rng, scale_range) for i in picks])

    def batch(self, seed: int, step: int, size: int) -> Batch:
        rng = np.random.default_rng([seed, step])
        inputs, references, targets, from_painting = [], [], [], []
        for _ in range(size):
            index = int(rng.integers(0, len(self.content)))
            is_painting = index >= len(self.photos)
            crop = self._random_crop(self.content[index], rng, (0.75, 2.5))
            jittered = jitter_colours(crop, rng)
            references.append(jittered)
            inputs.append(remove_detail(jittered, rng) if is_painting else jittered)
            targets.append(crop)
            from_painting.append(is_painting)
        return Batch(
            inputs=torch.stack(inputs),
            references=torch.stack(references),
            targets=torch.stack(targets),
            from_painting=torch.tensor(from_painting),
            paintings=self.painting_crops(rng, size),
        )


def jitter_colours(image: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """Turn the hue, scale chroma and bend lightness in OKLab; sometimes drop the colour entirely."""
    lab = srgb_to_oklab(image.permute(1, 2, 0).double())
    lightness, ab = lab[..., :1], lab[..., 1:]
    if rng.random() < 0.15:
        ab = ab * 0.0
    else:
        angle = rng.uniform(-math.pi, math.pi)
        rotation = torch.tensor(
            [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], dtype=lab.dtype
        )
        ab = ab @ rotation.T * rng.uniform(0.4, 1.6)
    lightness = lightness.clamp(0, 1) ** rng.uniform(0.7, 1.4)
    lightness = (lightness - 0.5) * rng.uniform(0.7, 1.3) + 0.5 + rng.uniform(-0.1, 0.1)
    return oklab_to_srgb(torch.cat([lightness, ab], dim=-1)).permute(2, 0, 1).float().contiguous()


def remove_detail(image: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """A rough version of a painting crop: downsampled, smoothed and quantized to few levels."""
    factor = int(rng.integers(2, 5))
    small = F.avg_pool2d(image[None], factor)
    rough = F.interpolate(small, size=image.shape[1:], mode="bilinear", align_corners=False)[0]
    levels = int(rng.integers(6, 16))
    return (torch.round(rough * levels) / levels).clamp(0, 1)


# Public-domain / CC0 photographs from scikit-image's sample data (see resources/paint/LICENSES.md):
# content for training; chelsea and coffee are kept out of training for the measurements.
TRAINING_PHOTOS = ("astronaut", "rocket", "retina")
HELD_OUT_PHOTOS = ("chelsea", "coffee")


def shipped_photos(names: tuple[str, ...] = TRAINING_PHOTOS) -> list[Image.Image]:
    from ..resources import resource

    folder = resource("paint", "photos")
    return [Image.open(folder / f"{name}.jpg").convert("RGB") for name in names]
