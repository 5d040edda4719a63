"""Where a fill goes: the connected region of the colour under the pointer, and the soft edges around it, each with
the share of the region's colour it holds (the fill takes that share's place)."""

from __future__ import annotations

import numpy as np

FILL_TOLERANCE = 24  # per channel, out of 255: fills across JPEG noise, stops at real edges
# How far (px) a fill goes on into a soft edge around it: the blend of the default brush (hardness 0.6) on a 2048-px
# canvas shown 700 px wide is about 14 px.
FILL_EDGE_REACH = 24
# A soft edge ends where the colour stops changing: at a pixel with all of its 3x3 within this (per channel) of it.
# A soft brush's blend changes 13 a pixel or more across a 100-px stroke's edge; a photo's flat sky a few. (Five of
# the nine, as in session 24, found ends in a photo's noise: a red fill of a patch of a noisy photo tinted pink
# streaks of the photo around it, 1,398 px up to 33 levels.)
FLAT_COLOUR = 6


def flood_fill_mask(pixels: np.ndarray, x: int, y: int, tolerance: int = FILL_TOLERANCE) -> np.ndarray:
    """The connected region around (x, y) whose colour is within `tolerance` of the seed's.

    Row by row, in sweeps down and up the picture: what a row gains grows, in the next row of the sweep and (in the
    next sweep) the row behind, every run of fillable pixels it touches, all of a row's runs at once in numpy. Filling
    run by run, each walked pixel by pixel in Python, held the UI thread 0.5 s of CPU for a blank 2048-px canvas and
    0.9 s for a dark tree in a photo (4-6 s at load 16); breadth first, row by row, a ragged region in a photo reached
    each of its rows about six times (57 ms for 84,000 px of a noisy 2048-px picture; in sweeps 39)."""
    height, width, _ = pixels.shape
    similar = _SimilarRows(pixels, pixels[y, x].tolist(), tolerance)
    filled = np.zeros((height, width), dtype=bool)
    touching = {y: np.zeros(width, dtype=bool)}  # rows to grow: what the rows beside them gained since
    touching[y][x] = True
    step = 1  # the sweep's direction: down the picture, then up

    def grow(row: int, gained: np.ndarray) -> bool:
        """Fill the runs of `row` that `gained` touches and hand what they add to the rows beside it."""
        fillable = similar.row(row) & ~filled[row]
        if not (fillable & gained).any():
            return False
        grown = _runs_touched(fillable, gained)
        filled[row] |= grown
        for neighbour, gain in ((row + step, grown), (row - step, grown.copy())):  # each its own, to add to
            if 0 <= neighbour < height:
                if neighbour in touching:
                    touching[neighbour] |= gain
                else:
                    touching[neighbour] = gain
        return True

    while touching:
        row, last = (min(touching), max(touching)) if step > 0 else (max(touching), min(touching))
        while (row - last) * step <= 0:
            gained = touching.pop(row, None)
            if gained is not None and grow(row, gained) and row == last and 0 <= row + step < height:
                last += step  # the sweep goes on into the row it just reached
            row += step
        step = -step
    return filled


