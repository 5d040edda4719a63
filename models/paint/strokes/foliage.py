"""His trees' leaf masses (`foliage`, 0 to 1; session 24, for Hokusai; clumps since session 25): a dark area the
picture paints green (a tree's crown) is painted in clumps as his key block cuts them, where the colour map, his blocks
and his cold darks made a sketch's crown one flat dark disc. His trees (Ryogoku's foreground and bank) are lobes of
lighter blue-green, each rounded top drawn by a dark line, over darker blue-green.

The clumps are scalloped discs on a jittered lattice as large as their crown (a crown is ACROSS clumps wide: one
lattice for every crown read as fish scales on a large one), the lower one in front, so that what shows of each is its
scalloped top, as a tree's lobes stack; along a clump's top and upper sides a thin dark line (LINE px, his key line),
its top lighter and turned to his foliage's blue-green, its foot and the gaps darker; over it all his stipple of dark
dots (session 26). Session 24's form, a value noise's soft masses shaded in lightness only, read as a mottled disc,
not as his clumps.

Shading in the picture the strokes aim at does not last: the blocks print each area flat (blocks.GRADE 24 px), so masses
smaller than that were gone and larger ones read as random patches (a cross across the demo's crown). So the clumps are
laid on the painted surface, like the cold darks: `leaf_map` is a map at the plan's size of where and how far (the
area's greenness, before the colour map, and its darkness), and `leaf_masses` paints each output pixel from the clumps
round its own position, so tiles join exactly.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .filters import blur, smoothstep
from .strands import stroke_hash
from .wash import COOL_DARK, COOL_MID, FOLIAGE_HUE, WASH_SOFTNESS, green_share

# A clump's cell, px at 512: a crown is about ACROSS clumps wide, whatever its size (his Ryogoku tree's crown is four or
# five lobes across), within CLUMP_SIZES: a scene's 50-px crown gets 14-px clumps, the README sketch's 100-px one 28.
# (One 20-px cell for every crown made a lattice of fish scales on a large one and two or three clumps on a small one.)
ACROSS = 4.0
CLUMP_SIZES = (12.0, 32.0)
CLUMP = 20.0  # the cell of leaves not in any crown counted (a faint fringe)
CROWN_FLOOR = 0.15  # the leaf share counted as a crown when its size is found
CENTRE_FLOOR = 0.1  # a clump is there only where the leaf share at its centre is above this
CROWN_GRID = 4  # px of the plan: crowns are found (their pixels joined) on a grid this coarse
# A clump's radius, in cells, by its own random value: 1.05 at most, so that a clump two cells off (its centre at least
# 0.05 cells into its own cell, by JITTER) cannot reach a pixel, and the 3 x 3 cells round it are enough.
REACH = (0.8, 1.05)
JITTER = 0.9  # how far a clump's centre strays from its cell's middle, in cells
# A clump's edge is scalloped, as his lobes are: BUMPS (a clump's own number) rounded bumps round it, the edge drawn
# in between them by SCALLOP of the radius.
BUMPS = (4, 7)
SCALLOP = 0.14
LINE = 1.2  # px at 512: the key block's line along a clump's edge (Hokusai's `outline_width`)
LINE_LOW, LINE_HIGH = 0.35, 0.05  # the line fades out down a clump's side between these heights (-1 top, 1 foot)
LINE_DARK = 0.55  # a line pixel's lightness as a share of its paint's (his key line over the blue-green: L 0.2)
LIT = 0.15  # OKLab lightness added over a clump's top (his lighter blue-green, L 0.45-0.5, over L 0.3-0.37)
LIT_LOW, LIT_HIGH = 0.35, -0.6  # a clump is lit fully above LIT_HIGH and not at all below LIT_LOW (-1 top, 1 foot)
LIT_GREEN = 0.8  # how far a clump's top turns to his foliage's blue-green (wash.FOLIAGE_HUE), chroma LIT_CHROMA
LIT_CHROMA = 0.075
SHADE = 0.06  # OKLab lightness taken from a clump's foot and from the gaps between clumps
# His stipple: dark dots over the green (Ryogoku's tree: 2-px dots about 4 px apart at 657 px), one in a DOT_SHARE of
# the cells of a STIPPLE-px lattice, each DOT px across at 512, at DOT_DARK of its paint's lightness.
STIPPLE = 3.2
DOT = 1.6
DOT_SHARE = 0.7
DOT_DARK = 0.7
CLUMP_SALT = 5303  # the clumps' own hash, apart from the surface's other noises
DOT_SALT = 5309


def leaf_map(
    picture: torch.Tensor, aim: torch.Tensor, unit: float, amount: float, inside: torch.Tensor | None = None
) -> torch.Tensor:
    """(2, H, W): how far (0 to `amount`) each pixel's paint is broken into leaf masses, and the cell of its crown's
    clumps (px at 512, crown_cells). The share is by how green its area is in the (3, H, W) OKLab `picture` before the
    colour map (wash.green_share) and how dark it is in the picture the strokes `aim` at (the cold darks' ramp,
    COOL_DARK to COOL_MID; inside a scene's kept shape, `inside` (H, W) 0 to 1, by its greenness alone)."""
    lightness = blur(aim[:1], WASH_SOFTNESS * unit)[0]
    dark = 1 - smoothstep(lightness, COOL_DARK, COOL_MID)
    if inside is not None:  # a scene's tree is clumped whatever its light: its lit lumps too
        dark = dark + inside * (1 - dark)
    share = amount * green_share(picture, unit) * dark
    return torch.stack([share, crown_cells(share > CROWN_FLOOR * amount, unit)])


def in_crowns(leaves: torch.Tensor, amount: float) -> torch.Tensor:
    """(H, W) 0 to 1: how far each pixel of a leaf map (2, H, W, made at `amount`) is in a crown: from CROWN_FLOOR of
    the amount to twice that."""
    return smoothstep(leaves[0], CROWN_FLOOR * amount, 2 * CROWN_FLOOR * amount)


def crown_cells(crowns: torch.Tensor, unit: float) -> torch.Tensor:
    """(H, W) the clumps' cell in px at 512 (a multiple of half a px) for each pixel of the (H, W) boolean `crowns`: one
    for each crown, its pixels joined on a CROWN_GRID grid, by its width (the diameter of a disc of its area) over
    ACROSS, within CLUMP_SIZES; a crown's fringe takes its crown's, the rest CLUMP."""
    height, width = crowns.shape
    grid = F.max_pool2d(crowns[None, None].float(), CROWN_GRID, ceil_mode=True)[0, 0] > 0
    number = torch.arange(1, grid.numel() + 1, dtype=torch.float32).view(grid.shape)
    labels = number * grid
    while True:  # each cell takes the largest label round it in its crown, until every crown has one label
        grown = F.max_pool2d(labels[None, None], 3, 1, 1)[0, 0] * grid
        if torch.equal(grown, labels):
            break
        labels = grown
    fine = labels.repeat_interleave(CROWN_GRID, 0).repeat_interleave(CROWN_GRID, 1)[:height, :width].long()
    area = torch.bincount(fine[crowns], minlength=grid.numel() + 1).float() / unit**2
    cells = (2 * (area / math.pi).sqrt() / ACROSS).clamp(*CLUMP_SIZES)
    cells = (cells * 2).round() / 2
    coarse = torch.where(grid, cells[labels.long()], torch.zeros_like(labels))
    coarse = torch.where(grid, coarse, F.max_pool2d(coarse[None, None], 3, 1, 1)[0, 0])  # the fringe: its crown's
    coarse = torch.where(coarse > 0, coarse, torch.full_like(coarse, CLUMP))
    return coarse.repeat_interleave(CROWN_GRID, 0).repeat_interleave(CROWN_GRID, 1)[:height, :width]


def _scallop(dx: torch.Tensor, dy: torch.Tensor, distance: torch.Tensor, bumps: torch.Tensor, turn: torch.Tensor):
    """A clump's radius as a share of its own at each pixel's direction (`dx`, `dy` from its centre, `distance` away):
    `bumps` (4 to 7) rounded bumps round it, turned by the unit vector `turn` (2, ...): 1 at a bump's crown, 1 - SCALLOP
    between two. Products and sums only (no trigonometry), so a pixel's value is the same in any tile."""
    real, imaginary = dx / distance, dy / distance  # the direction, e^(i theta)

    def times(one: tuple[torch.Tensor, torch.Tensor], other: tuple[torch.Tensor, torch.Tensor]):
        return one[0] * other[0] - one[1] * other[1], one[0] * other[1] + one[1] * other[0]

    square = times((real, imaginary), (real, imaginary))
    power = times(square, square)  # e^(4 i theta), then one more factor for each bump past BUMPS[0]
    for count in range(BUMPS[0] + 1, BUMPS[1] + 1):
        more = times(power, (real, imaginary))
        power = torch.where(count <= bumps, more[0], power[0]), torch.where(count <= bumps, more[1], power[1])
    power_real = times(power, (turn[0], turn[1]))[0]  # turned by the clump's own phase
    bump = ((1 + power_real) / 2).clamp(0, 1).sqrt()  # |cos((bumps theta + phase) / 2)|: rounded bumps, cusps between
    return 1 - SCALLOP * (1 - bump)


def leaf_masses(
    painted: torch.Tensor,
    leaves: torch.Tensor,
    top: int,
    left: int,
    seed: int,
    unit: float,
    whole: torch.Tensor,
    scale: tuple[float, float],
) -> torch.Tensor:
    """A (3, h, w) OKLab painted tile whose top left pixel is (`top`, `left`) in the output, painted as far as `leaves`
    (2, h, w: leaf_map's share and cell at the tile's pixels) says in clumps as his key block cuts them: scalloped
    clumps on a jittered lattice as large as the crown is, the lower one in front (as a tree's lobes are stacked, each
    showing its rounded top), each with a thin dark line along its edge, its top lighter and in his lighter blue-green,
    its foot darker; the gaps no clump covers darker; over it all his stipple of dark dots. A clump is there only where
    its centre is in a crown, by the `whole` (2, H, W) leaf map, `scale` (x, y) output pixels to one of its pixels: a
    clump centred outside showed its dark foot along a crown's top."""
    share = leaves[:1]
    if not bool((share > 0).any()):  # no tree here: most tiles of most pictures
        return painted
    height, width = painted.shape[1:]
    cell = (leaves[1].double() * 2).round() / 2 * unit  # exactly the crown's cell (the map is bilinear in between)
    code = (leaves[1].double() * 2).round().long()  # each cell size its own clumps
    rows, columns = torch.meshgrid(
        torch.arange(top, top + height, dtype=torch.float64),
        torch.arange(left, left + width, dtype=torch.float64),
        indexing="ij",
    )
    where = share[0] > 0  # the clumps are worked out at the leaves' pixels only (each pixel on its own)
    rows, columns, cell, code = rows[where], columns[where], cell[where], code[where]
    cell_row, cell_column = (rows / cell).floor().long(), (columns / cell).floor().long()
    front_y = torch.full(rows.shape, -math.inf, dtype=torch.float64)
    inside = torch.zeros(rows.shape, dtype=torch.float64)  # the front clump's edge distance, px (>0 inside)
    height_in = torch.zeros(rows.shape, dtype=torch.float64)  # where in the front clump: -1 top, 1 foot
    for step_row in (-1, 0, 1):
        for step_column in (-1, 0, 1):
            u, v = cell_column + step_column, cell_row + step_row
            key = u * 65_536 + v

            def draw(salt: int, key: torch.Tensor = key) -> torch.Tensor:
                return stroke_hash(key, code, seed + CLUMP_SALT + salt).double()

            centre_x = (u + 0.5 + JITTER * (draw(0) - 0.5)) * cell
            centre_y = (v + 0.5 + JITTER * (draw(1) - 0.5)) * cell
            radius = (REACH[0] + (REACH[1] - REACH[0]) * draw(2)) * cell
            dx, dy = columns - centre_x, rows - centre_y
            distance = (dx**2 + dy**2).sqrt().clamp_min(1e-6)  # exact ops: the same in any tile
            edge = radius - distance
            near = edge > 0  # the scallops only take from a clump's radius: worked out where it can reach
            bumps = BUMPS[0] + (draw(3)[near] * (BUMPS[1] - BUMPS[0] + 1)).floor().long()
            turn = torch.stack([draw(4)[near] - 0.5, draw(5)[near] - 0.5])
            turn = turn / (turn[0] ** 2 + turn[1] ** 2).sqrt().clamp_min(1e-6)
            scallop = _scallop(dx[near], dy[near], distance[near], bumps, turn)
            edge[near] = radius[near] * scallop - distance[near]
            in_crown = _share_at(whole, scale, centre_x[near], centre_y[near]) > CENTRE_FLOOR
            front = torch.zeros_like(near)
            front[near] = (edge[near] > 0) & in_crown & (centre_y[near] > front_y[near])  # the lower one in front
            front_y = torch.where(front, centre_y, front_y)
            inside = torch.where(front, edge, inside)
            height_in = torch.where(front, dy / radius, height_in)
    covered = torch.isfinite(front_y).float()
    lit = smoothstep(height_in.float(), LIT_LOW, LIT_HIGH) * covered  # 1 over the top, 0 from the middle down
    foot = height_in.clamp(0, 1).float() * covered
    line = covered * (1 - smoothstep(inside.float(), LINE * unit, LINE * unit + 1))
    line = line * smoothstep(height_in.float(), LINE_LOW, LINE_HIGH)  # along a clump's top and sides, not its foot
    dots = _stipple(rows, columns, seed, unit)

    def spread(values: torch.Tensor) -> torch.Tensor:  # back to the tile, 0 where there are no leaves
        return torch.zeros(height, width, dtype=values.dtype).masked_scatter(where, values)

    lit, foot, line, dots, covered = spread(lit), spread(foot), spread(line), spread(dots), spread(covered)
    line = line * share[0]  # and by the leaves' share once more: a soft green patch of a photograph is barely lined
    lightness = painted[0] + LIT * lit - SHADE * (foot + (1 - covered))
    lightness = lightness + line * (LINE_DARK * painted[0] - lightness)
    lightness = lightness + dots * share[0] * (DOT_DARK * painted[0] - lightness)
    angle = math.radians(FOLIAGE_HUE)
    green = torch.tensor([math.cos(angle), math.sin(angle)]).to(painted).view(2, 1, 1) * LIT_CHROMA
    colour = painted[1:] + (LIT_GREEN * lit * (1 - line))[None] * (green - painted[1:])
    shaded = torch.cat([lightness[None], colour])
    return painted + share * (shaded - painted)


def _share_at(whole: torch.Tensor, scale: tuple[float, float], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The leaf share of the `whole` (2, H, W) leaf map at output positions `x`, `y` (its nearest pixel)."""
    height, width = whole.shape[1:]
    column = (x / scale[0]).floor().long().clamp(0, width - 1)
    row = (y / scale[1]).floor().long().clamp(0, height - 1)
    return whole[0][row, column]


def _stipple(rows: torch.Tensor, columns: torch.Tensor, seed: int, unit: float) -> torch.Tensor:
    """0 to 1: his stipple's dots at the output pixels `rows`, `columns` (float64, any shape): a dot in DOT_SHARE of the
    cells of a STIPPLE-px lattice, DOT px across, its centre anywhere in its cell. A dot reaches at most half a cell
    from its centre, so only the 2 x 2 cells nearest a pixel can reach it."""
    cell, radius = STIPPLE * unit, DOT * unit / 2
    soft = min(0.5, cell / 2 - radius)  # a dot's soft rim, px either side of its radius
    across, down = columns / cell, rows / cell
    column, row = across.floor(), down.floor()
    side_column = torch.where(across - column < 0.5, -1.0, 1.0)  # the neighbouring cells on the pixel's near sides
    side_row = torch.where(down - row < 0.5, -1.0, 1.0)
    dots = torch.zeros(rows.shape, dtype=torch.float32)
    for step_row, step_column in ((0, 0), (0, 1), (1, 0), (1, 1)):
        u, v = (column + step_column * side_column).long(), (row + step_row * side_row).long()
        key = u * 65_536 + v

        def draw(salt: int, key: torch.Tensor = key) -> torch.Tensor:
            return stroke_hash(key, torch.zeros_like(key), seed + DOT_SALT + salt).double()

        distance = (((u + draw(0)) * cell - columns) ** 2 + ((v + draw(1)) * cell - rows) ** 2).sqrt()
        dot = 1 - smoothstep(distance.float(), radius - soft, radius + soft)
        dots = torch.maximum(dots, dot * (draw(2) < DOT_SHARE).float())
    return dots
