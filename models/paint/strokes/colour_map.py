"""How a painter maps the world's colours to paint, learned from the paintings and applied to a picture.

Measured from the paintings' pixels in OKLab (`ColourHabits.measure`):
- the distributions of lightness and chroma (quantiles): how high or low the key, how saturated;
- where the paint's hues gather (a chroma-weighted hue histogram);
- warmth against lightness: how the lights and shadows lean in colour (Van Gogh's yellow lights and
  blue shadows show as a slope of (a, b) against L);
- the tint by tone (session 13): the mean (a, b) of each tone, from the darkest to the lightest by rank
  (`tone_tints`): Munch's cold blue-green darks under hot lights, Hokusai's cream paper, which one slope
  against L cannot say (his lights and darks need not lie on one line through the mid-tones).
`map_colours` then moves a picture toward those habits by monotone maps: lightness and chroma by
quantile mapping (the order of lights and darks and of dull and vivid areas is kept), each hue a
limited way toward the nearest place the painter's hues gather (the order of hues around the circle
is kept, an orange stays an orange), the painter's warm/cool slope, and each tone a share of the way toward
the painter's tint of that tone, its greys fully and its vivid colours far less (`tint_tones`). Never
nearest-colour snapping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .filters import channel_norm, smoothstep

QUANTILES = 21
HUE_BINS = 36
_MAX_HUE_SHIFT = math.radians(25)
# Gathering moves a hue this far at most: further, the search gathered skin into Turner's olive (green faces).
_MAX_GATHER = math.radians(40)
# The tint by tone: the mean (a, b) at TINT_LEVELS evenly spaced lightness ranks (0 the darkest pixel, 1 the lightest),
# each a Gaussian window TINT_WIDTH of rank wide, so the tint runs smoothly from the darks to the lights (no bands).
TINT_LEVELS = 9
TINT_WIDTH = 0.12
# How far a colour moves to its tone's tint falls with the square of its chroma: a grey takes the tint fully, a colour
# this vivid half as much, one twice as vivid a fifth, so a grey highlight turns the painter's chrome yellow or cream and
# a grey dark his blue-green, while a blue sky stays blue and an orange an orange. Session 13 first added to each tone the
# difference between the painter's mean and the picture's: that turned greys toward the complement of the picture's own
# lean (a white cup rim mint in a warm photograph) and Van Gogh's blue skies teal.
_TINT_VIVID = 0.04
# The paper (`paper`): a woodblock print's pale lights are its bare paper, one cream whatever the scene had there (his
# Kazusa, Ejiri and Ryogoku skies are cream paper with the blue printed only along the top). From this lightness rank
# the lights take their tone's tint, fully from PAPER_FROM + PAPER_SPAN, where the tint by tone moves only greys; the
# painter match reads the lightest third (rank 2/3 up): his paper leans to OKLab hue 97 degrees at chroma 0.042, the
# photographs' lights to peach (75 degrees) and the README sketch's to its blue sky.
PAPER_FROM, PAPER_SPAN = 0.55, 0.2
# ... but a vivid light is a colour the printer cut a block for (a yellow sun, an orange petal): the paper's share falls
# with the fourth power of chroma, half at PAPER_VIVID, so a pale blue or grey sky (chroma 0.03-0.08) is paper and the
# sun (0.17) moves a fifth of the way. With the paper whatever the chroma, the sheet's six measured nearer still (mean of 18
# renders 1.122 against 1.159) but the README sketch's yellow sun went cream and the flower's orange heart white.
PAPER_VIVID = 0.12
# The lights' hue turned toward the painter's (`turn_lights`): from this lightness rank, fully from LIGHTS_FROM +
# LIGHTS_SPAN (the painter match's lights are the lightest third, rank 2/3 up), by at most LIGHTS_TURN radians times
# 0.65 (below 1 radian, so the map of hues stays monotone). Van Gogh's lights lean to chrome yellow (OKLab hue 102
# degrees, his lightest tint), a photograph's to peach and orange (75 degrees): `hue_green_lights` -1.3 SD.
LIGHTS_FROM, LIGHTS_SPAN = 0.5, 0.25
# The lightness within which colours count as one tone at `tone_tolerance` 1 (`lightness_ranks`): a JPEG's ringing
# along a sun's edge in a flat sky strays by up to about 0.02 in OKLab L.
TONE_TOLERANCE = 0.02
LIGHTS_TURN = 0.9
# A scene's pale kept thing (the sketch's OKLab lightness from PALE_KEPT[0], fully from PALE_KEPT[1]: a blossoming
# crown's body, 0.7-0.8) keeps its own hue where the painter's tone tints turn it into another hue family: by OWN_TURN[0]
# none kept, from OWN_TURN[1] all, and only where its own colour has a hue (chroma from OWN_CHROMA[0], fully from
# OWN_CHROMA[1]). His tints are cream to chrome yellow in the lights (Van Gogh's, hue 96-102 degrees): over a grey-beige
# wall (turned under 30 degrees, or too grey to have a hue) they are his own cream, but they turned a pink crown (hue
# 6) into cream blossom.
PALE_KEPT = (0.6, 0.7)
OWN_TURN = (math.radians(30.0), math.radians(60.0))
OWN_CHROMA = (0.01, 0.02)


def _quantiles(values: torch.Tensor) -> torch.Tensor:
    values = values.flatten()
    if values.numel() > 200_000:
        values = values[torch.linspace(0, values.numel() - 1, 200_000).long()]
    return torch.quantile(values.float(), torch.linspace(0, 1, QUANTILES))


def _hue_histogram(lab: torch.Tensor) -> torch.Tensor:
    chroma = channel_norm(lab[1:]).flatten()
    hue = torch.atan2(lab[2], lab[1]).flatten()
    bins = ((hue + math.pi) / (2 * math.pi) * HUE_BINS).long().clamp(0, HUE_BINS - 1)
    histogram = torch.zeros(HUE_BINS).index_add_(0, bins, chroma.float())
    # Smooth around the circle (about 20 degrees), so that a peak is a region of hue, not one bin.
    kernel = torch.exp(-0.5 * (torch.arange(-4, 5).float() / 2.0) ** 2)
    wrapped = torch.cat([histogram[-4:], histogram, histogram[:4]])
    smooth = torch.nn.functional.conv1d(wrapped.view(1, 1, -1), (kernel / kernel.sum()).view(1, 1, -1)).flatten()
    return smooth / smooth.sum().clamp_min(1e-9)


def _warmth_slope(lab: torch.Tensor) -> torch.Tensor:
    """Least-squares slope of (a, b) against L: the colour shift per unit of lightness."""
    flat = lab.reshape(3, -1)
    centred = flat - flat.mean(1, keepdim=True)
    variance = (centred[0] ** 2).mean().clamp_min(1e-6)
    return (centred[1:] * centred[0]).mean(1) / variance


def lightness_ranks(lightness: torch.Tensor, tolerance: float = 0.0) -> torch.Tensor:
    """Each value's rank among (a sample of) `lightness` (N,), from 0 (the darkest) to 1 (the lightest). Equal values
    share the middle of their ranks, so a flat area (a sketch's sky) is one tone and takes one tint, not a gradient.
    `tolerance` (lightness): each rank is the mean rank over values within that of its own, so the ranks run smoothly
    through a flat area's many equal values, and a value a hair off the area's (a JPEG's ringing beside its edges)
    takes about the area's rank, not the rank of the area's darkest or lightest end."""
    sample = lightness[torch.linspace(0, lightness.numel() - 1, min(lightness.numel(), 40_000)).long()]
    ordered = sample.float().sort().values.contiguous()
    values = lightness.float().contiguous()
    if tolerance > 0:
        # The empirical CDF's mean over [v - t, v + t]: sum over the sample of clamp(v + t - s, 0, 2t), over 2t n,
        # from the counts below each end and the sum of the sample values between them.
        low, high = values - tolerance, values + tolerance
        below, up_to = torch.searchsorted(ordered, low), torch.searchsorted(ordered, high)
        sums = torch.cat([torch.zeros(1, dtype=torch.float64), ordered.double().cumsum(0)])
        between = high.double() * (up_to - below) - (sums[up_to] - sums[below])
        return ((2 * tolerance * below + between) / (2 * tolerance * ordered.numel())).float()
    below = torch.searchsorted(ordered, values, right=False)
    up_to = torch.searchsorted(ordered, values, right=True)
    return (below + up_to).float() / (2 * ordered.numel())


def _rank_windows(ranks: torch.Tensor) -> torch.Tensor:
    """(TINT_LEVELS, N) Gaussian weights of N ranks about each tint level."""
    levels = (torch.arange(TINT_LEVELS).float() + 0.5) / TINT_LEVELS
    return torch.exp(-0.5 * ((ranks.flatten()[None] - levels[:, None]) / TINT_WIDTH) ** 2)


def tone_tints(lab: torch.Tensor) -> torch.Tensor:
    """(TINT_LEVELS, 2): the mean (a, b) of a (3, H, W) OKLab picture's tones, from its darks to its lights (by rank,
    so a dark picture's darks are its own darkest third, as the painter match's thirds are). The mean (a, b) is the
    chroma-weighted mean hue direction times the mean chroma: a tone of mixed hues has a short tint, a grey none."""
    flat = lab.reshape(3, -1).float()
    if flat.shape[1] > 40_000:
        flat = flat[:, torch.linspace(0, flat.shape[1] - 1, 40_000).long()]
    windows = _rank_windows(lightness_ranks(flat[0]))
    return (windows @ flat[1:].T) / windows.sum(1, keepdim=True)


def _at_levels(table: torch.Tensor, ranks: torch.Tensor) -> torch.Tensor:
    """A (TINT_LEVELS, C) table read at ranks (N,) in [0, 1], linearly between levels: (N, C)."""
    position = (ranks * TINT_LEVELS - 0.5).clamp(0, TINT_LEVELS - 1)
    low = position.floor().long().clamp(max=TINT_LEVELS - 2)
    fraction = (position - low)[:, None]
    return table[low] * (1 - fraction) + table[low + 1] * fraction


def key_ranks(lightness: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
    """Each lightness's rank (0 to 1) among the pictures whose QUANTILES lightness quantiles (strictly increasing) are
    `key`, linearly between them: the rank it would have in such a picture, whatever the rest of its own picture."""
    flat = lightness.flatten().clamp(float(key[0]), float(key[-1]))
    index = torch.searchsorted(key, flat.contiguous()).clamp(1, key.numel() - 1)
    fraction = (flat - key[index - 1]) / (key[index] - key[index - 1])
    return ((index - 1 + fraction) / (key.numel() - 1)).view_as(lightness)


def tint_tones(
    lab: torch.Tensor,
    painter_tints: torch.Tensor,
    amount: float,
    paper: float = 0.0,
    tolerance: float = 0.0,
    ranks: torch.Tensor | None = None,
) -> torch.Tensor:
    """A (3, H, W) OKLab picture with each colour moved toward the painter's tint of its tone (tones by rank): a grey
    `amount` (0 to 1) of the way, a vivid colour far less (see _TINT_VIVID), so the greys of each tone take his tint
    and its colours keep their hues. Lightness is untouched. Never nearest-colour snapping: each tone has one tint,
    smooth from tone to tone, and a colour moves a share of the way toward it, not onto a colour of a palette.
    `paper` (0 to 1): how far the lights (by rank, from PAPER_FROM, fully from PAPER_FROM + PAPER_SPAN) take the tint
    of their tone, up to a far higher chroma (PAPER_VIVID), as a print's pale lights are its bare paper.
    `tolerance` (lightness): how far apart lightness counts as one tone (`lightness_ranks`). `ranks` (H, W): each
    pixel's tone given (`key_ranks`), in place of its rank in this picture."""
    if amount <= 0 and paper <= 0:
        return lab
    flat = lab.reshape(3, -1)
    chroma = flat[1:].norm(dim=0)
    share = (amount / (1 + (chroma / _TINT_VIVID) ** 2))[:, None]
    ranks = lightness_ranks(flat[0], tolerance) if ranks is None else ranks.flatten()
    if paper > 0:
        lights = ((ranks - PAPER_FROM) / PAPER_SPAN).clamp(0, 1) / (1 + (chroma / PAPER_VIVID) ** 4)
        share = share + paper * lights[:, None] * (1 - share)
    tint = _at_levels(painter_tints, ranks)
    ab = flat[1:].T
    return torch.cat([flat[:1], (ab + share * (tint - ab)).T]).view_as(lab)


def turn_lights(lab: torch.Tensor, hue: float, amount: float, ranks: torch.Tensor | None = None) -> torch.Tensor:
    """A (3, H, W) OKLab picture with the hues of its lights (by lightness rank, from LIGHTS_FROM, fully from
    LIGHTS_FROM + LIGHTS_SPAN) turned toward `hue` (radians) by up to `amount` (0 to 1) times LIGHTS_TURN: a hue
    d away from it turns by LIGHTS_TURN * amount * sin(d) (1 + cos d) / 2, most (0.65 of it) at 60 degrees away and
    nothing at the opposite hue, a map whose slope stays above 1 - LIGHTS_TURN, so the order of hues is kept (an
    orange light turns toward his chrome yellow and stays warm; a blue sky, far round the circle, stays blue).
    Lightness and chroma are untouched. `ranks` (H, W): each pixel's tone given (`key_ranks`), in place of its rank in
    this picture."""
    if amount <= 0:
        return lab
    flat = lab.reshape(3, -1)
    ranks = lightness_ranks(flat[0]) if ranks is None else ranks.flatten()
    lights = ((ranks - LIGHTS_FROM) / LIGHTS_SPAN).clamp(0, 1)
    chroma = flat[1:].norm(dim=0)
    away = hue - torch.atan2(flat[2], flat[1])
    turned = torch.atan2(flat[2], flat[1]) + LIGHTS_TURN * amount * lights * torch.sin(away) * (1 + torch.cos(away)) / 2
    return torch.stack([flat[0], chroma * torch.cos(turned), chroma * torch.sin(turned)]).view_as(lab)


def own_hues(
    tinted: torch.Tensor, untinted: torch.Tensor, lightness: torch.Tensor, kept: torch.Tensor, amount: float
) -> torch.Tensor:
    """(3, H, W) OKLab `tinted` (`map_colours` with the tone tints and the paper) moved back toward `untinted` (the same
    without them) by `amount` (0 to 1) where a scene's kept thing lies (`kept`, (H, W), 0 to 1), pale in the sketch
    (its OKLab `lightness`, (H, W): PALE_KEPT), and where the tints turned the hue of a colour that has one
    (OWN_CHROMA) far (OWN_TURN). Lightness is untouched (the tints move only the hue and chroma)."""
    own_chroma = channel_norm(untinted[1:])
    cos_turn = (untinted[1:] * tinted[1:]).sum(0) / (own_chroma * channel_norm(tinted[1:])).clamp_min(1e-9)
    turned = 1 - smoothstep(cos_turn, math.cos(OWN_TURN[1]), math.cos(OWN_TURN[0]))
    share = amount * kept * smoothstep(lightness, *PALE_KEPT) * smoothstep(own_chroma, *OWN_CHROMA) * turned
    return tinted + share[None] * (untinted - tinted)


@dataclass
class ColourHabits:
    lightness: torch.Tensor  # (QUANTILES,) quantiles of L
    chroma: torch.Tensor  # (QUANTILES,) quantiles of chroma
    hues: torch.Tensor  # (HUE_BINS,) chroma-weighted hue histogram, sums to 1
    warmth: torch.Tensor  # (2,) slope of (a, b) against L
    # (TINT_LEVELS, 2) the mean (a, b) of each tone (`tone_tints`, each painting counting equally); None in a style
    # saved before session 13, which paints no tint by tone.
    tints: torch.Tensor | None = None

    @classmethod
    def measure(cls, labs: list[torch.Tensor]) -> ColourHabits:
        """From (3, H, W) OKLab images: every image counts equally, whatever its size."""
        samples = [lab.reshape(3, -1)[:, torch.linspace(0, lab[0].numel() - 1, 40_000).long()] for lab in labs]
        pooled = torch.cat(samples, dim=1).view(3, 1, -1)
        return cls(
            lightness=_quantiles(pooled[0]),
            chroma=_quantiles(channel_norm(pooled[1:])),
            hues=_hue_histogram(pooled),
            warmth=torch.stack([_warmth_slope(lab) for lab in labs]).mean(0),
            tints=torch.stack([tone_tints(lab) for lab in labs]).mean(0),
        )

    def to_tensors(self, prefix: str) -> dict[str, torch.Tensor]:
        names = ("lightness", "chroma", "hues", "warmth") + (("tints",) if self.tints is not None else ())
        return {f"{prefix}{name}": getattr(self, name).float() for name in names}

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor], prefix: str) -> ColourHabits:
        values = {name: tensors[f"{prefix}{name}"].float() for name in ("lightness", "chroma", "hues", "warmth")}
        tints = tensors.get(f"{prefix}tints")
        return cls(**values, tints=None if tints is None else tints.float())

    def hue_shift_table(self) -> torch.Tensor:
        """(HUE_BINS,) how far (radians) each hue moves at full strength: one mean-shift step toward where the
        painter's hues gather nearby (within about 25 degrees), nothing where he has no hues near it."""
        centres = (torch.arange(HUE_BINS).float() + 0.5) / HUE_BINS * 2 * math.pi - math.pi
        difference = torch.remainder(centres[None] - centres[:, None] + math.pi, 2 * math.pi) - math.pi
        kernel = torch.exp(-0.5 * (difference / math.radians(25)) ** 2) * self.hues[None]
        # The floor (a uniform share of hue) keeps a hue the painter barely uses where it is.
        shift = (kernel * difference).sum(1) / (kernel.sum(1) + 0.4 / HUE_BINS)
        return (0.8 * shift).clamp(-_MAX_HUE_SHIFT, _MAX_HUE_SHIFT)


