"""Scumble in the wash: soft, broken masses of lighter and darker paint over the open areas, in broad passages.

Where a painter veils his open areas in a wash (wash.py) and lays it in sweeps along the flow (sweeps.py), the open
areas were still smooth: soft sweeps that follow the strokes, over a wash of one tint per shape. His sky is a vapour of
soft masses, lighter grey over blue-green, a little broken by the dry brush dragged over the paint beneath (The
Wreck's sky). The measure saw the smoothness too: the sketches' marks at 4-32 px were 6-10 standard deviations short of
his, and too coherent (oriented) by 10-12.

`scumble_field` is undirected noise at two sizes (DRAG), a little broken by the canvas's tooth (TOOTH) through a soft
threshold (CATCH), its edges softened (SOFTEN), and laid only in broad passages (PASSAGE: about half the open area;
the rest keeps its smooth sweeps). Crisp, crinkly patches everywhere were tried first: the measure liked them, and the
open areas read as camouflage or lichen beside his vapour. `plan.py` lays it into the wash's colour with
`sweeps.swept` (lighter and warmer where it is high, darker and greyer where low), by the style's learned `scumble`
(0 to 1; 0 for every style saved before it, and then nothing here is worked out). It is made at the plan's size from
its own generator (the plan's draws stay the same), so tiles join exactly.
"""

from __future__ import annotations

import torch

from .filters import blur

DRAG = ((8.0, 0.5), (20.0, 0.5))  # (blur sigma in px at 512, share): where the dry brush dragged more paint, and less
TOOTH = 2.0  # blur sigma in px at 512 of the canvas's tooth, which breaks the dragged paint a little
# The tooth's spread beside the drag's (1), and the slope of the soft threshold: a little broken, nearly linear. At 0.6
# and 1.2 the patches' edges were crinkly and fractal and the open areas read as lichen or camouflage beside his vapour.
TOOTH_SHARE = 0.25
CATCH = 1.0
SOFTEN = 1.5  # blur sigma in px at 512 of the patches' edges: soft masses of vapour, not stains
# Blur sigma in px at 512 of the passages that are scumbled at all: about half the open area, in broad passages beside
# smooth ones (one even mottle everywhere read as camouflage)
PASSAGE = 40.0
PASSAGE_RAMP = 0.8  # the passages' noise (spread 1) from none to fully scumbled over this much
# How strong the scumble is in open areas low in the picture (a hill, the ground) beside skies (1): at Turner's scumble 2
# (session 18) a sketch's ground at 0.5 was stained with dark blots; at 0.25 it is as it was at 1 (0.5 of 1)
SCUMBLE_LOWER = 0.25
SCUMBLE_SEED = 0x5C0B  # added to the plan's seed: the scumble's own generator, so the plan's other draws stay the same


def _smooth_noise(height: int, width: int, sigma: float, generator: torch.Generator) -> torch.Tensor:
    noise = blur(torch.randn((1, height, width), generator=generator), max(0.5, sigma))[0]
    return noise / noise.std().clamp_min(1e-8)


def scumble_field(memberships: torch.Tensor, unit: float, seed: int) -> torch.Tensor:
    """(H, W) soft, undirected masses of spread 1 (where scumbled) and mean 0, in broad passages, weaker
    (SCUMBLE_LOWER) in the open areas low in the picture (`memberships`: field.region_memberships)."""
    _, height, width = memberships.shape
    generator = torch.Generator().manual_seed(seed + SCUMBLE_SEED)
    drag = torch.zeros(height, width)
    for sigma, share in DRAG:
        drag = drag + share * _smooth_noise(height, width, sigma * unit, generator)
    drag = drag / drag.std().clamp_min(1e-8)
    tooth = _smooth_noise(height, width, TOOTH * unit, generator)
    broken = torch.tanh(CATCH * (drag + TOOTH_SHARE * tooth) / (1 + TOOTH_SHARE))
    broken = blur(broken[None], SOFTEN * unit)[0]
    broken = (broken - broken.mean()) / broken.std().clamp_min(1e-8)
    passages = (0.5 + _smooth_noise(height, width, PASSAGE * unit, generator) / PASSAGE_RAMP).clamp(0, 1)
    upper = memberships[0] / (memberships[0] + memberships[1]).clamp_min(1e-6)
    return broken * passages * (SCUMBLE_LOWER + (1 - SCUMBLE_LOWER) * upper)
