"""A scene's sky in the stroke plan (scratch.sky_map -> plan_strokes' `sky`): a painting from scratch keeps its flat
masses' values apart under a painter's bands, and his heat goes where the scene's sky is, not to the upper half."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.scene.composer import compose_scene
from models.paint.scratch import SKY, sky_map
from models.paint.strokes import StrokeParams
from models.paint.strokes.filters import to_rgb
from models.paint.strokes.render import plan_for
from tests.test_paint_sky_heat import HEIGHT, WIDTH, _light_blue, _mean_b
from tests.test_paint_sky_heat import _style as _hot_style
from tests.test_paint_strokes import _style

QUIET = {"outline": 0.0, "softness": 0.0, "grain": 0.0, "bristles": 0.0, "impasto": 0.0, "edges": 0.0}
QUIET |= {"jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "band_hue": 0.0}


def _two_masses() -> torch.Tensor:
    """(3, 48, 64) sRGB: a light flat sky over a middle-grey flat land, as a scene's sketch lays them."""
    image = np.ones((48, 64, 3)) * [0.45, 0.45, 0.42]
    image[:20] = [0.72, 0.72, 0.7]
    return pil_to_tensor(Image.fromarray((image * 255).astype(np.uint8)))


def test_a_scenes_masses_keep_their_values_apart_under_far_reaching_bands():
    """With band contrast 1 a photograph's flat land alternates paints far apart in lightness, as light as the sky's
    and darker (fails without the sky map's rule); a scene's land keeps to the paints beside its own lightness, so
    none of its strokes is as light as the sky's mean, and the two masses' means stay apart."""
    sky = torch.zeros(48, 64)
    sky[:20] = 1
    style = _style(**QUIET, bands=2.0, band_contrast=1.0)
    params = StrokeParams(seed=3)
    photo, scene = (plan_for(style, _two_masses(), params, 64, 48, sky=s) for s in (None, sky))
    for plan, lands_far in ((photo, True), (scene, False)):
        middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
        fill = ~plan.is_outline
        upper, lower = fill & (middle[:, 1] < 14), fill & (middle[:, 1] > 26)
        land = plan.colour[lower, 0]
        spread = float(land.max() - land.min())
        assert (spread > 0.4) == lands_far
        assert float(plan.colour[upper, 0].mean() - land.mean()) > 0.15
    assert float(scene.colour[lower, 0].max()) < float(scene.colour[upper, 0].mean())


