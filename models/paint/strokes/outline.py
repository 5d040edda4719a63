"""Contours where the painter draws them: long, smooth strokes along the strongest edges of the simplified picture.

Seeds sit on the strongest edge pixel of each grid cell; each contour is traced both ways along the
edge with a lot of inertia and ends where the edge fades. Short pieces are dropped; the path is smoothed (a calligrapher's line, not a wobble) and drawn thick in the middle
and thin at the ends. Its colour is the painter's line colour (measured from the paintings) mixed
with the darker side of the edge, darkened.

On a scene's sketch the composer also says where its things are (keep.py): their outlines get contours too,
however little their colours differ from their surroundings' (a grey harbour wall in a grey-green sea), as a
painter who outlines draws the pier's edge whether or not the paint beside it happens to differ.

`unlined_lights` (stroke_style.BOUNDS, 0 to 1, learned; 0 for every style saved before it): how far the contours
lose their dark along an edge whose darker side is itself light: the rim of a light against a light sky or haze (a sun, a
lit sail), which a painter of light leaves unlined, the blaze running into the vapour round it; a dark thing
against the light (a hull, a tree) keeps its contour. Turner's sun kept a dark ring from the lost edges' 25%. Such a
contour is still drawn, in the mix of the light and the haze beside it: a soft band where the dark ring was.

`unlined_inside` (0 to 1, 0 for every style saved before it): how far a contour inside one of a scene's kept things
(`inside_things`) that runs round a light in a light surround (`_round_lights`) is painted in the mix of its sides
instead of the line's dark: a blossoming crown's lit lumps, which the scene draws as pale discs on its pale body,
were each ringed in a dark line like a cloud. A house's corners and windows (straight, or darker inside) and the
thing's outline (`kept_contours`) keep their lines, and a photograph, which has no kept things, is painted as before.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .brush import MAX_POINTS, Strokes, trace
from .field import structure_tensor, tangent_of
from .filters import blur, gradients, row_norm, sample, smoothstep
from .keep import marked
from .stroke_style import StrokeStyle


def _edge_strength(lab: torch.Tensor, unit: float) -> torch.Tensor:
    gx, gy = gradients(blur(lab, 1.0 * unit) * torch.tensor([2.0, 1.0, 1.0])[:, None, None])
    return (gx * gx + gy * gy).sum(0, keepdim=True).sqrt()


def kept_outlines(labels: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W) 0 to 1: a ridge along every boundary of the (H, W) label map (between a kept thing and
    anything else), 1 on the boundary and falling off over a few pixels, so that a contour traced along it
    stays on it and its strongest pixel in each cell lies on the boundary itself."""
    padded = labels[None, None].float()
    high = F.max_pool2d(padded, 3, stride=1, padding=1)
    low = -F.max_pool2d(-padded, 3, stride=1, padding=1)
    boundary = (high != low)[0].float()
    # A straight boundary marks a line two pixels wide; its peak after the blur is the ridge's 1.
    line = torch.zeros((1, 1, 64))
    line[..., 31:33] = 1
    peak = blur(line, 1.5 * unit).amax().clamp_min(1e-6)
    return (blur(boundary, 1.5 * unit) / peak).clamp(max=1.0)


# OKLab lightness of an edge's darker side from which its contour starts to lose its dark, and where fully (`unlined_lights`):
# a light sky (the README sketch's, L 0.69 before the palette) is fully light, the green hill below the house (L 0.57)
# half, a dark tree or hull (L under 0.5) not at all.
LIT_FROM, LIT_FULL = 0.5, 0.65
LIT_MIX = 0.5  # an unlined contour's colour: this share of its lighter side, the rest of its darker
LIT_SIDE = 3.0  # how far across an edge its darker side is looked for, at 512 px (the contour's colour is read there)


