"""What a picture's surface looks like, in a few dozen numbers a person can name.

A painting is not a photograph under a texture: it simplifies the scene into areas, lays marks of a
few sizes with a direction, and its texture changes from area to area. These statistics describe
that, at a fixed scale (long side 512 px), on the picture's OKLab lightness and colour:

- per level of a Laplacian pyramid (marks about 2-4, 4-8, 8-16 and 16-32 px across): the band's
  energy, how heavy-tailed it is (a few bold marks vs an even grain), how much its energy varies
  from one 32-px block to the next (a texture filter lays the same grain everywhere), the share of
  nearly flat blocks, and how coherent the local direction is (structure tensor);
- how the energy falls from one level to the next;
- colour: mean and spread of chroma, lightness spread, how many colours (histogram entropy), the
  share of perfectly smooth colour (photographs' gradients) and how much colour varies at the finest
  scale relative to lightness (filters add coloured grain);
- colour by tone (hue_statistics.py, since session 12): how vivid the darks, mid-tones and lights are,
  which way the lights' hue leans, and how far the lights' lean is from the darks'.

The finest level (single pixels) is left out on purpose: it holds sensor noise, JPEG blocks and
canvas weave, and faint noise there would count as painting (see the perturbation check in
bench/painting_match_validation.py). No learned weights: nothing to train against, nothing to fool by
matching a network's statistics, which is how the texture renderer fooled the VGG-based measure.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .colour import srgb_to_oklab
from .hue_statistics import least_spreads as tone_colour_least_spreads
from .hue_statistics import tone_colour, tone_colour_names
from .images import pil_to_tensor

LONG_SIDE = 512
LEVELS = (1, 2, 3, 4)  # pyramid levels described (0 = single pixels, left out)
VIEW_FRACTION = 0.7  # the four corner views: 70% of each side, brought back to LONG_SIDE

_BINOMIAL = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16


def _blur(x: torch.Tensor) -> torch.Tensor:
    channels = x.shape[1]
    x = F.pad(x, (2, 2, 2, 2), mode="reflect")
    x = F.conv2d(x, _BINOMIAL.view(1, 1, 1, 5).repeat(channels, 1, 1, 1), groups=channels)
    return F.conv2d(x, _BINOMIAL.view(1, 1, 5, 1).repeat(channels, 1, 1, 1), groups=channels)


def _gradient(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    gx = F.pad(x, (1, 1, 0, 0), mode="replicate")
    gy = F.pad(x, (0, 0, 1, 1), mode="replicate")
    return (gx[..., 2:] - gx[..., :-2]) / 2, (gy[..., 2:, :] - gy[..., :-2, :]) / 2


def _coherence(level: torch.Tensor) -> tuple[float, float]:
    """Energy-weighted structure-tensor coherence, and the share of strongly oriented pixels among the
    busier half."""
    gx, gy = _gradient(level)
    jxx, jyy, jxy = (_blur(_blur(product)) for product in (gx * gx, gy * gy, gx * gy))
    trace = jxx + jyy
    coherence = ((jxx - jyy) ** 2 + 4 * jxy**2).sqrt() / trace.clamp_min(1e-9)
    weighted = float((coherence * trace).sum() / trace.sum().clamp_min(1e-12))
    busy = trace > trace.flatten().kthvalue(max(1, trace.numel() // 2)).values
    oriented = float((coherence[busy] > 0.6).float().mean()) if busy.any() else 0.0
    return weighted, oriented


def at_measure_scale(picture: Image.Image | torch.Tensor) -> torch.Tensor:
    """(3, H, W) in [0, 1] with the long side LONG_SIDE."""
    if isinstance(picture, Image.Image):
        if max(picture.size) > 2 * LONG_SIDE:  # a huge picture is reduced before it becomes floats
            scale = 2 * LONG_SIDE / max(picture.size)
            size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
            picture = picture.convert("RGB").resize(size, Image.Resampling.BOX)
        picture = pil_to_tensor(picture.convert("RGB"))
    tensor = picture
    scale = LONG_SIDE / max(tensor.shape[1:])
    if scale == 1.0:
        return tensor
    return F.interpolate(tensor[None], scale_factor=scale, mode="bilinear", antialias=True, align_corners=False)[0]


def surface_statistic_names() -> list[str]:
    """The first 34 (match format 2): marks per pyramid level, the energy's fall-off and the first colour ones."""
    names = []
    for level in LEVELS:
        names += [f"energy{level}", f"tails{level}", f"unevenness{level}", f"flat_share{level}"]
        names += [f"coherence{level}", f"oriented_share{level}"]
    names += [f"falloff{level}" for level in LEVELS[:-1]]
    names += ["chroma_mean", "chroma_spread", "lightness_spread", "colour_entropy", "smooth_colour_share"]
    names += ["colour_variation", "fine_colour_ratio"]
    return names


