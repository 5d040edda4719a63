"""Lost edges: where a painter lets the paint carry across the edges of shapes, most of all in the light.

Every style's strokes stop at strong edges (plan.EDGE), so a sketch keeps its shapes. Some painters lose
edges on purpose: Turner's shapes dissolve into the light, a mast or a hill fading into the haze around
it, while the darks keep theirs. One learned amount (stroke_style.BOUNDS, `lost_edges`, 0 to 1) sets
how far; where, is the light: the picture's lightness broadly blurred, so that a small dark detail in a
light area counts as in the light (and is lost), and a broad dark mass keeps its edges.

`lost_map` gives 0 (edges kept, as every style paints them) to 1 (lost) per pixel. There plan.py paints
toward the picture `softened` (the light spread over its surroundings, up to SPREAD), gates the strokes
by the softened picture too (so its softened edges no longer stop them), widens a stroke's reach over the
edges left, lets its colour be the picture's at the brush's scale rather than the sharp one's, and fades
the contours (outline.py); the wash, laid from the softened picture, no longer lays the shapes back over
the strokes. Fine strokes still come (they aim at the softened picture, so they bring no detail back,
only paint: without them a light area was one flat colour).

`dark_keep` (0 to 1, learned; 0 for every style saved before it): the loss is also limited by a pixel's own
lightness (barely blurred, OWN_SPREAD), so that on the dark side of an edge between a dark mass and the light
nothing is lost: the light spreads up to the dark's edge and stops there (the softened picture weights the
dark pixels by their loss, about 0), and the dark keeps its edge and its darkness. Without it, the broad
blur that decides where the light is put half the loss on both sides of such an edge, and a hull or a
rock against a bright sky melted into it.
"""

from __future__ import annotations

import torch

from .filters import blur, smoothstep

LIGHT_SPREAD = 12.0  # blur of the lightness at 512 px: a light spreads its loss about this far around it
DARK, LIGHT = 0.4, 0.75  # OKLab lightness where edges start to be lost, and where fully (a mid grey is 0.6)
REACH = 5.0  # a stroke's reach over edges at full loss, in EDGEs beyond its own (0.09 -> 0.54: nearly any edge)
SPREAD = 16.0  # the blur of the picture painted where edges are fully lost, at 512 px: shapes dissolve
OWN_SPREAD = 1.0  # blur of a pixel's own lightness for `dark_keep`, at 512 px: its side of an edge, anti-aliased
# A pixel counts as dark for `dark_keep` fully up to OKLab L 0.3 and not at all from 0.55: the dark masses (a hull, a
# tyre, a tree against the sky) keep their edges while the mid-tones still melt. With the loss's own ramp (0.4 to
# 0.75) the mid-tones kept theirs too, and a photograph came back with all its detail (the motorcycle's garage).
KEPT_DARK, KEPT_MID = 0.3, 0.55


def darkness(mapped: torch.Tensor, unit: float) -> torch.Tensor:
    """(H, W): 1 where a (3, H, W) OKLab picture's own pixel is dark (to KEPT_DARK), 0 from a mid-tone (KEPT_MID)
    on, a smoothstep between (`dark_keep`)."""
    return 1 - smoothstep(blur(mapped[:1], OWN_SPREAD * unit)[0], KEPT_DARK, KEPT_MID)


def lost_map(mapped: torch.Tensor, amount: float, unit: float, dark_keep: float = 0.0) -> torch.Tensor:
    """(H, W): how far edges are lost at each pixel of a (3, H, W) OKLab picture, 0 to `amount`; `dark_keep`:
    how far a pixel's own darkness spares it."""
    lightness = blur(mapped[:1], LIGHT_SPREAD * unit)[0]
    lost = amount * smoothstep(lightness, DARK, LIGHT)  # no visible line where the loss begins
    if dark_keep > 0:
        lost = lost * (1 - dark_keep * darkness(mapped, unit))
    return lost


def reach_factor(lost: torch.Tensor) -> torch.Tensor:
    """How many times farther than EDGE a stroke may paint, for its seed's loss (N,)."""
    return 1 + REACH * lost


def softened(mapped: torch.Tensor, lost: torch.Tensor, unit: float) -> torch.Tensor:
    """The (3, H, W) picture the strokes aim at: where edges are lost, as far as they are, the mean of the
    picture within about SPREAD weighted by the loss, so the light spreads over the edges of what it meets and
    a dark shape is not smeared out into the light as a dark halo (a plain blur would)."""
    weight = lost[None] + 1e-3
    spread = blur(mapped * weight, SPREAD * unit) / blur(weight, SPREAD * unit)
    return mapped + lost * (spread - mapped)
