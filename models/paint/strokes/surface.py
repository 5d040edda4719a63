"""The paint surface of a rendered tile: wet blending, bristle streaks, a little relief lit from the upper left,
and the grain of paint dragged thin over the canvas's tooth.

All of it is local (a few pixels at most, `SURFACE_REACH`), so tiles painted with that much halo join
exactly. The relief is deliberately low: paint height is a slightly domed body with grooves where the
bristles ran, thinning toward the stroke's end; lit from the upper left it shows the direction of
each stroke and its edges without turning the picture into embossed metal. The grain (a scumble: broken,
undirected speckle a few pixels across, like paint dragged over canvas) is seeded by the output pixel's
own position, so a tile draws the same grain as the whole picture.
"""

from __future__ import annotations

import math

import torch

from .brush import Ownership
from .field import region_memberships
from .filters import Box, gaussian_kernel, kernel_reach, smoothstep, tile_exact_blur, tile_exact_gradients
from .patches import lattice_noise, place_noise
from .sky import sky_map
from .strands import stroke_hash

BRISTLES = 10
GRAIN_SIZE = 0.7  # Gaussian sigma of the grain at 512 px: speckles about 2-4 px across
# The broad, soft blotches a woodblock's printing leaves in its inked areas (`baren`): the baren's uneven pressure and
# the ink's uneven take, 8-16 px across at 512 (Gaussian sigma in px), over the fine grain, from its own noise.
BAREN_SIZE = 3.0
BAREN_SEED = 0x6A12  # added to the render's seed: its own noise, not the grain's
# How far neighbouring strokes blend where the style's `calm` lays open areas thin and smooth, at 512 px: past the
# width of the fine strokes (radius 2.5-7 px) whose light and dark sides ran through a flat sky as wood grain.
CALM_BLUR = 4.0
# ... but not across a shape's edge: a pixel blends less the further the blend would move it (OKLab), none from
# CALM_EDGE on. Strokes beside each other differ by their jitter and their paints (0.02-0.05); the edge of a
# sketch's shape, even blurred, moves a pixel beside it by half its step (0.13 / 2 for a hill against the sky).
CALM_EDGE = 0.06
DRY_PATCH = 48.0  # px at 512 between the values of the noise along which dry strokes gather (`dry_choice`)
# The light places whose dry strokes `smooth_lights` sends elsewhere (`open_lights`): from none at the guide's lightness
# SMOOTH_LIGHTS[0] to all at SMOOTH_LIGHTS[1]; over the ground's 0.5 (GROUND_LIGHTNESS) their gaps are dark grit.
SMOOTH_LIGHTS = (0.55, 0.7)
# The strokes of dark paint whose dry ones `smooth_darks` sends elsewhere (`open_darks`): all at the paint's lightness
# SMOOTH_DARKS[0] (a sketch's tree crown in his dark green, 0.28-0.4) to none at SMOOTH_DARKS[1]; under the ground's 0.5
# their gaps are pale specks.
SMOOTH_DARKS = (0.3, 0.45)
# The lightness of the ground that gaps in broken paint show (`ground_gaps`): paint paler than it shows darker gaps,
# paint darker than it lighter ones; the gaps' side turns over GROUND_TURN of lightness round it.
GROUND_LIGHTNESS = 0.5
GROUND_TURN = 0.1
# ... but under the palest paint the ground is pale too (his snow and pale skies lie over a light ground): the gaps
# fade from paint of lightness PALE_GROUND to none PALE_TURN above it, where dark gaps read as grit and dirtied a snowfield;
# so do the seams along the strokes' sides, which drew thin dark stitching through his pale skies (`pale_ground`).
PALE_GROUND = 0.7
PALE_TURN = 0.2
# How the paint's load varies from place to place (`uneven_surface`, `load_map`): a value noise with a value every
# LOAD_CELL px at 512 (patches of thin and of loaded paint 20-40 px across), its own seed, on a lattice turned LOAD_TURN
# radians from the axes; the texture is gone below LOAD_THIN of the noise and full from LOAD_FULL, and LOAD_RMS is the
# root mean square of that ramp over the noise (measured on 4096² px), so the picture keeps its texture's energy.
LOAD_CELL = 40.0
LOAD_SEED = 0x3C57
LOAD_TURN = 0.5
LOAD_THIN, LOAD_FULL = 0.3, 0.7
LOAD_RMS = 0.645
# The warm streaks (`warm_streaks`): STREAK_KNOTS values of a stroke's bristle profile spread evenly across it, so a
# stroke is two or three streaks wide; on a streak's warm side the light paint's hue turns toward orange (OKLab hue
# WARM_HUE), from none at lightness WARM_LIGHTS[0] to full at WARM_LIGHTS[1], and only in warm-hued paint: fully within
# 60 degrees of orange, none from 90 (the cosines in WARM_NEAR).
STREAK_KNOTS = (1, 4, 7, 10)
WARM_HUE = math.radians(60.0)
WARM_LIGHTS = (0.3, 0.75)
WARM_NEAR = (0.0, 0.5)
# `shade_chroma`: the lightness (from black and from white) under which a paint's light and shade count as at this one.
SHADE_FLOOR = 0.2


