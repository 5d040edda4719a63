"""Plan a painting as strokes, coarse to fine (Hertzmann 1998, "Painterly rendering with curved brush strokes
of multiple sizes"), vectorised: each layer's strokes are seeded, traced and stamped as one batch.

The plan is vector data (paths, radii, colours, in painting order); raster.py draws it at any size.
Steps: simplify the picture (simplify.py), map its colours to the painter's habits (colour_map.py),
build the direction field (field.py); then for each brush from the largest to the smallest, blur the
mapped picture to the brush's scale, seed a stroke in every grid cell where the canvas so far still
differs from it by more than the threshold (at the cell's worst pixel), grow each stroke along the
field while the picture keeps its colour, and stamp the layer to update the canvas. Outlines last;
then, for a painter who paints in bands of a few paints, each fill stroke takes one of them (bands.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .bands import (
    banded_pairs,
    foreign_share,
    in_own_colour,
    mixed_paints,
    sky_held_heat,
    subject_map,
    too_light,
    within_paints,
)
from .blaze import blaze_field, blaze_gold, blazed, spared
from .blocks import block_print
from .bokashi import grade_map
from .brush import MAX_POINTS, Gate, KeyMap, Strokes, stamp, trace
from .busy_flow import along_flow
from .colour_map import map_colours, own_hues
from .dash_layer import dash_strokes
from .field import direction_field, edges_of, flow_streaks, region_memberships
from .filters import blur, channel_norm, picture_size, row_norm, sample, smoothstep
from .foliage import in_crowns, leaf_map
from .grass import field_painted, grass_blades
from .hatching import hatch_lines
from .keep import kept_shapes, marked
from .lost_edges import lost_map, reach_factor, softened
from .low_key import dimmed, lowered
from .outline import inside_things, kept_contours, outline_strokes
from .patches import place_noise
from .scatter import CURL_SEED, SCATTER_SEED, bends, parallel_map, turns
from .scumble import scumble_field
from .sea_grade import sea_paint, water_rows
from .simplify import simplify
from .sky import sky_map
from .stroke_style import LAYER_RATIO, LAYERS, StrokeStyle
from .surface import baren_areas
from .sweeps import sweep_cream, sweep_field, swept
from .tone_gain import tone_gain
from .wash import cool_map, green_kept, rough_ground, wash_maps

FINEST_BRUSH = 0.005  # radius of the finest brush at middle detail, as a fraction of the long side
# OKLab distance from a stroke's seed colour at which its paint stops: below the step between a sketch's
# neighbouring shapes (a green hill and brown ground differ by 0.13), above the drift of a soft gradient
# along one stroke. Up to twice that in busy areas (foliage, crowds: by the square of how busy, so that
# the edge of a shape beside a little detail still stops the paint), where a painter lays strokes across
# small details rather than around each.
EDGE = 0.09
# How strongly a kept thing's outline counts as an edge to outline, in the outlines' cut-off (outline.py: from 1
# every kept outline is traced, below 0.5 none), times the share of edges the painter keeps (1 - lost_edges).
KEPT_CONTOURS = 2.0
# How much of its own colour a scene's mass keeps where the painter has no paint for it (bands.foreign_share): the
# rest is his, so that a blue sky keeps a tint of his warm paints (0.7 and 0.6 chosen by eye on Munch's from-scratch
# sky, snowfield and canal; at 0.6 the canal still read as water among his ochres).
SCENE_OWN = 0.6
# And a colour on the land lighter than all his paints (bands.too_light: snow, a white wall or sail) keeps up to this
# much: the white he mixed for it is no cluster of his paintings' colours, and at SCENE_OWN Munch's snowfield was his
# ochre thinned to a cream-peach (OKLab chroma 0.04 at hue 72), sand more than snow. Not in the sky: that is his heat's.
LAND_WHITE_OWN = 0.85
# And a dark sky's foreign colour up to DARK_SKY_OWN of it: fully to the sketch's OKLab lightness DARK_SKY[0], none from
# DARK_SKY[1], and more than SCENE_OWN only below L 0.575 (a storm's sky L 0.25-0.60 with its break; a night's 0.26-0.47;
# a sunset's and a dusk's upper sky; no day's: 0.64 and over in its lightest 98%).
DARK_SKY_OWN, DARK_SKY = 0.85, (0.55, 0.63)
DARK_SKY_LIGHTEST = 0.9  # the quantile of a sky's lightness that says it is dark all over (`under_a_dark_sky`)
# px at 512: a scene's largest star's radius (scene/sky.py: 0.02 of its short side, 10 px if square), over which the holes
# its lights' discs make in their halos are closed (`lights_closed`)
STAR_DISC = 12.0
# px at 512: the largest moon's or sun's radius (scene/sky.py: a low sun's 0.075 of the short side, 38 px if square), over
# which their discs' holes in their halos are closed to find them (`kept_lights`)
LIGHT_DISC = 40.0
# A scene's sketch is drawn in the lightness it means (a night's sky L 0.26-0.47, a day's 0.6-0.95): its tones are
# mapped to the painter's as tones of a day's sketch are (colour_map.map_colours' `key`), not by their rank among its
# own, which took a night's horizon to his lightest paint. The OKLab lightness quantiles of day sketches (a village by a
# river, a harbour with boats, a windmill by a canal, a river with a bridge, mountains under snow; each shipped style's
# composition; seeds 1-3; 288x192): tests/test_scratch_key.py measures them again.
DAY_SKETCH_LIGHTNESS = (0.277, 0.431, 0.49, 0.546, 0.595, 0.616, 0.634, 0.653, 0.678, 0.693, 0.709,
                        0.722, 0.735, 0.747, 0.766, 0.79, 0.818, 0.841, 0.873, 0.921, 0.957)  # fmt: skip
SLENDER = 0.45  # the share of a broad stroke's width taken off in open areas at `slender` 1 (plan_strokes)
# px at 512 between the values of the noise by which the strokes' colour jitter varies from place to place
# (`jitter_patches`): past the measure's 32-px blocks, so that one block differs from the next
JITTER_PATCH = 64.0
JITTER_PATCH_SEED = 0x51A7  # added to the render's seed: the jitter's patches are not the dry strokes'


@dataclass(frozen=True)
class Controls:
    """What the user turns: brush scale (0.25 to 4), detail (0 to 1), outline (0 to 2 times the
    painter's), palette strength (0 to 1)."""

    brush_scale: float = 1.0
    detail: float = 0.5
    outline: float = 1.0
    palette: float = 0.7


@dataclass
class StrokePlan:
    """A painting as strokes in painting order, in the coordinates of a (height, width) plan."""

    height: int
    width: int
    paths: torch.Tensor  # (N, P, 2) x, y
    first: torch.Tensor  # (N,) first valid point of each path
    last: torch.Tensor  # (N,) last valid point
    radius: torch.Tensor  # (N,)
    colour: torch.Tensor  # (N, 3) OKLab
    is_outline: torch.Tensor  # (N,) bool
    base: torch.Tensor  # (3, H, W) OKLab: the simplified picture in the painter's colours, under any gap
    guide: torch.Tensor  # (3, H, W) OKLab: the simplified picture, whose strong edges stop the paint
    seed_colour: torch.Tensor  # (N, 3) the guide's colour under each stroke's seed
    reach: torch.Tensor  # (N,) how far from its seed colour a stroke may paint (infinite for outlines)
    wash: torch.Tensor | None = None  # (5 or 6, H, W) wash.wash_maps, where the style lays a wash or a glow
    key_map: KeyMap | None = None  # the plan-size ownership of all its strokes (raster.py reuses it)
    # (N, 3) OKLab: each stroke's second paint, toward which its thin strands move (strands.py); None: no strands
    strand: torch.Tensor | None = None
    grade: torch.Tensor | None = None  # (1, H, W) how far each pixel's colour is deepened (bokashi.py); None: nowhere
    sea: torch.Tensor | None = None  # (4, H, W) a scene's water's printed colour and how far (sea_grade.py); None: none
    cool: torch.Tensor | None = None  # (1, H, W) how far each pixel takes the painter's darkest tint (wash.cool_map);
    # (3, H, W) with each pixel's tint after it, where the tint follows the area's hue (`dark_range`)
    blocks: torch.Tensor | None = None  # (3, H, W) OKLab: the picture printed in a few flat, graded areas (blocks.py)
    baren: torch.Tensor | None = None  # (1, H, W) how strongly the blotches print (surface.baren_areas); None: evenly
    leaves: torch.Tensor | None = None  # (2, H, W) the leaf masses' share and cell (foliage.leaf_map); None: none
    tone: tuple[float, float] | None = None  # (gain, mean) of the painting's lightness (tone_gain.py); None: as painted

    @property
    def count(self) -> int:
        return self.paths.shape[0]

    def canvas(self) -> torch.Tensor:
        """(3, H, W) OKLab: each pixel in the colour of the stroke on top of it, the base under any gap."""
        assert self.key_map is not None
        owner = self.key_map.inner() // MAX_POINTS
        on_top = self.colour[owner.clamp_min(0)].permute(2, 0, 1)
        return torch.where((owner >= 0)[None], on_top, self.base)

    def strokes(self) -> Strokes:
        return Strokes(paths=self.paths, first=self.first, last=self.last, radius=self.radius)

    def gate(self, ids: torch.Tensor, guide: torch.Tensor) -> Gate:
        """The gate of strokes `ids` over a (3, H, W) guide at the pixels of the map they are stamped into."""
        return Gate(guide.reshape(3, -1), self.seed_colour[ids], self.reach[ids])


def _seeds_in_cells(
    error: torch.Tensor, cell: int, threshold: float, generator: torch.Generator, everywhere: bool
) -> torch.Tensor:
    """(N, 2) seeds: one per grid cell whose mean error exceeds the threshold, at its worst pixel
    (with `everywhere`, one per cell at a random place)."""
    height, width = error.shape
    rows, cols = -(-height // cell), -(-width // cell)
    if everywhere:
        ys, xs = torch.meshgrid(torch.arange(rows), torch.arange(cols), indexing="ij")
        corner = torch.stack([xs.flatten(), ys.flatten()], dim=1).float() * cell
        points = corner + torch.rand((rows * cols, 2), generator=generator) * cell
    else:
        padded = F.pad(error[None, None], (0, cols * cell - width, 0, rows * cell - height))
        mean = F.avg_pool2d(padded, cell)[0, 0].flatten()
        # A little noise breaks ties in flat cells, so seeds do not line up on the cells' corners.
        _, where = F.max_pool2d(
            padded + 1e-3 * torch.rand(padded.shape, generator=generator), cell, return_indices=True
        )
        where = where[0, 0].flatten()[mean > threshold]
        points = torch.stack([where % (cols * cell), where // (cols * cell)], dim=1).float()
        points = points + (torch.rand(points.shape, generator=generator) - 0.5) * (cell * 0.5)
    points[:, 0].clamp_(0, width - 1)
    points[:, 1].clamp_(0, height - 1)
    return points


def _accented(colours: torch.Tensor, share: float, warmth: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Turn a share of strokes to a complementary accent: the opposite hue where there is colour, and
    on greys the painter's warm or cool lean (warm in the lights, cool in the shadows)."""
    chosen = torch.rand(colours.shape[0], generator=generator) < share
    chroma = row_norm(colours[:, 1:])[:, None]
    opposite = -colours[:, 1:] / chroma.clamp_min(1e-6) * chroma.clamp_min(0.05)
    lean = warmth / warmth.norm().clamp_min(1e-6) * 0.05 * torch.sign(colours[:, :1] - 0.5)
    accent = torch.where(chroma > 0.03, opposite, lean)
    mixed = colours.clone()
    mixed[:, 1:] = torch.where(chosen[:, None], 0.3 * colours[:, 1:] + 0.7 * accent, colours[:, 1:])
    return mixed


def _hue_kept(offsets: torch.Tensor, ab: torch.Tensor, amount: float) -> torch.Tensor:
    """(N, 2) colour offsets with `amount` of their part across each colour's own hue direction taken out: the
    jitter then makes a stroke more or less vivid but not another hue. Greys (no hue to keep) keep their offsets."""
    chroma = row_norm(ab)[:, None]
    direction = ab / chroma.clamp_min(1e-6)
    along = (offsets * direction).sum(1, keepdim=True) * direction
    keep = amount * (chroma / 0.03).clamp(max=1.0)  # full for a colour of chroma 0.03 or more, fading to greys
    return offsets + keep * (along - offsets)


def _band_amounts(style: StrokeStyle, controls: Controls) -> tuple[float, float, float, float, float]:
    """The bands' strength (the style's bands times the palette strength, at most all the way), hue weight,
    contrast, preference for vivid paints and heat in the lights (bands.py)."""
    strength = min(1.0, style.bands * controls.palette)
    return strength, style.band_hue, style.band_contrast, style.band_vivid, style.band_heat


def _within_edge(blurred: torch.Tensor, sharp: torch.Tensor, factor: torch.Tensor | None) -> torch.Tensor:
    """Blurred colours (N, 3) kept within a fifth of an EDGE (times each stroke's reach `factor`, where edges
    are lost) of the sharp picture's colours at the same points."""
    offset = blurred - sharp
    limit = 0.2 * EDGE if factor is None else 0.2 * EDGE * factor
    return sharp + offset * (limit / row_norm(offset).clamp_min(1e-9)).clamp(max=1.0)[:, None]


def lights_closed(glow: torch.Tensor, unit: float, disc: float = STAR_DISC) -> torch.Tensor:
    """(H, W): a scene's `glow` map (H, W) with the holes its lights' discs make in their halos filled: closed (dilated,
    then eroded back) over `disc` px at 512."""
    reach = max(1, round(disc * unit))
    size = 2 * reach + 1
    dilated = F.max_pool2d(glow[None, None], size, 1, reach)
    return -F.max_pool2d(-dilated, size, 1, reach)[0, 0]


def under_a_dark_sky(lightness: torch.Tensor, sky: torch.Tensor) -> float:
    """1 for a scene whose sky is dark all over (a storm's, a night's: the lightest tenth of it under DARK_SKY), 0 for
    one with a light sky or a light horizon (a day's, a dusk's, a sunset's), from the (H, W) OKLab lightness of its
    sketch. Measured on Munch's compositions at 384x256, seeds 1-3, the sky's 90th percentile: storms 0.53-0.55,
    nights 0.39-0.54, dusks and sunsets 0.69-0.74, days 0.86-0.95."""
    open_sky = lightness[sky > 0.5]
    if open_sky.numel() == 0:
        return 0.0
    return 1 - float(smoothstep(torch.quantile(open_sky, DARK_SKY_LIGHTEST), *DARK_SKY))


def plan_strokes(
    lab: torch.Tensor,
    style: StrokeStyle,
    controls: Controls,
    generator: torch.Generator,
    keep: torch.Tensor | None = None,
    water: torch.Tensor | None = None,
    sky: torch.Tensor | None = None,
    glow: torch.Tensor | None = None,
) -> StrokePlan:
    """Plan the painting of a (3, H, W) OKLab picture. `keep` (H, W) integer labels: shapes to keep legible
    (keep.py; a scene's elements), 0 where the style is free; None for a photograph. `water` (H, W), 0 to 1: a scene's
    sea, lake or river (sea_grade.py); None for a photograph. `sky` (H, W), 0 to 1: a scene's sky (its clouds, sun,
    moon and stars too), where the bands' heat goes; with it the bands keep a scene's flat masses apart in value. None
    for a photograph. `glow` (H, W), 0 to 1: a scene's halos (its suns', moons', stars' and lamps' soft light), where
    no contour is drawn; None for a photograph or a scene without them."""
    _, height, width = lab.shape
    long_side = picture_size(height, width)
    unit = long_side / 512
    coarseness = 1.5 - controls.detail  # 1.5 (broad) to 0.5 (detailed)
    simplified = simplify(lab, max(1, round(style.simplify * unit * coarseness)))
    if style.busy_flow > 0:  # busy detail drawn out along one flow, before anything reads the picture
        simplified = along_flow(simplified, style.busy_flow, unit, style.flow_reach)
    key = None if sky is None else torch.tensor(DAY_SKETCH_LIGHTNESS)
    mapped = map_colours(
        simplified,
        style.colours,
        controls.palette,
        style.hue_gather,
        style.tone_tint,
        style.paper,
        style.yellow_lights,
        style.tone_tolerance,
        key,
    )
    if style.pale_own_hue > 0 and keep is not None and bool(keep.any()):
        # A scene's pale kept thing keeps its hue family where his tints turn it into another (a pink crown, cream).
        untinted = map_colours(
            simplified, style.colours, controls.palette, style.hue_gather, 0.0, 0.0, style.yellow_lights,
            style.tone_tolerance, key,
        )  # fmt: skip
        mapped = own_hues(mapped, untinted, simplified[0], kept_shapes(keep), style.pale_own_hue)
    memberships = region_memberships(simplified, unit)
    # His fields in their light paint under the dark blades (grass.field_painted); the contours are found on the
    # picture before it, so the field's paint makes no edge of its own.
    lined = mapped
    if style.field_paint > 0 and style.grass > 0:
        mapped = field_painted(mapped, simplified, memberships, unit, style.field_paint)
    # Where the painter loses edges (lost_edges.py): None for a style that keeps them all, as before. There
    # the strokes aim at a softened picture, whose softened edges no longer stop them, so the details are
    # simplified away and the shapes dissolve.
    lost = lost_map(mapped, style.lost_edges, unit, style.dark_keep) if style.lost_edges > 0 else None
    keep = keep if keep is not None and bool(keep.any()) else None  # nothing to keep: the painting as before
    inside = None if keep is None else kept_shapes(keep)
    # A scene's moon or sun: a kept shape within its lights' halos, painted in its own colour without the strokes' jitter
    kept_lights = None if inside is None or glow is None else inside * lights_closed(glow, unit, LIGHT_DISC)
    if lost is not None and inside is not None:
        lost = lost * (1 - inside)  # the light dissolves what is around a kept shape, not the shape
    aim = mapped if lost is None else softened(mapped, lost, unit)
    if style.low_key > 0 and controls.palette > 0:  # the painter's dark masses (low_key.py): the strokes aim darker
        aim = lowered(aim, style.low_key * controls.palette)
    if style.dim_lights > 0 and controls.palette > 0:  # ... and only his share of it light (low_key.dimmed)
        aim = dimmed(aim, style.dim_lights * controls.palette)
    stops = simplified if lost is None else softened(simplified, lost, unit)  # the picture whose edges stop paint
    # A green dark area's paint in his leaf masses (foliage.py); inside a scene's tree its clumps draw its lines
    leaves = leaf_map(simplified, aim, unit, style.foliage, inside) if style.foliage > 0 else None
    if keep is not None:
        stops = marked(stops, keep)
    field = direction_field(
        simplified,
        memberships,
        style.swirl,
        unit=unit,
        hatch_angle=style.hatch_angle,
        hatch_pull=style.hatch_pull,
        generator=generator,
        flow=style.band_flow,
        swirl_breadth=style.swirl_breadth,
    )
    layers = LAYERS + (1 if controls.detail > 0.75 else 0) - (1 if controls.detail < 0.25 else 0)
    threshold = style.threshold * coarseness
    widest = max(1.2, style.brush_size * long_side * controls.brush_scale)
    key_map = KeyMap.empty(height, width)
    guide = stops.reshape(3, -1)
    batches: list[tuple[Strokes, torch.Tensor]] = []
    seed_colours: list[torch.Tensor] = []
    reaches: list[torch.Tensor] = []
    keeps: list[torch.Tensor] = []  # per stroke: 1 where it was seeded inside a kept shape

    def lay(strokes: Strokes, colours: torch.Tensor, seed_colour: torch.Tensor, reach: torch.Tensor) -> None:
        """Stamp a batch of strokes after those laid so far, each stopped where the picture leaves its seed's colour
        by more than its `reach`, and keep it with its colours for the plan."""
        done = sum(s.count for s, _ in batches)
        stamp(key_map, strokes, torch.arange(done, done + strokes.count), gate=Gate(guide, seed_colour, reach))
        batches.append((strokes, colours))
        seed_colours.append(seed_colour)
        reaches.append(reach)

    # Where neighbouring strokes would all run one way, each is turned its own way (scatter.py), by angles from their
    # own generator, so that the plan's other draws stay the same.
    parallel = parallel_map(field, unit) if style.scatter > 0 else None
    if parallel is not None and style.scatter_edges > 0:
        # ... but not on a drawn subject's clear outline in an open area (a house against the sky), where turned
        # strokes crossed it and it dissolved into sticks; a busy area's many edges (a table's grain) stay scattered.
        parallel = parallel * (1 - style.scatter_edges * edges_of(simplified, unit)[1] * (1 - memberships[2]))
    scatter_draws = torch.Generator().manual_seed(generator.initial_seed() + SCATTER_SEED)
    curl_draws = torch.Generator().manual_seed(generator.initial_seed() + CURL_SEED)
    # Under any gap the simplified picture shows, barely softened: a gap lies along an edge that stopped
    # the paint, and a broad blur there would show the colour of the other side as a halo.
    canvas, base = None, blur(aim, unit)
    previous_radius = widest
    # The finest brush: about 1% of the picture's width at middle detail (painters' strokes are 1-5%);
    # more detail allows finer, less detail stops sooner.
    finest = max(1.2, FINEST_BRUSH * long_side * coarseness)
    for layer in range(layers):
        radius = max(finest, widest * LAYER_RATIO**layer)
        if layer > 0 and radius >= previous_radius:
            break
        previous_radius = radius
        reference = blur(aim, 0.5 * radius)
        error = torch.full((height, width), 1.0) if canvas is None else channel_norm(reference - canvas)
        seeds = _seeds_in_cells(error, max(2, round(1.6 * radius)), threshold, generator, canvas is None)
        if seeds.shape[0] == 0:
            continue
        seeds = seeds[torch.randperm(seeds.shape[0], generator=generator)]  # painting order within the layer
        if inside is not None:
            keeps.append((sample(inside[None], seeds)[:, 0] > 0.5).float())
        seed_colour = sample(stops, seeds)
        reach = EDGE * (1 + sample(memberships[2:3], seeds)[:, 0] ** 2)
        factor = None if lost is None else reach_factor(sample(lost[None], seeds)[:, 0])
        if factor is not None:
            reach = reach * factor
        # A stroke takes the picture's colour at its scale, but not the other side of a strong edge nearby.
        colours = _within_edge(sample(reference, seeds), sample(aim, seeds), factor)
        jitter = torch.randn(colours.shape, generator=generator) * style.jitter * torch.tensor([1.0, 0.6, 0.6])
        if style.jitter_patches > 0:
            # Passages of flat colour beside passages of contrasting strokes: his 8-16 px texture changes from place
            # to place, where an even jitter broke every block of the picture alike (unevenness3 -1.0 SD).
            noise = place_noise(seeds, JITTER_PATCH * unit, generator.initial_seed() + JITTER_PATCH_SEED)
            jitter = jitter * (1 + style.jitter_patches * (4 * noise - 2)).clamp_min(0)[:, None]
        if style.jitter_hue > 0:
            jitter[:, 1:] = _hue_kept(jitter[:, 1:], colours[:, 1:], style.jitter_hue)
        if kept_lights is not None:
            # Jittered, a small moon (24 px across at 384) was a grey-blue ball striped by the finer strokes laid to
            # mend it, or a cream disc in green rings (Munch's Surprise choices of a night harbour, a wheat field)
            jitter = jitter * (1 - sample(kept_lights[None], seeds)[:, 0])[:, None]
        colours = colours + jitter
        if layer >= 2 and style.accents > 0:
            colours = _accented(colours, style.accents, style.colours.warmth, generator)

        def keeps_going(
            points: torch.Tensor,
            colours=colours,
            reference=reference,
            canvas=canvas,
            seed_colour=seed_colour,
            reach=reach,
            factor=factor,
        ) -> torch.Tensor:
            # Stop at a strong edge, where the picture changes colour (farther where edges are lost), or
            # where the canvas is already closer than this stroke.
            off_reference = row_norm(sample(reference, points) - colours)
            fits = off_reference < (threshold * 2.5 if factor is None else threshold * 2.5 * factor)
            fits &= row_norm(sample(stops, points) - seed_colour) < reach
            if canvas is not None:
                fits &= off_reference < row_norm(sample(canvas, points) - colours) + 0.01
            return fits

        # Along the contour flow a stroke may run up to twice as far: long bands (field.contour_flow).
        max_steps = max(1, round(style.length * (1 + style.band_flow)))
        turn, bend = None, None
        if parallel is not None:
            turn = turns(seeds, parallel, style.scatter, scatter_draws)
            if style.curl > 0:  # and curled, each one way round (scatter.bends)
                bend = bends(seeds, parallel, style.curl, max_steps, curl_draws)
        # A curled stroke arcs at most (1 - curl_straight) of a right angle each way and then runs on along the field:
        # curled all its length, a long one hooked back on itself.
        strokes = trace(
            seeds,
            torch.full((seeds.shape[0],), radius),
            field,
            keeps_going,
            max_steps=max_steps,
            smoothing=style.smoothing,
            generator=generator,
            turn=turn,
            bend=bend,
            most_bend=None if style.curl_straight <= 0 else (1 - style.curl_straight) * math.pi / 2,
        )
        if style.slender > 0 and radius > finest:
            # In the open areas the broad strokes keep their paths but are laid narrower (up to SLENDER of their width
            # taken off): long dashes over the flat ground, not pebble-ovals side by side.
            openness = 1 - sample(memberships[2:3], seeds)[:, 0]
            strokes.radius = strokes.radius * (1 - SLENDER * style.slender * openness)
        lay(strokes, colours, seed_colour, reach)
        table = torch.cat([c for _, c in batches])
        owner = key_map.inner().flatten() // MAX_POINTS
        flat = table[owner.clamp_min(0)].T.reshape(3, height, width)
        canvas = torch.where((owner >= 0).view(1, height, width), flat, base if canvas is None else canvas)
    if style.dash_layer > 0 and canvas is not None:  # small dashes of contrasting colour over patches (dash_layer.py)
        cells = _seeds_in_cells(canvas[0], max(2, round(1.6 * finest)), 0.0, generator, True)
        dash_radius = finest * (1 + style.dash_width)  # Munch's streaks are wider than the finest brush
        strokes, colours, seed_colour = dash_strokes(canvas, stops, field, cells, dash_radius, style, generator)
        lay(strokes, colours, seed_colour, torch.full((strokes.count,), EDGE))
    strength = style.outline * controls.outline
    if strength > 0:
        # A halo has no edge: outlined, a night's stars' soft light became ringed blobs, joined in pairs into peanuts.
        unlined = lost if glow is None else glow if lost is None else torch.maximum(lost, glow)
        # ... nor has the shading inside a pale thing (a blossoming crown's lit lumps)
        inner = (
            style.unlined_inside * inside_things(keep, unit) if style.unlined_inside > 0 and keep is not None else None
        )
        contours, colours = outline_strokes(lined, style, strength, unit, generator, unlined, inner)
        if leaves is not None and keep is not None:  # ... nor has a scene's tree inside its crown (foliage.py)
            contours, colours = _outside_crowns(
                contours, colours, inside_things(keep, unit) * in_crowns(leaves, style.foliage)
            )
        done = sum(s.count for s, _ in batches)
        stamp(key_map, contours, torch.arange(done, done + contours.count))
        batches.append((contours, colours))
        seed_colours.append(torch.zeros((contours.count, 3)))
        reaches.append(torch.full((contours.count,), float("inf")))  # a contour is drawn on the edge itself
    plan = _join(
        batches,
        seed_colours,
        reaches,
        height,
        width,
        base,
        stops,
        layers_count=len(batches) - (1 if strength > 0 else 0),
        outlined=strength > 0,
    )
    plan.key_map = key_map
    if style.bands > 0 and style.paints is not None:
        # After the plan is laid (the canvas it compared against is the picture's own colours): each fill
        # stroke takes one of the painter's paints, in bands that keep each area's lightness.
        band_strength, hue, contrast, vivid, heat = _band_amounts(style, controls)
        middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
        sketched, own_share = plan.colour, None
        if sky is not None:
            # A scene's sketch is a few flat masses (sky, sea, hill), each of one colour. Paints sought a reach above
            # and below each stroke striped every mass with the same far-apart light and dark paints (Munch's orange
            # and black-green in sky, sea and land alike: no mass read). Sought beside its lightness, each mass's
            # bands alternate its neighbouring paints and the masses keep their values apart.
            contrast = 0.0
            # And a mass in a colour the painter has no paint for (a blue sky, a canal, a snowfield among Munch's
            # ochres, oranges and olives, none lighter than L 0.69) keeps SCENE_OWN of its own colour, the sketch's,
            # banded in his light and dark: in his paints a day's sky and a snowfield came out the same ochre as the
            # land, and a canal the black-green of its banks. (The sketch's: the palette's colours took the snow's
            # white to his ochre already.)
            sketched = sample(simplified, middle)
            own_share = SCENE_OWN * foreign_share(sketched, style.paints)
            on_land = 1 - sample(sky[None], middle)[:, 0]
            own_share = torch.maximum(own_share, LAND_WHITE_OWN * on_land * too_light(sketched, style.paints))
            # A dark sky (a storm's, a night's) keeps more: his light paints are all orange and ochre, and his orange
            # pulled SCENE_OWN back to a storm's slate laid mauve streaks across it (pink, OKLab hue 5-50).
            dark = 1 - smoothstep(sketched[:, 0], *DARK_SKY)
            dark_sky = (1 - on_land) * dark
            own_share = torch.maximum(own_share, DARK_SKY_OWN * dark_sky * foreign_share(sketched, style.paints))
            if water is not None:
                # And so does the water under a dark sky (a storm's or a night's, all of it), whatever its colour: the
                # light under a storm's break lay a salmon streak along the sea's horizon, his orange over a slate
                # teal only half foreign to his black-green. Not under a day's, a dusk's or a sunset's sky, whose sea
                # is as dark: it stays SCENE_OWN.
                dark_water = under_a_dark_sky(lab[0], sky) * sample(water[None], middle)[:, 0] * dark
                own_share = torch.maximum(own_share, DARK_SKY_OWN * dark_water)
        kept, streaks = None, None
        if style.band_keep > 0:  # a subject's strokes keep some of their own colour, judged at their middles
            kept = style.band_keep * sample(subject_map(simplified, unit)[None], middle)[:, 0]
        if style.band_rhythm > 0:  # that share of the strokes choose their paints in streaks along the flow
            by_streak = torch.rand(plan.count, generator=generator) < style.band_rhythm
            along = sample(flow_streaks(field, unit, generator)[None], middle)[:, 0]
            streaks = torch.where(by_streak, along, torch.tensor(float("nan")))
        strokes_heat: float | torch.Tensor = heat
        strokes_vivid: float | torch.Tensor = vivid
        if style.sky_heat > 0 and heat > 0:  # the heat kept to the sky: elsewhere the lights keep their hue family
            # A scene knows its sky; elsewhere it is found by its colour, its smoothness and its reach from the top
            # (sky.py), in the open areas: not every open area in the upper half (a close-up's table top, a garage's
            # wall), which burnt orange.
            where_sky = sky if sky is not None else (1 - memberships[2]) * sky_map(simplified, memberships[2], unit)
            in_sky = sample(where_sky[None], middle)[:, 0]
            strokes_heat = sky_held_heat(heat, in_sky, style.sky_heat)
            if style.sky_vivid > 0:  # and his vivid paints: a table top's lights in his ochres, not his blood orange
                strokes_vivid = sky_held_heat(vivid, in_sky, style.sky_vivid)
        if glow is not None and (heat > 0 or vivid > 0):
            # A scene's halos keep their colour family: heated, the pale gold round a moon and its stars took the
            # painter's vivid light paint whatever its colour (Munch's blood orange: a red moon over a wheat field);
            # and the stars themselves, holes in the glow map (a disc drawn over its halo hides it) closed here, took
            # his vivid paint as blood-orange specks.
            in_halo = sample(lights_closed(glow, unit)[None], middle)[:, 0]
            strokes_heat = strokes_heat * (1 - in_halo)
            strokes_vivid = strokes_vivid * (1 - in_halo)
        sought = plan.colour if own_share is None else within_paints(plan.colour, style.paints, own_share)
        banded, other = banded_pairs(
            sought,
            style.paints,
            band_strength,
            hue,
            generator,
            contrast=contrast,
            vivid=strokes_vivid,
            heat=strokes_heat,
            kept=kept,
            streaks=streaks,
            dark_colour=style.band_dark_colour,
            dull_lights=style.band_dull_lights,
        )
        if own_share is not None:
            banded = in_own_colour(sketched, sought, banded, own_share)
            other = in_own_colour(sketched, sought, other, own_share)
        if keeps:  # a kept shape's strokes keep their own colour
            free = 1 - torch.cat(keeps + [torch.zeros(plan.count - sum(k.numel() for k in keeps))])
            banded = plan.colour + free[:, None] * (banded - plan.colour)
            other = plan.colour + free[:, None] * (other - plan.colour)
        if style.band_strands > 0:  # the strands inside a stroke lean to the other paint of its pair
            plan.strand = torch.where(plan.is_outline[:, None], plan.colour, other)
        plan.colour = torch.where(plan.is_outline[:, None], plan.colour, banded)
    if style.wash > 0 or style.glow > 0 or style.calm > 0 or style.busy_flat > 0:  # the wash maps' openness says
        # where the open areas are (the calm) and so where the busy ones are (the flat paint)
        plan.wash = wash_maps(aim, memberships, unit, style.dark_keep if style.glow > 0 else 0.0)
        if style.rough_ground > 0:  # the open ground low in the picture less veiled and smoothed (wash.rough_ground)
            plan.wash[3:4] = rough_ground(plan.wash[3:4], memberships, style.rough_ground)
        if inside is not None and style.glow > 0:
            # The light glows round a kept shape, not over it: Turner's glow lifted a lighthouse's dark silhouette
            # against his sunset by up to 0.3 in lightness, into a ghost of the sky's own colour.
            plan.wash[4] = plan.wash[4] * (1 - inside)
        if style.wash > 0 and style.bands > 0 and style.paints is not None:
            # The wash is laid in the same paints as the strokes it veils (mixed, not banded), or it would
            # bring back the picture's own colours over every open area.
            colour = plan.wash[:3].reshape(3, -1).T
            # The strokes' pairs of paints far apart in lightness (band_contrast) mix a soft wash unevenly: which pair
            # a colour takes changes at a lightness, and the wash jumped there in a crisp seam across a sky. An even
            # wash mixes its pairs as if they were sought without that contrast. (Its own names: `strength` below is
            # the outline's, and the kept contours took the bands' when this block shadowed it.)
            wash_strength, wash_hue, wash_contrast, wash_vivid, wash_heat = _band_amounts(style, controls)
            amounts = (wash_strength, wash_hue, wash_contrast * (1 - style.even_wash), wash_vivid, wash_heat)
            mixed = [  # in chunks: a 1,024-px plan's pixels against eight paints would take ~100 MB at once
                mixed_paints(part, style.paints, *amounts) for part in colour.split(65536)
            ]
            mixed_wash = torch.cat(mixed).T.reshape(3, height, width)
            if inside is not None:
                mixed_wash = mixed_wash + inside * (plan.wash[:3] - mixed_wash)
            plan.wash[:3] = mixed_wash
        heart = None  # where the blaze's heart is spared the darker sweeps and scumble patches (blaze.spared)
        if style.wash > 0 and style.blaze > 0:
            # The hottest light blazes out into the vapour round it (blaze.py), from its own generator, before the sweeps
            # and the scumble, which then brush it as they brush the rest of the wash.
            hot = blaze_field(aim, unit, generator.initial_seed())
            if hot is not None:
                if inside is not None:
                    hot = (hot[0] * (1 - inside), hot[1], hot[2])
                plan.wash = blazed(plan.wash, hot, style.blaze, blaze_gold(style.paints, style.colours.warmth))
                if style.blaze_heart > 0:
                    heart = style.blaze_heart * hot[0] * hot[1]
        # The lighter sweeps and scumble go toward his cream-gold lights, not past white into lemon (sweeps.creamed).
        cream = sweep_cream(blaze_gold(style.paints, style.colours.warmth)) if style.cream_sweeps > 0 else None
        if style.wash > 0 and style.sweep > 0:
            # The wash laid in broad sweeps along the strokes' flow (sweeps.py), last, so that its lighter and darker,
            # warmer and cooler paint is not mixed back to one tint; a kept shape keeps its own wash.
            sweeps = sweep_field(field, memberships, unit, generator)
            if inside is not None:
                sweeps = sweeps * (1 - inside)
            if heart is not None:
                sweeps = spared(sweeps, heart)
            plan.wash[:3] = swept(plan.wash[:3], sweeps, style.sweep, style.colours.warmth, cream, style.cream_sweeps)
        if style.wash > 0 and style.scumble > 0:
            # ... and scumbled (scumble.py): broken, undirected patches of lighter and darker paint over the sweeps,
            # from their own generator (the plan's draws after this stay the same); a kept shape keeps its wash.
            broken = scumble_field(memberships, unit, generator.initial_seed())
            if inside is not None:
                broken = broken * (1 - inside)
            if heart is not None:
                broken = spared(broken, heart)
            plan.wash[:3] = swept(plan.wash[:3], broken, style.scumble, style.colours.warmth, cream, style.cream_sweeps)
    if style.bokashi > 0:
        plan.grade = grade_map(aim, memberships, style.bokashi, unit)
    if style.blocks > 0:  # a woodblock's few flat, graded colour areas, printed over the paint
        plan.blocks = block_print(aim, unit, float(style.colours.lightness.std()))
    if style.baren > 0 and (style.flat_sky > 0 or style.baren_ground > 0 or style.baren_open > 0):
        # his skies flat, his grounds printed; Munch's blotches in the open areas only
        plan.baren = baren_areas(memberships, style.flat_sky, style.baren_ground, style.baren_open)
    if style.sea_grade > 0 and water is not None:  # a scene's water in his printed sea's graded blue
        plan.sea = sea_paint(water, style.sea_grade)
    if style.cold_darks > 0 and controls.palette > 0 and style.colours.tints is not None:
        ranged = None
        if style.dark_range > 0 and style.paints is not None:  # his darks run from olive to teal, in their hue order
            ranged = (style.colours.tints[0], style.paints, style.dark_range)
        amount = min(1.0, style.cold_darks * controls.palette)
        plan.cool = cool_map(aim, unit, amount, inside, style.cold_reach, ranged, style.cold_vivid)
        if style.green_darks > 0:  # a green dark area in his foliage's blue-green, judged before the colour map
            plan.cool = green_kept(plan.cool, simplified, style.darkest_tint, unit, style.green_darks)
    plan.leaves = leaves
    if style.line_hatch > 0:
        # The key block's fine lines over the flat colour (hatching.py), on top of the paint and its contours.
        # A scene with water: the open areas above the water's horizon are sky, not fields (his skies have no lines).
        rows = None if water is None else water_rows(water)
        horizon = 0 if rows is None else rows[0]
        _add_contours(plan, *hatch_lines(mapped, stops, field, memberships, style, unit, generator, horizon))
    if style.grass > 0:  # a green ground drawn as his grass (grass.py), over the paint like the key block's lines
        _add_contours(plan, *grass_blades(mapped, simplified, stops, memberships, style, unit, generator, shade=lined))
    if keep is not None and strength > 0:
        # A scene's things get contours along their whole outlines (outline.py), as many as the painter's edges
        # allow: all of them where no edge is lost (Munch, Hokusai, Van Gogh), none where the light dissolves
        # three quarters of every edge (Turner: a contour there would be a line he never draws). Last, on top,
        # so that every other stroke is planned and coloured as it would be without them.
        how_many = KEPT_CONTOURS * (1 - style.lost_edges)
        _add_contours(plan, *kept_contours(mapped, keep, style, strength, how_many, unit, generator))
    if style.coarse_contrast > 0 and controls.palette > 0:  # last: measured on the canvas of every stroke
        plan.tone = tone_gain(plan.canvas(), style.coarse_contrast)
    return plan


def _outside_crowns(contours: Strokes, colours: torch.Tensor, crowns: torch.Tensor) -> tuple[Strokes, torch.Tensor]:
    """The contours (and their (N, 3) colours) whose middle lies outside the (1, H, W) `crowns` (0 to 1, a scene's tree
    inside its own outline): there his clumps draw the crown's lit lumps, which a contour ringed like a hole. Dropped
    once traced, so that the plan's random draws after them are as they were."""
    middles = contours.paths[torch.arange(contours.count), (contours.first + contours.last) // 2]
    outside = sample(crowns, middles)[:, 0] < 0.5
    kept = Strokes(contours.paths[outside], contours.first[outside], contours.last[outside], contours.radius[outside])
    return kept, colours[outside]


def _add_contours(plan: StrokePlan, contours: Strokes, colours: torch.Tensor) -> None:
    """Append contour strokes on top of a plan, and stamp them into its ownership map."""
    if contours.count == 0:
        return
    assert plan.key_map is not None
    stamp(plan.key_map, contours, torch.arange(plan.count, plan.count + contours.count))
    points = max(plan.paths.shape[1], contours.paths.shape[1])

    def padded(paths: torch.Tensor) -> torch.Tensor:
        return F.pad(paths.permute(0, 2, 1), (0, points - paths.shape[1]), mode="replicate").permute(0, 2, 1)

    plan.paths = torch.cat([padded(plan.paths), padded(contours.paths)])
    plan.first = torch.cat([plan.first, contours.first])
    plan.last = torch.cat([plan.last, contours.last])
    plan.radius = torch.cat([plan.radius, contours.radius])
    plan.colour = torch.cat([plan.colour, colours])
    if plan.strand is not None:
        plan.strand = torch.cat([plan.strand, colours])
    plan.is_outline = torch.cat([plan.is_outline, torch.ones(contours.count, dtype=torch.bool)])
    plan.seed_colour = torch.cat([plan.seed_colour, torch.zeros((contours.count, 3))])
    plan.reach = torch.cat([plan.reach, torch.full((contours.count,), float("inf"))])  # drawn on the edge itself


def _join(
    batches: list[tuple[Strokes, torch.Tensor]],
    seed_colours: list[torch.Tensor],
    reaches: list[torch.Tensor],
    height: int,
    width: int,
    base: torch.Tensor,
    guide: torch.Tensor,
    layers_count: int,
    outlined: bool,
) -> StrokePlan:
    points = max(s.paths.shape[1] for s, _ in batches)

    def padded(paths: torch.Tensor) -> torch.Tensor:
        return F.pad(paths.permute(0, 2, 1), (0, points - paths.shape[1]), mode="replicate").permute(0, 2, 1)

    is_outline = torch.cat(
        [torch.full((s.count,), outlined and index >= layers_count) for index, (s, _) in enumerate(batches)]
    )
    return StrokePlan(
        height=height,
        width=width,
        paths=torch.cat([padded(s.paths) for s, _ in batches]),
        first=torch.cat([s.first for s, _ in batches]),
        last=torch.cat([s.last for s, _ in batches]),
        radius=torch.cat([s.radius for s, _ in batches]),
        colour=torch.cat([c for _, c in batches]),
        is_outline=is_outline,
        base=base,
        guide=guide,
        seed_colour=torch.cat(seed_colours),
        reach=torch.cat(reaches),
    )
