"""Optimisation-based style transfer (Gatys et al., 2016): the slow "best quality" reference for the renderer.

The picture's pixels are optimised so that its VGG16 Gram and mean/std statistics match the painter's
(the same `StyleTargets` the renderer is trained against) while its conv3_1 features stay close to the
input's. Minutes on a CPU instead of the renderer's fraction of a second; the benchmarks use it as the
quality target, and users get it as "Best quality" (the Paint tab's check box, `atelier paint --best`),
against targets computed once from the style's paintings and saved beside the style.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from ..jobs import Event, Progress, Result, check_cancelled
from .images import pil_to_tensor, tensor_to_pil
from .losses import StyleTargets, compute_style_targets, content_loss, style_loss
from .style import reference_path
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
    preview_every: int = 0,
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
        preview = None
        if preview_every and (step + 1) % preview_every == 0 and step + 1 < steps:
            preview = tensor_to_pil(pixels.detach()[0].clamp(0, 1))
        yield Progress((step + 1) / steps, f"step {step + 1}/{steps}: loss {loss.item():.3f}", preview)
    yield Result(tensor_to_pil(pixels.detach()[0].clamp(0, 1)))


# "Best quality" in the app and the CLI: the same optimisation, against targets saved beside the style.

TARGETS_KIND = "gatys-targets"
WORK_SIDE = 512  # the long side it paints at on a CPU; bigger results are upscaled from it
BEST_STEPS = 100


def targets_path_for(style_path: str | os.PathLike) -> Path:
    return reference_path(style_path, ".gatys.safetensors")


def write_gatys_targets(
    style_path: str | os.PathLike, paintings: list[Image.Image], vgg: VGGFeatures | None = None
) -> Path:
    targets = painting_targets(vgg or VGGFeatures(), paintings)
    path = targets_path_for(style_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {name: value.to(torch.float16) for name, value in targets.to_tensors().items()}
    save_checkpoint(
        path,
        tensors,
        kind=TARGETS_KIND,
        hyperparameters={"layers": STYLE_LAYERS},
        training={"paintings": len(paintings)},
    )
    return path


def load_gatys_targets(style_path: str | os.PathLike) -> StyleTargets | None:
    """The style's saved targets, or None when it has none (styles trained before this version)."""
    path = targets_path_for(style_path)
    if not path.exists():
        return None
    checkpoint = load_checkpoint(path, kind=TARGETS_KIND)
    targets = StyleTargets.from_tensors({name: value.float() for name, value in checkpoint.tensors.items()})
    if set(targets.grams) != set(STYLE_LAYERS):
        raise CheckpointError(f"{path.name} was written for other layers: train the style again.")
    return targets


def best_quality_job(
    image: Image.Image,
    targets: StyleTargets,
    vgg: VGGFeatures,
    *,
    steps: int | None = None,
    preview_every: int = 10,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """Paint `image` by optimisation at up to WORK_SIDE px (BEST_STEPS steps unless told), with a preview
    every few steps; the Result is the painting at the image's own size."""
    steps = steps or BEST_STEPS
    scale = min(1.0, WORK_SIDE / max(image.size))
    work = image.convert("RGB").resize(
        (max(16, round(image.width * scale)), max(16, round(image.height * scale))), Image.Resampling.LANCZOS
    )
    result = None
    for event in gatys_job(work, targets, vgg, steps=steps, cancel=cancel, preview_every=preview_every):
        if isinstance(event, Result):
            result = event.value
        else:
            yield event
    assert result is not None
    yield Result(result.resize(image.size, Image.Resampling.LANCZOS) if result.size != image.size else result)