def grain_noise(
    top: int,
    left: int,
    height: int,
    width: int,
    seed: int,
    unit: float,
    keep: Box | None = None,
    size: float = GRAIN_SIZE,
) -> torch.Tensor:
    """(height, width) undirected grain of unit spread for the output pixels from (left, top) on (`keep`: only
    that box of them), blurred `size` px at 512 (the mottle's is larger: mottle.py).

    White noise from an integer hash of each pixel's position (the same for a pixel in any tile),
    blurred to the grain's size and scaled back to a spread of 1 whatever that size."""
    ys = torch.arange(top, top + height, dtype=torch.int64)[:, None]
    xs = torch.arange(left, left + width, dtype=torch.int64)[None, :]
    uniform = _position_hash(xs, ys, seed)
    sigma = max(0.5, size * unit)
    kernel = gaussian_kernel(sigma)
    spread = (1 / 12) ** 0.5 * float((kernel * kernel).sum())  # of white noise after this blur
    return tile_exact_blur(uniform[None], sigma, keep)[0] / spread


def _position_hash(xs: torch.Tensor, ys: torch.Tensor, seed: int) -> torch.Tensor:
    """Uniform values in [-0.5, 0.5) from an integer hash of integer positions (broadcast `xs`, `ys`): the same for a
    position in any tile, unrelated between neighbours."""
    mask = 0x7FFFFFFF
    value = (xs * 0x5BD1E995 + ys * 0x1B873593 + (seed * 0x27D4EB2F + 0x165667B1)) & mask
    for multiplier in (0x2C1B3C6D, 0x297A2D39):  # integer mixing: neighbouring pixels get unrelated values
        value = ((value ^ (value >> 15)) * multiplier) & mask
    value = value ^ (value >> 13)
    return value.float() / float(mask) - 0.5


def load_map(top: int, left: int, height: int, width: int, seed: int, unit: float, amount: float) -> torch.Tensor:
    """(height, width) how loaded the paint is at the output pixels from (left, top), for `uneven_surface` = `amount`
    (0 to 1): 1 everywhere at 0; at 1 none (thin, smooth paint) where a smooth noise LOAD_CELL px across is low and
    up to 1 / LOAD_RMS where it is high, as much texture over the picture on the whole. The noise is a value noise
    on a lattice turned LOAD_TURN from the axes, read at each pixel's own position: a tile reads the same.

    His finest texture (2-4 px) is blotchy from 16 to 30 px: bristle-marked, loaded passages beside thin, smooth
    spots in his sky and fjord (The Scream); ours was an even grey of bristles, relief and seams on every stroke
    (unevenness1 -2.8 SD, tails1 -2.3 on the sheet's photographs, session 20)."""
    # float64 positions: a pixel's place in its cell is the same whichever tile it is read from.
    ys = (torch.arange(top, top + height, dtype=torch.float64)[:, None] + 0.5) / (LOAD_CELL * unit)
    xs = (torch.arange(left, left + width, dtype=torch.float64)[None, :] + 0.5) / (LOAD_CELL * unit)
    cos, sin = math.cos(LOAD_TURN), math.sin(LOAD_TURN)
    u, v = cos * xs - sin * ys, sin * xs + cos * ys  # the lattice's axes: no row or column of patches

    def corner(cu: torch.Tensor, cv: torch.Tensor) -> torch.Tensor:
        return _position_hash(cu, cv, seed + LOAD_SEED) + 0.5

    noise = lattice_noise(u, v, corner)
    loaded = smoothstep(noise, LOAD_THIN, LOAD_FULL) / LOAD_RMS
    return 1 + amount * (loaded - 1)


