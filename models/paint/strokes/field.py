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
on the style's learned swirl amount for that kind. A painter who lays his paint in long bands along the
landscape's contours (Munch's sky, fjord and shore in The Scream) has a learned `flow`: that much of the
free field is replaced by `contour_flow`, the level lines of the lightness blurred at the scale of the
scene's masses, smoothed until they run long and parallel across the picture.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .brush import direction_at
from .filters import blur, channel_norm, gradients, sample

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


# Blur (at 512 px) of the lightness and noise whose level lines the swirls follow, times 1 + the style's
# `swirl_breadth`. At 30 px the curls are about as wide as Van Gogh's coarsest strokes are long (60-100 px), so his
# nearly straight strokes (smoothing 0.85) lay criss-cross like scattered rice wherever they swirled; at twice that
# neighbouring strokes turn together and a sky circles in broad eddies, as his Starry Night's does (session 14).
SWIRL_SCALE = 30.0
FLOW_SCALE = 24.0  # blur (at 512 px) of the lightness whose level lines the contour flow follows: the scene's masses
STREAK_WIDTH = 12.0  # px at 512: how wide a streak of one paint is across the flow (flow_streaks)
STREAK_REACH, STREAK_STEPS = 96.0, 16  # px at 512 each way along the flow a streak averages over, in that many steps
STREAK_GRID = 4  # streaks are worked out every this many px (a streak is three times wider) and enlarged
UNDULATION = 0.2  # radians: how far the bands turn (one standard deviation of the noise) as they undulate


def contour_flow(simplified: torch.Tensor, unit: float, generator: torch.Generator) -> torch.Tensor:
    """Doubled-angle unit tangent (2, H, W) of the level lines of the heavily blurred lightness, coherent everywhere.

    Each pixel's level-line direction is weighted by the square of the lightness gradient (a structure tensor)
    and averaged again at the same scale, so that where the lightness is nearly flat (an even sky) the bands
    carry on from the nearest contours instead of turning at random; a faint horizontal lean decides a picture
    with no contours at all (bands lie like the horizon). Seeded smooth noise then turns the direction by up to
    about UNDULATION radians, so the bands undulate, as his do, without crossing."""
    _, height, width = simplified.shape
    sigma = FLOW_SCALE * unit
    gx, gy = gradients(blur(simplified[:1], sigma))
    doubled, strength = tangent_of(blur(torch.cat([gx * gx, gx * gy, gy * gy]), sigma))
    lean = 1e-3 * strength.max().clamp_min(1e-12)
    level = doubled * strength + torch.tensor([lean, 0.0], device=simplified.device)[:, None, None]
    level = level / channel_norm(level).clamp_min(1e-12)
    noise = blur(torch.randn((1, height, width), generator=generator).to(simplified), 2 * sigma)[0]
    turn = 2 * UNDULATION * noise / noise.std().clamp_min(1e-8)  # doubled angles turn twice as far
    cos, sin = torch.cos(turn), torch.sin(turn)
    return torch.stack([level[0] * cos - level[1] * sin, level[0] * sin + level[1] * cos])