def lit_sides(mapped: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W) 0 to 1: how light the darker side of any edge through each pixel of a (3, H, W) OKLab picture is
    (the least lightness within LIT_SIDE), from 0 (dark, up to LIT_FROM) to 1 (light, from LIT_FULL), a smoothstep."""
    reach = max(1, round(LIT_SIDE * unit))
    least = -F.max_pool2d(-blur(mapped[:1], 1.0 * unit)[None], 2 * reach + 1, stride=1, padding=reach)[0]
    return smoothstep(least, LIT_FROM, LIT_FULL)


# How far inside a scene's kept thing a contour's seed must lie (px at 512: its label all round it) for
# `unlined_inside` to unline it: the thing's own outline keeps its contour.
INSIDE_REACH = 3.0
# Such a contour runs round a light (`_round_lights`) when it turns INSIDE_TURN radians and its lighter side is the one
# it turns to at INSIDE_SHARE of its points: looser than a sun's (ROUND_TURN, ROUND_SHARE), since a crown's lumps are
# traced in short, overlapping pieces (with the sun's, a third of the rings stayed); a house's corner hardly turns and
# a window is darker inside.
INSIDE_TURN, INSIDE_SHARE = 0.3, 0.8


def inside_things(kept: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W) 1 where a pixel lies inside one of a scene's kept things (`kept`, (H, W) integer labels, 0 for none),
    INSIDE_REACH from any other label, else 0."""
    reach = max(1, round(INSIDE_REACH * unit))
    labels = kept[None, None].float()
    high = F.max_pool2d(labels, 2 * reach + 1, stride=1, padding=reach)
    low = -F.max_pool2d(-labels, 2 * reach + 1, stride=1, padding=reach)
    return ((high == low) & (labels > 0))[0].float()


def _smoothed(paths: torch.Tensor, first: torch.Tensor, last: torch.Tensor, passes: int = 3) -> torch.Tensor:
    """Average each inner point with its neighbours, a few times; the ends stay where they are."""
    index = torch.arange(paths.shape[1])[None]
    inner = ((index > first[:, None]) & (index < last[:, None]))[..., None]
    for _ in range(passes):
        neighbours = (torch.roll(paths, 1, dims=1) + torch.roll(paths, -1, dims=1)) / 2
        paths = torch.where(inner, 0.5 * paths + 0.5 * neighbours, paths)
    return paths


# A light ringed by a light (a sun or a moon in a pale sky, `light_rims`): its contours, traced with inertia round the
# small disc, drift up to 2 px off its edge, side by side: thirty of them drew the README sketch's sun a grey ring 5 px
# wide where his key line is 1-2 px. Such a contour is moved onto its edge's crest: the strongest edge within
# CREST_REACH across it, looked for in steps of CREST_STEP (px at 512).
CREST_REACH, CREST_STEP = 2.0, 0.25
# A contour runs round a light when it turns at least ROUND_TURN radians, at ROUND_SHARE of its points towards the side
# that is lighter (by LIGHTER, OKLab L, at LIT_SIDE across), and its darker side is light (lit_sides over ROUND_LIT on
# average): a dark crown turns towards its darker side, a lit wall on dark ground has a dark side, a house's straight
# lines hardly turn. Only those move: moving every contour onto its crest thinned the village's wide lines as well, and
# the measure wanted them (village sketch 1.02 -> 1.06).
ROUND_TURN, ROUND_SHARE, LIGHTER, ROUND_LIT = 0.6, 0.95, 0.06, 0.9


def _normals(paths: torch.Tensor) -> torch.Tensor:
    """(N, P, 2) unit normals (to the left of travel) of (N, P, 2) paths; 0 where a path stands still."""
    direction = torch.roll(paths, -1, dims=1) - torch.roll(paths, 1, dims=1)
    direction[:, 0], direction[:, -1] = paths[:, 1] - paths[:, 0], paths[:, -1] - paths[:, -2]
    normal = torch.stack([-direction[..., 1], direction[..., 0]], -1)
    return normal / normal.norm(dim=-1, keepdim=True).clamp_min(1e-9)