def dry_choice(
    count: int,
    seed: int,
    smooth: float,
    middles: torch.Tensor | None = None,
    patches: float = 0.0,
    unit: float = 1.0,
    place: torch.Tensor | None = None,
    away: float = 0.0,
) -> torch.Tensor:
    """(count,) which strokes are laid dry (the rest smooth, the share `smooth` of them): a hash of their place in
    painting order, so the same in any tile. With `patches` (0 to 1) and the strokes' `middles` (count, 2) in px of
    a picture `unit` times 512, that far the choice follows a value noise DRY_PATCH px across at the middles
    instead: the dry strokes gather in patches and leave whole places smooth. With `away` (0 to 1) and each stroke's
    `place` (count,), 0 to 1 (`open_lights`), the dry strokes leave the places near 1 for the others by that much (as
    many of them: a stroke's chance falls by `away` times its place).

    Van Gogh's paintings vary in texture from place to place: a smooth, loaded passage (Langlois Bridge's sky) beside
    a dry, broken one. Chosen stroke by stroke, every 32-px block held a dry stroke or two and the finest texture was
    even over the picture (unevenness1 -1.7 SD, session 16)."""
    chance = stroke_hash(torch.arange(count), torch.zeros(count, dtype=torch.long), seed + 4241)
    gathered = middles if patches > 0 and count > 0 else None
    sent = place if away > 0 and count > 0 else None
    if gathered is None and sent is None:
        return chance >= smooth
    score = chance
    if gathered is not None:
        field = place_noise(gathered, DRY_PATCH * unit, seed + 4243)
        rank = field.argsort().argsort().float() / count  # uniform over the strokes, as the chance is
        score = (1 - patches) * chance + patches * rank
    if sent is not None:
        score = score - away * sent
    return score.argsort().argsort().float() / count >= smooth


def openness(guide: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W) how open (not busy: field.region_memberships) each pixel of a plan's (3, H, W) OKLab `guide` is, 0 to
    1, for a picture `unit` times 512."""
    return 1 - region_memberships(guide, unit)[2:3]


def open_lights(open_map: torch.Tensor, guide: torch.Tensor) -> torch.Tensor:
    """(1, H, W) how open (`open_map`, (1, H, W): its `openness`) and light (SMOOTH_LIGHTS) each pixel of a plan's (3,
    H, W) OKLab `guide` is, 0 to 1: where `smooth_lights` lays the strokes smooth."""
    return open_map * smoothstep(guide[:1], *SMOOTH_LIGHTS)


def open_sky(open_map: torch.Tensor, guide: torch.Tensor, unit: float) -> torch.Tensor:
    """(1, H, W) how far each pixel of a plan's (3, H, W) OKLab `guide` lies in an open place (`open_map`, (1, H, W):
    its `openness`) of the picture's sky (sky.sky_map: the smooth, cool or pale area that runs in from the top), 0 to
    1, for a picture `unit` times 512: where `smooth_sky` lays the strokes smooth, whatever their lightness. A dusk
    sky's mauve (guide 0.41-0.56, paint 0.46-0.70) is neither light enough for `open_lights` nor dark enough for
    `open_darks`, and over the ground's 0.5 its dry strokes' gaps were dark grit."""
    return open_map * sky_map(guide, 1 - open_map[0], unit)[None]


def open_darks(open_at: torch.Tensor, paint: torch.Tensor) -> torch.Tensor:
    """(N,) how far each stroke lies in an open place (`open_at`, (N,) its `openness`) in dark paint (its OKLab
    `paint`, (N, 3), darker than SMOOTH_DARKS), 0 to 1: the strokes `smooth_darks` lays smooth. The paint, not the
    guide, says how dark: his palette paints a sketch's mid-green crown (guide 0.45) in his dark greens."""
    return open_at * (1 - smoothstep(paint[:, 0], *SMOOTH_DARKS))


