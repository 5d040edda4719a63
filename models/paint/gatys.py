"""Optimisation-based style transfer (Gatys et al., 2016): the slow "best quality" reference for the renderer.

The picture's pixels are optimised so that its VGG16 Gram and mean/std statistics match the painter's
(the same `StyleTargets` the renderer is trained against) while its conv3_1 features stay close to the
input's. Minutes on a CPU instead of the renderer's fraction of a second; the benchmarks use it as the
quality target, and users get it as "Best quality" (the Paint tab's check box, `atelier paint --best`),
coarse to fine (`best_quality_job`), against targets computed once from the style's paintings and saved
beside the style.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
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
        yield Progress((step + 1) / steps, f"step {step + 1} of {steps}", preview, loss=loss.item())
    yield Result(tensor_to_pil(pixels.detach()[0].clamp(0, 1)))


# "Best quality" in the app and the CLI: the same losses, coarse to fine, against targets saved beside the style.
# At a quarter of the size a step costs about a sixteenth as much, and the same statistics lay the painter's
# marks at four times the scale: the picture changes from the first seconds, takes the painter's larger
# structure there, and the full-size stage only adds the fine texture. 100 Adam steps at full size took
# ~10 minutes on two loaded cores and changed little in the first 40 s (issue 14); see docs/style-engine.md.

TARGETS_KIND = "gatys-targets"
WORK_SIDE = 512  # the long side it paints at on a CPU; bigger results are upscaled from it
SCHEDULE = ((0.25, 40, 0.03), (0.5, 30, 0.02), (1.0, 15, 0.01))  # (share of WORK_SIDE, steps, Adam rate)
SCHEDULE_STEPS = sum(steps for _, steps, _ in SCHEDULE)
BEST_STEPS = SCHEDULE_STEPS  # the default; a recipe's `steps` scales every stage
PREVIEW_EVERY = 5
MIN_SIDE = 32  # VGG16 to conv4_1 halves the picture three times


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


def _stages(image_size: tuple[int, int], steps: int) -> list[tuple[tuple[int, int], int, float]]:
    """((width, height), steps, rate) per stage; `steps` scales the schedule's step counts."""
    width, height = image_size
    top = min(1.0, WORK_SIDE / max(width, height))
    stages: list[tuple[tuple[int, int], int, float]] = []
    for share, stage_steps, rate in SCHEDULE:
        scale = max(top * share, MIN_SIDE / min(width, height))
        size = (max(MIN_SIDE, round(width * scale)), max(MIN_SIDE, round(height * scale)))
        if stages and size == stages[-1][0]:
            continue  # a small picture has fewer distinct scales
        stages.append((size, max(1, round(stage_steps * steps / SCHEDULE_STEPS)), rate))
    return stages


def best_quality_job(
    image: Image.Image,
    targets: StyleTargets,
    vgg: VGGFeatures,
    *,
    steps: int | None = None,
    preview_every: int = PREVIEW_EVERY,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """Paint `image` by optimisation, coarse to fine up to WORK_SIDE px (BEST_STEPS steps in all unless told),
    with a preview every few steps; the Result is the painting at the image's own size."""
    image = image.convert("RGB")
    stages = _stages(image.size, steps or BEST_STEPS)
    costs = [size[0] * size[1] * n for size, n, _ in stages]
    done = 0.0
    pixels = None
    for stage, ((width, height), stage_steps, rate) in enumerate(stages):
        source = pil_to_tensor(image.resize((width, height), Image.Resampling.LANCZOS))[None]
        with torch.no_grad():
            reference = vgg(source, [CONTENT_LAYER])
        start = source if pixels is None else F.interpolate(pixels, size=(height, width), mode="bilinear")
        pixels = start.detach().clone().requires_grad_(True)
        optimizer = torch.optim.Adam([pixels], lr=rate)
        for step in range(stage_steps):
            check_cancelled(cancel)
            features = vgg(pixels.clamp(0, 1), STYLE_LAYERS + [CONTENT_LAYER])
            loss = 5.0 * style_loss(features, targets, STYLE_LAYERS) + content_loss(features, reference, CONTENT_LAYER)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            done += costs[stage] / stage_steps
            last = stage == len(stages) - 1 and step == stage_steps - 1
            preview = None
            if preview_every and (step + 1) % preview_every == 0 and not last:
                preview = tensor_to_pil(pixels.detach()[0].clamp(0, 1)).resize(image.size, Image.Resampling.BILINEAR)
            message = f"scale {stage + 1}/{len(stages)} ({width}x{height}), step {step + 1}/{stage_steps}"
            yield Progress(done / sum(costs), message, preview)
    assert pixels is not None
    result = tensor_to_pil(pixels.detach()[0].clamp(0, 1))
    yield Result(result.resize(image.size, Image.Resampling.LANCZOS) if result.size != image.size else result)
