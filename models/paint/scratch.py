"""Painting from scratch: sample a coarse composition learned from the style's paintings, then render it.

The composition model is probabilistic PCA (a linear-Gaussian VAE) over 8x8 OKLab thumbnails of
random crops of the paintings: it learns where light, dark and colour masses sit (sky over ground,
a bright centre, a dark frame) without any one painting's detail, so samples vary freely and cannot
reproduce a painting. A sampled layout is upscaled, given seeded mid-frequency variation, and painted
by the style's renderer. The nearest-training-layout distance measures how close a sample comes to a
copy (see bench/style_memorization.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .colour import oklab_to_srgb, srgb_to_oklab
from .images import pil_to_tensor
from .sizes import check_output_size

GRID = 8


@dataclass
class LayoutModel:
    mean: np.ndarray  # (GRID*GRID*3,) OKLab thumbnail, row-major, channel last
    components: np.ndarray  # (K, GRID*GRID*3) principal directions
    stds: np.ndarray  # (K,) standard deviation along each direction
    training: np.ndarray  # (N, GRID*GRID*3) the training thumbnails (for the memorization measure)

    @classmethod
    def fit(cls, paintings: list[Image.Image], crops: int = 400, components: int = 12, seed: int = 0) -> LayoutModel:
        thumbnails = layout_thumbnails(paintings, crops, seed)
        mean = thumbnails.mean(0)
        _, singular, directions = np.linalg.svd(thumbnails - mean, full_matrices=False)
        count = min(components, len(singular))
        stds = singular[:count] / np.sqrt(max(1, len(thumbnails) - 1))
        return cls(mean=mean, components=directions[:count], stds=stds, training=thumbnails)

    def sample(self, seed: int) -> np.ndarray:
        """One thumbnail (GRID, GRID, 3) in OKLab."""
        z = np.random.default_rng([seed, 17]).standard_normal(len(self.stds))
        return (self.mean + (z * self.stds) @ self.components).reshape(GRID, GRID, 3)

    def nearest_training_distance(self, thumbnail: np.ndarray) -> float:
        return float(np.sqrt(((self.training - thumbnail.reshape(1, -1)) ** 2).mean(1)).min())

    def to_tensors(self) -> dict[str, torch.Tensor]:
        return {
            "layout.mean": torch.from_numpy(self.mean.astype(np.float32)),
            "layout.components": torch.from_numpy(self.components.astype(np.float32)),
            "layout.stds": torch.from_numpy(self.stds.astype(np.float32)),
            "layout.training": torch.from_numpy(self.training.astype(np.float16)),
        }

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> LayoutModel:
        return cls(
            mean=tensors["layout.mean"].double().numpy(),
            components=tensors["layout.components"].double().numpy(),
            stds=tensors["layout.stds"].double().numpy(),
            training=tensors["layout.training"].double().numpy(),
        )


def layout_thumbnails(paintings: list[Image.Image], crops: int, seed: int) -> np.ndarray:
    """(crops, GRID*GRID*3) OKLab thumbnails of random square crops (30-100% of the short side), some mirrored."""
    rng = np.random.default_rng(seed)
    pictures = [pil_to_tensor(p.resize((256, round(256 * p.size[1] / p.size[0])))) for p in paintings]
    thumbnails = []
    for _ in range(crops):
        picture = pictures[int(rng.integers(len(pictures)))]
        _, height, width = picture.shape
        side = int(min(height, width) * rng.uniform(0.3, 1.0))
        y, x = int(rng.integers(0, height - side + 1)), int(rng.integers(0, width - side + 1))
        crop = picture[:, y : y + side, x : x + side]
        if rng.random() < 0.5:
            crop = crop.flip(2)
        small = F.adaptive_avg_pool2d(crop[None], GRID)[0].permute(1, 2, 0).double()
        thumbnails.append(srgb_to_oklab(small).reshape(-1).numpy())
    return np.stack(thumbnails)


def layout_to_canvas(
    thumbnail: np.ndarray, width: int, height: int, seed: int, swatches: np.ndarray | None = None
) -> torch.Tensor:
    """Upscale an OKLab thumbnail to (3, H, W) sRGB with seeded mid-frequency variation.

    With `swatches` (K, 3) in OKLab, every pixel takes its nearest swatch: flat colour shapes like a
    user's rough sketch, which the renderer turns into brushwork with contours (a smooth canvas
    would come out as texture alone).
    """
    lab = torch.from_numpy(thumbnail).permute(2, 0, 1)[None].float()
    canvas = F.interpolate(lab, size=(height, width), mode="bicubic", align_corners=False)[0]
    generator = torch.Generator().manual_seed(int(seed))
    for cells, amplitude in ((12, 0.025),):
        rows, cols = (
            max(2, round(cells * height / max(width, height))),
            max(2, round(cells * width / max(width, height))),
        )
        octave = torch.randn(1, 3, rows, cols, generator=generator) * torch.tensor([1.0, 0.3, 0.3]).view(1, 3, 1, 1)
        canvas = (
            canvas + amplitude * F.interpolate(octave, size=(height, width), mode="bicubic", align_corners=False)[0]
        )
    if swatches is not None:
        colours = torch.from_numpy(swatches).float()
        distances = ((canvas.permute(1, 2, 0)[..., None, :] - colours) ** 2).sum(-1)
        canvas = colours[distances.argmin(-1)].permute(2, 0, 1)
    return oklab_to_srgb(canvas.permute(1, 2, 0).double()).permute(2, 0, 1).float().contiguous()


def paint_from_scratch(
    style,
    size: tuple[int, int],
    *,
    seed: int = 0,
    strength: float = 1.0,
    device: torch.device | str | None = None,
) -> Image.Image:
    """A new painting in `style` of (width, height) pixels, the same for the same seed."""
    from .render import RenderParams, render_in_style, working_size

    if style.layout is None:
        raise ValueError(
            f"The style {style.name!r} was trained without a composition model: retrain it to paint from scratch."
        )
    width, height = check_output_size(size)
    # The canvas is made at the renderer's working size, not the output's: the renderer would shrink it
    # to that size anyway, and only the finished picture is enlarged (memory bounded at any size).
    work_width, work_height = working_size(width, height, style.work_size)
    canvas = layout_to_canvas(style.layout.sample(seed), work_width, work_height, seed, swatches=style.palette.means)
    return render_in_style(
        style, canvas, RenderParams(strength=strength, palette=1.0, seed=seed, size=size), device=device
    )