def dry_strokes(owner: torch.Tensor, dry: torch.Tensor, smooth: float) -> torch.Tensor:
    """(h, w) how much grain each pixel of a tile takes, given its `owner` (h, w; -1 where no stroke) and which
    strokes are `dry` (N,) (`dry_choice`): 0 in the smooth strokes (the share `smooth`), 1 / sqrt(1 - smooth) in the
    dry ones, so the picture's grain keeps its energy; 1 where no stroke lies.

    Van Gogh's paintings are uneven at their finest scale: crisp strokes of loaded paint beside dry, broken ones and
    flat passages, where grain laid evenly over every stroke reads as felt (and the measure finds the finest texture
    too even: unevenness1 -1.8 SD, tails1 -1.2, smooth_colour_share -1.2; session 15)."""
    stroke = owner.clamp_min(0)
    share = torch.where(dry[stroke], torch.full(owner.shape, (1 - smooth) ** -0.5), torch.zeros(owner.shape))
    return torch.where(owner >= 0, share, torch.ones(owner.shape))


def baren_grain(
    grain: torch.Tensor,
    top: int,
    left: int,
    height: int,
    width: int,
    seed: int,
    unit: float,
    keep: Box,
    amount: float,
    areas: torch.Tensor | None = None,
) -> torch.Tensor:
    """The (keep's height, width) `grain` with `amount` times broad, soft blotches (BAREN_SIZE) added: under
    `bare_lights` they lie in the inks, as a print's are, and leave the bare paper of its lights. `areas` (keep's
    height, width): how strongly they print at each pixel (`baren_areas`); None: evenly."""
    blotches = grain_noise(top, left, height, width, seed + BAREN_SEED, unit, keep, size=BAREN_SIZE)
    if areas is not None:
        blotches = blotches * areas
    return grain + amount * blotches


def baren_areas(memberships: torch.Tensor, flat_sky: float, ground: float, open_only: float = 0.0) -> torch.Tensor:
    """(1, H, W) how strongly the baren's blotches print at each pixel of a plan, from its (3, H, W) region
    memberships (field.region_memberships: open high, open low, busy): 1 - `flat_sky` in the open areas high in the
    picture, 1 + `ground` in those clearly low in it (over half their membership, as the key block's lines are laid:
    hatching.py), 1 in busy areas; all of it times 1 - `open_only` times the busy membership (`baren_open`).

    His skies are bare paper, a flat tint or a smooth grade (bokashi): the level-3 band (8-16 px) of his printed skies
    is a hundredth of his busy areas' (Ryogoku, Kazusa at 512 px), where an even blotch clouded the village sketch's
    mid-tone dusk sky; his seas and grounds carry the printing's texture. Munch's blotches keep to the open areas,
    where his long parallel bands were too evenly ribbed; in a photograph's busy detail, already laid every way, they
    broke it further (his coherence at 4-8 px below his painting's)."""
    low = ((memberships[1:2] - 0.5) * 2).clamp_min(0)
    areas = (1 - flat_sky * memberships[0:1]).clamp_min(0) + ground * low
    if open_only > 0:
        areas = areas * (1 - open_only * memberships[2:3]).clamp_min(0)
    return areas