def edges_of(simplified: torch.Tensor, unit: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The doubled-angle unit tangent (2, H, W) of the picture's edges, and how clear an edge each pixel lies on
    (H, W), 0 to 1, relative to this picture's own edges: near a clear edge the strokes follow it."""
    fine = structure_tensor(simplified, 2.0 * unit)
    coarse = structure_tensor(simplified, 10.0 * unit)
    edge_tangent, edge_strength = tangent_of(fine + coarse)
    reference = torch.quantile(edge_strength.flatten()[:: max(1, edge_strength.numel() // 65536)], 0.6)
    return edge_tangent, edge_strength / (edge_strength + reference.clamp_min(1e-9))


def direction_field(
    simplified: torch.Tensor,
    memberships: torch.Tensor,
    swirl: torch.Tensor,
    *,
    unit: float,
    hatch_angle: float,
    hatch_pull: float,
    generator: torch.Generator,
    flow: float = 0.0,
    swirl_breadth: float = 0.0,
) -> torch.Tensor:
    """The field strokes follow: doubled-angle unit vectors (2, H, W).

    `swirl` holds the style's swirl amount (0 to 1) for each kind of region; `hatch_angle` (radians)
    and `hatch_pull` (0 to 1) say which way parallel strokes lean in open areas and how strongly; `flow` (0 to 1)
    how much of the field away from edges runs along the contour flow instead; `swirl_breadth` (0 to 2) how much
    broader than SWIRL_SCALE the swirls are (1: twice)."""
    edge_tangent, edge_weight = edges_of(simplified, unit)
    broad_tangent, broad_strength = tangent_of(structure_tensor(simplified, 40.0 * unit))
    broad_coherence = broad_strength / (broad_strength.max().clamp_min(1e-12))
    preferred = _doubled(torch.tensor(hatch_angle, device=simplified.device))[:, None, None]
    hatch = broad_tangent * broad_coherence.sqrt() * (1 - hatch_pull) + preferred * (hatch_pull + 0.05)

    swirl_amount = (memberships * swirl.to(memberships)[:, None, None]).sum(0)
    swirling = swirl_field(simplified, unit, SWIRL_SCALE * (1 + swirl_breadth), generator)
    free = hatch / channel_norm(hatch).clamp_min(1e-9) * (1 - swirl_amount) + swirling * swirl_amount
    if flow > 0:
        free = free / channel_norm(free).clamp_min(1e-9) * (1 - flow) + contour_flow(simplified, unit, generator) * flow
    field = edge_tangent * edge_weight * 2.0 + free * (1 - edge_weight)
    return field / channel_norm(field).clamp_min(1e-9)


def integrate_along(noise: torch.Tensor, field: torch.Tensor, points: torch.Tensor, step: float, steps: int):
    """(P, C): `noise` (C, H, W) summed at each of `points` (P, 2) and at `steps` steps of `step` px both ways
    along the field's flow line through it (line integral convolution, Cabral & Leedom 1993). The field is
    doubled-angle, so each step keeps the heading of the last rather than turning back."""
    _, height, width = field.shape
    total = sample(noise, points)
    limit = torch.tensor([width - 1, height - 1], dtype=field.dtype)
    for sign in (1.0, -1.0):
        position, heading = points, sign * direction_at(field, points)
        for _ in range(steps):
            new = direction_at(field, position)
            new = torch.where(((new * heading).sum(1) < 0)[:, None], -new, new)
            position, heading = torch.minimum(torch.maximum(position + step * new, torch.zeros(2)), limit), new
            total = total + sample(noise, position)
    return total


def flow_streaks(field: torch.Tensor, unit: float, generator: torch.Generator) -> torch.Tensor:
    """(H, W) values spread evenly over 0 to 1 that change slowly along the field and quickly across it: smooth
    noise averaged along the flow lines (line integral convolution, Cabral & Leedom 1993), then ranked. Strokes
    that choose their paints by it instead of at random lie in streaks of one paint, band beside band."""
    _, height, width = field.shape
    cell = max(1.0, STREAK_WIDTH * unit)
    coarse = torch.rand((1, 1, math.ceil(height / cell) + 1, math.ceil(width / cell) + 1), generator=generator)
    noise = F.interpolate(coarse, size=(height, width), mode="bilinear", align_corners=False)[0].to(field)
    ys, xs = torch.meshgrid(torch.arange(0, height, STREAK_GRID), torch.arange(0, width, STREAK_GRID), indexing="ij")
    points = torch.stack([xs.flatten(), ys.flatten()], dim=1).to(field)
    total = integrate_along(noise, field, points, STREAK_REACH * unit / STREAK_STEPS, STREAK_STEPS)[:, 0]
    ranked = torch.empty_like(total)
    ranked[total.argsort()] = torch.arange(total.numel(), dtype=total.dtype) / total.numel()
    shape = (1, 1, xs.shape[0], xs.shape[1])
    return F.interpolate(ranked.view(shape), size=(height, width), mode="nearest")[0, 0]
