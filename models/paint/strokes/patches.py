"""Place-to-place variation: a smooth value noise read at stroke positions, so that a painting's texture changes from
one passage to the next (a dry, broken patch beside a loaded one; a passage of flat colour beside one of contrasting
dashes) rather than lying evenly over the whole picture.

The noise is a hash of lattice corners blended with a smoothstep (`lattice_noise`, which the surface's load map
shares with its own hash: surface.load_map): the same at a point in any tile and any painting order; callers give the
lattice's size times the picture's unit, so it is the same at any size of picture.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from .filters import smoothstep
from .strands import stroke_hash


def place_noise(points: torch.Tensor, size: float, salt: int) -> torch.Tensor:
    """(N,) values in [0, 1) at `points` (N, 2, x and y in px): a value noise with one random value (from `salt`) per
    corner of a lattice `size` px across."""
    place = points / size
    count = points.shape[0]

    def corner(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return stroke_hash(u * 65_536 + v, torch.zeros(count, dtype=torch.long), salt)

    return lattice_noise(place[:, 0], place[:, 1], corner)


def lattice_noise(
    u: torch.Tensor, v: torch.Tensor, corner: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
) -> torch.Tensor:
    """A value noise at lattice coordinates `u`, `v` (the same shape): the values `corner` gives at the (long)
    corners of each one's cell, blended by a smoothstep of its place in the cell (no creases along the lattice), in
    float32 whatever the coordinates' precision (surface.load_map's are float64, so that a pixel's place in its cell
    is the same from any tile)."""
    cell_u, cell_v = u.floor(), v.floor()
    wu, wv = smoothstep((u - cell_u).float(), 0.0, 1.0), smoothstep((v - cell_v).float(), 0.0, 1.0)
    cu, cv = cell_u.long(), cell_v.long()
    upper = (1 - wu) * corner(cu, cv) + wu * corner(cu + 1, cv)
    return (1 - wv) * upper + wv * ((1 - wu) * corner(cu, cv + 1) + wu * corner(cu + 1, cv + 1))