def surface_reach(unit: float, softness: float, calm: float = 0.0, noise_size: float = GRAIN_SIZE) -> int:
    """How many pixels of halo a tile needs so that its surface equals the whole picture's (`noise_size`: the
    largest blur in px at 512 of the noise laid on it, the grain's or the mottle's)."""
    reach = int(math.ceil(3 * max(softness * unit, 0.8 * unit, noise_size * unit, 0.7))) + 4
    if calm > 0:  # the calm's blur follows the softness's: their reaches add
        reach += int(math.ceil(3 * CALM_BLUR * unit))
    return reach


def relief_box(tile: Box, height: int, width: int, unit: float) -> Box:
    """The pixels of a (height, width) frame whose place in their stroke (brush.Ownership) the surface of its
    `tile` reads: the relief's blur and slope reach that far."""
    return tile.grown(kernel_reach(_relief_sigma(unit)) + 1, height, width)


def _relief_sigma(unit: float) -> float:
    return max(0.7, 0.8 * unit)


def finish_surface(
    colour: torch.Tensor,
    owner: torch.Tensor,
    ownership: Ownership,
    radius: torch.Tensor,
    is_outline: torch.Tensor,
    profile: torch.Tensor,
    style,
    unit: float,
    tile: Box,
    grain: torch.Tensor | None = None,
    calm: torch.Tensor | None = None,
    strands: tuple[torch.Tensor, torch.Tensor] | None = None,
    flat: torch.Tensor | None = None,
    unseamed: torch.Tensor | None = None,
    load: torch.Tensor | None = None,
) -> torch.Tensor:
    """(3, h, w) OKLab colours of the strokes on top of a tile's frame -> the painted surface of the `tile` (a box
    of the frame), (3, tile height, tile width) OKLab.

    `owner` (h, w): the stroke on top of each pixel of the frame (-1 where none); `ownership`: the same strokes and
    where in them each pixel of `relief_box(tile, ...)` lies; `radius`, `is_outline`, `profile` (N, BRISTLES + 1)
    are per stroke, indexed by `owner`; `grain` is the tile's `grain_noise`, laid on as the style's `grain` says;
    `calm` (h, w), 0 to 1: how far the strokes are laid thin and smooth there (the style's `calm` times the
    openness: wash.wash_maps); `strands`: over the relief box, (3, ., .) OKLab the second paint of the stroke on
    top and (., .) how far its thin strand there moves to it (strands.py), laid over the wet blend so that the
    strands stay thin; `flat` (h, w), 0 to 1: how far the relief and the seams fade there (the style's
    `busy_flat` times the busyness, 1 minus the wash maps' openness); `unseamed` (h, w), 0 to 1: how far the seams
    alone fade there (the style's `clean_sides` on its smooth strokes); `load` (tile height, tile width): how loaded
    the paint is there (`load_map`), times its bristle streaks and grain (the finest texture).

    Each step is worked out only where a later one reads it, from the tile outward (the calm's blur alone reads
    48 px around the tile at 2048 px), with the very arithmetic the whole frame would get: the tile's pixels are
    the same to the bit."""
    height, width = owner.shape
    frame = Box(0, height, 0, width)
    edges = tile.grown(kernel_reach(0.6), height, width)  # the colours the edges' blend reads
    calm_reach = kernel_reach(CALM_BLUR * unit) if calm is not None else 0
    wet = edges.grown(calm_reach, height, width)  # the colours the calm's blur reads
    relief = relief_box(tile, height, width, unit)

    def outline_in(box: Box) -> torch.Tensor:
        stroke = box.of(owner, frame)
        return is_outline[stroke.clamp_min(0)] & (stroke >= 0)

    laid = wet.of(colour, frame)
    if style.softness > 0:
        # Wet-in-wet: neighbouring strokes blend where they meet (Turner's haze, a glazed look).
        softened = tile_exact_blur(colour, style.softness * unit, keep=wet)
        laid = torch.where(outline_in(wet)[None], laid, laid + 0.75 * (softened - laid))
    if calm is not None:
        # Paint laid thin in the open areas: neighbouring strokes blend over a few pixels, so the colour of one
        # thin stroke beside the next no longer draws lines; the broad changes of colour and the shapes' edges stay.
        smoothed = tile_exact_blur(laid, CALM_BLUR * unit, keep=edges.inside(wet))
        laid = edges.of(laid, wet)
        moved = ((smoothed - laid) ** 2).sum(0).sqrt()
        blend = edges.of(calm, frame) * (1 - moved / CALM_EDGE).clamp_min(0) ** 2
        laid = torch.where(outline_in(edges)[None], laid, laid + blend[None] * (smoothed - laid))
    else:
        laid = edges.of(laid, wet)
    if strands is not None:
        second, weight = strands
        laid = laid + edges.of(weight, relief)[None] * (edges.of(second, relief) - laid)
    # Stroke edges: a fraction of a pixel of blending, so that edges are not stair-stepped.
    near = edges.of(owner, frame)
    edge = torch.zeros_like(near, dtype=torch.bool)
    edge[:, 1:] |= near[:, 1:] != near[:, :-1]
    edge[1:, :] |= near[1:, :] != near[:-1, :]
    colour = torch.where(
        tile.of(edge, edges)[None], tile_exact_blur(laid, 0.6, keep=tile.inside(edges)), tile.of(laid, edges)
    )

    # The relief, over the pixels its blur and slope read.
    stroke = relief.of(owner, frame)
    covered = stroke >= 0
    stroke = stroke.clamp_min(0)
    painted_on = covered & ~is_outline[stroke]  # covered, not by an outline
    position = (ownership.across + 1) / 2 * BRISTLES
    low = position.floor().long().clamp(0, BRISTLES - 1)
    fraction = position - low
    streak = profile[stroke, low] * (1 - fraction) + profile[stroke, low + 1] * fraction - 0.5
    streak = torch.where(painted_on, streak, torch.zeros_like(streak))
    # Dry brush: streaks show more toward the end of a stroke, where the brush runs out of paint.
    streak = streak * (0.5 + ownership.along)
    broad = _broad_streaks(profile, stroke, ownership.across, painted_on) if style.warm_streaks > 0 else None

    dome = (1 - ownership.across**2).clamp_min(0) ** 0.25
    thickness = radius[stroke] * (1.15 - 0.6 * ownership.along)
    height_map = torch.where(painted_on, thickness * (0.5 * dome + 0.5 * streak), torch.zeros_like(streak))
    slope = tile.grown(1, height, width)  # the heights the slope reads
    height_map = tile_exact_blur(height_map[None], _relief_sigma(unit), keep=slope.inside(relief))
    gx, gy = (tile.of(g, slope) for g in tile_exact_gradients(height_map))
    light = (gx[0] + gy[0]) * 0.7071  # slope toward the upper-left light
    shade = light / (1 + light.abs())
    # Seams: along its sides a stroke thins and the darker ground or the ridge's shadow shows. Only along
    # the sides: round the ends (where `along` is 0 or 1) a seam would outline each stroke like a pebble.
    seam = seams(ownership.along, ownership.across, painted_on)
    if style.seam_blur > 0:
        # ... soft: a seam follows its stroke's pixel-stepped boundary, and unblurred it drew a dotted dark line
        seam = tile_exact_blur(seam[None], style.seam_blur * unit, keep=tile.inside(relief))[0]
    else:
        seam = tile.of(seam, relief)
    streak = tile.of(streak, relief)
    broad = None if broad is None else tile.of(broad, relief)
    if calm is not None:  # ... and lie flat: no relief, seams or bristle streaks where the paint is thin
        thin = tile.of(calm, frame)
        seam, streak, shade = seam * (1 - thin), streak * (1 - thin), shade * (1 - thin)
        broad = None if broad is None else broad * (1 - thin)
    if unseamed is not None:  # ... and a loaded brush's stroke shows no ground along its sides
        seam = seam * (1 - tile.of(unseamed, frame))
    if flat is not None:  # ... and in busy areas the paint lies flat and thin: no relief, no seams
        busy = tile.of(flat, frame)
        seam, shade = seam * (1 - busy), shade * (1 - busy)
    if style.ground_gaps > 0:  # ... and over the palest paint the ground the seams show is pale too
        seam = seam * (1 - style.ground_gaps * pale_ground(colour[0]))
    if load is not None:  # ... and the finest texture thin in some places, loaded in others
        streak = streak * load
        grain = None if grain is None else grain * load
    painted = colour.clone()
    seamed = 0.45 * style.edges * seam  # the share of its lightness a seam takes off
    painted[0] = painted[0] * (1 - seamed)
    if broad is not None:
        painted = warm_streaks(painted, broad, style.warm_streaks)
    relief_light = style.impasto * 0.18 * shade
    painted[0] = painted[0] + style.bristles * streak * 0.6 + relief_light
    if style.shade_chroma > 0:  # ... and the light and shade move the paint's chroma too
        darker = colour[0] * seamed - relief_light.clamp_max(0)
        painted[1:] = painted[1:] * shade_chroma(colour[0], darker, relief_light.clamp_min(0), style.shade_chroma)
    if style.streak_colour > 0:
        # Each bristle carries its own mix: its streak moves the chroma as far, relatively, as the lightness.
        relative = style.bristles * streak * 0.6 / painted[0].clamp_min(0.2)
        painted[1:] = painted[1:] * (1 + style.streak_colour * relative)
    if grain is not None and style.grain > 0:
        if style.bare_lights > 0:
            grain = bare_lights(grain, colour[0], style.bare_lights)
        shift = style.grain * grain
        if style.ground_gaps > 0:
            shift = ground_gaps(shift, colour[0], style.ground_gaps)
        painted[0] = painted[0] + shift
    return painted


