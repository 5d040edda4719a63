"""Where a picture's sky is (sky.sky_map, session 18, for Munch's `sky_heat`): the smooth blue, grey or violet area
running in from the top edge over a good share of its width; not a close-up's warm table top, a dark green garden
behind a flower, or a pale patch of wall between shelves, which the open upper half of the picture took for sky."""

from __future__ import annotations

import torch

from models.paint.strokes.sky import sky_map

WIDTH, HEIGHT = 128, 96
HORIZON = 48
BLUE, GREEN, WOOD = (0.72, -0.02, -0.1), (0.5, -0.08, 0.08), (0.6, 0.05, 0.08)  # OKLab


def _picture(top: tuple[float, float, float], bottom: tuple[float, float, float] = GREEN) -> torch.Tensor:
    """(3, H, W) OKLab: `top` above the horizon, lightening slowly downward (0.05 over the height), `bottom` below."""
    picture = torch.tensor(bottom)[:, None, None].repeat(1, HEIGHT, WIDTH)
    picture[:, :HORIZON] = torch.tensor(top)[:, None, None]
    picture[0, :HORIZON] += torch.linspace(0, 0.05, HORIZON)[:, None]
    return picture


def _sky(picture: torch.Tensor, busy: torch.Tensor | None = None) -> torch.Tensor:
    return sky_map(picture, torch.zeros(HEIGHT, WIDTH) if busy is None else busy, 0.25)


def test_a_blue_sky_is_sky_down_to_its_horizon_and_the_hill_below_not():
    sky = _sky(_picture(BLUE))
    assert float(sky[: HORIZON - 4].min()) > 0.9
    assert float(sky[HORIZON + 4 :].max()) < 0.05


def test_a_dusk_sky_grading_from_violet_to_orange_is_one_sky():
    """A dusk sky grades from violet at the top to orange at its horizon (OKLab change ~0.005 a px at 512): no edge."""
    picture = _picture(BLUE, (0.3, -0.02, 0.05))
    violet, orange = torch.tensor([0.4, 0.03, -0.09]), torch.tensor([0.6, 0.09, 0.1])
    share = torch.linspace(0, 1, HORIZON)[None, :, None]
    picture[:, :HORIZON] = violet[:, None, None] + share * (orange - violet)[:, None, None]
    sky = _sky(picture)
    assert float(sky[: HORIZON - 4].min()) > 0.9
    assert float(sky[HORIZON + 4 :].max()) < 0.05


def test_a_warm_table_top_is_no_sky():
    """The coffee photograph's wooden table (OKLab hue ~51 degrees) fills the top: the open upper half, but no sky."""
    assert float(_sky(_picture(WOOD)).max()) < 0.01


def test_a_dark_green_garden_behind_a_flower_is_no_sky():
    """A blurred dark teal-green background (L 0.3, hue ~180) is as smooth and open as a sky, but no sky's colour."""
    assert float(_sky(_picture((0.3, -0.05, -0.002))).max()) < 0.01


def test_a_pale_patch_of_wall_between_shelves_is_no_sky():
    """A pale grey wall on a fifth of the top, among busy shelves (warm boxes), is too narrow a patch to be a sky;
    widened to the whole top it is one."""
    picture = _picture(WOOD)
    picture[:, :HORIZON, 48:74] = torch.tensor([0.85, 0.0, 0.005])[:, None, None]
    busy = torch.zeros(HEIGHT, WIDTH)
    busy[:HORIZON] = 1.0
    busy[:HORIZON, 48:74] = 0.0
    assert float(_sky(picture, busy).max()) < 0.01
    wide = _picture((0.85, 0.0, 0.005))
    assert float(_sky(wide)[: HORIZON - 4].min()) > 0.9


def test_the_sky_goes_round_a_sun_in_it_and_not_into_it():
    """A sun in the sky, its rim a sharp edge: the sky below it is still sky (reached round it), the sun is not."""
    picture = _picture(BLUE)
    ys, xs = torch.meshgrid(torch.arange(HEIGHT), torch.arange(WIDTH), indexing="ij")
    sun = (ys - 20) ** 2 + (xs - 64) ** 2 < 8**2
    picture[:, sun] = torch.tensor([0.9, 0.0, 0.17])[:, None]
    sky = _sky(picture)
    assert float(sky[20, 64]) < 0.1
    assert float(sky[36 : HORIZON - 4, 60:68].min()) > 0.8