def soft_edges(pixels: np.ndarray, mask: np.ndarray, seed: np.ndarray, reach: int = FILL_EDGE_REACH,
               tolerance: int = FILL_TOLERANCE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pixels of the soft edges around `mask` (a flood fill from a pixel of colour `seed`) as rows, columns, and
    the share of the region's colour each holds: the pixels up to `reach` px from the region on a way that leaves
    the region's colour and arrives at a flat colour of another (a stroke's core), each a blend of the two (within
    `tolerance` per channel). A soft brush blends the stroke's colour into the paper; a fill stopped where the blend
    passed the tolerance left the blend's pale part, drawn by the painting as a light line between the fill and the
    stroke (under Xvfb), whatever the fill's colour. A way that arrives at no flat colour (a photo's noise beside the
    region) is not taken."""
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    # Worked out in the region's rectangle and `reach` around it: on the whole of a 2048-px canvas each step's
    # neighbours were a few ms, for a fill of a small shape.
    top, left = max(rows[0] - reach, 0), max(columns[0] - reach, 0)
    bottom, right = rows[-1] + reach + 1, columns[-1] + reach + 1
    rows, columns, shares = _soft_edges(pixels[top:bottom, left:right], mask[top:bottom, left:right],
                                        seed.astype(np.float32), reach, tolerance)
    return rows + top, columns + left, shares


def _soft_edges(pixels: np.ndarray, mask: np.ndarray, seed: np.ndarray, reach: int,
                tolerance: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """soft_edges in a rectangle: out from the region step by step, each pixel reached once and only where its
    colour does not turn back toward the region's, each way ending at a flat colour; then back along the ways that arrived,
    and out again keeping the pixels that lie between the region's colour and their way's end (lists of pixels, not
    whole pictures: a fill around a shape on a 2048-px canvas took 90 ms more CPU with a picture-sized step)."""
    height, width = mask.shape
    colours = pixels.reshape(-1, 3)
    seen = mask.ravel().copy()
    came_from = np.zeros(height * width, dtype=np.int64)  # the pixel before each on its way (flat index)
    end_of = np.zeros(height * width, dtype=np.int64)  # 1 + the flat pixel its way arrives at; 0: none (yet)
    away = np.zeros(height * width, dtype=np.float32)  # how far its colour is from the region's
    frontier = np.flatnonzero(mask & _beside(~mask))
    away[frontier] = np.abs(colours[frontier] - seed).max(axis=1)
    steps = []
    arrivals = 0  # pixels of a flat colour where a way ends
    for _ in range(reach):
        places, before = _neighbours(frontier, (height, width))
        fresh = ~seen[places]
        places, before = places[fresh], before[fresh]
        seen[places] = True
        distance = np.abs(colours[places] - seed).max(axis=1)
        # Out from the region, give or take the ripples a soft brush's dabs leave along its edge.
        onward = distance > away[before] - tolerance
        places, before, distance = places[onward], before[onward], distance[onward]
        away[places], came_from[places] = distance, before
        arrived = distance > tolerance
        arrived[arrived] = _flat(colours, places[arrived], (height, width))
        end_of[places[arrived]] = places[arrived] + 1
        arrivals += int(arrived.sum())
        steps.append(places)
        frontier = places[~arrived]
        if not len(frontier):
            break
    if not arrivals:  # no way arrived at a flat colour (a photo's noise all round): there is no soft edge
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    for step in reversed(range(len(steps))):  # each way's pixels learn where it arrives, from its end back
        places = steps[step]
        # A side branch (a ripple beside a way, leading nowhere) arrives where a pixel beside it does.
        _take_ends_from_beside(places[end_of[places] == 0], end_of, (height, width))
        if step:
            places = places[end_of[places] > 0]
            before = came_from[places]
            open_ = end_of[before] == 0
            end_of[before[open_]] = end_of[places[open_]]
    taken = np.zeros(height * width, dtype=bool)
    found, shares = [], []
    for step, places in enumerate(steps):  # out again: a pixel is kept where every pixel before it on its way was
        places = places[end_of[places] > 0]
        if step:
            places = places[taken[came_from[places]]]
        colour = colours[places].astype(np.float32)
        direction = colours[end_of[places] - 1].astype(np.float32) - seed
        along = np.clip(((colour - seed) * direction).sum(axis=1) / (direction * direction).sum(axis=1), 0.0, 1.0)
        between = (np.abs(colour - (seed + along[:, None] * direction)).max(axis=1) <= tolerance) & (along > 0)
        taken[places[between]] = True
        found.append(places[between])
        shares.append(1.0 - along[between])
    places = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    share = np.concatenate(shares) if shares else np.zeros(0, dtype=np.float32)
    return places // width, places % width, share


def _take_ends_from_beside(places: np.ndarray, end_of: np.ndarray, shape: tuple[int, int]) -> None:
    """Each of the pixels (flat indices) with no end yet takes the end of a pixel beside it that has one."""
    height, width = shape
    rows, columns = places // width, places % width
    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        inside = (rows + dy >= 0) & (rows + dy < height) & (columns + dx >= 0) & (columns + dx < width)
        here = places[inside]
        there = here + dy * width + dx
        open_ = (end_of[here] == 0) & (end_of[there] > 0)
        end_of[here[open_]] = end_of[there[open_]]


def _flat(colours: np.ndarray, places: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Which of the pixels (flat indices into `colours`, a picture of `shape` as rows of RGB) lie in a flat colour:
    all of their 3x3 within FLAT_COLOUR of them. Each neighbour by its flat index, the edge's rows and columns worked
    out once: clipping rows and columns for each of the nine took 60% of a fill's soft edges in a noisy photo."""
    height, width = shape
    rows, columns = places // width, places % width
    row_starts = (np.maximum(rows - 1, 0) * width, rows * width, np.minimum(rows + 1, height - 1) * width)
    columns_at = (np.maximum(columns - 1, 0), columns, np.minimum(columns + 1, width - 1))
    centre = colours[places].astype(np.int16)
    flat = np.ones(len(places), dtype=bool)
    for row_start in row_starts:
        for column in columns_at:
            difference = np.abs(colours[row_start + column].astype(np.int16) - centre)
            flat &= np.maximum(np.maximum(difference[:, 0], difference[:, 1]), difference[:, 2]) <= FLAT_COLOUR
    return flat


