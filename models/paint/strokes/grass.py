"""A green ground drawn as his grass: bands of dense, thin blades rising from a dark root edge into a lighter fringe
(Hokusai's fields at Ejiri), where a sketch's green ground was one flat area under level lines.

His fields are not a texture but shapes 10-30 px across at 512: each band of grass is dark where its blades are
rooted and lighter where only their tips reach, and the next band begins below. Here the blades are rooted on a fine
jittered grid over the clearly open areas low in the picture whose own colour is green (a photograph's grey floor or
blue sea gets none), kept the more the lower they lie in their band, and drawn upward, leaning together, as the key
block's lines are drawn: thin, in a darker shade of the paint beneath mixed with the painter's line colour (on a dark
ground, a lighter shade: his foam on a dark sea).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .brush import Strokes
from .filters import blur, sample
from .hatching import jittered_grid
from .stroke_style import StrokeStyle

CELL = 2.0  # px at 512 between neighbouring roots (a grid cell per blade)
BAND = 36.0  # px at 512: a band of grass, from its root edge to the next band's
LENGTH = 24.0  # px at 512: a blade's length at most (each is 50-100% of it)
WIDTH = 1.0  # blade radius at 512 px: about a key-block line's
LEAN = 0.15  # radians from upright all the blades lean (the wind), each turned a little more or less
WAVE = 0.3  # how far a band's edge wanders up and down, in bands, over a wavelength of WAVELENGTH px at 512
WAVELENGTH = 140.0
# A root is kept with the chance `grass` x its depth in its band (0 at the top, 1 at the foot) to this power: most
# blades rise from the band's foot, so it prints as a dark edge under a fringe of tips, not an even texture.
POWER = 6.0
# The OKLab hue angles (degrees) of grass, and the least chroma: an olive field to a blue-green one; a grey floor,
# brown earth and a blue sea are left as they are.
GRASS_HUES = (85.0, 165.0)
GRASS_CHROMA = 0.03
LOWEST = 0.3  # how clearly low (0 to 1, as hatching.py's test) the grass must lie at least
FIELD = 24.0  # px at 512: grass is green over most of this far around (FIELD_SHARE of it, blurred)
FIELD_SHARE = 0.6
DARK_GROUND = 0.45  # OKLab lightness of the paint below which the blades are drawn lighter than it, not darker
LIFT = 0.35  # how much lighter they are there
# The share of the roots kept on a dark ground: with all of them the pale blades merged into solid patches, where his
# pale blades (Ejiri's foreground) stand apart.
DARK_SPARSE = 0.5
# OKLab distance from its root's colour at which a blade stops: as a key-block line's (hatching.STOP).
STOP = 0.06
GRASS_SEED = 4441  # the grass's own draws, so the plan's other draws stay the same
# His field's paint (field_painted): a light blue-green under the dark blades, where the colour map gave a sketch's
# green field the painter's dark paints (the village at dusk: slate, then navy under his cold darks).
FIELD_LIGHT = 0.76  # OKLab lightness the field is lifted to at least
FIELD_TINT = (-0.04, 0.0)  # OKLab (a, b) of his pale blue-green
FIELD_MIX = 0.8  # how far the field's own (a, b) is mixed towards FIELD_TINT
FIELD_SAME = 0.08  # OKLab distance from the grass's mean colour within which the picture is the same field
FIELD_EDGE = 1.5  # px at 512: the field's edge softened by as much (the paint's, not a drawn one)


def grass_map(simplified: torch.Tensor, memberships: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W): on a (3, H, W) OKLab picture's grass (open, clearly low in the picture, green, in a field), how
    clearly low it lies (0 to 1); 0 elsewhere. `memberships` (3, H, W): the region kinds (field.region_memberships);
    clearly low is the test hatching.py uses. `unit`: the picture's long side / 512."""
    lower = ((memberships[1:2] - 0.5) * 2).clamp_min(0)
    # Not where the ground only begins to be low: a tree's dark green crown over the middle of the picture took a
    # stray pale blade.
    lower = lower * (lower > LOWEST)
    hue = torch.rad2deg(torch.atan2(simplified[2:3], simplified[1:2])) % 360
    chroma = simplified[1:3].norm(dim=0, keepdim=True)
    green = (hue > GRASS_HUES[0]) & (hue < GRASS_HUES[1]) & (chroma > GRASS_CHROMA)
    grass = (green & (lower > 0)).float()
    # A field, not a patch: a photograph's green leaves behind a flower took blades that read as scratches.
    return lower * grass * (blur(grass, FIELD * unit) > FIELD_SHARE).float()


def field_painted(
    mapped: torch.Tensor, simplified: torch.Tensor, memberships: torch.Tensor, unit: float, amount: float
) -> torch.Tensor:
    """The (3, H, W) OKLab picture `mapped` (in the painter's colours) with its fields in his light blue-green paint,
    `amount` (0 to 1) of the way. A field is the grass (grass_map of `simplified`, the picture in its own colours) and
    all of the picture joined to it in about its colour: the whole of a green hill, where the grass map covers only
    its clearly low parts and a lift of those alone made pale blobs with edges of their own (the README sketch)."""
    grass = grass_map(simplified, memberships, unit)[0] > 0
    if not bool(grass.any()):
        return mapped
    colour = simplified[:, grass].mean(1)
    alike = (simplified - colour[:, None, None]).norm(dim=0) < FIELD_SAME
    field = joined_to(grass, alike).float()[None]
    share = amount * blur(field, FIELD_EDGE * unit).clamp(0, 1)
    painted = mapped.clone()
    painted[0] = mapped[0].clamp_min(FIELD_LIGHT)
    painted[1:] = (1 - FIELD_MIX) * mapped[1:] + FIELD_MIX * torch.tensor(FIELD_TINT).to(mapped).view(2, 1, 1)
    return mapped + share * (painted - mapped)


