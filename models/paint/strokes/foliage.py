"""His trees' leaf masses (`foliage`, 0 to 1; session 24, for Hokusai; clumps since session 25): a dark area the
picture paints green (a tree's crown) is painted in clumps as his key block cuts them, where the colour map, his blocks
and his cold darks made a sketch's crown one flat dark disc. His trees (Ryogoku's foreground and bank) are lobes of
lighter blue-green, each rounded top drawn by a dark line, over darker blue-green.

The clumps are discs on a jittered lattice (CLUMP px), the lower one in front, so that what shows of each is its
rounded top, as a tree's lobes stack; along a clump's top and sides a thin dark line (LINE px, his key line), its top
lighter and turned to his foliage's blue-green, its foot and the gaps darker. Session 24's form, a value noise's soft
masses shaded in lightness only, read as a mottled disc, not as his clumps.

Shading in the picture the strokes aim at does not last: the blocks print each area flat (blocks.GRADE 24 px), so masses
smaller than that were gone and larger ones read as random patches (a cross across the demo's crown). So the clumps are
laid on the painted surface, like the cold darks: `leaf_map` is a map at the plan's size of where and how far (the
area's greenness, before the colour map, and its darkness), and `leaf_masses` paints each output pixel from the clumps
round its own position, so tiles join exactly.
"""

from __future__ import annotations

import math

import torch

from .filters import blur, smoothstep
from .strands import stroke_hash
from .wash import COOL_DARK, COOL_MID, FOLIAGE_HUE, WASH_SOFTNESS, green_share

CLUMP = 20.0  # px at 512: the lattice of the clumps' centres, one clump a cell (30-42 px across: his lobes, Ryogoku)
# A clump's radius, in cells, by its own random value: 1.05 at most, so that a clump two cells off (its centre at least
# 0.05 cells into its own cell, by JITTER) cannot reach a pixel, and the 3 x 3 cells round it are enough.
REACH = (0.75, 1.05)
JITTER = 0.9  # how far a clump's centre strays from its cell's middle, in cells
LINE = 1.2  # px at 512: the key block's line along a clump's edge (Hokusai's `outline_width`)
LINE_LOW, LINE_HIGH = 0.6, 0.2  # the line fades out down a clump's side between these heights (-1 top, 1 foot)
LINE_DARK = 0.55  # a line pixel's lightness as a share of its paint's (his key line over the blue-green: L 0.2)
LIT = 0.15  # OKLab lightness added over a clump's top (his lighter blue-green, L 0.45-0.5, over L 0.3-0.37)
LIT_LOW, LIT_HIGH = 0.1, -0.6  # a clump is lit fully above LIT_HIGH and not at all below LIT_LOW (-1 top, 1 foot)
LIT_GREEN = 0.8  # how far a clump's top turns to his foliage's blue-green (wash.FOLIAGE_HUE), chroma LIT_CHROMA
LIT_CHROMA = 0.075
SHADE = 0.06  # OKLab lightness taken from a clump's foot and from the gaps between clumps
# A from-scratch scene's tree is a kept shape painted lighter than a sketch's crown (aim L 0.5, a quarter of the way in
# by the cold darks' ramp): inside a kept shape the ramp reaches to this lightness, so that its crown is clumped too.
KEPT_MID = 0.75
CLUMP_SALT = 5303  # the clumps' own hash, apart from the surface's other noises


def leaf_map(
    picture: torch.Tensor, aim: torch.Tensor, unit: float, amount: float, inside: torch.Tensor | None = None
) -> torch.Tensor:
    """(1, H, W): how far (0 to `amount`) each pixel's paint is broken into leaf masses: by how green its area is in the
    (3, H, W) OKLab `picture` before the colour map (wash.green_share) and how dark it is in the picture the strokes
    `aim` at (the cold darks' ramp, COOL_DARK to COOL_MID; inside a scene's kept shape, `inside` (H, W) 0 to 1, to
    KEPT_MID)."""
    lightness = blur(aim[:1], WASH_SOFTNESS * unit)[0]
    dark = 1 - smoothstep(lightness, COOL_DARK, COOL_MID)
    if inside is not None:
        dark = dark + inside * (1 - smoothstep(lightness, COOL_DARK, KEPT_MID) - dark)
    return (amount * green_share(picture, unit) * dark)[None]


