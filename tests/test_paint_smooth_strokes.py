"""A share of the strokes laid smooth, the rest dry (the style's `smooth_strokes`: surface.dry_strokes in raster.py), and
the dry ones gathered in patches (`dry_patches`: surface.dry_choice) and sent out of open light places
(`smooth_lights`: surface.open_lights), out of open places painted dark (`smooth_darks`: surface.open_darks) and out of the
open sky whatever its lightness (`smooth_sky`: surface.open_sky)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes.brush import MAX_POINTS
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.raster import rasterize
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from models.paint.strokes.surface import (
    DRY_PATCH,
    SMOOTH_DARKS,
    dry_choice,
    dry_strokes,
    open_darks,
    open_lights,
    open_sky,
    openness,
)

QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}
QUIET |= {"bristles": 0.0, "impasto": 0.0, "edges": 0.0, "softness": 0.0, "brush_size": 0.02, "grain": 0.04}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    return StrokeStyle(colours=habits).with_parameters({**QUIET, **brushes})


def test_a_share_of_the_strokes_is_smooth_and_the_rest_keep_the_grains_energy():
    """Of 4,000 strokes about `smooth` take no grain and the rest 1 / sqrt(1 - smooth) of it (the mean square stays
    1); where no stroke lies the grain stays; the same strokes and seed choose the same, another seed others."""
    owner = torch.arange(4000).reshape(40, 100)
    owner[0, :10] = -1
    share = dry_strokes(owner, dry_choice(4000, seed=3, smooth=0.7), smooth=0.7)
    assert torch.equal(share, dry_strokes(owner, dry_choice(4000, seed=3, smooth=0.7), smooth=0.7))
    assert torch.equal(share[0, :10], torch.ones(10))
    strokes = share[owner >= 0]
    smooth = strokes == 0
    assert 0.66 < float(smooth.float().mean()) < 0.74
    assert torch.allclose(strokes[~smooth], torch.full_like(strokes[~smooth], 0.3**-0.5))
    assert abs(float(strokes.pow(2).mean()) - 1.0) < 0.1
    other = dry_strokes(owner, dry_choice(4000, seed=4, smooth=0.7), smooth=0.7)[owner >= 0] == 0
    assert 0.2 < float((other != smooth).float().mean()) < 0.6  # another seed, other strokes


def test_smooth_strokes_are_flat_and_the_dry_ones_grainier_in_a_render():
    """A flat grey picture, one plan drawn without and with smooth strokes: without, every stroke holds the grain;
    with 0.7, about 70% of the strokes are perfectly flat and the rest hold about 1.8 times the grain, so the
    picture's grain is about as strong; a style saved before it loads with none."""
    assert ADDED_LATER["smooth_strokes"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (128, 96), (128, 128, 128)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 128, 96)
    assert plan.key_map is not None
    owner = (plan.key_map.inner() // MAX_POINTS).flatten()
    covered = owner >= 0

    def spread_per_stroke(amount: float) -> tuple[torch.Tensor, torch.Tensor]:
        lightness = to_oklab(list(rasterize(plan, _style(smooth_strokes=amount), 96, 128, seed=2))[-1][1])[0]
        values, ids = lightness.flatten()[covered].double(), owner[covered]  # float64: a flat stroke is exactly 0
        count = torch.bincount(ids, minlength=plan.count).double()
        mean = torch.bincount(ids, values, minlength=plan.count) / count.clamp_min(1)
        square = torch.bincount(ids, values * values, minlength=plan.count) / count.clamp_min(1)
        seen = count >= 12  # strokes with enough of their own pixels on top
        return (square - mean * mean).clamp_min(0).sqrt()[seen], lightness.std()

    plain, plain_spread = spread_per_stroke(0.0)
    smooth, smooth_spread = spread_per_stroke(0.7)
    assert plain.numel() > 40
    assert float((plain < 1e-6).float().mean()) < 0.05  # without: every stroke grained
    flat = smooth < 1e-6
    assert 0.55 < float(flat.float().mean()) < 0.85
    ratio = float(smooth[~flat].median() / plain.median())
    assert 1.5 < ratio < 2.2  # 1 / sqrt(0.3) = 1.83
    assert 0.75 < float(smooth_spread / plain_spread) < 1.3


def test_dry_strokes_gather_in_patches():
    """With `dry_patches` 1 the dry strokes are still 30% of 4,000, but strokes whose middles lie within a tenth of
    DRY_PATCH of each other are nearly always both dry or both smooth (chosen stroke by stroke: 0.58, as chance
    gives); at 0 the choice is the one made stroke by stroke; half the amount gathers them half as much."""
    middles = torch.rand(4000, 2, generator=torch.Generator().manual_seed(5)) * 8 * DRY_PATCH
    apart = (middles[:, None] - middles[None]).norm(dim=-1)
    near = (apart < DRY_PATCH / 10) & (apart > 0)

    def agreement(dry: torch.Tensor) -> float:
        return float((dry[:, None] == dry[None])[near].float().mean())

    alone = dry_choice(4000, seed=3, smooth=0.7)
    assert torch.equal(dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=0.0), alone)
    assert agreement(alone) < 0.65
    gathered = dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=1.0)
    assert abs(float(gathered.float().mean()) - 0.3) < 0.01
    assert agreement(gathered) > 0.9
    assert 0.65 < agreement(dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=0.5)) < 0.85