def joined_to(seeds: torch.Tensor, within: torch.Tensor) -> torch.Tensor:
    """(H, W) bool: the pixels of `within` (H, W) bool joined to a pixel of `seeds` (H, W) bool through pixels of
    `within`, eight ways. Its connected parts are found by hooking each part's root to the least label beside it and
    halving paths (a few passes, whatever the part's shape), where growing the seeds a pixel a pass took as many passes
    as the field is wide: 1.5 s at 512, over two minutes at 2048, for a field seeded at one side."""
    height, width = within.shape
    inside = within.flatten()
    cells = torch.nonzero(inside)[:, 0]
    parent = torch.arange(inside.numel())
    while True:
        labels = torch.where(inside, parent.double(), float(inside.numel())).view(1, 1, height, width)
        least = (-F.max_pool2d(-labels, 3, 1, 1)).flatten().long()  # the least label among a pixel's eight and itself
        before = parent.clone()
        parent.scatter_reduce_(0, parent[cells], least[cells], "amin")  # each part's root hooked to it
        while not torch.equal(parent[parent], parent):  # every pixel pointed at its root
            parent = parent[parent]
        if torch.equal(parent, before):
            break
    roots = torch.unique(parent[inside & seeds.flatten()])
    return (torch.isin(parent, roots) & inside).view(height, width)


def grass_blades(
    mapped: torch.Tensor,
    simplified: torch.Tensor,
    stops: torch.Tensor,
    memberships: torch.Tensor,
    style: StrokeStyle,
    unit: float,
    generator: torch.Generator,
    shade: torch.Tensor | None = None,
) -> tuple[Strokes, torch.Tensor]:
    """Blades (Strokes) and their OKLab colours (N, 3) over the grass of a (3, H, W) picture: `mapped` in the painter's
    colours, `simplified` in its own (where the grass is found: grass_map), `stops` the picture whose edges stop a
    blade. The style's `grass` (0 to 1) is the share of the roots at the foot of a band that get a blade. `shade`
    (3, H, W): the paint the blades are a shade of, where it is not the ground's (`mapped`): on his light field
    (field_painted) the dark blades keep the field's own dark paint, as his do."""
    _, height, width = mapped.shape
    draws = torch.Generator().manual_seed(generator.initial_seed() + GRASS_SEED)
    roots = jittered_grid(width, height, CELL * unit, draws)
    # Where each root lies in its band: 0 at the band's top (the tips' fringe), 1 at its foot (the roots' dark edge).
    phase = float(torch.rand((), generator=draws)) * 2 * math.pi
    wander = WAVE * torch.sin(roots[:, 0] / (WAVELENGTH * unit) * 2 * math.pi + phase)
    depth = torch.frac(roots[:, 1] / (BAND * unit) + wander)
    grass = sample(grass_map(simplified, memberships, unit), roots)[:, 0]
    sparse = torch.where(sample(mapped[:1], roots)[:, 0] < DARK_GROUND, DARK_SPARSE, 1.0)
    roots = roots[torch.rand(roots.shape[0], generator=draws) < style.grass * grass * depth**POWER * sparse]
    count = roots.shape[0]
    if count == 0:
        return Strokes.empty(), torch.zeros((0, 3))
    radius = max(0.5, WIDTH * unit)
    lean = LEAN * (1 + (torch.rand(count, generator=draws) - 0.5))
    length = LENGTH * unit * (0.5 + 0.5 * torch.rand(count, generator=draws))
    steps = max(2, math.ceil(LENGTH * unit / radius)) + 1  # one point a radius apart along the longest blade
    along = torch.linspace(0, 1, steps)[None]
    direction = torch.stack([torch.sin(lean), -torch.cos(lean)], dim=1)
    paths = roots[:, None] + (length[:, None] * along)[..., None] * direction[:, None]
    paths[..., 0].clamp_(0, width - 1)
    paths[..., 1].clamp_(0, height - 1)
    # A blade stops where the picture leaves its root's colour (a house's wall, a tree's trunk): grass before a thing,
    # not over it.
    root_colour = sample(stops, roots)
    along_colour = sample(stops, paths.reshape(-1, 2)).reshape(count, steps, 3)
    left = (along_colour - root_colour[:, None]).norm(dim=2) > STOP
    last = torch.where(left.any(1), left.float().argmax(1) - 1, steps - 1).clamp_min(0)
    grown = last >= 2  # a blade, not a dot at a thing's foot
    count = int(grown.sum())
    blades = Strokes(
        paths=paths[grown],
        first=torch.zeros(count, dtype=torch.long),
        last=last[grown],
        radius=torch.full((count,), radius),
    )
    ground = sample(mapped, roots[grown])
    under = ground if shade is None else sample(shade, roots[grown])
    lighter = under.clone()
    lighter[:, 0] += LIFT
    darker = under.clone()
    darker[:, 0] *= 0.7
    colours = torch.where((ground[:, :1] < DARK_GROUND), lighter, 0.5 * darker + 0.5 * style.outline_colour[None])
    return blades, colours