def shade_chroma(lightness: torch.Tensor, darker: torch.Tensor, lighter: torch.Tensor, amount: float) -> torch.Tensor:
    """(H, W): the factor on the chroma of paint of OKLab `lightness` (H, W) that the relief's seams and shade make
    `darker` (H, W, lightness taken off) and its lit ridges `lighter` (H, W, added): the chroma falls `amount` times
    the share of its lightness a pixel loses (a shadow of the same paint) and of the way to white it gains (a lit
    ridge pales toward white). Lightness at least SHADE_FLOOR from black and white counts, so that a near-black or
    near-white paint's chroma is not wiped out by a small change."""
    loss = darker / lightness.clamp_min(SHADE_FLOOR) + lighter / (1 - lightness).clamp_min(SHADE_FLOOR)
    return (1 - amount * loss).clamp_min(0)


def seams(along: torch.Tensor, across: torch.Tensor, painted_on: torch.Tensor) -> torch.Tensor:
    """How far each pixel shows a stroke's seam, 0 to 1, from where it lies in its stroke (`along`, 0 to 1, and
    `across`, -1 to 1; brush.Ownership) and whether it is `painted_on` (all the same shape): along its outer sides
    (|across| over 0.65), none round its ends."""
    sides = ((along.clamp(0, 1) * (1 - along.clamp(0, 1))) / 0.05).clamp(0, 1)
    seam = ((across.abs() - 0.65) / 0.35).clamp(0, 1) ** 2 * sides
    return torch.where(painted_on, seam, torch.zeros_like(seam))


