"""Render a picture in a style: any size, in tiles that join without seams, seeded, with strength controls.

Two looks. "strokes" (the default) paints the picture stroke by stroke (models/paint/strokes/: the
style's learned brushwork and colour habits). "texture" is the trained feed-forward network described
below, which lays the painter's texture over the picture.

The renderer paints at the style's working resolution (long side `style.work_size` at most, so the
strokes keep the size they were learned at) and the result is upscaled to the size asked for. Work
is split into tiles that overlap by the network's receptive radius and whose origins sit on its
stride, so a tiled render equals the whole-frame render (to float rounding) and shows no seams.
The frame is first extended by its mirror image, as far as the radius, so that the pixels along its
edges are painted as interior ones: the network's own padding painted a band along the borders.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from PIL import Image

from ..jobs import Event, Progress, Result, check_cancelled, run_job
from .blending import blend_over
from .images import pil_to_tensor, tensor_to_pil
from .network import TOTAL_STRIDE, StyleRenderer, make_noise
from .palette import blend_statistics, colour_statistics, transfer_colours
from .recipe import LOOKS
from .sizes import check_output_size
from .strokes import StrokeParams, stroke_render_job
from .style import Style

DEFAULT_TILE = 512


@dataclass(frozen=True)
class RenderParams:
    strength: float = 1.0  # 0: the input as it is, 1: fully painted
    palette: float = 0.5  # 0: keep the input's colours, 1: the painter's palette
    seed: int = 0  # brushwork noise
    size: tuple[int, int] | None = None  # (width, height) of the output; None: the input's size
    tile: int = DEFAULT_TILE  # tile side at working resolution (memory, not looks)
    look: str = "strokes"  # "strokes": painted stroke by stroke; "texture": the feed-forward network
    brush_scale: float = 1.0  # strokes: 0.25 to 4 times the painter's brush sizes
    detail: float = 0.5  # strokes: 0 (broad, simplified) to 1 (fine detail)
    outline: float = 1.0  # strokes: 0 (none) to 2 times the painter's own outlining

    def checked(self) -> RenderParams:
        if not 0.0 <= self.strength <= 1.0 or not 0.0 <= self.palette <= 1.0:
            raise ValueError("strength and palette must each be between 0 and 1")
        if self.size is not None:
            check_output_size(self.size)
        if self.look not in LOOKS:
            raise ValueError(f"unknown look {self.look!r}: choose one of {', '.join(LOOKS)}")
        self.stroke_params().checked()
        return self

    def stroke_params(self) -> StrokeParams:
        return StrokeParams(
            brush_scale=self.brush_scale,
            detail=self.detail,
            outline=self.outline,
            palette=self.palette,
            seed=self.seed,
            size=self.size,
        )


def working_size(width: int, height: int, work_size: int) -> tuple[int, int]:
    """The renderer's canvas: long side at most `work_size`, each side a multiple of the stride."""
    scale = min(1.0, work_size / max(width, height))
    return (
        max(TOTAL_STRIDE * 4, round(width * scale / TOTAL_STRIDE) * TOTAL_STRIDE),
        max(TOTAL_STRIDE * 4, round(height * scale / TOTAL_STRIDE) * TOTAL_STRIDE),
    )


def tile_origins(length: int, tile: int) -> list[int]:
    """Origins of the tiles along one side: multiples of the stride, the last one ending at `length`."""
    if length <= tile:
        return [0]
    origins = list(range(0, length - tile, tile))
    origins.append(length - tile)
    return origins


def border_margin(renderer: StyleRenderer, height: int, width: int) -> int:
    """How far to extend a frame by its mirror image before painting it: the receptive radius, so that
    no output pixel sees the network's own padding; less (on the stride) where the frame is too small
    to reflect that far."""
    largest = (min(height, width) - 1) // TOTAL_STRIDE * TOTAL_STRIDE
    return min(renderer.receptive_radius, largest)


def _mirrored(tensor: torch.Tensor, margin: int) -> torch.Tensor:
    return F.pad(tensor, (margin, margin, margin, margin), mode="reflect") if margin else tensor


