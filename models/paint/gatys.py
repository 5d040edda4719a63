"""Optimisation-based style transfer (Gatys et al., 2016): the slow "best quality" reference for the renderer.

The picture's pixels are optimised so that its VGG16 Gram and mean/std statistics match the painter's
(the same `StyleTargets` the renderer is trained against) while its conv3_1 features stay close to the
input's. Minutes on a CPU instead of the renderer's fraction of a second; the benchmarks use it as the
quality target, and it is offered as a job with progress.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import torch
from PIL import Image

from ..jobs import Event, Progress, Result, check_cancelled
from .images import pil_to_tensor, tensor_to_pil
from .losses import StyleTargets, compute_style_targets, content_loss, style_loss
from .vgg import VGGFeatures

STYLE_LAYERS = ["conv1_1", "conv2_1", "conv3_1", "conv4_1"]
CONTENT_LAYER = "conv3_1"


def painting_targets(
    vgg: VGGFeatures, paintings: list[Image.Image], crops: int = 32, crop: int = 128, seed: int = 0
) -> StyleTargets:
    rng = np.random.default_rng(seed)
    pictures = [pil_to_tensor(p.resize((512, round(512 * p.size[1] / p.size[0])))) for p in paintings]
    patches = []
    for _ in range(crops):
        picture = pictures[int(rng.integers(len(pictures)))]
        _, height, width = picture.shape
        y, x = int(rng.integers(0, height - crop + 1)), int(rng.integers(0, width - crop + 1))
        patches.append(picture[:, y : y + crop, x : x + crop])
    return compute_style_targets(vgg, torch.stack(patches), STYLE_LAYERS)


def gatys_job(
    image: Image.Image,
    targets: StyleTargets,
    vgg: VGGFeatures,
    *,
    steps: int = 150,
    style_weight: float = 5.0,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    source = pil_to_tensor(image)[None]
    with torch.no_grad():
        reference = vgg(source, [CONTENT_LAYER])
    pixels = source.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([pixels], lr=0.02)
    layers = STYLE_LAYERS
    for step in range(steps):
        check_cancelled(cancel)
        features = vgg(pixels.clamp(0, 1), layers + [CONTENT_LAYER])
        loss = style_weight * style_loss(features, targets, layers) + content_loss(features, reference, CONTENT_LAYER)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        yield Progress((step + 1) / steps, f"step {step + 1}/{steps}: loss {loss.item():.3f}")
    yield Result(tensor_to_pil(pixels.detach()[0].clamp(0, 1)))
