"""Place-to-place variation: a smooth value noise read at stroke positions, so that a painting's texture changes from
one passage to the next (a dry, broken patch beside a loaded one; a passage of flat colour beside one of contrasting
dashes) rather than lying evenly over the whole picture.

The noise is a hash of lattice corners blended with a smoothstep: the same at a point in any tile and any painting
order; callers give the lattice's size times the picture's unit, so it is the same at any size of picture.
"""

from __future__ import annotations

import torch

from .filters import smoothstep
from .strands import stroke_hash


def place_noise(points: torch.Tensor, size: float, salt: int) -> torch.Tensor:
    """(N,) values in [0, 1) at `points` (N, 2, x and y in px): a value noise with one random value (from `salt`) per
    corner of a lattice `size` px across."""
    place = points / size
    cell = place.floor()
    weight = smoothstep(place - cell, 0.0, 1.0)  # no creases along the lattice
    cell = cell.long()
    count = points.shape[0]

    def corner(dx: int, dy: int) -> torch.Tensor:
        return stroke_hash((cell[:, 0] + dx) * 65_536 + cell[:, 1] + dy, torch.zeros(count, dtype=torch.long), salt)

    wx, wy = weight[:, 0], weight[:, 1]
    upper = (1 - wx) * corner(0, 0) + wx * corner(1, 0)
    return (1 - wy) * upper + wy * ((1 - wx) * corner(0, 1) + wx * corner(1, 1))
