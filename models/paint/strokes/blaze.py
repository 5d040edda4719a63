"""The blaze: the picture's brightest light dissolving into radiant vapour round it, laid into the wash.

The glow (wash.py) lifts and warms what is round the lights in a smooth halo, and the lost edges (lost_edges.py)
soften their rims, so a sun still read as a yellow disc with a soft rim. In his blaze of light (The Wreck's spray
and sails) the core is a pale cream, hotter and whiter than the gold round it, and the light breaks out into the
vapour in ragged tongues and soft veils of gold, lighting the sky round it; where it ends is never a circle.

`blaze_field` finds the hottest light (the picture's lightness above both a quantile, HOT_SHARE, and an absolute
floor, HOT_FLOOR: a dim picture has none) and spreads it (REACH) into a radiance, 1 at the light's heart; its edge
is broken by undirected noise (BREAK) through a soft threshold and then softened (SOFTEN), so the lit region is a
ragged, smoky blaze reaching out past the light's own edge, and it spares the picture's darks (lost_edges.darkness:
a hull or a tree in the light stays dark). `blazed` lays it into the wash's colour, before the sweeps and the
scumble brush it: toward the painter's gold (`blaze_gold`: his lightest paint's hue and chroma) in the outer blaze, a
veil (VEIL of the way in lightness, VEIL_COLOUR in colour), and toward a pale cream of that gold (CORE_LIGHT,
CORE_CHROMA) at its heart. By the style's learned `blaze` (0 to 1; 0 for every style saved before it, and then nothing
here is worked out). It is made at the plan's size from its own generator
(the plan's draws stay the same), so tiles join exactly.

Tried first (the README sketch's sun, by eye beside The Wreck): the noise added to the radiance, not multiplied,
scattered gold blots over the whole sky; the core's colour following the broken radiance put cream blobs outside
the sun and left the disc yellow; a narrow threshold, unsoftened, made a yolk-like splash with crisp ragged edges (it measured a
little nearer, 2.698 against 2.722 for the mean of 18 renders, and looked wrong).
"""

from __future__ import annotations

import torch

from .filters import blur, smoothstep
from .lost_edges import darkness

HOT_SHARE = 0.96  # the lightness quantile above which the picture is hot (a sun, a lit sail, the brightest sky)
HOT_FLOOR = 0.8  # ... and the OKLab lightness below which nothing is: a dim picture has no blaze
HOT_RAMP = 0.08  # from the cut to fully hot over this much lightness
REACH = 40.0  # blur sigma in px at 512 of the hot light: how far the blaze reaches out
BREAK = ((6.0, 0.5), (16.0, 0.5))  # (blur sigma px at 512, share): the undirected noise that breaks its edge
EDGE = 0.22  # the radiance (1 at the heart) where the blaze's edge lies before it is broken
BREAK_SPREAD = 1.0  # the noise (spread 1) multiplies the radiance by exp(this times it): tongues out, bites in
EDGE_SOFTNESS = 0.12  # half the soft threshold's width, in radiance
SOFTEN = 6.0  # blur sigma in px at 512 of the blaze's edge: smoke, not a splash
CORE_KEPT = 0.5  # how far the hot light itself is kept whole (1) or broken like its surroundings (0)
# OKLab chroma of the gold of a painter without paints (bands.py), on his warm side: The Wreck's lights round its blaze
# (L 0.8-0.9) have a median chroma of 0.135, hue 88 degrees (a cream-gold, sRGB about 242, 200, 91)
GOLD_CHROMA = 0.135
VEIL = 0.6  # how far toward the light's lightness the outer blaze goes (a veil of gold over the sky)
# ... and toward its gold: further, so the veil is a darker gold (The Wreck's lights at L 0.7-0.8 round its blaze:
# chroma 0.11, hue 90 degrees), where 0.6 left a blue-grey sky's veil greenish (hue 107 at L 0.7-0.8)
VEIL_COLOUR = 0.85
CORE_FROM, CORE_TO = 0.35, 0.85  # the radiance over which the colour turns from the light's own to the pale core
CORE_LIGHT = 0.94  # OKLab lightness of the core
CORE_CHROMA = 0.6  # share of the gold's chroma the core keeps (a pale cream, not white)
BLAZE_SEED = 0xB1A2  # added to the plan's seed: the blaze's own generator


def _smooth_noise(height: int, width: int, sigma: float, generator: torch.Generator) -> torch.Tensor:
    noise = blur(torch.randn((1, height, width), generator=generator), max(0.5, sigma))[0]
    return noise / noise.std().clamp_min(1e-8)