def _broad_streaks(
    profile: torch.Tensor, stroke: torch.Tensor, across: torch.Tensor, painted_on: torch.Tensor
) -> torch.Tensor:
    """How each pixel's broad streak lies, -0.5 to 0.5 (0 where `painted_on` is false): the STREAK_KNOTS values of
    its stroke's (`stroke`, indexing `profile`'s rows) bristle profile spread evenly across it (`across`, -1 to 1),
    eased from one to the next."""
    knots = profile[:, list(STREAK_KNOTS)]
    position = (across.clamp(-1, 1) + 1) / 2 * (len(STREAK_KNOTS) - 1)
    low = position.floor().long().clamp(0, len(STREAK_KNOTS) - 2)
    ease = smoothstep(position - low, 0.0, 1.0)
    broad = knots[stroke, low] * (1 - ease) + knots[stroke, low + 1] * ease - 0.5
    return torch.where(painted_on, broad, torch.zeros_like(broad))


def warm_streaks(painted: torch.Tensor, broad: torch.Tensor, amount: float) -> torch.Tensor:
    """(3, H, W) OKLab `painted` with the warm side of its broad streaks (H, W, -0.5 to 0.5: `_broad_streaks`)
    turned toward orange: by up to `amount` radians (never past orange) where a streak is warmest, in light paint
    (WARM_LIGHTS) of a warm hue (WARM_NEAR); the chroma and lightness are kept.

    His light bands are streaked with the neighbouring warm hues, yellow and orange through a red or a cream band
    (The Scream's sky); ours were each one paint."""
    hue = torch.atan2(painted[2], painted[1])
    toward = torch.remainder(WARM_HUE - hue + math.pi, 2 * math.pi) - math.pi  # -pi to pi: the short way round
    light = smoothstep(painted[0], *WARM_LIGHTS)
    warm_hued = smoothstep(toward.cos(), *WARM_NEAR)  # a blue sky's streaks would turn violet
    turn = toward.clamp(-amount, amount) * (2 * broad).clamp_min(0) * light * warm_hued
    cos, sin = torch.cos(turn), torch.sin(turn)
    out = painted.clone()
    out[1] = cos * painted[1] - sin * painted[2]
    out[2] = sin * painted[1] + cos * painted[2]
    return out


