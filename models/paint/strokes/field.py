"""Where strokes go: a direction field that follows the picture's edges and is smooth inside its regions.

Orientations are kept as doubled angles (cos 2θ, sin 2θ), so that a stroke direction and its reverse
are the same value and fields can be averaged (Kass & Witkin 1987). Three fields are blended:
- the edge tangent of the structure tensor (Kang et al. 2007's edge tangent flow, here as Gaussian
  smoothing of the tensor at two scales), which rules near edges;
- parallel hatching: the region's dominant orientation at a large scale, pulled toward the
  painter's preferred hatching angle;
- swirls: the level lines of the heavily blurred lightness plus seeded smooth noise, so strokes
  circle bright and dark masses (a sun, a star) and curl through open areas.
How much of the last two each pixel takes depends on its kind of region (`region_memberships`) and
on the style's learned swirl amount for that kind.
"""

from __future__ import annotations

import math

import torch

from .filters import blur, channel_norm, gradients

REGION_KINDS = ("open-upper", "open-lower", "busy")  # sky-like, ground/plane/water-like, detailed


def structure_tensor(lab: torch.Tensor, sigma: float) -> torch.Tensor:
    """(3, H, W): Jxx, Jxy, Jyy of the colour gradients (lightness counted twice), smoothed at sigma."""
    gx, gy = gradients(lab * torch.tensor([2.0, 1.0, 1.0], device=lab.device)[:, None, None])
    tensor = torch.stack([(gx * gx).sum(0), (gx * gy).sum(0), (gy * gy).sum(0)])
    return blur(tensor, sigma)


def tangent_of(tensor: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Doubled-angle unit tangent (2, H, W) of a structure tensor, and its anisotropy (H, W)."""
    jxx, jxy, jyy = tensor
    # The edge normal's doubled angle is (Jxx - Jyy, 2 Jxy); the tangent's is its opposite.
    doubled = torch.stack([jyy - jxx, -2.0 * jxy])
    anisotropy = channel_norm(doubled)
    return doubled / anisotropy.clamp_min(1e-12), anisotropy


def coherence_of(tensor: torch.Tensor) -> torch.Tensor:
    """(λ1 - λ2) / (λ1 + λ2): 1 where the picture has one clear orientation, 0 where it has none."""
    _, anisotropy = tangent_of(tensor)
    return anisotropy / (tensor[0] + tensor[2]).clamp_min(1e-12)


def region_memberships(simplified: torch.Tensor, unit: float) -> torch.Tensor:
    """(3, H, W) soft memberships of each pixel in REGION_KINDS, summing to 1.

    "Busy" is the density of edges in the simplified picture (foliage, crowds, texture); open areas
    are split by height in the frame (sky above, ground, walls and water below)."""
    _, height, width = simplified.shape
    gx, gy = gradients(simplified[:1])
    density = blur((gx * gx + gy * gy).sqrt(), 12.0 * unit)[0]
    busy = torch.sigmoid((torch.log(density + 1e-6) - math.log(0.012)) / 0.45)
    y = (torch.arange(height, dtype=torch.float32, device=simplified.device)[:, None] + 0.5) / height
    upper = torch.sigmoid((0.5 - y) / 0.1).expand(height, width)
    return torch.stack([(1 - busy) * upper, (1 - busy) * (1 - upper), busy])


def _doubled(angle: torch.Tensor) -> torch.Tensor:
    return torch.stack([torch.cos(2 * angle), torch.sin(2 * angle)])


def swirl_field(simplified: torch.Tensor, unit: float, scale: float, generator: torch.Generator) -> torch.Tensor:
    """Doubled-angle tangent of the level lines of blurred lightness plus smooth noise (2, H, W)."""
    _, height, width = simplified.shape
    sigma = scale * unit
    noise = torch.randn((1, height, width), generator=generator).to(simplified)
    noise = blur(noise, sigma)
    noise = noise / noise.std().clamp_min(1e-8)
    lightness = blur(simplified[:1], sigma)
    lightness = (lightness - lightness.mean()) / lightness.std().clamp_min(0.02)
    potential = lightness + 0.6 * noise
    gx, gy = gradients(potential)
    # Level lines run perpendicular to the gradient: their angle is the gradient's plus 90 degrees.
    return _doubled(torch.atan2(gy[0], gx[0]) + math.pi / 2)


def direction_field(
    simplified: torch.Tensor,
    memberships: torch.Tensor,
    swirl: torch.Tensor,
    *,
    unit: float,
    hatch_angle: float,
    hatch_pull: float,
    generator: torch.Generator,
) -> torch.Tensor:
    """The field strokes follow: doubled-angle unit vectors (2, H, W).

    `swirl` holds the style's swirl amount (0 to 1) for each kind of region; `hatch_angle` (radians)
    and `hatch_pull` (0 to 1) say which way parallel strokes lean in open areas and how strongly."""
    fine = structure_tensor(simplified, 2.0 * unit)
    coarse = structure_tensor(simplified, 10.0 * unit)
    edge_tangent, edge_strength = tangent_of(fine + coarse)
    # Near a clear edge the strokes follow it; the cut-off is relative to this picture's own edges.
    reference = torch.quantile(edge_strength.flatten()[:: max(1, edge_strength.numel() // 65536)], 0.6)
    edge_weight = edge_strength / (edge_strength + reference.clamp_min(1e-9))

    broad_tangent, broad_strength = tangent_of(structure_tensor(simplified, 40.0 * unit))
    broad_coherence = broad_strength / (broad_strength.max().clamp_min(1e-12))
    preferred = _doubled(torch.tensor(hatch_angle, device=simplified.device))[:, None, None]
    hatch = broad_tangent * broad_coherence.sqrt() * (1 - hatch_pull) + preferred * (hatch_pull + 0.05)

    swirl_amount = (memberships * swirl.to(memberships)[:, None, None]).sum(0)
    swirling = swirl_field(simplified, unit, 30.0, generator)
    free = hatch / channel_norm(hatch).clamp_min(1e-9) * (1 - swirl_amount) + swirling * swirl_amount
    field = edge_tangent * edge_weight * 2.0 + free * (1 - edge_weight)
    return field / channel_norm(field).clamp_min(1e-9)
