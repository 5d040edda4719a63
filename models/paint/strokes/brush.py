"""Strokes as data: trace many strokes at once along a field, stamp them into an ownership map, read it back.

A layer of strokes is a batch: all paths advance together, one `grid_sample` per step. Strokes are
drawn as ribbons (capsules between consecutive path points, whose radius tapers along the stroke).
Overlap is resolved without a loop over strokes: every covered pixel keeps the largest key of the
strokes that cover it (`scatter_reduce` "amax"), and a key is the stroke's place in painting order
(later layers and later strokes on top) times MAX_POINTS plus the segment index: the painter's
algorithm, vectorised. Reading the map back gives each pixel its stroke, and where in the stroke it
lies: `along` (0 at the start, 1 at the end) and `across` (-1 to 1 from one edge to the other).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import torch

from .filters import row_norm, sample
from .occlusion import LowestInBlocks, LowestInSquares

MAX_POINTS = 64  # points per stroke path at most (keys are stroke * MAX_POINTS + segment)
THIN_BRUSH = 2.5  # radius in pixels below which one disc per step is enough
# Candidate pixels per stamping step: bounded memory. Each step costs ~140 small tensor ops whatever its size, and
# that overhead was most of stamping: 512 K (not 256 K) takes Turner's 2048-px tiles in 916 steps, not 1,565, and lays
# out only 5% more pixels (the smallest keys a step tests against are a little older).
_CANDIDATES_PER_CHUNK = 524_288


@dataclass
class Strokes:
    """A batch of strokes: paths (N, P, 2) in pixels, the first and last valid point of each, radius (N,)."""

    paths: torch.Tensor
    first: torch.Tensor
    last: torch.Tensor
    radius: torch.Tensor

    @property
    def count(self) -> int:
        return self.paths.shape[0]

    @classmethod
    def empty(cls) -> Strokes:
        """No strokes (a layer or a kind of line that found nowhere to go)."""
        none = torch.zeros(0, dtype=torch.long)
        return cls(torch.zeros((0, 3, 2)), none, none.clone(), torch.zeros(0))


def direction_at(field: torch.Tensor, points: torch.Tensor) -> torch.Tensor:
    """Unit directions (N, 2) of a doubled-angle field at (N, 2) points (sign undetermined)."""
    doubled = sample(field, points)
    doubled = doubled / row_norm(doubled)[:, None].clamp_min(1e-9)
    # Half-angle formulas: cheaper than atan2, cos and sin.
    cos = ((1 + doubled[:, 0]) / 2).clamp_min(0).sqrt()
    sin = ((1 - doubled[:, 0]) / 2).clamp_min(0).sqrt() * torch.where(doubled[:, 1] < 0, -1.0, 1.0)
    return torch.stack([cos, sin], dim=1)


def _turned(directions: torch.Tensor, rotation: torch.Tensor) -> torch.Tensor:
    """(N, 2) directions each rotated by its angle, given as (N, 2) cosines and sines."""
    cos, sin = rotation[:, 0], rotation[:, 1]
    return torch.stack(
        [cos * directions[:, 0] - sin * directions[:, 1], sin * directions[:, 0] + cos * directions[:, 1]], 1
    )


def _march(
    start: torch.Tensor,
    heading: torch.Tensor,
    steps: int,
    step_length: torch.Tensor,
    field: torch.Tensor,
    keeps_going,
    smoothing: float,
    min_steps: int,
    rotation: torch.Tensor | None,
    turn: torch.Tensor | None = None,
    bend: torch.Tensor | None = None,
    most_bend: float | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Advance all strokes `steps` times along the field (each turned from it by `rotation`, (N, 2) cosines and
    sines, where given; or, with a `bend` (N,) radians a step, by its `turn` (N,) plus the bend times the steps taken,
    at most `most_bend` radians either way where given, so that it curls); returns points (N, steps, 2) and how many
    are valid."""
    height, width = field.shape[-2:]
    position, direction = start, heading
    alive = torch.ones(start.shape[0], dtype=torch.bool, device=start.device)
    valid = torch.zeros(start.shape[0], dtype=torch.long, device=start.device)
    points = []
    for step in range(steps):
        if bend is not None and turn is not None:
            curled = bend * (step + 1)
            if most_bend is not None:
                curled = curled.clamp(-most_bend, most_bend)
            angle = turn + curled
            rotation = torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
        new = direction_at(field, position) if rotation is None else _turned(direction_at(field, position), rotation)
        new = torch.where(((new * direction).sum(1) < 0)[:, None], -new, new)
        # A little inertia: a brush does not turn on the spot (Hertzmann's curvature filter).
        new = smoothing * direction + (1 - smoothing) * new
        new = new / row_norm(new)[:, None].clamp_min(1e-9)
        candidate = position + new * step_length[:, None]
        inside = (candidate[:, 0] >= 0) & (candidate[:, 0] <= width - 1) & (candidate[:, 1] >= 0)
        inside &= candidate[:, 1] <= height - 1
        alive &= inside & ((step < min_steps) | keeps_going(candidate))
        position = torch.where(alive[:, None], candidate, position)
        direction = torch.where(alive[:, None], new, direction)
        valid += alive.long()
        points.append(position)
    return torch.stack(points, dim=1), valid


