"""Bands of the painter's own colours: each stroke takes one of a few paint colours the painter mixed.

Some painters do not follow the world's colours stroke by stroke: they lay a few strong paints side by
side, in bands that run with the strokes (Munch's sky in The Scream: blood orange, yellow and red, stroke
beside stroke; his water: deep blue and green-black). Two parts:
- `measure_palette`: the painter's paints, a few colours clustered (k-means in OKLab) from the paintings;
- `banded_pairs`: each stroke moves toward one of two paints: a paint lighter than the stroke and a darker
  one (nearest in lightness and, by `hue_weight`, in colour), chosen at random with the odds that keep the
  stroke's lightness on average (dithering). Neighbouring strokes, which run side by side along the flow,
  so alternate in bands, while each area's mean lightness, and so the order of lights and darks that draws
  the picture's shapes, stays where it was. With a `reach`, the two paints are sought that far above and
  below the stroke's lightness instead of beside it, so the bands alternate light and dark more strongly
  (Munch's light and dark bands in The Scream's sky and water, where the nearest paints differ by 0.03-0.1).
  With `vivid`, the painter's most vivid paints are preferred over his dull ones (his blood orange and orange
  over the khaki beside them, so a light sky burns rather than greys). With `heat`, the stroke's own colour
  counts less the lighter it is (none at all above HOT, at heat 1): the lights take the painter's paints
  whatever their colour (The Scream's sky), while the darks keep their colour family (a green hill stays green).
  With `keep`, the strokes of the picture's subjects (`subject_map`: vivid colours that stand out from their
  surroundings, a red motorcycle, a yellow sun) move less toward the paints: they keep that much of their own
  colour against the banded sky, water and ground, as Munch kept a figure's colour.
- `banded_pairs`: the same, and beside each stroke's colour a second one, its paint's nearest neighbour among the
  painter's paints at its own lightness: the colour of the thin strands laid inside it (strands.py).
Seven learned amounts (stroke_style.BOUNDS): `bands` (how far a stroke moves to its paint), `band_hue`,
`band_contrast` (the reach, in REACH units of lightness), `band_vivid`, `band_heat`, `sky_heat` (`sky_held_heat`:
how far the heat is kept to the sky) and `band_keep`.
"""

from __future__ import annotations

import torch

from .filters import blur, channel_norm

PAINTS = 8  # paints per painter: a few, as on a palette
_AB_WEIGHT = 4.0  # colour counts four times lightness when paints are told apart (OKLab a, b span less than L)
_VIVID = 0.8  # a paint's chroma: this quantile of its cluster's (the cluster's mean is dulled by mixing at edges)
_SCALE = 0.1  # OKLab distance of one unit when a stroke's paints are chosen
REACH = 0.3  # OKLab lightness above and below a stroke where its paints are sought at band contrast 1
COOL, HOT = 0.35, 0.6  # OKLab lightness where band heat begins to free a stroke from its colour, and where fully
# A subject: OKLab chroma from DULL (not at all) to VIVID (fully; a clear sky is ~0.1, a red motorcycle ~0.2), and
# more vivid than its surroundings (chroma blurred SURROUND px at 512) by up to ABOVE (fully).
DULL, VIVID = 0.08, 0.16
SURROUND, ABOVE = 96.0, 0.04
# A colour the painter has no paint for (foreign_share): OKLab chroma from which its hue counts (not at all, fully),
# degrees from the nearest vivid paint's hue (not at all, fully), and lightness above his lightest paint (the same).
FOREIGN_CHROMA = (0.03, 0.06)
FOREIGN_HUE = (30.0, 60.0)
FOREIGN_LIGHT = (0.05, 0.15)


