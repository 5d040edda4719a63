"""His fields in light paint under the dark blades (grass.field_painted): the whole field, not only its clearly low
part, so the lift makes no edge of its own inside a green hill."""

from __future__ import annotations

import torch

from models.jobs import run_job
from models.paint.strokes import plan as plan_module
from models.paint.strokes.field import region_memberships
from models.paint.strokes.filters import to_oklab
from models.paint.strokes.grass import FIELD_LIGHT, field_painted, grass_map
from models.paint.strokes.render import StrokeParams, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style
from tests.test_paint_grass import GREEN, HEIGHT, _ground

UNIT = HEIGHT / 512


def test_the_whole_field_takes_the_light_paint_and_the_sky_is_left():
    lab = to_oklab(_ground(GREEN))
    memberships = region_memberships(lab, UNIT)
    field = slice(HEIGHT // 2 + 4, HEIGHT - 4)
    assert float(grass_map(lab, memberships, UNIT)[0, field].min()) == 0.0  # the grass map alone leaves a part out
    painted = field_painted(lab, lab, memberships, UNIT, 1.0)
    assert float(painted[0, field].min()) > FIELD_LIGHT - 0.01
    assert float(painted[1, field].max()) < 0.0  # blue-green
    assert torch.equal(painted[:, : HEIGHT // 2 - 4], lab[:, : HEIGHT // 2 - 4])


def test_at_0_no_field_is_painted(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["field_paint"] == 0.0 and _style().field_paint == 0.0
    params = StrokeParams(seed=1, palette=0.0)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "field_painted")],
        at_zero=lambda: run_job(stroke_render_job(_style(grass=1.0), _ground(GREEN), params)),
        switched_on=[lambda: run_job(stroke_render_job(_style(grass=1.0, field_paint=1.0), _ground(GREEN), params))],
    )


def test_a_field_is_every_pixel_joined_to_the_grass_as_growing_it_a_pixel_at_a_time_finds():
    """grass.joined_to finds a field's connected parts in a few passes; it must keep exactly the pixels that growing
    the grass a pixel a pass, eight ways, through the alike pixels reaches (the first form, slow on a wide field)."""
    import torch.nn.functional as F

    from models.paint.strokes.grass import joined_to

    generator = torch.Generator().manual_seed(3)
    noise = (torch.rand(1, 1, 96, 128, generator=generator) > 0.45).float()
    within = F.avg_pool2d(noise, 5, 1, 2)[0, 0] > 0.5  # a maze of parts, some joined only corner to corner
    seeds = torch.rand(96, 128, generator=generator) > 0.995
    grown = (seeds & within).float()[None, None]
    while True:
        larger = F.max_pool2d(grown, 3, 1, 1) * within
        if torch.equal(larger, grown):
            break
        grown = larger
    found = joined_to(seeds, within)
    assert torch.equal(found, grown[0, 0] > 0)
    assert 0 < int(found.sum()) < int(within.sum())  # some parts joined, some not
