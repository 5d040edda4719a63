"""A wash over the open areas and the glow of the light: the painting's atmosphere, laid over its strokes.

Some painters lay open areas (skies, water, haze) as broad, soft washes in which single strokes dissolve,
and let the light glow into what surrounds it (Turner's suns). Two learned amounts (stroke_style.BOUNDS), and a
third, their counterpart, below:
- `wash` (0 to 0.8): in open areas (few edges: field.region_memberships) the strokes are veiled by the
  simplified picture barely softened, so the colour layout stays and a shape's edge stays where it was;
  busy areas keep their strokes.
- `glow` (0 to 1): the lights of the picture (its brightest quarter) spread far around them, lifting the
  lightness and leaning the colour toward the painter's warm side (ColourHabits.warmth).
- with the style's `dark_keep` (lost_edges.py), the glow spares the picture's own darks by as much: a dark
  mass beside the light stays dark against its glow instead of being lifted toward the light (at glow 0.73
  a dark green of L 0.3 beside a sun was lifted to 0.6, and a tree against the sky lost its edge in a halo).
Both are maps at the plan's size (`wash_maps`), drawn at any output size by bilinear sampling of each
output pixel's own position, so tiles join exactly.

And the glow's counterpart, `cold_darks` (0 to 2, times the palette strength, at most all the way): the picture's
dark areas take the painter's tint of his darkest tone (`ColourHabits.tints`, Munch's blue-green black under his
orange sky), laid last, over the glow, so that nothing after it warms them again. The share is a map at the plan's
size (`cool_map`), of the area's own darkness (the picture the strokes aim at, softened as the wash is), not of
each pixel's: neighbouring strokes of one area (a band's light and dark paints, a stroke and its seam) all move
alike, so no colour edge is drawn between them (at first judged by each pixel's own lightness, which tinted every
seam and dark bristle streak on its own: the measure's fine colour went from +1.4 to +6.4 of the painter's spreads).
A vivid dark keeps most of its colour (a red saucer, a red roof: a half share at chroma COOL_VIVID) and a scene's
kept shape all of it. With `cold_reach` (0 to 1) the cooling reaches further: into lighter areas (the ramp up to
COOL_REACH lighter) and into more vivid ones (the half share at up to twice the chroma), so that the olive and brown
dark bands his paints give a dark area (his khaki, chroma 0.04) turn to his blue-green black too, not only the greys.

`lit_in_darks` spares a light stroke laid in a dark area, judged by the lightness of the stroke's own paint (its flat
colour, softened LIT_SOFTNESS px as the wet blend softens its edge), not by each pixel's: judged by the pixel, the
bristle streaks, the relief and the seams of a stroke whose paint sits on the ramp were cooled one by one, speckling
it with the tint (the measure's fine colour up by 1.5 of the painter's spreads with `cold_reach`).

`dark_range` (0 to 1) runs the tint through his dark paints' hues and chroma instead (`dark_tints`): his darks run
from olive to teal (The Scream's: green 0.45, yellow-olive 0.30, teal 0.18 of their chroma), where every dark took his
one tint (hue 151); the dark areas keep their own hue order along that run, so a brown dark goes olive and a blue one
teal. The tints are a map beside the share (`cool_map` gives (3, H, W)), drawn as the share is, so tiles join.

`deep_darks` (0 to 2) lays the one tint deeper in chroma, times 1 + this, its hue kept (`StrokeStyle.darkest_tint`): the darkest tint
is the mean (a, b) of a painter's darks, which differ in hue from painting to painting and area to area, so it is
greyer than his darks are (Hokusai's tint chroma 0.033; his darks' own 0.041-0.072 print by print, 0.052 in the
painter match's darkest third: Prussian blue, teal, indigo black), and the cooled darks measured 0.032.

`green_darks` (0 to 1) turns the tint of a dark area the picture paints green toward the blue-green of his foliage
(`green_kept`): his trees and banks (Ryogoku's) are blue-green, L 0.44-0.57, hue 151-185, chroma 0.06, where a sketch's
dark green tree crown took his one navy tint (L 0.3, hue 237, chroma 0.055), a navy disc beside green hills. How green
an area is is read on the picture before the colour map, which had already leant the crown's dark green to a grey blue.
"""

from __future__ import annotations

import math

import torch