def measure_palette(labs: list[torch.Tensor], paints: int = PAINTS) -> torch.Tensor:
    """(paints, 3) OKLab: the paintings' colours in `paints` clusters (k-means, every painting counting
    equally), darkest first. Deterministic: started from the pooled colours' lightness quantiles."""
    samples = [lab.reshape(3, -1)[:, torch.linspace(0, lab[0].numel() - 1, 20_000).long()] for lab in labs]
    pooled = torch.cat(samples, dim=1).T.float()
    weight = torch.tensor([1.0, _AB_WEIGHT, _AB_WEIGHT])
    points = pooled * weight
    order = pooled[:, 0].argsort()
    centres = points[order[torch.linspace(0, len(order) - 1, paints + 2).long()[1:-1]]].clone()
    for _ in range(20):
        nearest = torch.cdist(points, centres).argmin(1)
        for k in range(paints):
            members = points[nearest == k]
            if len(members):
                centres[k] = members.mean(0)
    palette = centres / weight
    nearest = torch.cdist(points, centres).argmin(1)
    for k in range(paints):
        members = pooled[nearest == k]
        chroma = palette[k, 1:].norm()
        if len(members) and chroma > 1e-3:
            palette[k, 1:] *= torch.quantile(members[:, 1:].norm(dim=1), _VIVID) / chroma
    return palette[palette[:, 0].argsort()]


def _ramp(values: torch.Tensor, low: float, high: float) -> torch.Tensor:
    return ((values - low) / (high - low)).clamp(0, 1)


def subject_map(lab: torch.Tensor, unit: float) -> torch.Tensor:
    """(H, W) from 0 to 1: how much each pixel of a (3, H, W) OKLab picture belongs to a subject, a vivid colour
    more vivid than its surroundings (a red motorcycle in a grey garage, a yellow sun in a blue sky). An even sky,
    however blue, is as vivid as its surroundings, and a dull area is no subject: both take the painter's paints."""
    chroma = channel_norm(lab[1:])
    above = chroma - blur(chroma[None], SURROUND * unit)[0]
    return _ramp(chroma, DULL, VIVID) * _ramp(above, 0.0, ABOVE)


def sky_held_heat(heat: float, sky: torch.Tensor, amount: float) -> torch.Tensor:
    """(N,) band heat of strokes whose membership of the sky (sky.sky_map, in the open areas) is `sky` (N,):
    the whole heat in the sky and `amount` less of it elsewhere, so that the lights of a floor, a cup or a wall keep
    their own hue family in the painter's paints while a light sky still burns (his blood orange is a sky's)."""
    return heat * (1 - amount * (1 - sky))