def blaze_field(aim: torch.Tensor, unit: float, seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None:
    """For a (3, H, W) OKLab picture: the blaze's share (H, W, 0 to 1), its heat (H, W: 0 at its edge to 1 at the
    core) and the hot light's own colour (3,); None where nothing is hot."""
    _, height, width = aim.shape
    lightness = aim[0]
    cut = torch.quantile(lightness.flatten()[:: max(1, lightness.numel() // 65536)], HOT_SHARE)
    cut = torch.maximum(cut, torch.tensor(HOT_FLOOR))
    hot = ((lightness - cut) / HOT_RAMP).clamp(0, 1)
    if float(hot.sum()) < 1.0:
        return None
    light = (aim * hot).flatten(1).sum(1) / hot.sum()
    radiance = blur(hot[None], REACH * unit)[0]
    radiance = torch.maximum(radiance / radiance.max().clamp_min(1e-6), hot)
    generator = torch.Generator().manual_seed(seed + BLAZE_SEED)
    noise = torch.zeros(height, width)
    for sigma, weight in BREAK:
        noise = noise + weight * _smooth_noise(height, width, sigma * unit, generator)
    noise = noise / noise.std().clamp_min(1e-8)
    broken = radiance * torch.exp(BREAK_SPREAD * noise * (1 - CORE_KEPT * hot))
    edge = ((broken - EDGE) / (2 * EDGE_SOFTNESS) + 0.5).clamp(0, 1)  # a smoothstep: none at all far from the light
    share = blur((edge * edge * (3 - 2 * edge))[None], SOFTEN * unit)[0] * (1 - darkness(aim, unit))
    # The core follows the radiance unbroken: broken by the same noise, it blotched the sun with its own yellow and
    # put cream blobs outside it.
    return share, smoothstep(radiance, CORE_FROM, CORE_TO), light


def blaze_gold(paints: torch.Tensor | None, warmth: torch.Tensor) -> torch.Tensor:
    """The blaze's gold (OKLab a/b, (2,)): the painter's lightest paint's (Turner's L 0.78, chroma 0.144, hue 87
    degrees: his lights' cream-gold), or, for a painter without paints, GOLD_CHROMA on his `warmth` side (2,).

    The light's own colour leaned 0.06 to the warm side was the gold before: a sketch's yellow sun (chroma 0.17)
    blazed a lemon yellow (chroma 0.23, sRGB 251, 201, 0), with green where it veiled a blue-grey sky."""
    if paints is not None:
        return paints[int(paints[:, 0].argmax()), 1:].clone()
    return GOLD_CHROMA * warmth / warmth.norm().clamp_min(1e-6)


def blazed(
    wash: torch.Tensor,
    field: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
    amount: float,
    gold: torch.Tensor,
) -> torch.Tensor:
    """The (5+, H, W) wash maps with the blaze laid into their colour (0:3), by `amount` (0 to 1); `gold` (2,): its
    colour in OKLab a/b (`blaze_gold`), at the light's own lightness."""
    share, heat, light = field
    gold = gold.to(light)
    core = torch.cat([torch.tensor([CORE_LIGHT]), CORE_CHROMA * gold])
    light = torch.cat([light[:1], gold])
    target = light[:, None, None] + heat[None] * (core - light)[:, None, None]
    veil = torch.tensor([VEIL, VEIL_COLOUR, VEIL_COLOUR])[:, None, None]
    reach = amount * share[None] * (veil + (1 - veil) * heat[None])
    # Only the wash's colour: it veils the strokes as far as the area is open, so a photograph's busy lights (a
    # flower's petals, a spoon's glint) keep their strokes. Opening the wash there too laid flat cream patches on them.
    return torch.cat([wash[:3] + reach * (target - wash[:3]), wash[3:]])


def spared(field: torch.Tensor, heart: torch.Tensor) -> torch.Tensor:
    """The sweeps' or the scumble's field (H, W; sweeps.py, scumble.py) with its darker side taken off by `heart` (H, W,
    0 to 1: the style's `blaze_heart` times the blaze's heat where it is laid), its lighter side kept: the hottest light
    stays whole and the lightest place, where a darker patch over it (the scumble at 2 takes up to 0.2 of lightness and
    all the chroma) laid a grey hole in a sun's cream core. In The Wreck the blaze's heart is its one unbroken light."""
    return torch.where(field < 0, field * (1 - heart), field)