from .filters import blur, channel_norm, smoothstep
from .lost_edges import darkness

WASH_SOFTNESS = 3.0  # blur of the wash's colours at 512 px: soft, but not across a shape
GLOW_REACH = 36.0  # how far the light spreads at 512 px (Gaussian sigma)
LIGHTS = 0.75  # the lightness quantile above which the picture counts as light
GLOW_LIFT = 0.6  # lightness added at full glow, as a share of what is left to white
GLOW_WARMTH = 0.05  # OKLab a/b lean toward the painter's warm side at full glow
# `cold_darks`: an area is fully dark to COOL_DARK (OKLab lightness) and not at all from COOL_MID, a smoothstep
# between (The Scream's darkest third averages L 0.28; the renders' 0.34, with his brown and olive paints at 0.4, 0.52).
COOL_DARK, COOL_MID = 0.3, 0.6
# The OKLab chroma at which a dark area takes half its share: a brown-black (0.05) three fifths, a dark red (0.12) a fifth.
COOL_VIVID = 0.06
# `cold_reach` at 1: the ramp COOL_REACH lighter (fully dark to L 0.4, none from 0.7) and the half share at twice the
# chroma (a brown-black 0.05 nine tenths, a dark red 0.12 a half). The Scream's darkest third is L 0.29, the renders'
# 0.33: the glow lifts them, and their dark olive bands (L 0.4, chroma 0.04) took two thirds of the share at most.
COOL_REACH = 0.1
# `cold_vivid` (session 25, Munch 0.5) moves the half share to COOL_VIVID x (1 + reach) x (1 + cold_vivid): at 0.5 with
# the reach, chroma 0.18 (a dark red 0.12 seven tenths). The Scream's darkest third is olive to teal (hue 90-240,
# nothing at 30-60); the README sketch's and the coffee's kept 28% and 46% of theirs at hue 30-90 (orange and red-brown darks).
# `lit_in_darks`: a painted pixel is spared the cooling not at all to LIT_FROM (OKLab lightness) and fully from LIT_TO, a
# smoothstep between: the light strokes in his dark areas (The Scream's rail and planks, pixels 0.15 lighter than their
# area where it is under L 0.42) are warm, (a 0.029, b 0.054), where the cooled renders' were pale grey-pink.
LIT_FROM, LIT_TO = 0.45, 0.6
LIT_SOFTNESS = 1.0  # px at 512: the blur of the strokes' flat colours whose lightness judges the sparing
# `dark_range`: his dark paints are those darker than DARK_PAINTS (The Scream's: L 0.24 hue 151, 0.37 hue 175, 0.40
# hue 98: olive to teal); the areas ranked among those that take more than DARK_SHARE of the tint.
DARK_PAINTS, DARK_SHARE = 0.45, 0.25
# `green_darks`: an area counts as green by its OKLab hue, fully at GREEN_HUE (degrees; a sketch's green 141-147) and not at
# all GREEN_SPAN away (a teal 190 half, a yellow-olive 100 none), and by its chroma, none to GREEN_DULL and fully from
# GREEN_VIVID (a grey-green is not a tree). FOLIAGE: the tint it takes, his trees' blue-green (hue, chroma; Ryogoku).
GREEN_HUE, GREEN_SPAN = 145.0, 45.0
GREEN_DULL, GREEN_VIVID = 0.03, 0.06
FOLIAGE_HUE, FOLIAGE_CHROMA = 168.0, 0.06