def smooth_transfer(values: torch.Tensor, target: torch.Tensor, top: float) -> tuple[torch.Tensor, torch.Tensor]:
    """A monotone map (grid, mapped) on [0, top] taking the values' distribution toward the target quantiles.

    The source distribution is smoothed (a kernel estimate of its CDF), so that a flat-colour sketch,
    whose values sit in a few spikes, gets a gentle map, and the map's slope is kept between 1/3 and
    3, so that no small difference (JPEG noise, a soft gradient) is blown up into a band."""
    grid = torch.linspace(0, top, 65)
    flat = values.flatten()
    if flat.numel() > 20_000:
        flat = flat[torch.linspace(0, flat.numel() - 1, 20_000).long()]
    cdf = torch.special.ndtr((grid[:, None] - flat[None]) / (0.04 * top)).mean(1)
    levels = torch.linspace(0, 1, target.numel())
    index = torch.searchsorted(levels, cdf.clamp(0, 1)).clamp(1, levels.numel() - 1)
    fraction = (cdf - levels[index - 1]) / (levels[index] - levels[index - 1])
    mapped = target[index - 1] + fraction * (target[index] - target[index - 1])
    step = grid[1] - grid[0]
    slope = (torch.diff(mapped) / step).clamp(1 / 3, 3)
    rebuilt = torch.cat([torch.zeros(1), torch.cumsum(slope * step, 0)])
    # Anchored where the values' median sits, so the overall level is the quantile map's.
    middle = torch.searchsorted(grid, flat.median().clamp(0, top)).clamp(0, grid.numel() - 1)
    return grid, rebuilt - rebuilt[middle] + mapped[middle]


