"""Brushwork statistics, measured the same way on a painter's paintings and on our renders.

Every picture is looked at with its long side at `ANALYSIS_SIDE` pixels, so the numbers are about the
picture, not its resolution. From the lightness (OKLab L) with the scene's broad shading removed
(a band-pass), and its structure tensor at stroke scale:
- how far the texture stays alike along its own orientation and across it, at several distances
  (autocorrelation along the local tangent and normal): stroke length and width;
- coherence (one clear orientation or none) at two scales: parallel hatching against dabs;
- curvature: how much the orientation turns a short way along itself, in each kind of region
  (open areas high up, open areas lower down, detailed areas; field.py): swirls against straight strokes;
- the share of thin dark lines (a morphological black top-hat): outlines;
- the finest grain, and how much colour varies between neighbouring pixels: bristles, broken colour;
- the share of flat pixels: flat colour areas, as in a woodcut.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .field import REGION_KINDS, region_memberships, structure_tensor, tangent_of
from .filters import blur, channel_norm, gradients, resize, sample, to_oklab
from .simplify import simplify

ANALYSIS_SIDE = 320
DISTANCES = (2.0, 4.0, 8.0, 16.0)  # pixels at ANALYSIS_SIDE


def statistic_names() -> list[str]:
    names = [f"along_{d:g}" for d in DISTANCES] + [f"across_{d:g}" for d in DISTANCES]
    names += ["coherence_fine", "coherence_broad"]
    names += [f"curvature_{kind}" for kind in REGION_KINDS]
    names += ["lines", "grain", "colour_variation", "flatness"]
    return names


def analysis_size(height: int, width: int) -> tuple[int, int]:
    scale = ANALYSIS_SIDE / max(height, width)
    return max(16, round(height * scale)), max(16, round(width * scale))


def _pixel_grid(height: int, width: int) -> torch.Tensor:
    ys, xs = torch.meshgrid(torch.arange(height).float(), torch.arange(width).float(), indexing="ij")
    return torch.stack([xs.flatten(), ys.flatten()], dim=1)


def _correlation(band: torch.Tensor, points: torch.Tensor, direction: torch.Tensor, distance: float) -> torch.Tensor:
    """Mean of band(p) * band(p ± d·direction) over pixels, as a share of the band's energy."""
    centre = band.flatten()
    ahead = sample(band[None], points + distance * direction)[:, 0]
    behind = sample(band[None], points - distance * direction)[:, 0]
    return (centre * (ahead + behind) / 2).mean() / (centre * centre).mean().clamp_min(1e-9)


def measure_statistics(rgb: torch.Tensor) -> torch.Tensor:
    """The statistics (in `statistic_names()` order) of a (3, H, W) sRGB picture in [0, 1]."""
    height, width = analysis_size(*rgb.shape[-2:])
    lab = to_oklab(resize(rgb.float(), height, width).clamp(0, 1))
    lightness = lab[0]
    band = lightness - blur(lightness[None], 8.0)[0]
    fine_tensor = structure_tensor(lab, 2.0)
    tangent_doubled, anisotropy = tangent_of(fine_tensor)
    energy = fine_tensor[0] + fine_tensor[2]
    coherence_fine = (anisotropy.sum() / energy.sum().clamp_min(1e-9)).reshape(1)
    broad = structure_tensor(lab, 8.0)
    _, broad_anisotropy = tangent_of(broad)
    coherence_broad = (broad_anisotropy.sum() / (broad[0] + broad[2]).sum().clamp_min(1e-9)).reshape(1)

    angle = 0.5 * torch.atan2(tangent_doubled[1], tangent_doubled[0]).flatten()
    along = torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    across = torch.stack([-along[:, 1], along[:, 0]], dim=1)
    points = _pixel_grid(height, width)
    correlations = [_correlation(band, points, along, d) for d in DISTANCES]
    correlations += [_correlation(band, points, across, d) for d in DISTANCES]

    # Curvature: the turn of the orientation over 6 pixels along itself, weighted by how clear it is.
    ahead = sample(tangent_doubled, points + 6.0 * along)
    turn = 1 - (ahead * tangent_doubled.reshape(2, -1).T).sum(1).clamp(-1, 1)  # 0 straight, 2 at right angles
    weight = (anisotropy / energy.clamp_min(1e-9)).flatten() * energy.flatten().sqrt()
    memberships = region_memberships(simplify(lab, 3), 0.75).reshape(len(REGION_KINDS), -1)
    curvature = [(turn * weight * kind).sum() / (weight * kind).sum().clamp_min(1e-9) for kind in memberships]

    closed = -F.max_pool2d(-F.max_pool2d(lightness[None, None], 5, 1, 2), 5, 1, 2)[0, 0]
    lines = ((closed - lightness) > 0.08).float().mean()
    grain = (lightness - blur(lightness[None], 1.0)[0]).abs().mean()
    chroma_detail = lab[1:] - blur(lab[1:], 1.5)
    colour_variation = channel_norm(chroma_detail).mean()
    gx, gy = gradients(lab)
    flatness = ((gx * gx + gy * gy).sum(0).sqrt() < 0.004).float().mean()
    values = [
        *correlations,
        coherence_fine[0],
        coherence_broad[0],
        *curvature,
        lines,
        grain,
        colour_variation,
        flatness,
    ]
    return torch.stack([torch.as_tensor(v, dtype=torch.float32) for v in values])


def spread_of(statistics: torch.Tensor) -> torch.Tensor:
    """A unit for each statistic: its spread over a set of pictures (rows), with a floor."""
    floor = torch.full((statistics.shape[1],), 0.01)
    spread = statistics.std(0) if statistics.shape[0] > 1 else torch.zeros(statistics.shape[1])
    return torch.maximum(spread, floor)


def distance(statistics: torch.Tensor, target: torch.Tensor, unit: torch.Tensor) -> float:
    """Root-mean-square difference, in units, between statistics and the target's."""
    return float((((statistics - target) / unit) ** 2).mean().sqrt())


def describe(statistics: torch.Tensor) -> dict[str, float]:
    return {name: round(float(v), 4) for name, v in zip(statistic_names(), statistics, strict=True)}
