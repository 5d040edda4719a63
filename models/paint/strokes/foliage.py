"""His trees' leaf masses (`foliage`, 0 to 1; session 24, for Hokusai): a dark area the picture paints green (a tree's
crown) has its paint's lightness broken into masses lit from above, each a little lighter along its top and darker at
its foot, where the colour map, his blocks and his cold darks made a sketch's crown one flat dark disc. His trees
(Ryogoku's bank and foreground) are masses of lighter blue-green over darker blue.

Shading in the picture the strokes aim at does not last: the blocks print each area flat (blocks.GRADE 24 px), so masses
smaller than that were gone and larger ones read as random patches (a cross across the demo's crown). So the masses are
laid on the painted surface, like the cold darks: `leaf_map` is a map at the plan's size of where and how far (the
area's greenness, before the colour map, and its darkness), and `leaf_masses` shades each output pixel from a value
noise of its own position, so tiles join exactly.
"""

from __future__ import annotations

import torch

from .filters import blur, smoothstep
from .patches import place_noise
from .wash import COOL_DARK, COOL_MID, WASH_SOFTNESS, green_share

MASS = 12.0  # px at 512: the lattice of the masses' noise (a mass about this across; 18 read as a few large patches)
LIT = 3.0  # px at 512: how far below a mass's top its lit rim reaches
SHADE = 0.1  # OKLab lightness: how much lighter a mass's lit top is and its foot darker, at most
MASS_SALT = 5303  # the masses' own noise, apart from the surface's other noises


def leaf_map(picture: torch.Tensor, aim: torch.Tensor, unit: float, amount: float) -> torch.Tensor:
    """(1, H, W): how far (0 to `amount`) each pixel's paint is broken into leaf masses: by how green its area is in the
    (3, H, W) OKLab `picture` before the colour map (wash.green_share) and how dark it is in the picture the strokes
    `aim` at (the cold darks' ramp, COOL_DARK to COOL_MID)."""
    dark = 1 - smoothstep(blur(aim[:1], WASH_SOFTNESS * unit)[0], COOL_DARK, COOL_MID)
    return (amount * green_share(picture, unit) * dark)[None]


def leaf_masses(painted: torch.Tensor, leaves: torch.Tensor, top: int, left: int, seed: int, unit: float) -> torch.Tensor:
    """A (3, h, w) OKLab painted tile whose top left pixel is (`top`, `left`) in the output, its lightness shaded by
    `leaves` (1, h, w) into masses lit from above (up to SHADE): a mass is where the noise is high; its top, where the
    noise a little above is low, lighter; the gaps between masses darker."""
    height, width = painted.shape[1:]
    rows, columns = torch.meshgrid(
        torch.arange(top, top + height).float(), torch.arange(left, left + width).float(), indexing="ij"
    )

    def masses(shift: float) -> torch.Tensor:
        points = torch.stack([columns.flatten(), (rows - shift).flatten()], 1)
        return smoothstep(place_noise(points, MASS * unit, seed + MASS_SALT).view(height, width), 0.45, 0.55)

    here = masses(0.0)
    rim = here - masses(LIT * unit)  # 1 along a mass's top, -1 just below its foot
    shade = SHADE * (0.6 * rim + 0.4 * (2 * here - 1))
    return torch.cat([painted[:1] + leaves * shade, painted[1:]])
