"""Bokashi: the graded sky of a woodblock print, a band of deep colour along the top of the picture fading smoothly
into the paler sky below (Hokusai's Prussian-blue skies in the Kazusa Sea Route and Ejiri, printed by wiping the ink
off the block by degrees), where a brush painter's sky is one flat tint.

One learned amount (stroke_style.BOUNDS `bokashi`, 0 to 1): how deep the top of the sky goes. The grade deepens each
pixel's own colour (darker and more vivid in its own hue: a pale blue sky goes to deep blue, a dusk sky to deep
violet), so the strokes under it keep their variation and the picture keeps its colour layout. It lies on the colours
near the sky's own at the top of the picture (the colour of the open areas there: field.region_memberships), so a tree
or tower standing into the sky and a sun in it keep their colours, as the printer's graded block covered only the sky;
and not on a warm colour there (a table-top or a wall: skies are blue, grey, pale or violet).

A second learned amount (`bokashi_ink`, 0 to 1) says how far the grade is his Prussian blue printed over the paint
(the pixel's colour multiplied by the ink's, as ink on paper) instead of the pixel's own colour deepened: a cream or
grey sky deepened in its own hue goes olive-brown (session 13, china), where his cream-papered Kazusa sky is printed
deep blue at its top, passing through a blue-green where the thin blue lies over the cream.

The grade is a map at the plan's size (`grade_map`), drawn at any output size by bilinear sampling of each output
pixel's own position (raster.py), so tiles join exactly.
"""

from __future__ import annotations

import torch

from ..colour import linear_to_srgb, oklab_to_srgb, srgb_to_linear, srgb_to_oklab
from .filters import blur

# Share of the picture's height the grade reaches down, and its power along that depth: dark at the top, fading fast,
# then slowly into the plain sky. His Kazusa Sea Route at 512 px, OKLab lightness by height: 0.18 in the top 2%, 0.49
# at 6%, 0.82 at 12%, the paper's 0.90 from 20% (Ejiri 0.44 -> 0.81 by 6%; Ryogoku 0.57 -> 0.89): at full grade this
# profile keeps 49% of its darkening at 6% of the height and 16% at 12%.
DEPTH, FALLOFF = 0.2, 2.0
# At full grade a pixel loses this share of its lightness (a sky of L 0.85 goes to 0.21, the Kazusa print's Prussian
# blue at its top; session 13's first scale, 0.55, had the fit on its upper bound) ...
DARKEN = 0.75
DEEPEN = 2.0  # ... and its chroma grows by this share (a pale blue of chroma 0.04 goes to 0.12, his deep blue) ...
CHROMA_CAP = 0.15  # ... up to this chroma at most (a vivid colour deepened further leaves the printable colours)
# How warm (OKLab a + b over the square root of 2) the colour at the top of a column may be and still be a sky, graded
# fully up to WARM_SKY and not at all from WARM_SKY + WARM_SPAN: skies are blue, grey, pale or violet, and the orange
# table-top or pink wall at the top of a close-up photograph, deepened, read as a burn (session 13: coffee, motorcycle).
WARM_SKY, WARM_SPAN = 0.01, 0.03
SOFTNESS = 6.0  # blur of the openness at 512 px, which weighs the colours along the top that are the sky's
# OKLab distance from the sky's colour at the top of its column at which a pixel is no longer graded: past the drift of
# one sky's colours (a photograph's sky from its top down to the grade's depth: 0.03-0.06), short of a sun or a roof
# in it (a yellow sun in a pale blue sky: 0.2).
SKY_COLOUR = 0.12
SKY_SPAN = 24.0  # px at 512: how far along the top the sky's colour is averaged, and carried behind a tower in it
# How much of the top of the picture must be open for it to have a sky to grade (the share of the grade's reach that is
# open, weighted as the grade is): none below OPEN_TOP, fully from OPEN_TOP + OPEN_SPAN. A photograph of shelves with
# a patch of pale wall between them (session 14, the motorcycle: 15% open) has no sky, and a blue patch printed on
# the wall reads as a stain; the sheet's skies and the README sketch are 90-100% open, a close-up's bare wall 50-65%.
OPEN_TOP, OPEN_SPAN = 0.2, 0.3
# The ink (`bokashi_ink`): his Kazusa Sea Route at 512 px, OKLab, at the top of the sky (the ink at its fullest) and
# the bare cream paper lower in the same sky; the ink lets through, of each linear-light channel, its share over the
# paper's (red 0.07%, green 0.3%, blue 5.4%).
INK, PAPER = (0.16, -0.005, -0.075), (0.92, 0.0, 0.06)
# How much ink a grade of g lays (as a share of the ink at its fullest: the ink's transmittance to that power):
# INK_GAIN * g ** INK_POWER, at most 1. Fitted to the same print: at the heights where the grade profile above is
# 0.58, 0.42, 0.28, 0.16, 0.08 (5%, 7%, 9.5%, 12%, 14% of the height) his sky is L 0.21, 0.46, 0.65, 0.77, 0.86,
# which needs the ink at 0.8, 0.37, 0.17, 0.09, 0.04 of its fullest; this curve gives 0.66, 0.40, 0.22, 0.10, 0.04.
INK_GAIN, INK_POWER = 1.5, 1.5


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
    # The grade covers what has the sky's colour, up to the edge of a tower or tree in it: the openness blurred round a
    # busy shape left a pale halo there (session 13, china's pagoda).
    closeness = (1 - (picture - sky).norm(dim=0, keepdim=True) / SKY_COLOUR).clamp_min(0)
    warmth = (sky[1:2] + sky[2:3]) / 2**0.5
    skylike = (1 - (warmth - WARM_SKY) / WARM_SPAN).clamp(0, 1)
    open_share = float(weight.sum() / profile.sum().clamp_min(1e-6))
    has_sky = min(max((open_share - OPEN_TOP) / OPEN_SPAN, 0.0), 1.0)
    return amount * has_sky * profile * closeness * skylike


def _transmittance() -> torch.Tensor:
    """(3,) the share of each linear-light channel the ink lets through (INK over PAPER)."""
    ink, paper = (srgb_to_linear(oklab_to_srgb(torch.tensor(c, dtype=torch.float64))) for c in (INK, PAPER))
    return (ink / paper).float()


TRANSMITTANCE = _transmittance()


def apply_grade(painted: torch.Tensor, grade: torch.Tensor, ink: float = 0.0) -> torch.Tensor:
    """A (3, h, w) OKLab painted surface with its graded pixels (`grade` (1, h, w), 0 to 1) deepened in their own hue,
    or, as far as `ink` (0 to 1), printed over with his Prussian blue."""
    lightness = painted[:1] * (1 - DARKEN * grade)
    chroma = painted[1:].norm(dim=0, keepdim=True)
    deepened = chroma * (1 + DEEPEN * grade)
    deepened = torch.minimum(deepened, torch.maximum(chroma, torch.full_like(chroma, CHROMA_CAP)))
    own = torch.cat([lightness, painted[1:] * (deepened / chroma.clamp_min(1e-6))])
    if ink <= 0:
        return own
    share = (INK_GAIN * grade**INK_POWER).clamp(max=1)  # (1, h, w) how much of the full ink lies on each pixel
    linear = srgb_to_linear(oklab_to_srgb(painted.permute(1, 2, 0)))  # (h, w, 3)
    printed = linear * TRANSMITTANCE.to(linear) ** share.permute(1, 2, 0)
    inked = srgb_to_oklab(linear_to_srgb(printed)).permute(2, 0, 1)
    return own + ink * (inked - own)