def _round_lights(
    paths: torch.Tensor,
    first: torch.Tensor,
    last: torch.Tensor,
    mapped: torch.Tensor,
    unit: float,
    least_turn: float = ROUND_TURN,
    lighter_share: float = ROUND_SHARE,
) -> torch.Tensor:
    """(N,) bool: which of the (N, P, 2) paths run round a light in a light surround (a sun in a pale sky), in the (3,
    H, W) OKLab picture `mapped`: see ROUND_TURN (`least_turn`, `lighter_share`: ROUND_TURN's and ROUND_SHARE's)."""
    count, length, _ = paths.shape
    steps = paths[:, 1:] - paths[:, :-1]
    angles = torch.atan2(steps[..., 1], steps[..., 0])
    turns = torch.remainder(angles[:, 1:] - angles[:, :-1] + torch.pi, 2 * torch.pi) - torch.pi
    index = torch.arange(length)[None]
    between = (index[:, :-2] >= first[:, None]) & (index[:, :-2] < last[:, None] - 1)  # between two of its own steps
    turn = (turns * between).sum(1)  # its steps' turns added: a wobble along a straight edge cancels out
    inward = _normals(paths) * turn.sign()[:, None, None] * LIT_SIDE * unit  # towards the side it turns to
    lightness = blur(mapped[:1], 1.0 * unit)
    flat = paths.reshape(-1, 2)
    inside, outside = (sample(lightness, flat + side * inward.reshape(-1, 2))[:, 0] for side in (1, -1))
    valid = (index >= first[:, None]) & (index <= last[:, None])
    lighter_inside = (((inside - outside).view(count, length) > LIGHTER) & valid).sum(1) / valid.sum(1)
    lit = (sample(lit_sides(mapped, unit), flat)[:, 0].view(count, length) * valid).sum(1) / valid.sum(1)
    return (turn.abs() >= least_turn) & (lighter_inside >= lighter_share) & (lit >= ROUND_LIT)


def _on_crest(
    paths: torch.Tensor, first: torch.Tensor, last: torch.Tensor, edges: torch.Tensor, share: torch.Tensor, unit: float
) -> torch.Tensor:
    """The (N, P, 2) paths with each point moved `share` (N,) of the way onto the crest of `edges` (1, H, W) across
    the path: its strongest point within CREST_REACH. The ends are repeated past first and last again, as brush.trace
    leaves them."""
    count, length, _ = paths.shape
    normal = _normals(paths)
    reach = CREST_REACH * unit
    offsets = torch.arange(-reach, reach + 1e-6, CREST_STEP * unit)
    candidates = paths[:, :, None] + offsets[None, None, :, None] * normal[:, :, None]  # (N, P, K, 2)
    strength = sample(edges, candidates.reshape(-1, 2))[:, 0].reshape(count, length, -1)
    # Ties (a flat crest, or no edge at all) go to the offset nearest the point: it stays where it is.
    strength = strength - 1e-6 * offsets.abs()
    best = offsets[strength.argmax(-1)]
    moved = paths + share[:, None, None] * best[..., None] * normal
    index, rows = torch.arange(length)[None, :, None], torch.arange(count)
    moved = torch.where(index < first[:, None, None], moved[rows, first][:, None], moved)
    return torch.where(index > last[:, None, None], moved[rows, last][:, None], moved)


def _joined(strokes: Strokes, share: float) -> Strokes:
    """The contours with a point between each two, so that a thin line's discs (one per point, brush.THIN_BRUSH)
    overlap into one line instead of a row of beads: a contour is traced in steps of 2.5 px at 512, wider than its
    own 1-2 px width. The new point lies on a smooth curve through the old ones (the four-point interpolating
    subdivision: 9/16 of each end of the step less 1/16 of the points beyond them). Only a `share` of the contours,
    every (1 / share)-th as it comes, is joined; the others' new points sit on the point before (their beads as they were)."""
    paths = strokes.paths
    count = paths.shape[1]
    if 2 * count - 1 > MAX_POINTS:
        raise ValueError(f"a contour of {count} points cannot be joined within {MAX_POINTS} points")
    # Outside a path's valid points every point repeats its end (brush.trace), so clamping at the array's ends is
    # clamping at the path's own.
    index = torch.arange(count - 1)
    before, start, end, beyond = (paths[:, (index + k).clamp(0, count - 1)] for k in (-1, 0, 1, 2))
    between = (9 * (start + end) - before - beyond) / 16
    # The golden ratio's fractions spread any share evenly over the contours, in whatever order they come.
    joined = (torch.arange(strokes.count) * 0.6180339887 % 1.0) < share
    between = torch.where(joined[:, None, None], between, start)
    dense = torch.empty((strokes.count, 2 * count - 1, 2), dtype=paths.dtype)
    dense[:, 0::2], dense[:, 1::2] = paths, between
    return Strokes(paths=dense, first=2 * strokes.first, last=2 * strokes.last, radius=strokes.radius)


