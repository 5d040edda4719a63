"""The VGG16 trunk's input convention (BGR, 0-255, ImageNet means) is the one its features were trained with."""

from __future__ import annotations

import itertools
import statistics

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.vgg import VGGFeatures, gram_matrix
from models.resources import resources_dir

PAINTINGS = [
    "van-gogh_the-starry-night.jpg",
    "hokusai_the-great-wave.jpg",
    "munch_the-scream.jpg",
    "turner_the-wreck-of-a-transport-ship.jpg",
]
LAYERS = ["conv1_1", "conv2_1", "conv3_1", "conv4_1"]


def _crops(name: str) -> list[torch.Tensor]:
    image = Image.open(resources_dir() / "paint" / "art" / name).convert("RGB")
    width, height = image.size
    picture = pil_to_tensor(image.resize((384, round(384 * height / width))))
    return [picture[:, :128, :128], picture[:, -128:, -128:], picture[:, :128, -128:]]


def _separation(vgg: VGGFeatures, convert) -> float:
    """Median Gram distance between painters over median distance between crops of one painting."""
    grams = {}
    for name in PAINTINGS:
        grams[name] = []
        for crop in _crops(name):
            features = vgg(convert(crop)[None], LAYERS)
            grams[name].append([gram_matrix(features[layer])[0] for layer in LAYERS])

    def distance(a, b):
        return sum(
            ((x - y) ** 2).sum().item() / ((x**2).sum() * (y**2).sum()).sqrt().item() for x, y in zip(a, b, strict=True)
        )

    same = [distance(g[i], g[j]) for g in grams.values() for i, j in itertools.combinations(range(3), 2)]
    different = [
        distance(grams[a][i], grams[b][j])
        for a, b in itertools.combinations(PAINTINGS, 2)
        for i in range(3)
        for j in range(3)
    ]
    return statistics.median(different) / statistics.median(same)


@torch.no_grad()
def test_bgr_0_255_mean_subtracted_separates_painters_better_than_unscaled_input():
    vgg = VGGFeatures()

    def as_rgb_0_1(rgb: torch.Tensor) -> torch.Tensor:
        # What the trunk would see if fed [0, 1] RGB directly: undo VGGFeatures' own conversion.
        return ((rgb + vgg.means[0]) / 255.0).flip(0)

    documented = _separation(vgg, lambda rgb: rgb)
    unscaled = _separation(vgg, as_rgb_0_1)
    assert documented > 2.0  # different painters are more than twice as far apart as crops of one painting
    assert documented > 1.15 * unscaled