def ground_gaps(shift: torch.Tensor, lightness: torch.Tensor, amount: float) -> torch.Tensor:
    """The grain's lightness `shift` (H, W) over paint of OKLab `lightness` (H, W) turned, by `amount` (0 to 1), into
    gaps that show the ground: the side of the noise that moves the paint toward GROUND_LIGHTNESS (darker on pale
    paint, lighter on dark) is kept, the other side shrinks by the amount (none left at 1), and the whole is scaled
    back to the grain's spread. Paint within GROUND_TURN of the ground's lightness keeps more of both sides. Over the
    palest paint the ground is pale too: the gaps fade from PALE_GROUND to none PALE_TURN above it (by the amount).

    A dry brush's paint catches on the canvas's tooth and leaves the ground showing between; a grain that lightened
    and darkened the paint alike glittered white and grey over pale paint (Van Gogh's dry strokes at 2x)."""
    side = torch.tanh((GROUND_LIGHTNESS - lightness) / GROUND_TURN)  # + where the gaps are lighter, - darker
    lean = amount * side.abs()
    kept = torch.where(shift * side >= 0, shift, (1 - lean) * shift)
    # The spread of unit normal noise with one side times (1 - lean): its mean square less its squared mean.
    spread = (0.5 * (1 + (1 - lean) ** 2) - lean**2 / (2 * math.pi)).sqrt()
    return kept / spread * (1 - amount * pale_ground(lightness))


def pale_ground(lightness: torch.Tensor) -> torch.Tensor:
    """How far the ground lies pale under paint of OKLab `lightness` (any shape): 0 up to PALE_GROUND, 1 from
    PALE_GROUND + PALE_TURN. His snow and pale skies lie over a light ground, so neither the gaps nor the seams
    along the strokes' sides show a dark one there."""
    return ((lightness - PALE_GROUND) / PALE_TURN).clamp(0, 1)


def bare_lights(grain: torch.Tensor, lightness: torch.Tensor, amount: float) -> torch.Tensor:
    """The grain (H, W) over paint of OKLab `lightness` (H, W), moved from the lights into the inks by `amount` (0 to
    1): at 1 it is 2 (1 - L) times as strong, none on the lightest paper, as strong as before at mid-grey and up to
    twice in the darks. His prints' lights (a sky, snow, a sail: a third of the picture) are smooth bare paper and
    their fine texture lies in the inked areas (level-1 band at lightness over 0.8: 0.001-0.011, at 0.4-0.6:
    0.02-0.07); an even grain had the renders' lights as rough as their mid-tones."""
    return grain * (1 + amount * (1 - 2 * lightness.clamp(0, 1)))
