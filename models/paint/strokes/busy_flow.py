"""Busy detail drawn out along one flow, before any stroke is planned (Munch's, `busy_flow`).

At the scale of his strokes (8-32 px at 512) the busy parts of The Scream run one way: the shore, the rail, the
figure's outline are long parallel lines, 83% of the busier half strongly oriented where a photograph's pagoda or
garage shelves are 45-53% (picture_statistics' `oriented_share3`, session 15). Strokes that follow the photograph's
own edges keep its every-way detail, however long they may run. So the simplified picture is first averaged along
its own local edge direction (the structure tensor's tangent at DIRECTION_SCALE) over REACH px each way, weighted by
how busy the area is (field.region_memberships): an edge keeps its line, the small detail across it is drawn out
along it, and everything after (the colours, the direction field, the edges that stop the paint) reads the drawn-out
picture. Open areas and flat sketches are barely busy and stay as they were. A straight-line cousin of line integral
convolution (Cabral & Leedom 1993): each pixel averages samples along its own direction, not along a traced curve,
which is several times cheaper and, at this reach, curves little anyway.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .bands import subject_map
from .field import coherence_of, region_memberships, structure_tensor, tangent_of

REACH = 16.0  # px at 512 each way: about a stroke's width at his brush (0.05 of the long side is 26 px across)
DIRECTION_SCALE = 8.0  # px at 512: the structure tensor's blur, fine enough that a wheel's rim is followed round
TAPS = 6  # samples each way along the direction, Gaussian-weighted (the ends count e^-2 of the middle)


def along_flow(picture: torch.Tensor, amount: float, unit: float, reach: float = 0.0) -> torch.Tensor:
    """A (3, H, W) picture with its busy areas averaged along their local edge direction, by `amount` (0 to 1)
    times how busy each area is; `unit` is the picture's long side / 512. `reach` (0 to 2): how much farther than
    REACH, along a direction how much broader than DIRECTION_SCALE, the busiest areas are drawn out (1: twice), by the
    square of how busy and not on a subject (bands.subject_map)."""
    if amount <= 0:
        return picture
    _, height, width = picture.shape
    busy = region_memberships(picture, unit)[2]
    tensor = structure_tensor(picture, DIRECTION_SCALE * unit)
    stretch = torch.ones_like(busy)
    if reach > 0:
        # The busiest areas follow their direction at a broader scale and farther, so that one way holds over more of
        # them, by how far their detail runs every way there (a pagoda's roofs and pillars, a garage's shelves; a
        # table's grain already runs one way); a subject (a flower's radial petals, a red tank) keeps its own shape.
        broad = structure_tensor(picture, DIRECTION_SCALE * unit * (1 + reach))
        broader = busy**2 * (1 - subject_map(picture, unit)) * (1 - coherence_of(broad)) ** 2
        tensor = tensor + broader * (broad - tensor)
        stretch = 1 + reach * broader
    doubled, _ = tangent_of(tensor)
    angle = torch.atan2(doubled[1], doubled[0]) / 2  # doubled angles: the tangent's own angle is half
    step_x, step_y = torch.cos(angle) * REACH * unit / TAPS * stretch, torch.sin(angle) * REACH * unit / TAPS * stretch
    ys, xs = torch.meshgrid(
        torch.arange(height, dtype=picture.dtype), torch.arange(width, dtype=picture.dtype), indexing="ij"
    )
    scale_x, scale_y = 2.0 / max(width - 1, 1), 2.0 / max(height - 1, 1)
    total, weights = torch.zeros_like(picture), 0.0
    for k in range(-TAPS, TAPS + 1):
        weight = math.exp(-2.0 * (k / TAPS) ** 2)
        grid = torch.stack([(xs + k * step_x) * scale_x - 1, (ys + k * step_y) * scale_y - 1], dim=-1)[None]
        sampled = F.grid_sample(picture[None], grid, mode="bilinear", padding_mode="border", align_corners=True)
        total += weight * sampled[0]
        weights += weight
    share = min(1.0, amount) * busy
    return picture + share * (total / weights - picture)