def test_a_render_with_dry_patches_is_grainy_in_places_and_smooth_in_others():
    """A flat grey picture, one plan: with the dry strokes in patches the grain's energy varies far more from one
    32-px block to the next than with them chosen stroke by stroke (the raster passes the style's amount on)."""
    assert ADDED_LATER["dry_patches"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (256, 256), (128, 128, 128)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 256, 256)

    def block_unevenness(patches: float) -> float:
        style = _style(smooth_strokes=0.7, dry_patches=patches)
        lightness = to_oklab(list(rasterize(plan, style, 256, 256, seed=2))[-1][1])[0]
        energy = torch.nn.functional.avg_pool2d((lightness - lightness.mean())[None, None] ** 2, 32)
        return float(torch.log(energy + 1e-6).std())

    assert block_unevenness(1.0) > 1.5 * block_unevenness(0.0)


def test_dry_strokes_leave_the_open_light_places_for_the_others():
    """With `away` 1 the dry strokes are still 30% of 4,000 strokes, half of them in open light places (`place` 1):
    nearly all dry ones lie in the other half (gathered in patches as before); half the amount sends fewer away; 0
    changes nothing."""
    middles = torch.rand(4000, 2, generator=torch.Generator().manual_seed(5)) * 8 * DRY_PATCH
    place = (torch.arange(4000) % 2).float()  # every other stroke in an open light place
    gathered = dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=1.0)
    assert torch.equal(dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=1.0, place=place), gathered)
    assert abs(float(gathered[place == 1].float().mean()) - 0.3) < 0.05
    sent = dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=1.0, place=place, away=1.0)
    assert abs(float(sent.float().mean()) - 0.3) < 0.01
    assert float(sent[place == 1].float().mean()) < 0.02
    half = dry_choice(4000, seed=3, smooth=0.7, middles=middles, patches=1.0, place=place, away=0.5)
    assert 0.05 < float(half[place == 1].float().mean()) < 0.25


def test_open_lights_are_the_light_places_without_detail():
    """A picture light above and dark below, each half flat on its left and striped on its right: only the flat light
    quarter is an open light place."""
    picture = Image.new("RGB", (128, 128), (190, 190, 190))
    picture.paste((50, 50, 50), (0, 64, 128, 128))
    for x in range(64, 128, 8):
        picture.paste((120, 120, 120), (x, 0, x + 4, 128))
    lab = to_oklab(pil_to_tensor(picture))
    place = open_lights(openness(lab, unit=0.25), lab)[0]
    assert float(place[8:56, 8:40].min()) > 0.9
    assert float(place[8:56, 88:120].max()) < 0.2  # light but busy
    assert float(place[72:120, 8:40].max()) < 0.05  # open but dark


def _grain_in_halves(flat: tuple[int, int, int], stripe: tuple[int, int, int]) -> Callable[..., tuple[float, float]]:
    """A picture of `flat` colour above and striped with `stripe` below (busy), one plan: a function of the style's
    amounts giving how much of the grain (the pixels it moves) the flat half holds, and how much the busy half."""
    stripes = Image.new("RGB", (256, 256), flat)
    for x in range(0, 256, 8):
        stripes.paste(stripe, (x, 128, x + 4, 256))
    plan = plan_for(_style(), pil_to_tensor(stripes), StrokeParams(seed=2, palette=0.0), 256, 256)

    def lightness(**amounts) -> torch.Tensor:
        style = _style(smooth_strokes=0.7, dry_patches=1.0, **amounts)
        return to_oklab(list(rasterize(plan, style, 256, 256, seed=2))[-1][1])[0]

    bare = lightness(grain=0.0)

    def grained(**amounts) -> tuple[float, float]:
        moved = (lightness(**amounts) - bare).abs() > 0.005
        return float(moved[8:120].float().mean()), float(moved[136:248].float().mean())

    return grained


def test_a_render_with_smooth_lights_keeps_its_grain_out_of_an_open_light_sky():
    """A picture flat and light above and striped below (busy), one plan: with `smooth_lights` 1 the flat half holds
    far less of the grain (the pixels the grain moves) than without it, the busy half more (the raster passes the
    amount on)."""
    assert ADDED_LATER["smooth_lights"] == 0.0
    grained = _grain_in_halves((170, 170, 170), (60, 60, 60))
    open_before, busy_before = grained(smooth_lights=0.0)
    open_after, busy_after = grained(smooth_lights=1.0)
    assert open_before > 0.05
    assert open_after < 0.3 * open_before
    assert busy_after > busy_before