@torch.no_grad()
def paint_frame(renderer: StyleRenderer, rgb: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """The renderer over a whole (N, 3, H, W) frame in one pass, edges painted as interior pixels."""
    _, _, height, width = rgb.shape
    margin = border_margin(renderer, height, width)
    painted = renderer(_mirrored(rgb, margin), _mirrored(noise, margin))
    return painted[:, :, margin : margin + height, margin : margin + width]


@torch.no_grad()
def render_tiles(
    renderer: StyleRenderer,
    rgb: torch.Tensor,
    noise: torch.Tensor,
    tile: int = DEFAULT_TILE,
    cancel: threading.Event | None = None,
) -> Iterator[tuple[float, torch.Tensor | None]]:
    """`paint_frame` in tiles over (1, 3, H, W); yields (fraction done, None) then (1.0, output)."""
    _, _, height, width = rgb.shape
    if height % TOTAL_STRIDE or width % TOTAL_STRIDE or tile % TOTAL_STRIDE:
        raise ValueError(f"image and tile sides must be multiples of {TOTAL_STRIDE}")
    overlap = renderer.receptive_radius
    border = border_margin(renderer, height, width)
    output = torch.empty_like(rgb)
    rgb, noise = _mirrored(rgb, border), _mirrored(noise, border)
    rows, cols = tile_origins(height, tile), tile_origins(width, tile)
    total, done = len(rows) * len(cols), 0
    for y0 in rows:
        for x0 in cols:
            check_cancelled(cancel)
            y1, x1 = min(y0 + tile, height), min(x0 + tile, width)
            # In the mirrored frame the tile starts `border` further in; it reads `overlap` around it.
            top, left = max(0, y0 + border - overlap), max(0, x0 + border - overlap)
            bottom, right = (
                min(height + 2 * border, y1 + border + overlap),
                min(width + 2 * border, x1 + border + overlap),
            )
            painted = renderer(rgb[:, :, top:bottom, left:right], noise[:, :, top:bottom, left:right])
            output[:, :, y0:y1, x0:x1] = painted[
                :, :, y0 + border - top : y1 + border - top, x0 + border - left : x1 + border - left
            ]
            done += 1
            yield done / total, None
    yield 1.0, output


def render_job(
    style: Style,
    image: Image.Image | torch.Tensor,
    params: RenderParams = RenderParams(),
    *,
    device: torch.device | str | None = None,
    cancel: threading.Event | None = None,
    keep: torch.Tensor | None = None,
    water: torch.Tensor | None = None,
    sky: torch.Tensor | None = None,
    glow: torch.Tensor | None = None,
) -> Iterator[Event]:
    """The render as a job: Progress per tile, then Result(PIL image). `keep`: shapes the strokes keep legible
    (strokes/keep.py: an integer label map, a scene's elements); `water`: a scene's sea, lake or river, 1 on it
    (strokes/sea_grade.py); `sky`: a scene's sky, 1 on it, and `glow`: its halos, 0 to 1 (strokes/plan.py). The
    texture look has no use for them."""
    params = params.checked()
    if params.look == "strokes":
        yield from _stroke_job(style, image, params, cancel, keep, water, sky, glow)
        return
    device = torch.device(device) if device is not None else next(style.renderer.parameters()).device
    source = pil_to_tensor(image) if isinstance(image, Image.Image) else image.float().clamp(0, 1)
    out_w, out_h = params.size or (source.shape[2], source.shape[1])
    work_w, work_h = working_size(out_w, out_h, style.work_size)
    canvas = F.interpolate(source[None], size=(work_h, work_w), mode="bicubic", antialias=True, align_corners=False)
    canvas = canvas.clamp(0, 1)[0]

    input_stats = colour_statistics(canvas)
    target_stats = blend_statistics(input_stats, style.palette.moments(), params.palette)
    noise = make_noise(work_h, work_w, params.seed, device)
    renderer = style.renderer.to(device)
    painted = None
    for fraction, output in render_tiles(renderer, canvas[None].to(device), noise, params.tile, cancel):
        yield Progress(0.9 * fraction, "painting")
        painted = output
    assert painted is not None
    painted = transfer_colours(painted[0].cpu(), *target_stats)
    if params.strength < 1.0:
        recoloured = transfer_colours(canvas, *target_stats, source=input_stats)
        painted = torch.lerp(recoloured, painted, params.strength)
    result = tensor_to_pil(painted)
    if result.size != (out_w, out_h):
        result = result.resize((out_w, out_h), Image.Resampling.BICUBIC)
    yield Progress(1.0, "done")
    yield Result(result)


def _stroke_job(
    style: Style,
    image: Image.Image | torch.Tensor,
    params: RenderParams,
    cancel: threading.Event | None,
    keep: torch.Tensor | None = None,
    water: torch.Tensor | None = None,
    sky: torch.Tensor | None = None,
    glow: torch.Tensor | None = None,
) -> Iterator[Event]:
    """The stroke renderer (on the CPU; it is vectorised, not a network), blended with the input by strength."""
    painted = None
    stroke_params = params.stroke_params()
    maps = {"keep": keep, "water": water, "sky": sky, "glow": glow}
    job = stroke_render_job(style.stroke_style, image, stroke_params, **maps, cancel=cancel)
    for event in job:
        if isinstance(event, Result):
            painted = event.value
        else:
            yield event
    assert painted is not None
    if params.strength < 1.0:
        source = image if isinstance(image, Image.Image) else tensor_to_pil(image)
        painted = blend_over(source, painted, params.strength)
    yield Result(painted)


def render_in_style(
    style: Style,
    image: Image.Image | torch.Tensor,
    params: RenderParams = RenderParams(),
    *,
    device: torch.device | str | None = None,
    cancel: threading.Event | None = None,
) -> Image.Image:
    """Paint `image` in `style` and return the result as a PIL RGB image of the requested size."""
    return run_job(render_job(style, image, params, device=device, cancel=cancel))