def wash_maps(mapped: torch.Tensor, memberships: torch.Tensor, unit: float, dark_keep: float = 0.0) -> torch.Tensor:
    """(5, H, W): the wash colour (OKLab), the openness (0 busy to 1 open) and the light (0 to 1); with a
    `dark_keep`, a sixth: how far the glow spares each pixel (0 to `dark_keep`, by its own darkness)."""
    colour = blur(mapped, WASH_SOFTNESS * unit)
    openness = 1 - memberships[2:3]
    lightness = mapped[0]
    cut = torch.quantile(lightness.flatten()[:: max(1, lightness.numel() // 65536)], LIGHTS)
    bright = ((lightness - cut) / (1 - cut).clamp_min(0.05)).clamp(0, 1)
    light = blur(bright[None], GLOW_REACH * unit)
    light = light / light.max().clamp_min(0.05)
    maps = [colour, openness, light.clamp(0, 1).sqrt()]  # the square root: a long, soft falloff
    if dark_keep > 0:
        maps.append(dark_keep * darkness(mapped, unit)[None])
    return torch.cat(maps)


def rough_ground(openness: torch.Tensor, memberships: torch.Tensor, amount: float) -> torch.Tensor:
    """The wash maps' (1, H, W) openness taken down by `amount` (0 to 1) in the open areas low in the picture
    (`memberships`: field.region_memberships), by how low an area is: the wash and the calm follow the openness, so a
    flat ground keeps its strokes' lights and darks (Turner's foreground sea) while the sky stays veiled and smooth."""
    lower = memberships[1:2] / (memberships[0:1] + memberships[1:2]).clamp_min(1e-6)
    return openness * (1 - amount * lower)


def apply_wash(painted: torch.Tensor, maps: torch.Tensor, style) -> torch.Tensor:
    """Lay the style's wash and glow over a (3, h, w) OKLab painted surface, given its (5, h, w) maps."""
    colour, openness, light = maps[:3], maps[3:4], maps[4:5]
    amount = style.wash * openness
    washed = painted + amount * (colour - painted)
    if style.glow > 0:
        warmth = style.colours.warmth.to(washed)
        lean = warmth / warmth.norm().clamp_min(1e-6) * GLOW_WARMTH
        glow = style.glow * light
        if maps.shape[0] > 5:  # the darks kept: the glow spares them
            glow = glow * (1 - maps[5:6])
        lifted = washed[:1] + glow * GLOW_LIFT * (1 - washed[:1]).clamp_min(0)
        washed = torch.cat([lifted, washed[1:] + glow * lean[:, None, None]])
    return washed


def cool_map(
    aim: torch.Tensor,
    unit: float,
    amount: float,
    inside: torch.Tensor | None = None,
    reach: float = 0.0,
    ranged: tuple[torch.Tensor, torch.Tensor, float] | None = None,
    vivid: float = 0.0,
) -> torch.Tensor:
    """(1, H, W): how far (0 to `amount`) each pixel of the (3, H, W) OKLab picture the strokes aim at takes the
    painter's darkest tint (`cold_darks`), by its area's darkness and dullness, further into the lighter and more vivid
    areas by `reach` (`cold_reach`, 0 to 1) and into the more vivid ones again by `vivid` (`cold_vivid`, 0 to 2); none
    inside a kept shape (keep.py). With `ranged` (his darkest tint (2,), his paints (P, 3) and `dark_range`), (3, H,
    W): the share and each pixel's tint (`dark_tints`)."""
    area = blur(aim, WASH_SOFTNESS * unit)
    lighter = reach * COOL_REACH
    dark = 1 - smoothstep(area[0], COOL_DARK + lighter, COOL_MID + lighter)
    share = amount * dark / (1 + (channel_norm(area[1:]) / (COOL_VIVID * (1 + reach) * (1 + vivid))) ** 2)
    if inside is not None:
        share = share * (1 - inside)
    if ranged is None:
        return share[None]
    return torch.cat([share[None], dark_tints(area[1:], share, *ranged)])


def dark_tints(
    area: torch.Tensor, share: torch.Tensor, tint: torch.Tensor, paints: torch.Tensor, amount: float
) -> torch.Tensor:
    """(2, H, W): the tint each dark area takes: his darkest `tint` (2,) turned `amount` (0 to 1) of the way to a hue in
    the run of his dark paints (those of `paints` (P, 3) darker than DARK_PAINTS: olive to teal), in their hue and
    chroma (his one tint, a mean over his darkest tone, is greyer than any of them: the darks were slate, his are deep
    blue-green). The areas keep their hue order: ranked from warm to cool by their own OKLab (a, b) `area` (2, H, W)
    along his run, among the dark ones (`share` (H, W) over DARK_SHARE), the warmest take his olive, the coolest his
    teal."""
    dark = paints[paints[:, 0] < DARK_PAINTS, 1:].to(area)
    hues, order = torch.atan2(dark[:, 1], dark[:, 0]).sort()  # (K,) radians, warm (olive) to cool (teal)
    chromas = channel_norm(dark.T)[order]
    if hues.numel() < 2:
        return tint.to(area).view(2, 1, 1).expand_as(area)
    axis = torch.stack([hues[-1].cos() - hues[0].cos(), hues[-1].sin() - hues[0].sin()])
    coolness = (area * axis.view(2, 1, 1)).sum(0)
    among = coolness[share > DARK_SHARE]
    if among.numel() == 0:
        return tint.to(area).view(2, 1, 1).expand_as(area)
    # Each area's rank among the dark ones, 0 to 1 (ties, as a flat sketch's areas, at the middle of their ranks).
    ordered, flat = among.sort().values, coolness.flatten().contiguous()
    below = torch.searchsorted(ordered, flat).float()
    ranked = ((below + torch.searchsorted(ordered, flat, right=True).float()) / 2).view_as(coolness)
    place = ranked / among.numel() * (hues.numel() - 1)  # 0 to K - 1 along the sorted hues
    low = place.floor().long().clamp(max=hues.numel() - 2)
    along = place - low
    hue = hues[low] + along * (hues[low + 1] - hues[low])
    chroma = chromas[low] + along * (chromas[low + 1] - chromas[low])
    turned = torch.stack([hue.cos(), hue.sin()]) * chroma
    own = tint.to(area).view(2, 1, 1)
    return own + amount * (turned - own)


def green_share(picture: torch.Tensor, unit: float) -> torch.Tensor:
    """(H, W): how green (0 to 1) each pixel's area of a (3, H, W) OKLab picture is, softened as the cold darks' share's
    area is: by its hue (GREEN_HUE, GREEN_SPAN) and its chroma (GREEN_DULL to GREEN_VIVID)."""
    area = blur(picture, WASH_SOFTNESS * unit)[1:]
    hue = torch.rad2deg(torch.atan2(area[1], area[0]))
    away = (hue - GREEN_HUE + 180) % 360 - 180
    return (1 - away.abs() / GREEN_SPAN).clamp(0, 1) * smoothstep(channel_norm(area), GREEN_DULL, GREEN_VIVID)


def green_kept(cool: torch.Tensor, picture: torch.Tensor, tint: torch.Tensor, unit: float, amount: float) -> torch.Tensor:
    """(3, H, W): the `cool` map (its share and, if it has them, each pixel's tint; (1 or 3, H, W)) with each pixel's tint
    (else the one (2,) `tint`) turned `amount` (0 to 1) of the way to his foliage's blue-green (FOLIAGE_HUE,
    FOLIAGE_CHROMA) by how green the area of the (3, H, W) OKLab `picture` is (softened as the share's area is)."""
    green = green_share(picture, unit)
    tints = cool[1:] if cool.shape[0] == 3 else tint.to(cool).view(2, 1, 1).expand(2, *cool.shape[1:])
    angle = math.radians(FOLIAGE_HUE)
    foliage = torch.tensor([math.cos(angle), math.sin(angle)]).to(cool).view(2, 1, 1) * FOLIAGE_CHROMA
    return torch.cat([cool[:1], tints + amount * green * (foliage - tints)])


def apply_cool(
    painted: torch.Tensor,
    share: torch.Tensor,
    tint: torch.Tensor,
    lit: float = 0.0,
    paint: torch.Tensor | None = None,
) -> torch.Tensor:
    """A (3, h, w) OKLab painted surface with each pixel's colour (a, b) moved its (1, h, w) `share` of the way to the
    painter's (2,) `tint`, a pixel whose paint is light (LIT_FROM to LIT_TO) `lit` less of it; lightness untouched.
    `paint` (1, h, w): the lightness of the paint laid at each pixel (`paint_lightness`); None: each pixel's own.
    `tint` is one (2,) or one per pixel (2, h, w)."""
    ab = painted[1:]
    if lit > 0:  # a light stroke laid in a dark area keeps its own (warm) paint; the area still decides the share
        share = share * (1 - lit * smoothstep(painted[:1] if paint is None else paint, LIT_FROM, LIT_TO))
    tint = tint.to(painted).view(2, 1, 1) if tint.dim() == 1 else tint
    return torch.cat([painted[:1], ab + share * (tint - ab)])


def paint_lightness(flat: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W): the lightness of the (3, H, W) OKLab flat colours of the strokes on top of each pixel (the paint
    laid there, without its bristles, relief and seams), softened LIT_SOFTNESS px at 512: what `apply_cool` spares by."""
    return blur(flat[:1], LIT_SOFTNESS * unit)