def _neighbours(places: np.ndarray, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The pixels above, below, left and right of the given ones (flat indices), inside `shape`, each once, and for
    each the given pixel it is beside."""
    height, width = shape[:2]
    rows, columns = places // width, places % width
    around_rows = np.concatenate((rows - 1, rows + 1, rows, rows))
    around_columns = np.concatenate((columns, columns, columns - 1, columns + 1))
    inside = (around_rows >= 0) & (around_rows < height) & (around_columns >= 0) & (around_columns < width)
    flat = around_rows[inside] * width + around_columns[inside]
    beside = np.tile(places, 4)[inside]
    # Each once, without sorting (np.unique took most of the growth's time): the last place each is written to wins.
    place = np.empty(height * width, dtype=np.int64)
    place[flat] = np.arange(len(flat))
    once = place[flat] == np.arange(len(flat))
    return flat[once], beside[once]


def _beside(marked: np.ndarray) -> np.ndarray:
    """The pixels beside (above, below, left or right of) a marked one."""
    near = np.zeros_like(marked)
    near[1:] |= marked[:-1]
    near[:-1] |= marked[1:]
    near[:, 1:] |= marked[:, :-1]
    near[:, :-1] |= marked[:, 1:]
    return near


class _SimilarRows:
    """Which pixels of each row are within the tolerance of the seed's colour, worked out for a band of rows that
    grows as the fill reaches a row outside it, doubling each time (a fill of the whole picture works out a few
    bands). Worked out for the whole picture, it was about 15 ms of every fill of a 2048-px canvas, however small
    the region filled."""

    FIRST_BAND = 32  # rows

    def __init__(self, pixels: np.ndarray, colour: list[int], tolerance: int) -> None:
        self.pixels = pixels
        self.bounds = [(max(value - tolerance, 0), min(value + tolerance, 255)) for value in colour]
        self.similar = np.empty(pixels.shape[:2], dtype=bool)
        self.top = self.bottom = 0  # the rows [top, bottom) are worked out

    def row(self, row: int) -> np.ndarray:
        if not self.top <= row < self.bottom:
            self._reach(row)
        return self.similar[row]

    def _reach(self, row: int) -> None:
        height = len(self.similar)
        more = max(self.bottom - self.top, self.FIRST_BAND)
        if self.top == self.bottom:  # the seed's row: a band around it
            self.top, self.bottom = max(row - more // 2, 0), min(row + more // 2 + 1, height)
            self._work_out(self.top, self.bottom)
        elif row < self.top:
            top = max(min(row, self.top - more), 0)
            self._work_out(top, self.top)
            self.top = top
        else:
            bottom = min(max(row + 1, self.bottom + more), height)
            self._work_out(self.bottom, bottom)
            self.bottom = bottom

    def _work_out(self, top: int, bottom: int) -> None:
        band = self.similar[top:bottom]
        band[:] = True
        for channel, (low, high) in enumerate(self.bounds):  # plane by plane in uint8: 12 ms at 2048 px, not 62
            plane = self.pixels[top:bottom, :, channel]
            band &= (plane >= low) & (plane <= high)


def _runs_touched(fillable: np.ndarray, gained: np.ndarray) -> np.ndarray:
    """The runs of a row's `fillable` pixels that `gained` touches."""
    if fillable.all():  # one run across the row (a blank canvas's rows): nothing to tell apart
        return fillable
    run = np.cumsum(fillable & ~np.concatenate(([False], fillable[:-1])))  # each run's number
    touched = np.zeros(run[-1] + 1, dtype=bool)
    touched[run[fillable & gained]] = True
    return fillable & touched[run]