def _apply_transfer(values: torch.Tensor, grid: torch.Tensor, mapped: torch.Tensor) -> torch.Tensor:
    flat = values.flatten().clamp(float(grid[0]), float(grid[-1]))
    index = torch.searchsorted(grid, flat).clamp(1, grid.numel() - 1)
    fraction = (flat - grid[index - 1]) / (grid[index] - grid[index - 1])
    return (mapped[index - 1] + fraction * (mapped[index] - mapped[index - 1])).view_as(values)


def _hue_shift(hue: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    position = (hue + math.pi) / (2 * math.pi) * HUE_BINS - 0.5
    low = torch.floor(position)
    fraction = position - low
    low = low.long() % HUE_BINS
    return table[low] * (1 - fraction) + table[(low + 1) % HUE_BINS] * fraction


def _cdf_at(angles: torch.Tensor, cdf: torch.Tensor) -> torch.Tensor:
    """A histogram's cumulative share at angles in [0, 2 pi): `cdf` holds it at the HUE_BINS + 1 bin edges."""
    position = (angles / (2 * math.pi) * HUE_BINS).clamp(0, HUE_BINS - 1e-4)
    low = position.floor().long()
    return cdf[low] + (position - low) * (cdf[low + 1] - cdf[low])


def _inverse_cdf(shares: torch.Tensor, cdf: torch.Tensor) -> torch.Tensor:
    """The angle in [0, 2 pi) below which `shares` of the histogram lies (the inverse of `_cdf_at`)."""
    index = torch.searchsorted(cdf, shares.clamp(0, 1).contiguous()).clamp(1, HUE_BINS)
    low, high = cdf[index - 1], cdf[index]
    fraction = ((shares - low) / (high - low).clamp_min(1e-9)).clamp(0, 1)
    return (index - 1 + fraction) * (2 * math.pi / HUE_BINS)


def gathered_hues(lab: torch.Tensor, painter_hues: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
    """The picture's hues quantile-mapped onto the painter's hue histogram, around the circle.

    Returns (hue, gathered, cut): both unwrapped to [cut, cut + 2 pi), `cut` being the middle of the
    painter's least-used stretch of the circle; the circle is cut there, so no hue is carried across the
    painter's main hues, and hues on either side of an empty stretch move toward the nearer of them. Both histograms get a floor (a tenth spread evenly), so a hue the painter never uses still
    keeps a little room and no two distinct hues of the picture collapse into one."""
    floor = 0.1 / HUE_BINS
    target = 0.9 * painter_hues / painter_hues.sum().clamp_min(1e-9) + floor
    source = 0.9 * _hue_histogram(lab) + floor
    # The least-used place, with the painter's hues smoothed widely (a von Mises window, about 60 degrees).
    centres = torch.arange(HUE_BINS).float() * (2 * math.pi / HUE_BINS)
    nearness = torch.exp(2.0 * torch.cos(centres[:, None] - centres[None]))
    cut_bin = int(torch.argmin(nearness @ target))
    cut = -math.pi + (cut_bin + 0.5) * 2 * math.pi / HUE_BINS

    # Histograms re-binned to start at the cut (bin edges shift by half a bin: interpolate neighbours).
    def rotated(histogram: torch.Tensor) -> torch.Tensor:
        shifted = torch.roll(histogram, -cut_bin)
        halves = 0.5 * (shifted + torch.roll(shifted, -1))
        return torch.cat([torch.zeros(1), torch.cumsum(halves, 0) / halves.sum()])

    hue = torch.remainder(torch.atan2(lab[2], lab[1]) - cut, 2 * math.pi)
    gathered = _inverse_cdf(_cdf_at(hue, rotated(source)), rotated(target))
    return hue + cut, gathered + cut, cut


def map_colours(
    lab: torch.Tensor,
    habits: ColourHabits,
    strength: float,
    gather: float = 0.0,
    tint: float = 0.0,
    paper: float = 0.0,
    lights: float = 0.0,
    tolerance: float = 0.0,
    key: torch.Tensor | None = None,
) -> torch.Tensor:
    """Move a (3, H, W) OKLab picture `strength` (0 to 1) of the way toward the painter's colour habits;
    `gather` (0 to 1): how far its hues are also gathered into the painter's hue distribution; `tint` (0 to 2): how
    far, times `strength` and at most all the way, each tone moves toward the painter's tint of that tone; `paper` (0 to
    2): how far, times `strength` and at most all the way, the lights take it whatever their chroma (`tint_tones`);
    `lights` (0 to 1): how far, times `strength`, the lights' hues turn toward the hue of the painter's lightest tint
    (`turn_lights`); `tolerance` (0 to 1): how far apart in lightness, in TONE_TOLERANCE, the tints and the paper count
    colours as one tone (`lightness_ranks`).
    `key` (QUANTILES,): for a picture whose lightness means what it says (a scene's sketch, drawn dark at night and light
    by day), the lightness quantiles of the pictures it is one of (a day's sketches): its tones are mapped and ranked
    among its own pooled with those, half each, so that a night's lightest part takes a middle paint of the painter's,
    not his lightest (Munch's stormy harbour was a sunset, Hokusai's night horizon his cream paper), while a day's
    sketch, whose own tones are much the key's, maps much as by its own. None: by its own alone (a photograph, whose
    exposure says little)."""
    if strength <= 0:
        return lab
    lightness, chroma = lab[0], channel_norm(lab[1:])
    if key is None:
        source, ranks = lightness, None
    else:  # its own tones pooled with the key's, half each
        source = torch.cat([_quantiles(lightness), key])
        own = lightness_ranks(lightness.flatten(), tolerance * TONE_TOLERANCE).view_as(lightness)
        ranks = (own + key_ranks(lightness, key)) / 2
    mapped_l = _apply_transfer(lightness, *smooth_transfer(source, habits.lightness, 1.0)).clamp(0, 1)
    mapped_c = _apply_transfer(chroma, *smooth_transfer(chroma, habits.chroma, 0.4)).clamp_min(0)
    mapped_l = lightness + strength * (mapped_l - lightness)
    mapped_c = chroma + strength * (mapped_c - chroma)
    hue = torch.atan2(lab[2], lab[1])
    shift = _hue_shift(hue, habits.hue_shift_table())
    if gather > 0:
        unwrapped, gathered, _ = gathered_hues(lab, habits.hues)
        # Clamped about each hue, the map stays monotone (the median of three monotone maps).
        moved = (gathered - unwrapped).clamp(-_MAX_GATHER, _MAX_GATHER)
        shift = shift + gather * (moved - shift)
    # Grey pixels have no hue worth moving; the shift fades in with chroma.
    hue = hue + strength * shift * (chroma / 0.04).clamp(0, 1)
    a, b = mapped_c * torch.cos(hue), mapped_c * torch.sin(hue)
    # Lights and shadows lean the painter's way (half the difference in slope, bounded).
    lean = (0.5 * strength * (habits.warmth - _warmth_slope(lab))).clamp(-0.15, 0.15)
    offset = mapped_l - mapped_l.mean()
    mapped = torch.stack([mapped_l, a + lean[0] * offset, b + lean[1] * offset])
    if (tint > 0 or paper > 0) and habits.tints is not None:
        # Last, on the picture as the other habits left it: the tones' tints are what is left to correct.
        mapped = tint_tones(
            mapped,
            habits.tints,
            min(1.0, tint * strength),
            min(1.0, paper * strength),
            tolerance * TONE_TOLERANCE,
            ranks,
        )
    if lights > 0 and habits.tints is not None:
        lightest = float(torch.atan2(habits.tints[-1, 1], habits.tints[-1, 0]))
        mapped = turn_lights(mapped, lightest, lights * strength, ranks)
    return mapped
