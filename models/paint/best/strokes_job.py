"""Best quality with strokes: the stroke plan optimised toward the painter's statistics and the input's content.

The stroke renderer plans a painting (models/paint/strokes/); here every stroke's colour, position
and width become tensors, drawn by the soft stand-in (soft_strokes.py) at a working size, and Adam
moves them so that the picture's VGG16 statistics come closer to the painter's (the Gram and mean/std
targets saved beside the style, the ones the pixel optimisation in gatys.py uses) while its conv3_1
features stay close to the input's. The losses are computed on the real rasteriser's picture of the
moved plan and their gradients flow through the stand-in (straight through): the stand-in has no
bristles, relief or crisp edges, and with the losses on it the optimiser gave it the painter's texture
and the real strokes overshot (Van Gogh, the cat: the real picture's style loss rose 0.33 -> 0.61 at
384 px while the stand-in's fell; straight through it falls 0.33 -> 0.09). The painting is drawn by the
real rasteriser from the moved plan. The first picture shown is the plain stroke render, a few seconds
in; previews follow every few steps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from PIL import Image

from ...adam import Adam
from ...jobs import Event, Progress, Result, check_cancelled
from ..images import pil_to_tensor, tensor_to_pil
from ..losses import StyleTargets, content_loss, style_loss
from ..strokes import StrokeParams, StrokeStyle
from ..strokes.plan import StrokePlan
from ..strokes.raster import rasterize
from ..strokes.render import plan_for
from ..vgg import VGGFeatures
from .soft_strokes import StrokeChanges, clamp_changes, layers_of, soft_render

WORK_SIDE = 384  # long side of the soft render the losses look at
PREVIEW_SIDE = 512  # previews are drawn by the real rasteriser at most this large
MIRROR = 16  # pixels of mirror image around the soft render before VGG sees it
# Ten steps: the picture stops changing by then. Traced at 512 px (the README's cat, Van Gogh and Munch, one
# thread): the style loss at full size was within 1% of step 20's after step 10 (0.1996 / 0.2003, 0.483 /
# 0.479), the painter match about the same (0.75 / 0.85, 4.83 / 4.79), and by eye step 10 and step 20 are the same
# painting; twice the rates for those ten steps overshot (content loss 1.89 / 1.80). A step is ~1.9 CPU seconds.
STEPS = 10
PREVIEW_EVERY = 3
STYLE_LAYERS = ["conv1_1", "conv2_1", "conv3_1"]  # conv4_1's large structure is the strokes' own
CONTENT_LAYER = "conv3_1"
STYLE_WEIGHT = 5.0
RATES = {"colour": 0.015, "shift": 0.4, "log_width": 0.08}  # OKLab units, plan pixels, log2 width per step


def _fit(width: int, height: int, side: int) -> tuple[int, int]:
    scale = min(1.0, side / max(width, height))
    return max(16, round(width * scale)), max(16, round(height * scale))


def _mirrored(picture: torch.Tensor) -> torch.Tensor:
    """The picture extended by its mirror image, so that VGG's zero padding does not reach it: without it
    the losses pulled the strokes along the edges to saturated colours (the fringe Gatys pictures have)."""
    margin = min(MIRROR, min(picture.shape[-2:]) - 1)
    return F.pad(picture, (margin,) * 4, mode="reflect")


def _resized(picture: torch.Tensor, height: int, width: int) -> torch.Tensor:
    size = (height, width)
    return F.interpolate(picture[None], size=size, mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)


def draw(plan: StrokePlan, style: StrokeStyle, size: tuple[int, int], seed: int) -> torch.Tensor:
    """The plan drawn by the real rasteriser at (width, height): (3, H, W) sRGB."""
    painted = None
    with torch.no_grad():
        for _, output in rasterize(plan, style, size[1], size[0], seed):
            painted = output
    assert isinstance(painted, torch.Tensor)
    return painted


def draw_picture(plan: StrokePlan, style: StrokeStyle, size: tuple[int, int], seed: int, tile: int) -> Image.Image:
    """The plan drawn at (width, height) as an RGB picture, each tile rounded as it is drawn (the same pixels
    as `tensor_to_pil(draw(...))`): the largest painting, 16,384 px a side, holds one 1 GB picture, not
    3.2 GB of floats and the copies converting them."""
    painted = None
    with torch.no_grad():
        for _, output in rasterize(plan, style, size[1], size[0], seed, tile, as_picture=True):
            painted = output
    assert isinstance(painted, Image.Image)
    return painted


def best_strokes_job(
    picture: Image.Image,
    style: StrokeStyle,
    params: StrokeParams,
    targets: StyleTargets,
    vgg: VGGFeatures,
    *,
    steps: int | None = None,
    preview_every: int | None = None,
    cancel: threading.Event | None = None,
    keep: torch.Tensor | None = None,
    water: torch.Tensor | None = None,
    sky: torch.Tensor | None = None,
    glow: torch.Tensor | None = None,
) -> Iterator[Event]:
    """Progress (with previews), then Result(PIL image) at `params.size` (or the picture's size).
    `steps` optimisation steps (STEPS unless told), a preview every `preview_every` (PREVIEW_EVERY unless told).
    `keep`, `water`, `sky`, `glow`: a scene's maps, as the renderer takes them (strokes/render.plan_for)."""
    params = params.checked()
    steps = steps or STEPS
    preview_every = PREVIEW_EVERY if preview_every is None else preview_every
    source = pil_to_tensor(picture.convert("RGB"))
    out_w, out_h = params.size or (source.shape[2], source.shape[1])
    preview_size = _fit(out_w, out_h, PREVIEW_SIDE)
    yield Progress(0.0, "planning strokes")
    with torch.no_grad():
        plan = plan_for(style, source, params, out_w, out_h, keep=keep, water=water, sky=sky, glow=glow)
    check_cancelled(cancel)
    plain = draw(plan, style, preview_size, params.seed)
    yield Progress(0.05, f"{plan.count} strokes planned", tensor_to_pil(plain))

    work_w, work_h = _fit(plan.width, plan.height, WORK_SIDE)
    layers = layers_of(plan)
    changes = StrokeChanges.none(plan.count)
    with torch.no_grad():
        reference = vgg(_mirrored(_resized(source, work_h, work_w)), [CONTENT_LAYER])
    for tensor in changes.parameters():
        tensor.requires_grad_(True)
    # not torch.optim.Adam: its first use imports torch._dynamo, 90 MB that would stay (models/adam.py)
    optimiser = Adam(
        [{"params": [getattr(changes, name)], "lr": rate} for name, rate in RATES.items()], betas=(0.9, 0.99)
    )
    for step in range(steps):
        check_cancelled(cancel)
        soft = soft_render(plan, layers, changes, work_h, work_w)
        with torch.no_grad():
            real = draw(changes.applied(plan), style, (work_w, work_h), params.seed)
        # Straight through: the losses see the real strokes, the gradients come from the stand-in.
        features = vgg(_mirrored((soft + (real - soft).detach())[None]), STYLE_LAYERS)
        loss = STYLE_WEIGHT * style_loss(features, targets, STYLE_LAYERS) + content_loss(
            features, reference, CONTENT_LAYER
        )
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        clamp_changes(changes, plan)
        preview = None
        if preview_every and (step + 1) % preview_every == 0 and step + 1 < steps:
            preview = tensor_to_pil(draw(changes.applied(plan), style, preview_size, params.seed))
        yield Progress(0.05 + 0.85 * (step + 1) / steps, f"step {step + 1} of {steps}", preview, loss=loss.item())
    check_cancelled(cancel)
    yield Progress(0.9, "painting the optimised strokes")
    yield Result(draw_picture(changes.applied(plan), style, (out_w, out_h), params.seed, params.tile))