def _empty() -> tuple[Strokes, torch.Tensor]:
    return Strokes.empty(), torch.zeros((0, 3))


def outline_strokes(
    mapped: torch.Tensor,
    style: StrokeStyle,
    strength: float,
    unit: float,
    generator: torch.Generator,
    lost: torch.Tensor | None = None,
    inside: torch.Tensor | None = None,
) -> tuple[Strokes, torch.Tensor]:
    """Contour strokes for a (3, H, W) OKLab picture, and their colours (N, 3). `lost` (H, W): where the
    painter loses edges (lost_edges.py), their contours fade by as much. `inside` (1, H, W): how far a contour seeded
    there that runs round a light is unlined (`unlined_inside`)."""
    edges = _edge_strength(mapped, unit)
    # Stronger outlining reaches weaker edges: the cut-off falls from the 99th to the 90th percentile.
    level = 0.99 - 0.09 * min(strength, 1.0)
    cut = torch.quantile(edges.flatten()[:: max(1, edges.numel() // 65536)], level).clamp_min(0.02)
    if lost is not None:
        edges = edges * (1 - lost)
    # A light's rim against light surroundings: its contours are painted in the light and the haze mixed, not in the
    # line's dark (and not dropped: the plan's random draws after the contours, per stroke, would all shift).
    unlined = style.unlined_lights * lit_sides(mapped, unit) if style.unlined_lights > 0 else None
    return _contours(
        edges,
        cut,
        mapped,
        mapped,
        style,
        strength,
        unit,
        generator,
        unlined=unlined,
        on_light=style.light_rims,
        round_inside=inside,
    )


def kept_contours(
    mapped: torch.Tensor,
    kept: torch.Tensor,
    style: StrokeStyle,
    strength: float,
    how_many: float,
    unit: float,
    generator: torch.Generator,
) -> tuple[Strokes, torch.Tensor]:
    """Contours along the outlines of a scene's things, (H, W) integer labels `kept` (keep.py), drawn like the
    painter's other contours (`strength`: their width and darkness), at the width of those along his weakest
    edges: outlined at the width of his strongest, every house of a village was ringed like a cartoon. `how_many`:
    how strongly an outline counts as an edge, in the cut-off's units: from 1 every outline is traced, below 0.5
    none."""
    if how_many <= 0:
        return _empty()
    # The contour follows the outline, not the paint beside it: its direction and its sides are read from the
    # picture with each thing lifted apart (keep.marked), whose gradients elsewhere are the mapped picture's.
    guide = marked(mapped, kept)
    edges = kept_outlines(kept, unit) * how_many
    return _contours(edges, torch.tensor(1.0), guide, mapped, style, strength, unit, generator, pressure=False)


def _contours(
    edges: torch.Tensor,
    cut: torch.Tensor,
    guide: torch.Tensor,
    mapped: torch.Tensor,
    style: StrokeStyle,
    strength: float,
    unit: float,
    generator: torch.Generator,
    pressure: bool = True,
    unlined: torch.Tensor | None = None,
    on_light: float = 0.0,
    round_inside: torch.Tensor | None = None,
) -> tuple[Strokes, torch.Tensor]:
    """Contours seeded on the strongest pixel of `edges` (1, H, W) in each cell where it passes `cut`, traced while
    it stays above half of that, along the edges of `guide`; coloured from `mapped`'s darker side. With
    `pressure`, those along stronger edges are drawn wider. `unlined` (1, H, W): how far each, at its seed, is painted in
    the mix of its two sides (LIT_MIX) instead of the line's colour; `round_inside` (1, H, W): the same for those that
    run round a light (`_round_lights`), how far at their seed."""
    _, height, width = mapped.shape
    cell = max(4, round(14 * unit))
    rows, cols = -(-height // cell), -(-width // cell)
    padded = torch.nn.functional.pad(edges[None], (0, cols * cell - width, 0, rows * cell - height))
    best, where = torch.nn.functional.max_pool2d(padded, cell, return_indices=True)
    where = where.flatten()[best.flatten() > cut]
    if where.numel() == 0:
        return _empty()
    seeds = torch.stack([where % (cols * cell), where // (cols * cell)], dim=1).float()
    seeds[:, 0].clamp_(0, width - 1)
    seeds[:, 1].clamp_(0, height - 1)
    tangent, _ = tangent_of(structure_tensor(guide, 1.5 * unit))

    def keeps_going(points: torch.Tensor) -> torch.Tensor:
        return sample(edges, points)[:, 0] > 0.5 * cut

    step = 2.5 * unit
    radius = torch.full((seeds.shape[0],), style.outline_width * unit * (0.6 + 0.4 * min(strength, 1.5)))
    strokes = trace(
        seeds,
        torch.full((seeds.shape[0],), step),
        tangent,
        keeps_going,
        max_steps=14,
        smoothing=0.6,
        generator=generator,
    )
    # A contour is a line, not a dash: keep those that run at least a few steps along their edge.
    long_enough = (strokes.last - strokes.first) >= 4
    seeds = seeds[long_enough]
    strokes = Strokes(
        strokes.paths[long_enough], strokes.first[long_enough], strokes.last[long_enough], strokes.radius[long_enough]
    )
    radius = radius[long_enough]
    paths = _smoothed(strokes.paths, strokes.first, strokes.last)
    if on_light > 0:
        share = on_light * _round_lights(paths, strokes.first, strokes.last, mapped, unit).float()
        moved = _on_crest(paths, strokes.first, strokes.last, edges, share, unit)
        moved = _smoothed(moved, strokes.first, strokes.last, passes=1)
        paths = torch.where(share[:, None, None] > 0, moved, paths)
    if pressure:  # a contour along a stronger edge is drawn a little wider
        radius = radius * (sample(edges, seeds)[:, 0] / cut).clamp(1, 2.5) ** 0.5
    strokes = Strokes(paths=paths, first=strokes.first, last=strokes.last, radius=radius)
    if style.joined_line > 0:
        strokes = _joined(strokes, style.joined_line)
    # The darker side of the edge: sample a little way across it, both sides, keep the darker.
    gx, gy = gradients(blur(guide[:1], 1.0 * unit))
    normal = sample(torch.cat([gx, gy]), seeds)
    normal = normal / row_norm(normal)[:, None].clamp_min(1e-9) * 3 * unit
    one, other = sample(mapped, seeds + normal), sample(mapped, seeds - normal)
    one_darker = one[:, :1] < other[:, :1]
    darker, lighter = torch.where(one_darker, one, other), torch.where(one_darker, other, one)
    mix = min(1.0, 0.4 + 0.4 * strength)
    colours = (1 - mix) * darker * torch.tensor([0.6, 1.0, 1.0]) + mix * style.outline_colour[None]
    unlining = None if unlined is None else sample(unlined, seeds)
    if round_inside is not None:  # a lit lump inside a pale thing: shading, not an outline
        rounds = _round_lights(strokes.paths, strokes.first, strokes.last, mapped, unit, INSIDE_TURN, INSIDE_SHARE)
        round_share = sample(round_inside, seeds) * rounds.float()[:, None]
        unlining = round_share if unlining is None else torch.maximum(unlining, round_share)
    if unlining is not None:  # a light's rim: the light running into the haze, no dark line
        blend = LIT_MIX * lighter + (1 - LIT_MIX) * darker
        colours = colours + unlining * (blend - colours)
    return strokes, colours