def trace(
    seeds: torch.Tensor,
    radius: torch.Tensor,
    field: torch.Tensor,
    keeps_going,
    *,
    max_steps: int,
    min_steps: int = 1,
    step: float = 1.0,
    smoothing: float = 0.35,
    generator: torch.Generator | None = None,
    turn: torch.Tensor | None = None,
    bend: torch.Tensor | None = None,
    most_bend: float | None = None,
) -> Strokes:
    """Grow a stroke both ways from each seed along the field, `max_steps` at most each way; with `turn` (N,),
    each stroke along the field turned by its own angle (radians) all its length (scatter.py), and with `bend` (N,)
    turned further by that many radians a step away from its seed, one way round, so that it curls in an arc; with
    `most_bend`, by at most that many radians each way from its seed, so that a long stroke arcs and then runs on
    along the field rather than hooking back.

    `keeps_going(points) -> (N,) bool` says whether each stroke may extend to the new point."""
    max_steps = min(max_steps, (MAX_POINTS - 2) // 2)
    rotation = None if turn is None else torch.stack([torch.cos(turn), torch.sin(turn)], dim=1).to(seeds)
    heading = direction_at(field, seeds) if rotation is None else _turned(direction_at(field, seeds), rotation)
    if generator is not None:  # which way a stroke starts does not matter, but must be seeded
        flip = torch.rand(seeds.shape[0], generator=generator).to(seeds) < 0.5
        heading = torch.where(flip[:, None], -heading, heading)
    step_length = radius * step

    def march(way: float) -> tuple[torch.Tensor, torch.Tensor]:  # 1: forward from the seeds, -1: backward, curling back
        return _march(seeds, way * heading, max_steps, step_length, field, keeps_going, smoothing, min_steps, rotation,
                      turn, None if bend is None else way * bend, most_bend)

    forward, forward_count = march(1.0)
    backward, backward_count = march(-1.0)
    paths = torch.cat([backward.flip(1), seeds[:, None], forward], dim=1)
    first = max_steps - backward_count
    last = max_steps + forward_count
    return Strokes(paths=paths, first=first, last=last, radius=radius)


def taper(along: torch.Tensor) -> torch.Tensor:
    """Width profile of a stroke (0..1 along it): the brush lands, spreads, and lifts off thinner."""
    landing = (along / 0.15).clamp(0, 1)
    lifting = ((1 - along) / 0.3).clamp(0, 1)
    return 0.45 + 0.55 * torch.sqrt(landing * lifting)


@dataclass
class Gate:
    """Where a batch's strokes may paint: a stroke claims a pixel only if the simplified picture there is
    within `limit` (OKLab) of the colour the stroke was seeded on, so paint stops at the strong edges of
    the picture's shapes, as a painter cuts in along them, and a thin shape a stroke passes over is kept.

    `picture` holds the simplified picture at the key map's pixels, flattened (3, H * W); `colour` (N, 3)
    and `limit` (N,) belong to the strokes of the batch being stamped (an infinite limit: anywhere)."""

    picture: torch.Tensor
    colour: torch.Tensor
    limit: torch.Tensor

    def allows(self, flat: torch.Tensor, stroke: torch.Tensor) -> torch.Tensor:
        """May the strokes paint the pixels? `flat` pixel indices, `stroke` the batch's stroke at each (or one for all)."""
        distance = torch.zeros(flat.shape, dtype=self.picture.dtype, device=flat.device)
        for channel in range(3):  # one channel at a time: three flat gathers, no (..., K, 3) temporaries
            distance += (torch.take(self.picture[channel], flat) - self.colour[stroke, channel]) ** 2
        return distance <= self.limit[stroke] ** 2


@dataclass
class KeyMap:
    """The ownership map being painted: flat int64 keys, -1 where no stroke has been.

    It holds the picture's (or the tile's) own pixels and nothing more: stamping drops what falls
    outside, so the map does not grow with the brushes (a margin as wide as the widest brush made a
    16,384-px painting's tiles 11,000 px across, 1 GB each, at four times the painter's brush size)."""

    keys: torch.Tensor
    height: int
    width: int

    @classmethod
    def empty(cls, height: int, width: int, device: torch.device | str = "cpu") -> KeyMap:
        return cls(torch.full((height * width,), -1, dtype=torch.long, device=device), height, width)

    def inner(self) -> torch.Tensor:
        """The (H, W) keys."""
        return self.keys.view(self.height, self.width)


def _discs_along(strokes: Strokes) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Disc centres (D, 2), radii (D,), stroke ids and segment indices along every stroke.

    A step is one radius long; brushes wider than THIN_BRUSH get a second disc halfway, so that
    neighbouring discs overlap enough that a ribbon's edge dips by 3% of its radius at most (13%,
    a fraction of a pixel, for the thin ones)."""
    lengths = (strokes.last - strokes.first).clamp_min(1)
    index = torch.arange(strokes.paths.shape[1] - 1, device=strokes.paths.device)
    real = (index[None] >= strokes.first[:, None]) & (index[None] < strokes.last[:, None])
    # A stroke of a single point still gets one (zero-length) segment: a dab.
    real |= (index[None] == strokes.first[:, None]) & (strokes.last == strokes.first)[:, None]
    stroke_id, segment = real.nonzero(as_tuple=True)
    a, b = strokes.paths[stroke_id, segment], strokes.paths[stroke_id, segment + 1]
    # The last segment of each stroke also gets a disc at its far end; thin brushes skip the halfway one.
    is_last = segment + 1 >= strokes.last[stroke_id]
    thin = strokes.radius[stroke_id] < THIN_BRUSH
    fractions = torch.tensor([0.0, 0.5, 1.0], device=a.device, dtype=a.dtype)
    keep = torch.stack([torch.ones_like(is_last), ~thin, is_last], dim=1)
    centres = a[:, None] + fractions[None, :, None] * (b - a)[:, None]
    along = ((segment - strokes.first[stroke_id])[:, None].float() + fractions[None]) / lengths[stroke_id, None]
    radii = strokes.radius[stroke_id, None] * taper(along.clamp(0, 1))
    expand = keep.nonzero(as_tuple=True)
    return centres[expand], radii[expand], stroke_id[expand[0]], segment[expand[0]]


def stamp(
    key_map: KeyMap, strokes: Strokes, ids: torch.Tensor, origin: tuple[int, int] = (0, 0), gate: Gate | None = None
) -> None:
    """Stamp strokes into the key map in place: stroke i gets key ids[i] * MAX_POINTS + segment.

    The map covers the pixels from `origin` (x, y) on; what falls outside it is dropped, and so is what
    the `gate` (if any) does not allow.

    A pixel keeps the largest key of the discs that cover it and whose gate allows it, as when every disc
    tested every pixel of its square; but a pixel is looked at far fewer times (Turner at 2048 px: 130 M
    pixels stamped, each tested and gated four times or more before; now 6.5 M are gated). A disc's pixels in a
    row are consecutive, so it is stamped as one run per row, found without testing each pixel; a disc leaves to
    the next disc of its stroke the pixels that one covers too (the same stroke, so the same gate, and a key at
    least as large); and the last strokes are stamped first, so that where a larger key already lies an earlier
    stroke has nothing to claim (occlusion.py): a disc is passed over whole where every square of 16 x 16 pixels
    that its own square meets holds only larger keys, and its runs' pixels 16 at a time, then one by one, before
    the gate sees them."""
    if strokes.count == 0:
        return
    centres, radii, stroke_id, segment = _discs_along(strokes)
    centres = centres - torch.tensor(origin, dtype=centres.dtype)
    rounded = torch.round(centres)
    # Each disc: its centre's pixel, and how far its true centre lies from that pixel.
    pixel = rounded.long()
    offset = rounded - centres
    limit = radii * radii
    key = ids[stroke_id] * MAX_POINTS + segment
    # The next disc along the same stroke (discs come in stroke order, then along it); -1 after a stroke's last.
    following = torch.arange(1, stroke_id.numel() + 1)
    following[:-1] = torch.where(stroke_id[1:] == stroke_id[:-1], following[:-1], -1)
    following[-1] = -1
    reaches = (centres[:, 0] > -radii - 1) & (centres[:, 0] < key_map.width + radii)
    reaches &= (centres[:, 1] > -radii - 1) & (centres[:, 1] < key_map.height + radii)
    # A disc's rows: its pixels lie within radius + 0.5 of its centre's pixel (the centre is within 0.5 of it).
    half = radii.floor().long() + 1
    area = (2 * half + 1) ** 2
    wide = reaches & (area > _CANDIDATES_PER_CHUNK)
    for disc in wide.nonzero().flatten().tolist():
        # A disc wider than a whole chunk: on its own, only where it meets the map.
        _stamp_wide_disc(
            key_map, pixel[disc], offset[disc], radii[disc], key[disc], int(half[disc]), gate, stroke_id[disc]
        )
    discs = (reaches & ~wide).nonzero().flatten()
    # Chunks of discs whose squares hold _CANDIDATES_PER_CHUNK pixels at most: bounded memory at any size.
    ends = area[discs].cumsum(0).tolist()
    chunks, begin = [], 0
    while begin < len(ends):
        end = max(begin + 1, bisect.bisect_right(ends, (ends[begin - 1] if begin else 0) + _CANDIDATES_PER_CHUNK))
        chunks.append(discs[begin:end])
        begin = end
    # The last strokes first (keys grow with painting order): a wide brush's layer lies under many.
    lowest = LowestInBlocks.of(key_map.keys)
    lowest_in_squares = LowestInSquares.of(key_map.keys, key_map.height, key_map.width)
    for chunk in reversed(chunks):
        chunk = lowest_in_squares.open_discs(chunk, pixel, half, key)  # a disc wholly under later strokes: none of it
        if chunk.numel() == 0:  # a third of Turner's steps at 2048 px: none of their discs can claim a pixel
            continue
        start, length, disc = _runs(key_map, chunk, half, pixel, offset, limit, following)
        flat, run = lowest.unclaimed(start, length, key[disc])
        keys = key[disc[run]]
        kept = (keys > key_map.keys[flat]).nonzero().flatten()
        flat, run, keys = flat[kept], run[kept], keys[kept]
        if gate is not None:
            kept = gate.allows(flat, stroke_id[disc[run]]).nonzero().flatten()
            flat, keys = flat[kept], keys[kept]
        key_map.keys.scatter_reduce_(0, flat, keys, reduce="amax")
        lowest.update(flat)
        lowest_in_squares.update(flat)


def _row_span(offset_x: torch.Tensor, row_y: torch.Tensor, limit: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The first and last pixel (offsets from the disc's centre pixel) of each disc's row that the disc covers;
    first > last where it covers none. `row_y` is the row's distance from the true centre.

    A pixel is covered where (offset_x + x)^2 + row_y^2 <= radius^2 in float32, the test every disc has always
    had; along a row that holds for consecutive x. The square root finds the ends to within a pixel, and one
    test on either side of each end makes them exact."""
    row_squared = row_y * row_y

    def covers(x: torch.Tensor) -> torch.Tensor:
        across = offset_x + x.float()
        return across * across + row_squared <= limit

    reach = (limit.double() - row_squared.double()).clamp_min(0).sqrt()
    first = torch.ceil(-offset_x.double() - reach).long()
    last = torch.floor(-offset_x.double() + reach).long()
    first = torch.where(covers(first - 1), first - 1, torch.where(covers(first), first, first + 1))
    last = torch.where(covers(last + 1), last + 1, torch.where(covers(last), last, last - 1))
    return first, last