def leaf_masses(painted: torch.Tensor, leaves: torch.Tensor, top: int, left: int, seed: int, unit: float) -> torch.Tensor:
    """A (3, h, w) OKLab painted tile whose top left pixel is (`top`, `left`) in the output, painted as far as `leaves`
    (1, h, w) says in clumps as his key block cuts them: round clumps on a jittered lattice, the lower one in front (as
    a tree's lobes are stacked, each showing its rounded top), each with a thin dark line along its edge, its top lighter
    and in his lighter blue-green, its foot darker; the gaps no clump covers darker."""
    if not bool((leaves > 0).any()):  # no tree here: most tiles of most pictures
        return painted
    height, width = painted.shape[1:]
    cell = CLUMP * unit
    rows, columns = torch.meshgrid(
        torch.arange(top, top + height, dtype=torch.float64),
        torch.arange(left, left + width, dtype=torch.float64),
        indexing="ij",
    )
    cell_row, cell_column = (rows / cell).floor().long(), (columns / cell).floor().long()
    front_y = torch.full((height, width), -math.inf, dtype=torch.float64)
    inside = torch.zeros(height, width, dtype=torch.float64)  # the front clump's edge distance, px (>0 inside)
    height_in = torch.zeros(height, width, dtype=torch.float64)  # where in the front clump: -1 top, 1 foot
    for step_row in (-1, 0, 1):
        for step_column in (-1, 0, 1):
            u, v = cell_column + step_column, cell_row + step_row
            key = u * 65_536 + v
            zero = torch.zeros_like(key)

            def draw(salt: int, key: torch.Tensor = key, zero: torch.Tensor = zero) -> torch.Tensor:
                return stroke_hash(key, zero, seed + CLUMP_SALT + salt).double()

            centre_x = (u + 0.5 + JITTER * (draw(0) - 0.5)) * cell
            centre_y = (v + 0.5 + JITTER * (draw(1) - 0.5)) * cell
            radius = (REACH[0] + (REACH[1] - REACH[0]) * draw(2)) * cell
            edge = radius - ((columns - centre_x) ** 2 + (rows - centre_y) ** 2).sqrt()  # exact ops: same in any tile
            front = (edge > 0) & (centre_y > front_y)  # the lower clump is in front
            front_y = torch.where(front, centre_y, front_y)
            inside = torch.where(front, edge, inside)
            height_in = torch.where(front, (rows - centre_y) / radius, height_in)
    covered = torch.isfinite(front_y).float()
    lit = smoothstep(height_in.float(), LIT_LOW, LIT_HIGH) * covered  # 1 over the top, 0 from the middle down
    foot = height_in.clamp(0, 1).float() * covered
    line = covered * (1 - smoothstep(inside.float(), LINE * unit, LINE * unit + 1))
    line = line * smoothstep(height_in.float(), LINE_LOW, LINE_HIGH)  # along a clump's top and sides, not its foot
    line = line * leaves[0]  # and by the leaves' share once more: a soft green patch of a photograph is barely lined
    lightness = painted[0] + LIT * lit - SHADE * (foot + (1 - covered))
    lightness = lightness + line * (LINE_DARK * painted[0] - lightness)
    angle = math.radians(FOLIAGE_HUE)
    green = torch.tensor([math.cos(angle), math.sin(angle)]).to(painted).view(2, 1, 1) * LIT_CHROMA
    colour = painted[1:] + (LIT_GREEN * lit * (1 - line))[None] * (green - painted[1:])
    shaded = torch.cat([lightness[None], colour])
    return painted + leaves * (shaded - painted)
