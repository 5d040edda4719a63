"""How well each element of a scene can be made out in a painting of it: the share of its outline that shows
as an edge, in the painting against in the sketch it was painted from.

The composer knows exactly where each element shows (`Scene.labels`), so this needs no guess at what the
picture holds. At each pixel of the element's outline, the mean OKLab colour just inside is compared with the
mean just outside (Gaussian-weighted, SCALE of the picture across, so that one stroke does not count as an
edge); the difference is averaged along the outline (ALONG: an edge the eye follows keeps its direction, the
flicker of strokes and bands does not) and set against the spread of the colours either side (the texture an
edge must stand out of). Where that ratio reaches 1 the outline shows. A flat sketch shows nearly all of an
element's outline; Munch's bands or Turner's lost edges can drown it.

    legibility(scene.sketch, painting, scene.mask("harbour wall")) -> 0 (lost) ... 1 (shows as it was drawn)
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ..strokes.filters import blur, to_oklab

SCALE = 0.025  # the Gaussian's sigma for the means either side of an outline, as a share of the long side
ALONG = 0.04  # how far along the outline the step is averaged (sigma, share of the long side)
RING = 0.04  # how far outside the element its surroundings are taken (share of the long side)
NOISE_FLOOR = 0.02  # OKLab spread that even a flat area counts as having (a sketch's soft gradients)
SHOWS = 1.0  # the step, in spreads, at which an outline counts as showing
SMALLEST = 0.002  # elements showing in less of the picture than this are not measured (a star, a far figure)


def _lab(picture: np.ndarray) -> torch.Tensor:
    rgb = torch.tensor(picture[..., :3], dtype=torch.float32).permute(2, 0, 1) / 255.0
    return to_oklab(rgb)


def _grow(mask: torch.Tensor, radius: int) -> torch.Tensor:
    return F.max_pool2d(mask[None, None].float(), 2 * radius + 1, stride=1, padding=radius)[0, 0] > 0


def outline_clarity(picture: np.ndarray, mask: np.ndarray) -> torch.Tensor:
    """At each pixel of the outline of `mask` (H, W bool) in `picture` (H, W, 3 uint8 sRGB): the colour step
    across it, averaged along it, in spreads of the colours either side (1D tensor, one value per pixel)."""
    lab = _lab(picture)
    long_side = max(mask.shape)
    inside = torch.from_numpy(np.asarray(mask, bool))
    ring = _grow(inside, max(1, round(RING * long_side))) & ~inside
    outline = inside & _grow(~inside, 1)
    if not outline.any() or not ring.any():
        return torch.zeros(0)
    sigma = SCALE * long_side
    sides = []
    for side in (inside, ring):
        weight = blur(side[None].float(), sigma).clamp_min(1e-6)
        mean = blur(lab * side, sigma) / weight
        square = blur(lab * lab * side, sigma) / weight
        sides.append((mean, (square - mean * mean).clamp_min(0).sum(0)))
    (mean_in, var_in), (mean_out, var_out) = sides
    on_outline = outline.float()
    step = (mean_in - mean_out) * on_outline
    along = blur(step, ALONG * long_side) / blur(on_outline[None], ALONG * long_side).clamp_min(1e-9)
    spread = ((var_in + var_out) / 2).sqrt().clamp_min(NOISE_FLOOR)
    return (along.pow(2).sum(0).sqrt() / spread)[outline]


def outline_shown(picture: np.ndarray, mask: np.ndarray) -> float:
    """The share of the element's outline that shows as an edge in `picture` (0 to 1)."""
    clarity = outline_clarity(picture, mask)
    return float((clarity >= SHOWS).float().mean()) if clarity.numel() else 0.0


def legibility(sketch: np.ndarray, painting: np.ndarray, mask: np.ndarray) -> float:
    """How much of the outline the sketch shows still shows in the painting (both (H, W, 3) uint8 at the
    mask's size): 0 (lost) to 1 (as drawn, or more: a painting may stand an element out more than its sketch)."""
    drawn = outline_shown(sketch, mask)
    if drawn <= 0:
        return 1.0
    return min(1.0, outline_shown(painting, mask) / drawn)


def element_masks(labels: np.ndarray, names: list[str], size: tuple[int, int]) -> dict[str, np.ndarray]:
    """Each labelled element's mask at `size` (width, height), nearest-neighbour, leaving out those too small
    to measure."""
    width, height = size
    rows = (np.arange(height) * labels.shape[0] / height).astype(int)
    cols = (np.arange(width) * labels.shape[1] / width).astype(int)
    scaled = labels[rows][:, cols]
    masks = {}
    for index, name in enumerate(names):
        if index == 0:
            continue
        mask = scaled == index
        if mask.mean() >= SMALLEST and not mask.all():
            masks[name] = mask
    return masks