def test_open_darks_are_the_strokes_of_dark_paint_in_open_places():
    """A stroke counts fully when open and painted darker than SMOOTH_DARKS, not at all when busy or painted lighter,
    half when half open."""
    low, high = SMOOTH_DARKS
    paint = torch.tensor([[low - 0.05, 0.0, 0.0], [low - 0.05, 0.0, 0.0], [high + 0.05, 0.0, 0.0], [low, 0.0, 0.0]])
    darks = open_darks(torch.tensor([1.0, 0.0, 1.0, 0.5]), paint)
    assert torch.allclose(darks, torch.tensor([1.0, 0.0, 0.0, 0.5]))


def test_a_render_with_smooth_darks_keeps_its_grain_out_of_an_open_dark_place():
    """A picture flat and dark above and striped below (busy), one plan: with `smooth_darks` 1 the flat dark half
    holds far less of the grain (the pixels the grain moves) than without it, the busy half more (the raster passes
    the amount on); `smooth_lights` does not do it (the dark half is not light)."""
    assert ADDED_LATER["smooth_darks"] == 0.0
    grained = _grain_in_halves((30, 30, 30), (150, 150, 150))
    open_before, busy_before = grained()
    open_after, busy_after = grained(smooth_darks=1.0)
    assert open_before > 0.05
    assert open_after < 0.3 * open_before
    assert busy_after > busy_before
    assert grained(smooth_lights=1.0)[0] > 0.7 * open_before


# A dusk sky's mauve (the village sketch's, guide lightness 0.41-0.56): neither light enough for `smooth_lights` nor
# dark enough for `smooth_darks`; and a wooden table's warm brown, as open and as mid-toned, but no sky's colour.
MAUVE_SKY, WOODEN_TABLE = (120, 104, 150), (150, 112, 74)


def test_open_sky_is_the_open_sky_coloured_place_that_runs_in_from_the_top():
    """A mauve flat top over a striped (busy) bottom: the top is open sky, the stripes are not; a wooden table's
    flat top over the same stripes is open but no sky."""
    for colour, sky in ((MAUVE_SKY, True), (WOODEN_TABLE, False)):
        picture = Image.new("RGB", (128, 128), colour)
        for x in range(0, 128, 8):
            picture.paste((60, 60, 60), (x, 64, x + 4, 128))
        guide = to_oklab(pil_to_tensor(picture))
        place = open_sky(openness(guide, 0.25), guide, 0.25)
        assert place.shape == (1, 128, 128)
        assert float(place[0, 4:56].mean()) > 0.9 if sky else float(place.max()) < 0.05
        assert float(place[0, 72:].max()) < 0.05


def test_a_render_with_smooth_sky_keeps_its_grain_out_of_an_open_mid_toned_sky():
    """A picture of a flat mauve sky above and stripes below (busy), one plan: with `smooth_sky` 1 the sky holds far
    less of the grain (the pixels the grain moves) than without it, the busy half more (the raster passes the amount
    on); `smooth_lights` and `smooth_darks` leave it (the mauve is neither light nor dark); a wooden table's flat top
    keeps its grain."""
    assert ADDED_LATER["smooth_sky"] == 0.0
    grained = _grain_in_halves(MAUVE_SKY, (60, 60, 60))
    open_before, busy_before = grained()
    open_after, busy_after = grained(smooth_sky=1.0)
    assert open_before > 0.05
    assert open_after < 0.3 * open_before
    assert busy_after > busy_before
    assert grained(smooth_lights=1.0, smooth_darks=1.0)[0] > 0.7 * open_before
    table = _grain_in_halves(WOODEN_TABLE, (60, 60, 60))
    assert table(smooth_sky=1.0)[0] > 0.7 * table()[0]


def test_smooth_strokes_with_clean_sides_lose_their_seams_and_the_dry_ones_keep_them():
    """A flat grey picture, one plan, with dark seams (`edges` 0.6) or none: with `clean_sides` 1 a smooth stroke's
    pixels are the same either way and a dry stroke's sides are darker with the seams; at 0 the smooth strokes'
    sides are darkened too."""
    assert ADDED_LATER["clean_sides"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (128, 96), (128, 128, 128)))
    plan = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 128, 96)
    owner = (plan.key_map.inner() // MAX_POINTS).reshape(96, 128)
    dry = dry_choice(plan.count, seed=2, smooth=0.7)
    smooth_pixels = (owner >= 0) & ~dry[owner.clamp_min(0)]
    dry_pixels = (owner >= 0) & dry[owner.clamp_min(0)]

    def lightness(edges: float, clean: float) -> torch.Tensor:
        style = _style(smooth_strokes=0.7, edges=edges, clean_sides=clean)
        return to_oklab(list(rasterize(plan, style, 96, 128, seed=2))[-1][1])[0]

    seamless = lightness(0.0, 1.0)
    seamed = lightness(0.6, 1.0)
    assert torch.allclose(seamed[smooth_pixels], seamless[smooth_pixels], atol=1e-5)
    assert float((seamless - seamed)[dry_pixels].max()) > 0.02
    assert float((lightness(0.0, 0.0) - lightness(0.6, 0.0))[smooth_pixels].max()) > 0.02