def test_the_heat_goes_to_the_scenes_sky_wherever_it_is():
    """The same even light blue from top to bottom: told that its lower half is the sky (a scene whose horizon is
    low), the heat kept to the sky warms the bottom's strokes and leaves the top's their blue, the other way round
    from the upper-half guess a photograph gets (fails with the scene's sky ignored)."""
    style = _hot_style(sky_heat=1.0)
    guess_top, guess_bottom = _mean_b(style)
    sky = torch.zeros(HEIGHT, WIDTH)
    sky[HEIGHT // 2 :] = 1
    plan = plan_for(style, _light_blue(), StrokeParams(seed=1, palette=1.0), WIDTH, HEIGHT, sky=sky)
    middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
    fill, row = ~plan.is_outline, middle[:, 1]
    top, bottom = fill & (row < HEIGHT / 6), fill & (row > HEIGHT * 5 / 6)
    assert guess_top > 0.05 and guess_bottom < -0.03
    assert float(plan.colour[top, 2].mean()) < -0.03 and float(plan.colour[bottom, 2].mean()) > 0.05


def test_a_scenes_sky_map_covers_its_sky_clouds_and_sun():
    scene = compose_scene("a harbour at sunset", 2, (160, 120))
    sky = sky_map(scene)
    assert sky is not None and sky.shape == (120, 160)
    for name in SKY & set(scene.visible):
        assert bool(sky[torch.from_numpy(scene.mask(name))].eq(1).all())
    assert bool(sky[torch.from_numpy(scene.mask("sea"))].eq(0).all()) and 0.1 < float(sky.mean()) < 0.9


# Munch's eight paints (OKLab, darkest first): ochres, oranges, olives and a dark teal; none blue, none above L 0.69.
WARM = torch.tensor(
    [
        [0.24, -0.021, 0.012],
        [0.37, -0.031, 0.002],
        [0.40, -0.005, 0.039],
        [0.52, 0.024, 0.068],
        [0.55, -0.010, 0.048],
        [0.58, 0.141, 0.117],
        [0.62, 0.089, 0.111],
        [0.69, 0.033, 0.101],
    ]
)


def _sky_over_snow() -> torch.Tensor:
    """(3, 48, 64) sRGB: a blue sky over a white snowfield, as a scene's sketch lays them."""
    picture = torch.empty(3, 48, 64)
    picture[:, :20] = to_rgb(torch.tensor([0.72, -0.03, -0.10])[:, None, None])
    picture[:, 20:] = to_rgb(torch.tensor([0.95, 0.0, -0.01])[:, None, None])
    return picture.clamp(0, 1)


def test_a_scenes_masses_in_colours_the_painter_has_no_paint_for_keep_their_own():
    """In Munch's paints a photograph's blue sky and white snow take his warm, darker paints (fails if the rule reached
    photographs); a scene's keep their blue and their white, banded (fails without it: an ochre sky over ochre snow)."""
    sky = torch.zeros(48, 64)
    sky[:20] = 1
    style = replace(_style(**QUIET, bands=2.0, band_heat=1.0, band_vivid=0.8), paints=WARM)
    for given, own in ((None, False), (sky, True)):
        plan = plan_for(style, _sky_over_snow(), StrokeParams(seed=3), 64, 48, sky=given)
        middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
        fill = ~plan.is_outline
        upper, lower = fill & (middle[:, 1] < 16), fill & (middle[:, 1] > 24)
        # blue (OKLab b -0.025; -0.032 before session 23's day key, under which this sky over snow maps a little
        # lighter, L 0.68 for 0.65, nearer his lightest paint, and keeps more of its own pale blue; the photograph +0.069)
        assert (float(plan.colour[upper, 2].mean()) < -0.015) == own
        assert (float(plan.colour[lower, 0].mean()) > 0.8) == own  # white (his lightest paint 0.69)


def test_a_pale_blue_a_little_too_light_and_a_little_too_blue_is_as_foreign_as_either():
    """A winter sky's pale blue between its blue top and its grey horizon (fails counted by the larger part alone: 0.62
    and 0.68, where the blue top and the grey horizon are 1, and Munch's heat burnt that band salmon)."""
    from models.paint.colour import srgb_to_oklab
    from models.paint.strokes.bands import foreign_share

    sky = srgb_to_oklab(torch.tensor([[0.55, 0.64, 0.82], [0.65, 0.71, 0.84], [0.70, 0.75, 0.85], [0.86, 0.87, 0.88]]))
    assert foreign_share(sky, WARM).min() > 0.9
    assert foreign_share(WARM, WARM).max() == 0  # his own paints are not foreign


def test_a_snowfield_under_his_sky_stays_white_not_his_ochre_thinned():
    """Snow on the land, lighter than all his paints, keeps nearly its own white: at the sky's share of its own colour
    it was his ochre thinned to cream (L 0.84, chroma 0.040: sand more than snow; fails so), now L 0.91, chroma 0.010.
    The sky keeps the share it had, his heat's."""
    sky = torch.zeros(48, 64)
    sky[:20] = 1
    style = replace(_style(**QUIET, bands=2.0, band_heat=1.0, band_vivid=0.8), paints=WARM)
    plan = plan_for(style, _sky_over_snow(), StrokeParams(seed=3), 64, 48, sky=sky)
    middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
    fill = ~plan.is_outline
    upper, lower = fill & (middle[:, 1] < 16), fill & (middle[:, 1] > 24)
    snow = plan.colour[lower]
    assert float(snow[:, 0].mean()) > 0.88 and float(snow[:, 1:].norm(dim=1).mean()) < 0.02
    # the sky still his tint over its blue (chroma 0.029; 0.041 before session 23's day key: see above)
    assert float(plan.colour[upper, 1:].norm(dim=1).mean()) > 0.02


def _storm_over_sea() -> torch.Tensor:
    """(3, 48, 64) sRGB: a storm's slate sky (the sketch's, scene/light.py) over a dark sea."""
    picture = torch.empty(3, 48, 64)
    picture[:, :20] = to_rgb(torch.tensor([0.50, -0.012, -0.069])[:, None, None])
    picture[:, 20:] = to_rgb(torch.tensor([0.35, -0.03, -0.02])[:, None, None])
    return picture.clamp(0, 1)


def test_a_dark_skys_light_bands_stay_in_its_slate_not_his_orange_pulled_pink():
    """A storm's sky keeps DARK_SKY_OWN of its slate: at SCENE_OWN its light bands, his orange (every light paint of his
    is orange or ochre) pulled 60% back to the slate, were mauve streaks (OKLab a up to 0.049, mean b +0.005; fails so),
    now a blue-grey with a tint of his orange (a at most 0.011, mean b -0.041)."""
    sky = torch.zeros(48, 64)
    sky[:20] = 1
    style = replace(_style(**QUIET, bands=2.0, band_heat=1.0, band_vivid=0.8), paints=WARM)
    plan = plan_for(style, _storm_over_sea(), StrokeParams(seed=3), 64, 48, sky=sky)
    middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
    upper = ~plan.is_outline & (middle[:, 1] < 16)
    assert float(plan.colour[upper, 1].max()) < 0.02
    assert float(plan.colour[upper, 2].mean()) < -0.02


def _storm_sea_with_a_lit_horizon() -> torch.Tensor:
    """(3, 48, 64) sRGB: the storm's slate sky over its dark teal sea, the sea lighter along the horizon where the
    break's light lies on it (scene/water.py, draw_break_light), as in Munch's stormy harbour."""
    picture = _storm_over_sea()
    picture[:, 20:26] = to_rgb(torch.tensor([0.45, -0.035, -0.01])[:, None, None]).clamp(0, 1)
    return picture


def test_the_sea_under_a_dark_sky_keeps_its_teal_not_his_orange_pulled_salmon():
    """Under a storm's sky its water keeps DARK_SKY_OWN of its own colour, whatever its colour: its light bands along
    the horizon took his orange, and SCENE_OWN times its foreign share (a teal half foreign to his black-green) pulled
    back over it left a salmon streak (Munch's stormy harbour, seeds 1 and 2). Fails so: OKLab a up to 0.141; now -0.007."""
    sky, water = torch.zeros(48, 64), torch.zeros(48, 64)
    sky[:20], water[20:] = 1, 1
    style = replace(_style(**QUIET, bands=2.0, band_heat=1.0, band_vivid=0.8), paints=WARM)
    plan = plan_for(style, _storm_sea_with_a_lit_horizon(), StrokeParams(seed=3), 64, 48, water=water, sky=sky)
    middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
    on_the_sea = ~plan.is_outline & (middle[:, 1] >= 21)
    assert float(plan.colour[on_the_sea, 1].max()) < 0.0


@pytest.mark.parametrize(("subject", "dark"), [("a stormy harbour", 1.0), ("a harbour at night", 1.0),
                                              ("a harbour at dusk", 0.0), ("a lighthouse on a cliff at sunset", 0.0),
                                              ("a harbour with boats", 0.0)])
def test_a_storms_and_a_nights_sky_is_dark_all_over_a_dusks_sunsets_and_days_is_not(subject, dark):
    from models.paint.strokes.filters import to_oklab
    from models.paint.strokes.plan import under_a_dark_sky

    for seed in (1, 2):
        scene = compose_scene(subject, seed, (192, 128))
        lightness = to_oklab(pil_to_tensor(Image.fromarray(scene.sketch)))[0]
        assert under_a_dark_sky(lightness, sky_map(scene)) == pytest.approx(dark, abs=0.05)