def statistic_names() -> list[str]:
    return surface_statistic_names() + tone_colour_names()


def least_spreads() -> np.ndarray:
    """Per statistic, the least spread a painter's range may give it (0: none; see hue_statistics.py)."""
    return np.asarray([0.0] * len(surface_statistic_names()) + tone_colour_least_spreads())


def _lightness_pyramid(lightness: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """A (1, 1, H, W) lightness's Gaussian pyramid and its Laplacian bands (band k: marks 2^k to 2^(k+1) px)."""
    pyramid = [lightness]
    for _ in range(max(LEVELS) + 1):
        pyramid.append(_blur(pyramid[-1])[..., ::2, ::2])
    upsample = lambda x, like: F.interpolate(x, size=like.shape[-2:], mode="bilinear", align_corners=False)  # noqa: E731
    bands = [pyramid[k] - upsample(pyramid[k + 1], pyramid[k]) for k in range(max(LEVELS) + 1)]
    return pyramid, bands


@torch.no_grad()
def band_energy(lightness: torch.Tensor, level: int) -> float:
    """The mean energy of an (H, W) OKLab lightness's band `level` (3: marks 8-16 px across), measured as
    `picture_statistics` measures `energy{level}` (there as its log): at the measure's scale."""
    at_scale = at_measure_scale(lightness[None].float())[None]
    return float(_lightness_pyramid(at_scale)[1][level].pow(2).mean()) + 1e-9


@torch.no_grad()
def picture_statistics(picture: torch.Tensor) -> np.ndarray:
    """The statistics (in `statistic_names()` order) of one (3, H, W) picture at the measure's scale."""
    lab = srgb_to_oklab(picture.clamp(0, 1).permute(1, 2, 0)).permute(2, 0, 1)[None].float()
    lightness = lab[:, :1]
    pyramid, bands = _lightness_pyramid(lightness)
    energies = [float(band.pow(2).mean()) + 1e-9 for band in bands]
    values: list[float] = []
    for level in LEVELS:
        band = bands[level]
        block = max(1, 32 >> level)
        block_energy = torch.log(F.avg_pool2d(band.pow(2), block, block) + 1e-7).flatten()
        kurtosis = float((band.pow(4).mean() + 1e-12) / (band.pow(2).mean().pow(2) + 1e-12))  # 1 when flat
        values += [np.log(energies[level]), np.log(kurtosis), float(block_energy.std())]
        values.append(float((block_energy < np.log(energies[level]) - 2.0).float().mean()))
        values += list(_coherence(pyramid[level]))
    values += [float(np.log(energies[level + 1] / energies[level])) for level in LEVELS[:-1]]
    a, b = lab[:, 1], lab[:, 2]
    chroma = (a * a + b * b).sqrt()
    quantised = (
        (lightness[:, 0] * 8).clamp(0, 7).long() * 64
        + ((a + 0.3) * 13).clamp(0, 7).long() * 8
        + ((b + 0.3) * 13).clamp(0, 7).long()
    )
    histogram = torch.bincount(quantised.flatten(), minlength=512).float()
    shares = histogram[histogram > 0] / histogram.sum()
    local_mean = _blur(lab)
    local_variance = (_blur(lab * lab) - local_mean**2).sum(1).clamp_min(0)
    fine_colour = float((lab[:, 1:] - _blur(lab[:, 1:])).pow(2).mean())
    values += [float(chroma.mean()), float(chroma.std()), float(lightness.std())]
    values += [float(-(shares * shares.log()).sum()), float((local_variance < 1e-4).float().mean())]
    values += [float(np.log(float(local_variance.mean()) + 1e-9)), float(np.log((fine_colour + 1e-9) / energies[0]))]
    values += tone_colour(lab)
    return np.asarray(values, dtype=np.float64)


MIN_SIDE = 64  # px at the measure's scale: the pyramid's coarsest level needs a few pixels across


def views(picture: Image.Image | torch.Tensor) -> list[torch.Tensor]:
    """The whole picture and its four corner views, each at the measure's scale."""
    width, height = picture.size if isinstance(picture, Image.Image) else (picture.shape[2], picture.shape[1])
    if min(width, height) * LONG_SIDE / max(width, height) < MIN_SIDE:
        raise ValueError(f"a {width}x{height} picture is too narrow to measure")
    whole = at_measure_scale(picture)
    _, height, width = whole.shape
    view_h, view_w = int(height * VIEW_FRACTION), int(width * VIEW_FRACTION)
    corners = [(0, 0), (0, width - view_w), (height - view_h, 0), (height - view_h, width - view_w)]
    return [whole] + [at_measure_scale(whole[:, y : y + view_h, x : x + view_w]) for y, x in corners]


def statistics_of_views(picture: Image.Image | torch.Tensor) -> np.ndarray:
    """(5, D): the statistics of the whole picture and of its four corner views."""
    return np.stack([picture_statistics(view) for view in views(picture)])
