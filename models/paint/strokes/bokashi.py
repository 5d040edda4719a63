"""Bokashi: the graded sky of a woodblock print, a band of deep colour along the top of the picture fading smoothly
into the paler sky below (Hokusai's Prussian-blue skies in the Kazusa Sea Route and Ejiri, printed by wiping the ink
off the block by degrees), where a brush painter's sky is one flat tint.

One learned amount (stroke_style.BOUNDS `bokashi`, 0 to 1): how deep the top of the sky goes. The grade deepens each
pixel's own colour (darker and more vivid in its own hue: a pale blue sky goes to deep blue, a dusk sky to deep
violet), so the strokes under it keep their variation and the picture keeps its colour layout. It lies on the open
areas only (field.region_memberships: few edges), so a busy tree or tower standing into the sky keeps its colour, as
the printer's graded block covered only the sky.

The grade is a map at the plan's size (`grade_map`), drawn at any output size by bilinear sampling of each output
pixel's own position (raster.py), so tiles join exactly.
"""

from __future__ import annotations

import torch

from .filters import blur

DEPTH = 0.3  # share of the picture's height the grade reaches down: his bands are dark in the top tenth, gone by a third
FALLOFF = 2.0  # the grade's power along its depth: dark at the top, fading fast, then slowly into the plain sky
DARKEN = 0.55  # at full grade a pixel keeps this much less of its lightness (a sky of L 0.85 goes to 0.38)
DEEPEN = 1.5  # ... and its chroma grows by this share: a pale blue of chroma 0.04 goes to the 0.1 of Prussian blue
SOFTNESS = 6.0  # blur of the openness at 512 px: the grade fades softly round a tree, not along a hard cut-out
# OKLab distance from the sky's colour at the top of its column at which a pixel is no longer graded: past the drift of
# one sky's colours (a photograph's sky from its top down to the grade's depth: 0.03-0.06), short of a sun or a roof
# in it (a yellow sun in a pale blue sky: 0.2).
SKY_COLOUR = 0.12
SKY_SPAN = 24.0  # px at 512: how far along the top the sky's colour is averaged, and carried behind a tower in it


def grade_map(picture: torch.Tensor, memberships: torch.Tensor, amount: float, unit: float) -> torch.Tensor:
    """(1, H, W) how far each pixel of a plan is graded (0 to `amount`), from its (3, H, W) OKLab picture and its
    (3, H, W) region memberships (field.region_memberships: open high, open low, busy)."""
    _, height, width = memberships.shape
    y = (torch.arange(height, dtype=torch.float32, device=memberships.device)[:, None] + 0.5) / height
    profile = ((1 - y / DEPTH).clamp_min(0) ** FALLOFF).expand(height, width)[None]
    openness = blur(1 - memberships[2:3], SOFTNESS * unit).clamp(0, 1)
    # The sky's colour along the top: each column's open colour in the grade's reach, weighted as the grade is, then
    # averaged along the top (numerator and weight blurred alike, so a column with no open sky takes its neighbours').
    weight = profile * openness
    total = blur((picture * weight).sum(1, keepdim=True), SKY_SPAN * unit)
    mass = blur(weight.sum(1, keepdim=True), SKY_SPAN * unit).clamp_min(1e-6)
    sky = total / mass  # (3, 1, W)
    closeness = (1 - (picture - sky).norm(dim=0, keepdim=True) / SKY_COLOUR).clamp_min(0)
    return amount * weight * closeness


def apply_grade(painted: torch.Tensor, grade: torch.Tensor) -> torch.Tensor:
    """A (3, h, w) OKLab painted surface with its graded pixels (`grade` (1, h, w), 0 to 1) deepened in their own hue."""
    lightness = painted[:1] * (1 - DARKEN * grade)
    return torch.cat([lightness, painted[1:] * (1 + DEEPEN * grade)])