def _paint_pairs(
    colours: torch.Tensor,
    palette: torch.Tensor,
    hue_weight: float,
    reach: float = 0.0,
    vivid: float | torch.Tensor = 0.0,
    heat: float | torch.Tensor = 0.0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """For colours (N, 3): a lighter paint, a darker one (each (N, 3)), and the odds (N,) of the lighter one
    that keep the colour's lightness on average. Each is the paint nearest to the colour's lightness `reach`
    above (below) it and, by `hue_weight`, to its colour, a paint counting `vivid` × its chroma short of the
    most vivid paint's as further, and the colour counting less in the lights by `heat` (one amount, or one (N,)
    per colour); at reach, vivid and heat 0 the nearest lighter and darker paint."""
    lightness = colours[:, :1]
    hue_apart = hue_weight * ((palette[None, :, 1:] - colours[:, None, 1:]) / _SCALE).pow(2).sum(-1)
    if isinstance(heat, torch.Tensor) or heat > 0:
        heat = heat[:, None] if isinstance(heat, torch.Tensor) else heat
        hue_apart = hue_apart * (1 - heat * ((lightness - COOL) / (HOT - COOL)).clamp(0, 1))
    if isinstance(vivid, torch.Tensor) or vivid > 0:
        chroma = palette[:, 1:].norm(dim=1)
        vivid = vivid[:, None] if isinstance(vivid, torch.Tensor) else vivid
        hue_apart = hue_apart + vivid * ((chroma.max() - chroma) / _SCALE).pow(2)[None]
    light_apart = ((palette[None, :, 0] - (lightness + reach)) / _SCALE) ** 2 + hue_apart
    dark_apart = ((palette[None, :, 0] - (lightness - reach)) / _SCALE) ** 2 + hue_apart
    lighter = palette[None, :, 0] >= lightness
    far = torch.tensor(float("inf"))
    light_pick = torch.where(lighter, light_apart, far).argmin(1)
    dark_pick = torch.where(~lighter, dark_apart, far).argmin(1)
    # Above the lightest paint or below the darkest, the one paint on the other side serves.
    has_light, has_dark = lighter.any(1), (~lighter).any(1)
    light_pick = torch.where(has_light, light_pick, dark_pick)
    dark_pick = torch.where(has_dark, dark_pick, light_pick)
    light, dark = palette[light_pick], palette[dark_pick]
    span = (light[:, 0] - dark[:, 0]).clamp_min(1e-6)
    odds = ((lightness[:, 0] - dark[:, 0]) / span).clamp(0, 1)
    return light, dark, odds


def banded_pairs(
    colours: torch.Tensor,
    palette: torch.Tensor,
    strength: float,
    hue_weight: float,
    generator: torch.Generator,
    contrast: float = 0.0,
    vivid: float | torch.Tensor = 0.0,
    heat: float | torch.Tensor = 0.0,
    kept: torch.Tensor | None = None,
    streaks: torch.Tensor | None = None,
    dark_colour: float = 0.0,
    dull_lights: float = 0.0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Stroke colours (N, 3) OKLab moved `strength` of the way to one of their two paints (see above), less the
    share `kept` (N,) of each stroke's own colour that a subject keeps. `streaks` (N,): values spread evenly over
    0 to 1 (field.flow_streaks) that choose the lighter paint where below the odds, instead of a random draw, or
    NaN where a stroke draws at random. And beside them each stroke's colour had it taken the colour of the paint
    nearest to its own paint (in lightness and colour, as paints are told apart) at its own paint's lightness, moved
    as far: the second
    colour of the thin strands inside a broad stroke (strands.py), a close colour (the blood orange's red in the
    orange, the dark teal in the black), never a colour from nowhere. With `dark_colour`, the strokes that took their
    darker paint take its colour further (dark_paints_colour); with `dull_lights`, the strokes that took their lighter
    paint take it with that share of its chroma gone (its hue and lightness kept)."""
    if strength <= 0 or colours.shape[0] == 0:
        return colours, colours
    light, dark, odds = _paint_pairs(colours, palette, hue_weight, contrast * REACH, vivid, heat)
    draws = torch.rand(colours.shape[0], generator=generator)
    if streaks is not None:
        draws = torch.where(streaks.isnan(), draws, streaks)
    lighter = (draws < odds)[:, None]
    chosen = torch.where(lighter, light, dark)
    weight = torch.tensor([1.0, _AB_WEIGHT, _AB_WEIGHT])
    apart = torch.cdist(chosen * weight, palette * weight)
    nearest = palette[torch.where(apart < 1e-6, torch.tensor(float("inf")), apart).argmin(1)]
    # At the chosen paint's lightness: strands of the neighbour's lightness drew the light and dark bands toward
    # each other (an ochre band's strands brown, a brown one's ochre), and the bands' contrast at 8-32 px fell.
    other = torch.cat([chosen[:, :1], nearest[:, 1:]], dim=1)
    moved = strength if kept is None else (strength * (1 - kept))[:, None]
    if dull_lights > 0:
        chosen = dulled_light_paints(chosen, lighter[:, 0], dull_lights)
    banded = colours + moved * (chosen - colours)
    if dark_colour > 0:
        banded = dark_paints_colour(banded, chosen, ~lighter[:, 0], dark_colour)
    return banded, colours + moved * (other - colours)


def dulled_light_paints(paints: torch.Tensor, light: torch.Tensor, amount: float) -> torch.Tensor:
    """The paints (N, 3) OKLab strokes took, those that took their lighter one (`light`, (N,) bool) with `amount` of
    their chroma gone (hue and lightness kept). Turner's lightest paint is a lemon cream (b +0.14), and with the bands'
    reach half of every mid-tone's strokes took it: the renders' lights chroma 0.09-0.11, The Wreck's 0.076. With the
    darks in his blue-greys (dark_paints_colour) the light and dark strokes still differ in hue."""
    return torch.cat([paints[:, :1], paints[:, 1:] * torch.where(light, 1 - amount, 1.0)[:, None]], dim=1)


def dark_paints_colour(banded: torch.Tensor, paints: torch.Tensor, dark: torch.Tensor, amount: float) -> torch.Tensor:
    """Banded colours (N, 3) OKLab whose strokes took their darker paint (`dark`, (N,) bool; `paints` (N, 3) the paint
    each took) moved `amount` of the rest of the way to that paint's colour (a and b; their lightness kept), the others
    as they were. Turner's darker paints are blue-greys and grey-greens: a photograph's brown and olive darks, banded
    only part of the way, kept their warmth (The Wreck's darkest third leans blue, b -0.01; the renders' olive, b +0.01
    to +0.03), so a stroke's light and dark paints differed in lightness more than in hue."""
    coloured = torch.cat([banded[:, :1], banded[:, 1:] + amount * (paints[:, 1:] - banded[:, 1:])], dim=1)
    return torch.where(dark[:, None], coloured, banded)


def foreign_share(colours: torch.Tensor, palette: torch.Tensor) -> torch.Tensor:
    """(N,) 0 to 1: how far each colour (N, 3) OKLab is one the painter has no paint for: a vivid colour (chroma from
    FOREIGN_CHROMA) whose hue is FOREIGN_HUE degrees from every vivid paint's (a blue sky among Munch's ochres, oranges
    and olives), or a light one above his lightest paint by FOREIGN_LIGHT (a snowfield over his L 0.69), or partly
    each (the two added): a winter sky's pale blue between its blue top and its grey horizon (L 0.77-0.80, chroma
    0.04-0.05) is both, and counted by the larger alone it was the least foreign of its sky (0.62-0.68), a band of
    Munch's burnt salmon low over the snowfield."""
    chroma = colours[:, 1:].norm(dim=1)
    hue = torch.atan2(colours[:, 2], colours[:, 1])
    vivid = palette[palette[:, 1:].norm(dim=1) >= FOREIGN_CHROMA[0]]
    if len(vivid):
        apart = (hue[:, None] - torch.atan2(vivid[None, :, 2], vivid[None, :, 1])).remainder(2 * torch.pi)
        nearest = torch.minimum(apart, 2 * torch.pi - apart).amin(1).rad2deg()
        by_hue = _ramp(chroma, *FOREIGN_CHROMA) * _ramp(nearest, *FOREIGN_HUE)
    else:
        by_hue = _ramp(chroma, *FOREIGN_CHROMA)
    return (by_hue + too_light(colours, palette)).clamp(max=1.0)


def too_light(colours: torch.Tensor, palette: torch.Tensor) -> torch.Tensor:
    """(N,) 0 to 1: how far each colour (N, 3) OKLab lies above the painter's lightest paint (by FOREIGN_LIGHT)."""
    return _ramp(colours[:, 0] - palette[:, 0].max(), *FOREIGN_LIGHT)


def within_paints(colours: torch.Tensor, palette: torch.Tensor, share: torch.Tensor) -> torch.Tensor:
    """Colours (N, 3) whose lightness is kept inside the paints' span where `share` (N,) is above 0 (so that their
    bands alternate two paints there), as they were elsewhere."""
    lowest, highest = float(palette[:, 0].min()), float(palette[:, 0].max())
    inside = colours[:, 0].clamp(lowest + 0.02, max(lowest + 0.02, highest - 0.02))
    return torch.cat([torch.where(share > 0, inside, colours[:, 0])[:, None], colours[:, 1:]], dim=1)


def in_own_colour(own: torch.Tensor, sought: torch.Tensor, banded: torch.Tensor, share: torch.Tensor) -> torch.Tensor:
    """Banded colours (N, 3), from colours `sought` (within_paints of their `own`), taken `share` (N,) of the way to
    their own colour swung as far in lightness as the bands swung them: the painter's light and dark bands laid in
    the colour of the thing they paint."""
    swung = own.clone()
    swung[:, 0] = own[:, 0] + banded[:, 0] - sought[:, 0]
    return banded + share[:, None] * (swung - banded)


def mixed_paints(
    colours: torch.Tensor,
    palette: torch.Tensor,
    strength: float,
    hue_weight: float,
    contrast: float = 0.0,
    vivid: float = 0.0,
    heat: float = 0.0,
) -> torch.Tensor:
    """Colours (N, 3) moved `strength` of the way to what their two paints give on average: the mean of many
    banded strokes. For what is laid as one soft area rather than stroke by stroke (wash.py's wash), so that it
    is in the painter's paints too, without the bands' alternation."""
    if strength <= 0 or colours.shape[0] == 0:
        return colours
    light, dark, odds = _paint_pairs(colours, palette, hue_weight, contrast * REACH, vivid, heat)
    return colours + strength * (odds[:, None] * light + (1 - odds[:, None]) * dark - colours)