def _runs(
    key_map: KeyMap,
    discs: torch.Tensor,
    half: torch.Tensor,
    pixel: torch.Tensor,
    offset: torch.Tensor,
    limit: torch.Tensor,
    following: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The runs of map pixels that `discs` stamp: each run's first pixel (a flat index), length and disc. A disc
    has a run in each of its rows, clipped to the map, less the run the next disc of its stroke has in that row
    (which leaves at most two pieces)."""
    rows = 2 * half[discs] + 1
    disc = discs.repeat_interleave(rows)
    dy = torch.arange(disc.numel()) - (rows.cumsum(0) - rows + half[discs]).repeat_interleave(rows)  # -half..half
    y = pixel[disc, 1] + dy
    in_map = (y >= 0) & (y < key_map.height)
    disc, dy, y = disc[in_map], dy[in_map], y[in_map]
    first, last = _row_span(offset[disc, 0], offset[disc, 1] + dy.float(), limit[disc])
    first = (first + pixel[disc, 0]).clamp_min(0)
    last = (last + pixel[disc, 0]).clamp_max(key_map.width - 1)
    # The next disc's run on the same row, found with the very arithmetic that disc is stamped with.
    after = following[disc]
    following_disc = after.clamp_min(0)
    after_first, after_last = _row_span(
        offset[following_disc, 0],
        offset[following_disc, 1] + (y - pixel[following_disc, 1]).float(),
        limit[following_disc],
    )
    after_first, after_last = after_first + pixel[following_disc, 0], after_last + pixel[following_disc, 0]
    none = (after < 0) | (after_first > after_last)  # no run to leave: all of this disc's run is its own
    after_first = torch.where(none, key_map.width, after_first)
    after_last = torch.where(none, key_map.width - 1, after_last)
    # The pieces left and right of the next disc's run.
    starts = torch.cat([first, torch.maximum(first, after_last + 1)])
    lengths = torch.cat([torch.minimum(last, after_first - 1), last]) - starts + 1
    pieces = (lengths > 0).nonzero().flatten()
    y, disc = torch.cat([y, y])[pieces], torch.cat([disc, disc])[pieces]
    return y * key_map.width + starts[pieces], lengths[pieces], disc


def _stamp_wide_disc(
    key_map: KeyMap,
    pixel: torch.Tensor,
    offset: torch.Tensor,
    radius: torch.Tensor,
    key: torch.Tensor,
    reach: int,
    gate: Gate | None,
    stroke: torch.Tensor,
) -> None:
    """One disc whose offsets alone would overflow a chunk: the same test as the grouped discs get, over the
    part of its square that lies in the map, a band of rows at a time (bounded memory at any brush size)."""
    cx, cy = int(pixel[0]), int(pixel[1])
    x0, x1 = max(-reach, -cx), min(reach, key_map.width - 1 - cx)
    y0, y1 = max(-reach, -cy), min(reach, key_map.height - 1 - cy)
    if x0 > x1 or y0 > y1:
        return
    ox = torch.arange(x0, x1 + 1, dtype=torch.float32, device=offset.device)
    limit = radius * radius
    rows = max(1, _CANDIDATES_PER_CHUNK // ox.numel())
    for top in range(y0, y1 + 1, rows):
        oy = torch.arange(top, min(top + rows, y1 + 1), dtype=torch.float32, device=offset.device)
        rx, ry = offset[0] + ox[None, :], offset[1] + oy[:, None]
        inside = rx * rx + ry * ry <= limit
        flat = (cy + oy.long())[:, None] * key_map.width + (cx + ox.long())[None, :]
        if gate is not None:
            inside &= gate.allows(flat, stroke)
        flat = flat[inside]
        key_map.keys.scatter_reduce_(0, flat, key.expand(flat.shape), reduce="amax")


@dataclass
class Ownership:
    """Per pixel: the stroke on top (-1 where none), and where in it the pixel lies."""

    stroke: torch.Tensor  # (H, W) long
    along: torch.Tensor  # (H, W) 0..1 from the stroke's start to its end
    across: torch.Tensor  # (H, W) -1..1 from one edge to the other


def _nearest_on(
    paths: torch.Tensor, start: torch.Tensor, pixel_x: torch.Tensor, pixel_y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Where along each pixel's segment (0 to 1) its nearest point lies, how far it is, and on which side; `start`:
    the flat index of the segment's first point in `paths` (N, P, 2). The x and y sums are written out, and the
    points taken from the flat paths: the (n, 2) gathers and sums over two columns cost twice as much."""
    flat = paths.reshape(-1)
    end = torch.where(start % paths.shape[1] < paths.shape[1] - 1, start + 1, start)  # the path's last point: itself
    a_x, a_y = flat.take(2 * start), flat.take(2 * start + 1)
    ab_x, ab_y = flat.take(2 * end) - a_x, flat.take(2 * end + 1) - a_y
    relative_x, relative_y = pixel_x - a_x, pixel_y - a_y
    t = ((relative_x * ab_x + relative_y * ab_y) / (ab_x * ab_x + ab_y * ab_y).clamp_min(1e-9)).clamp(0, 1)
    offset_x, offset_y = relative_x - t * ab_x, relative_y - t * ab_y
    side = torch.sign(ab_x * relative_y - ab_y * relative_x)
    return t, (offset_x * offset_x + offset_y * offset_y).sqrt(), side


def read_ownership(key_map: KeyMap, strokes: Strokes, origin: tuple[int, int] = (0, 0)) -> Ownership:
    """Decode a key map whose keys index `strokes` (key // MAX_POINTS); the map starts at pixel `origin`.

    A pixel's place in its stroke is measured from the nearest of the segment that claimed it and its
    two neighbours: where a stroke bends, the later segment's disc claims pixels that lie beside the
    earlier one, and measuring from it alone would put ribs across the stroke."""
    paths, first, last, radius = strokes.paths, strokes.first, strokes.last, strokes.radius
    keys, height, width = key_map.inner().flatten(), key_map.height, key_map.width
    covered = keys >= 0
    safe = keys.clamp_min(0)
    stroke, claimed = safe // MAX_POINTS, safe % MAX_POINTS
    ys, xs = torch.meshgrid(
        torch.arange(height, device=keys.device), torch.arange(width, device=keys.device), indexing="ij"
    )
    pixel_x, pixel_y = (xs.flatten() + origin[0]).float(), (ys.flatten() + origin[1]).float()
    low, high = first[stroke], (last[stroke] - 1).clamp_min(first[stroke])
    row = stroke * paths.shape[1]  # the flat index of each pixel's stroke's first point
    best = None
    for shift in (-1, 0, 1):
        segment = torch.minimum(torch.maximum(claimed + shift, low), high)
        t, distance, side = _nearest_on(paths, row + segment, pixel_x, pixel_y)
        if best is None:
            best = [segment, t, distance, side]
        else:
            closer = distance < best[2]
            best = [torch.where(closer, new, old) for new, old in zip((segment, t, distance, side), best, strict=True)]
    assert best is not None  # three shifts were tried
    segment, t, distance, side = best
    length = (last - first).clamp_min(1).float()
    along = ((segment - first[stroke]).float() + t) / length[stroke]
    reach = radius[stroke] * taper(along.clamp(0, 1))
    across = (side * distance / reach.clamp_min(1e-6)).clamp(-1, 1)
    return Ownership(
        stroke=torch.where(covered, stroke, -1).view(height, width),
        along=torch.where(covered, along.clamp(0, 1), 0).view(height, width),
        across=torch.where(covered, across, 0).view(height, width),
    )
