"""Thin strands inside a broad stroke: many thin parallel strokes of close colours, laid along it.

Munch's broad bands in The Scream (the sky's blood orange, orange and yellow; the fjord's blues) are not even
stripes: each is made of many thin strokes a few pixels wide, running side by side along the band, each a little
nearer one neighbouring paint or the other. A broad stroke of one flat colour (or one flat colour with bristle
streaks, which vary only its lightness) reads as a stripe of house paint.

So a stroke is cut across into strands about STRAND_WIDTH px wide (at 512 px), each following the stroke's path
(its `across` coordinate), and each strand is laid a random share (up to the style's `band_strands`) of the way
toward the stroke's second colour: the colour of the painter's paint nearest to the stroke's own, at the stroke's
lightness (bands.banded_pairs), so the strands are of his paints (the blood orange's red in an orange band) and
each band keeps its lightness (strands of the neighbour's lightness drew light and dark bands toward each other,
and the measure's band energy at 8-32 px fell; the pyramid statistics see lightness only). Each strand starts and ends at its own place along the stroke, so the
strands read as separate thin strokes of different lengths, not as ruled lines. Which share, where it starts and
where it ends are a hash of the stroke's place in painting order and the strand's number: the same in any tile.

A painter who breaks his colour inside each stroke (Van Gogh: the style's `dashes`, for a style without band strands)
has no pair of paints: his strands are dashes of the stroke's own colour, each a random share of the way lighter and
paler (toward white) or deeper and more vivid (`dash_colours`, `signed` weights from -amount to amount). A sky then
reads as his pale-blue, white and cobalt dashes side by side along each stroke's curve, not as one flat oval of blue.
"""

from __future__ import annotations

import torch

from .brush import Ownership

# px at 512: The Scream's sky at this scale is bands 20-40 px wide of streaks 3-6 px across (2.5 px drew hairlines)
STRAND_WIDTH = 4.0
SHORTEST = 0.35  # a strand runs at least this share of its stroke's length
_SOFT = 1.0  # px over which a strand's side fades: soft, as wet paint, not an engraved line
_END = 0.06  # share of the stroke's length over which a strand's end fades
DASH_LIGHT = 0.12  # OKLab lightness a dash moves at the whole amount: pale blue-white beside cobalt in his sky
DASH_PALE = 0.35  # share of its chroma a lighter dash loses at the whole amount (a deeper one gains as much)


def stroke_hash(stroke: torch.Tensor, strand: torch.Tensor, salt: int) -> torch.Tensor:
    """Uniform values in [0, 1) from integer keys: neighbouring strands and strokes get unrelated values."""
    mask = 0x7FFFFFFF
    value = (stroke * 0x5BD1E995 + strand * 0x1B873593 + (salt * 0x27D4EB2F + 0x165667B1)) & mask
    for multiplier in (0x2C1B3C6D, 0x297A2D39):
        value = ((value ^ (value >> 15)) * multiplier) & mask
    value = value ^ (value >> 13)
    return value.float() / float(mask + 1)


def dash_colours(colour: torch.Tensor) -> torch.Tensor:
    """(N, 3) OKLab: the colour a stroke's dashes move toward (lighter, paler) at a positive weight; a negative weight
    moves them as far the other way (darker, more vivid), as strands of the one stroke's colour broken."""
    lighter = colour.clone()
    lighter[:, 0] = colour[:, 0] + DASH_LIGHT
    lighter[:, 1:] = colour[:, 1:] * (1 - DASH_PALE)
    return lighter


def strand_weights(
    ownership: Ownership,
    radius: torch.Tensor,
    is_outline: torch.Tensor,
    unit: float,
    seed: int,
    amount: float,
    signed: bool = False,
) -> torch.Tensor:
    """(H, W) from 0 to `amount` (with `signed`, from -amount to amount: dashes either way, `dash_colours`): how far
    each pixel's strand moves toward its stroke's second colour. `radius` (N,) in output px; 0 where no stroke or an
    outline is on top."""
    covered = ownership.stroke >= 0
    stroke = ownership.stroke.clamp_min(0)
    width = max(1.0, STRAND_WIDTH * unit)
    position = (ownership.across.clamp(-1, 1) + 1) * radius[stroke] / width  # in strands from one edge
    strand = position.floor().long()
    share = amount * stroke_hash(stroke, strand, seed)
    if signed:
        share = 2 * share - amount
    length = SHORTEST + (1 - SHORTEST) * stroke_hash(stroke, strand, seed + 1)
    start = (1 - length) * stroke_hash(stroke, strand, seed + 2)
    along = ownership.along.clamp(0, 1)
    inside = ((along - start) / _END).clamp(0, 1) * ((start + length - along) / _END).clamp(0, 1)
    offset = position - strand
    sides = (torch.minimum(offset, 1 - offset) * width / _SOFT).clamp(0, 1)
    weight = share * inside * sides
    return torch.where(covered & ~is_outline[stroke], weight, torch.zeros_like(weight))
