"""Draw a stroke plan at any size, in tiles: bounded memory, no seams.

The plan's strokes are scaled to the output, and each tile stamps only the strokes that reach it
(plus a halo as wide as the surface's filters reach) into its own ownership map. A pixel's owner is
the largest key of the strokes covering it and the surface filters are local, so every tile computes
exactly what the whole picture would have: tiles join without seams, whatever their size.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from PIL import Image

from ...jobs import check_cancelled
from ...memory import give_back_freed_memory
from ..images import tensor_to_pil
from .bokashi import apply_grade
from .brush import MAX_POINTS, KeyMap, Strokes, read_ownership, stamp
from .filters import Box, picture_size, sample, to_rgb
from .foliage import leaf_masses
from .mottle import SIZE as MOTTLE_SIZE
from .mottle import mottle_noise, mottled
from .plan import StrokePlan
from .ridges import ridge_noise, stroke_lengths
from .strands import dash_colours, strand_weights
from .surface import (
    BAREN_SIZE,
    BRISTLES,
    GRAIN_SIZE,
    baren_grain,
    dry_choice,
    dry_strokes,
    finish_surface,
    grain_noise,
    load_map,
    open_darks,
    open_lights,
    open_sky,
    openness,
    relief_box,
    surface_reach,
)
from .tone_gain import gained
from .wash import apply_cool, apply_wash, paint_lightness

# A tile's own work (ownership map, surface, bristles) takes ~100-250 MB at 768 px with its halo, and that
# transient is the painting's peak beyond its picture: 512 px holds 4096x1024 from scratch to 225 MB (371 at
# 768) for ~12% more time, the halos being drawn more often. Tiles join exactly at any size.
DEFAULT_TILE = 512


def _at_output(
    picture: torch.Tensor, plan: StrokePlan, top: int, left: int, height: int, width: int, sx: float, sy: float
) -> torch.Tensor:
    """A plan-size (3, H, W) picture at the output pixels of a tile (bilinear, pixel centres aligned)."""
    ys = (torch.arange(top, top + height).float() + 0.5) / sy / plan.height * 2 - 1
    xs = (torch.arange(left, left + width).float() + 0.5) / sx / plan.width * 2 - 1
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1)[None]
    return F.grid_sample(picture[None], grid, mode="bilinear", padding_mode="border", align_corners=False)[0]


def rasterize(
    plan: StrokePlan,
    style,
    height: int,
    width: int,
    seed: int,
    tile: int = DEFAULT_TILE,
    cancel: threading.Event | None = None,
    as_picture: bool = False,
) -> Iterator[tuple[float, torch.Tensor | Image.Image | None]]:
    """Yield (fraction done, None) per tile, then (1.0, (3, height, width) sRGB in [0, 1]); `as_picture`:
    a PIL RGB image instead, each tile rounded and pasted as it is drawn, so that the largest painting
    (16,384 px a side) holds one picture of 1.07 GB, not 3.2 GB of floats and the copies converting them."""
    sx, sy = width / plan.width, height / plan.height
    scale = (sx + sy) / 2
    unit = picture_size(height, width) / 512
    paths = (plan.paths + 0.5) * torch.tensor([sx, sy]) - 0.5
    strokes = Strokes(paths=paths, first=plan.first, last=plan.last, radius=plan.radius * scale)
    profile = torch.rand((plan.count, BRISTLES + 1), generator=torch.Generator().manual_seed(seed + 7919))
    lengths = stroke_lengths(strokes) if style.ridges > 0 and style.grain > 0 else None
    dry = None
    if style.smooth_strokes > 0 and style.grain > 0:  # which strokes are laid dry, the rest smooth (surface.py)
        middles = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
        plan_unit = picture_size(plan.height, plan.width) / 512
        place = None  # how far each stroke's dry chance goes to the others (dry_choice's `place`)
        if style.smooth_lights > 0 or style.smooth_darks > 0 or style.smooth_sky > 0:
            open_map = openness(plan.guide, plan_unit)  # the plan's region memberships, once for all three
            place = torch.zeros(plan.count)
            if style.smooth_lights > 0:  # ... fewer in the open light places (a mid-toned sky), more in busy or darker
                place = place + style.smooth_lights * sample(open_lights(open_map, plan.guide), middles)[:, 0]
            if style.smooth_darks > 0:  # ... and in the open places painted dark (a sketch's tree crown)
                place = place + style.smooth_darks * open_darks(sample(open_map, middles)[:, 0], plan.colour)
            if style.smooth_sky > 0:  # ... and in the open sky, whatever its lightness (a sketch's dusk sky)
                place = place + style.smooth_sky * sample(open_sky(open_map, plan.guide, plan_unit), middles)[:, 0]
        dry = dry_choice(plan.count, seed, style.smooth_strokes, middles, style.dry_patches, plan_unit, place, 1.0)
    # Each stroke's reach: the box around its valid points, widened by its radius.
    index = torch.arange(paths.shape[1])[None, :, None]
    valid = (index >= plan.first[:, None, None]) & (index <= plan.last[:, None, None])
    low = torch.where(valid, paths, torch.full_like(paths, float("inf"))).amin(1) - strokes.radius[:, None] - 1
    high = torch.where(valid, paths, torch.full_like(paths, float("-inf"))).amax(1) + strokes.radius[:, None] + 1
    calm = style.calm if plan.wash is not None else 0.0  # the calm lies in the open areas: the wash maps say where
    noise_size = max(GRAIN_SIZE, MOTTLE_SIZE) if style.mottle > 0 else GRAIN_SIZE
    if style.baren > 0 and style.grain > 0:
        noise_size = max(noise_size, BAREN_SIZE)
    halo = surface_reach(unit, style.softness, calm, noise_size)
    give_back_freed_memory()  # what planning freed, before the picture's allocation (250 MB at 16,384 px)
    output = Image.new("RGB", (width, height)) if as_picture else torch.empty((3, height, width))
    rows, cols = list(range(0, height, tile)), list(range(0, width, tile))
    total = len(rows) * len(cols)
    for number, (y0, x0) in enumerate((y, x) for y in rows for x in cols):
        check_cancelled(cancel)
        y1, x1 = min(y0 + tile, height), min(x0 + tile, width)
        top, left = max(0, y0 - halo), max(0, x0 - halo)
        bottom, right = min(height, y1 + halo), min(width, x1 + halo)
        near = (high[:, 0] >= left) & (low[:, 0] < right) & (high[:, 1] >= top) & (low[:, 1] < bottom)
        if plan.key_map is not None and (plan.height, plan.width) == (height, width):
            # Drawn at the plan's own size: its ownership map already holds every stroke (the same keys).
            inner = plan.key_map.inner()[top:bottom, left:right]
            key_map = KeyMap(inner.reshape(-1), bottom - top, right - left)
        else:
            ids = near.nonzero().flatten()
            key_map = KeyMap.empty(bottom - top, right - left)
            part = Strokes(paths[ids], plan.first[ids], plan.last[ids], strokes.radius[ids])
            guide = _at_output(plan.guide, plan, top, left, bottom - top, right - left, sx, sy)
            stamp(key_map, part, ids, (left, top), plan.gate(ids, guide))
        frame_height, frame_width = bottom - top, right - left
        frame, tile_box = Box(0, frame_height, 0, frame_width), Box(y0 - top, y1 - top, x0 - left, x1 - left)
        keys = key_map.inner()
        owner = torch.where(keys >= 0, keys.clamp_min(0) // MAX_POINTS, -1)  # the stroke on top of each pixel
        # Where in its stroke each pixel lies is worked out only where the surface reads it: the tile and the reach of
        # its relief, not the whole halo (Turner at 2048 px: 534² of the frame's 636² pixels).
        relief = relief_box(tile_box, frame_height, frame_width, unit)
        ownership = read_ownership(
            KeyMap(relief.of(keys, frame).reshape(-1), *relief.size()),
            strokes,
            (left + relief.left, top + relief.top),
        )
        flat = plan.colour[owner.clamp_min(0)].permute(2, 0, 1)
        base = _at_output(plan.base, plan, top, left, frame_height, frame_width, sx, sy)
        colour = torch.where((owner >= 0)[None], flat, base)
        if plan.blocks is not None:  # the paint in a few flat, graded colour areas, under its lines (blocks.py)
            printed = _at_output(plan.blocks, plan, top, left, frame_height, frame_width, sx, sy)
            lined = (owner >= 0) & plan.is_outline[owner.clamp_min(0)]
            colour = colour + style.blocks * (~lined)[None] * (printed - colour)
        grain = grain_noise(top, left, frame_height, frame_width, seed, unit, tile_box) if style.grain > 0 else None
        if grain is not None and style.baren > 0:  # a print's broad, soft blotches in its inks (surface.baren_grain)
            areas = None if plan.baren is None else _at_output(plan.baren, plan, y0, x0, y1 - y0, x1 - x0, sx, sy)[0]
            grain = baren_grain(grain, top, left, frame_height, frame_width, seed, unit, tile_box, style.baren, areas)
        if grain is not None and lengths is not None:  # a share of the grain on the strokes runs along them (ridges.py)
            ridged = tile_box.of(ridge_noise(ownership, strokes.radius, lengths, seed, unit), relief)
            on_stroke = tile_box.of(owner, frame) >= 0
            mixed = (1 - style.ridges) ** 0.5 * grain + style.ridges**0.5 * ridged  # as much grain, any mix
            grain = torch.where(on_stroke, mixed, grain)
        if grain is not None and dry is not None:  # a share of the strokes laid smooth, the rest dry
            grain = grain * dry_strokes(tile_box.of(owner, frame), dry, style.smooth_strokes)
        maps = None if plan.wash is None else _at_output(plan.wash, plan, top, left, frame_height, frame_width, sx, sy)
        smooth = None if maps is None or calm <= 0 else calm * maps[3]  # the openness
        laid_flat = None if maps is None or style.busy_flat <= 0 else style.busy_flat * (1 - maps[3])  # busyness
        unseamed = None
        if dry is not None and style.clean_sides > 0:  # the smooth strokes' sides without a seam (surface.py)
            unseamed = style.clean_sides * ((owner >= 0) & ~dry[owner.clamp_min(0)]).float()
        strands = None
        if style.band_strands > 0 and plan.strand is not None:  # thin strands of the second paint in each stroke
            weight = strand_weights(ownership, strokes.radius, plan.is_outline, unit, seed, style.band_strands)
            strands = (plan.strand[ownership.stroke.clamp_min(0)].permute(2, 0, 1), weight)
        elif style.dashes > 0:  # thin dashes of each stroke's own colour, lighter and paler or deeper (strands.py)
            weight = strand_weights(ownership, strokes.radius, plan.is_outline, unit, seed, style.dashes, signed=True)
            strands = (dash_colours(plan.colour)[ownership.stroke.clamp_min(0)].permute(2, 0, 1), weight)
        load = None
        if style.uneven_surface > 0:  # thin, smooth patches beside loaded ones (surface.load_map)
            load = load_map(y0, x0, y1 - y0, x1 - x0, seed, unit, style.uneven_surface)
        painted = finish_surface(
            colour,
            owner,
            ownership,
            strokes.radius,
            plan.is_outline,
            profile,
            style,
            unit,
            tile_box,
            grain,
            calm=smooth,
            strands=strands,
            flat=laid_flat,
            unseamed=unseamed,
            load=load,
        )
        if maps is not None:
            painted = apply_wash(painted, tile_box.of(maps, frame), style)
        if style.mottle > 0:  # fine broken flecks over the paint and its wash (mottle.py)
            flecks = mottle_noise(top, left, frame_height, frame_width, seed, unit, tile_box)
            painted = mottled(painted, flecks, style.mottle, style.colours.warmth)
        if plan.cool is not None:  # the dark areas in the painter's darkest tint, over the glow (wash.py)
            tint = style.darkest_tint
            cool = _at_output(plan.cool, plan, y0, x0, y1 - y0, x1 - x0, sx, sy)
            if cool.shape[0] == 3:  # a tint for each area (wash.dark_tints)
                cool, tint = cool[:1], cool[1:]
            paint = tile_box.of(paint_lightness(colour, unit), frame) if style.lit_in_darks > 0 else None
            painted = apply_cool(painted, cool, tint, style.lit_in_darks, paint)
        if plan.leaves is not None:  # a green dark area's paint in his leaf masses (foliage.py)
            leaves = _at_output(plan.leaves, plan, y0, x0, y1 - y0, x1 - x0, sx, sy)
            painted = leaf_masses(painted, leaves, y0, x0, seed, unit, plan.leaves, (sx, sy))
        if plan.sea is not None:  # a scene's water laid flat in his printed sea's colours, under its lines (sea_grade.py)
            sea = _at_output(plan.sea, plan, y0, x0, y1 - y0, x1 - x0, sx, sy)
            owner_here = tile_box.of(owner, frame)
            lined = (owner_here >= 0) & plan.is_outline[owner_here.clamp_min(0)]
            painted = painted + sea[3:] * (~lined)[None] * (sea[:3] - painted)
        if plan.grade is not None:  # the graded sky, over the paint and its wash (bokashi.py)
            grade = _at_output(plan.grade, plan, y0, x0, y1 - y0, x1 - x0, sx, sy)
            painted = apply_grade(painted, grade, style.bokashi_ink)
        if plan.tone is not None:  # the picture's coarse value contrast toward the painter's (tone_gain.py)
            painted = gained(painted, *plan.tone)
        rgb = to_rgb(painted)
        if isinstance(output, Image.Image):
            output.paste(tensor_to_pil(rgb), (x0, y0))
        else:
            output[:, y0:y1, x0:x1] = rgb
        yield (number + 1) / total, None
    yield 1.0, output
