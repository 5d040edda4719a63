"""Paint a picture with strokes: the stroke renderer's public entry points.

    render_strokes(image, stroke_style, StrokeParams(seed=3)) -> PIL image
    stroke_render_job(...)  # the same as a job: Progress events, then Result(PIL image)

The strokes are planned on a copy of the picture no larger than `plan_side` on its long side (the
brush sizes are fractions of the picture, so the plan is the same painting at any size), then drawn
at the size asked for, in tiles. Same seed, same parameters, same style: the same pixels.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from PIL import Image

from ...jobs import Event, Progress, Result, check_cancelled, run_job
from ..images import pil_to_tensor
from .filters import resize, to_oklab
from .keep import keep_at
from .plan import Controls, StrokePlan, plan_strokes
from .raster import DEFAULT_TILE, rasterize
from .stroke_style import StrokeStyle

PLAN_SIDE = 1024  # long side of the plan at most (memory and time; brushes scale with the picture)


@dataclass(frozen=True)
class StrokeParams:
    brush_scale: float = 1.0  # 0.25 to 4: the size of every brush
    detail: float = 0.5  # 0 (broad, simplified) to 1 (fine detail, more strokes)
    outline: float = 1.0  # 0 (none) to 2: times the painter's own outline strength
    palette: float = 0.7  # 0 keeps the picture's colours, 1 takes the painter's colour habits fully
    seed: int = 0
    size: tuple[int, int] | None = None  # (width, height) of the output; None: the input's size
    tile: int = DEFAULT_TILE  # output tile side (memory, not looks)
    plan_side: int = PLAN_SIDE

    def checked(self) -> StrokeParams:
        if not 0.25 <= self.brush_scale <= 4.0:
            raise ValueError("the brush scale must be between 0.25 and 4")
        if not 0.0 <= self.detail <= 1.0 or not 0.0 <= self.palette <= 1.0:
            raise ValueError("detail and palette strength must each be between 0 and 1")
        if not 0.0 <= self.outline <= 2.0:
            raise ValueError("the outline strength must be between 0 and 2")
        if self.size is not None and (min(self.size) < 8 or max(self.size) > 16384):
            raise ValueError("the output size must be between 8 and 16384 pixels on each side")
        if self.tile < 64 or self.plan_side < 64:
            raise ValueError("tiles and plans must be at least 64 pixels")
        return self

    def controls(self) -> Controls:
        return Controls(brush_scale=self.brush_scale, detail=self.detail, outline=self.outline, palette=self.palette)


def plan_size(width: int, height: int, plan_side: int) -> tuple[int, int]:
    """The plan's size: long side at most `plan_side`, the output's shape kept. A very thin output is
    planned larger, so that its short side keeps 8 pixels (a plan squeezed to a few pixels across would
    be stretched when drawn); that is still small: 16384 x 8 is planned at its own size."""
    scale = min(1.0, max(plan_side / max(width, height), 8 / min(width, height)))
    return max(1, round(width * scale)), max(1, round(height * scale))


def plan_for(
    style: StrokeStyle,
    source: torch.Tensor,
    params: StrokeParams,
    out_w: int,
    out_h: int,
    keep: torch.Tensor | None = None,
    water: torch.Tensor | None = None,
    sky: torch.Tensor | None = None,
    glow: torch.Tensor | None = None,
) -> StrokePlan:
    """The stroke plan for a (3, H, W) sRGB picture painted at (out_w, out_h); `keep`: an integer label map
    of shapes to keep legible (keep.py), any size, or None; `water`: a scene's water (sea_grade.py), 1 on it and
    0 off it, any size, or None; `sky`: a scene's sky, the same way, and `glow` its halos, 0 to 1 (plan.py)."""
    plan_w, plan_h = plan_size(out_w, out_h, params.plan_side)
    picture = resize(source, plan_h, plan_w).clamp(0, 1)
    generator = torch.Generator().manual_seed(params.seed)
    kept = None if keep is None else keep_at(keep, plan_h, plan_w)
    wet = None if water is None else resize(water[None].float(), plan_h, plan_w)[0].clamp(0, 1)
    open_sky = None if sky is None else resize(sky[None].float(), plan_h, plan_w)[0].clamp(0, 1)
    halos = None if glow is None else resize(glow[None].float(), plan_h, plan_w)[0].clamp(0, 1)
    return plan_strokes(to_oklab(picture), style, params.controls(), generator, kept, wet, open_sky, halos)


def stroke_render_job(
    style: StrokeStyle,
    image: Image.Image | torch.Tensor,
    params: StrokeParams = StrokeParams(),
    *,
    keep: torch.Tensor | None = None,
    water: torch.Tensor | None = None,
    sky: torch.Tensor | None = None,
    glow: torch.Tensor | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """The render as a job: Progress while planning and per tile, then Result(PIL image). `keep`: shapes to
    keep legible (keep.py: an integer label map, 0 where the style is free), or None; `water`, `sky`, `glow`: a
    scene's water (sea_grade.py), sky and halos (plan.py), or None."""
    params = params.checked()
    source = pil_to_tensor(image) if isinstance(image, Image.Image) else image.float().clamp(0, 1).cpu()
    out_w, out_h = params.size or (source.shape[2], source.shape[1])
    yield Progress(0.0, "planning strokes")
    with torch.no_grad():
        plan = plan_for(style, source, params, out_w, out_h, keep=keep, water=water, sky=sky, glow=glow)
        del source  # the plan holds what the painting needs; a 4,096-px picture's floats are 200 MB
        check_cancelled(cancel)
        yield Progress(0.5, f"painting {plan.count} strokes")
        painted = None
        drawn = rasterize(plan, style, out_h, out_w, params.seed, params.tile, cancel, as_picture=True)
        for fraction, output in drawn:
            yield Progress(0.5 + 0.5 * fraction, f"painting {plan.count} strokes")
            painted = output
    assert isinstance(painted, Image.Image)
    yield Result(painted)


def render_strokes(
    image: Image.Image | torch.Tensor,
    style: StrokeStyle,
    params: StrokeParams = StrokeParams(),
    *,
    cancel: threading.Event | None = None,
) -> Image.Image:
    """Paint `image` with strokes in `style`; a PIL RGB image of the requested size."""
    return run_job(stroke_render_job(style, image, params, cancel=cancel))
