"""A last layer of small dashes in strongly contrasting colours over patches of the painting (the style's `dash_layer`:
dash_layer.py, planned in plan.py; session 16, for Van Gogh's cobalt and pale yellow dashes side by side)."""

from __future__ import annotations

import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.brush import MAX_POINTS, KeyMap, Strokes, stamp
from models.paint.strokes.dash_layer import PATCH_SHARE, dash_seeds, layer_dash_colours, straightness
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_paint_smooth_strokes import _style


def test_a_dash_goes_lighter_toward_the_light_tint_or_as_far_deeper():
    """Over a flat blue canvas, with a yellow-green light tint: about half the dashes are lighter and leave the blue
    toward the tint's yellow, the rest darker and bluer, each at least half the way."""
    canvas = torch.tensor([0.5, -0.02, -0.10])[:, None, None].expand(3, 40, 40)
    seeds = torch.rand((400, 2), generator=torch.Generator().manual_seed(0)) * 39
    colours = layer_dash_colours(canvas, seeds, torch.tensor([-0.014, 0.069]), torch.Generator().manual_seed(1))
    lighter = colours[:, 0] > 0.5
    assert 0.4 < float(lighter.float().mean()) < 0.6
    assert float(colours[lighter, 0].min()) >= 0.5 + 0.06 - 1e-6
    assert float(colours[~lighter, 0].max()) <= 0.5 - 0.06 + 1e-6
    assert float(colours[lighter, 2].mean()) > -0.02  # toward the yellow (without the tint: -0.074)
    assert float(colours[~lighter, 2].mean()) < -0.12  # deeper blue


def test_the_dashes_lie_in_patches_and_the_amount_is_their_share_there():
    """Of a grid of cells the patches hold about PATCH_SHARE, in clumps (a kept cell's right neighbour mostly kept too),
    and half the amount keeps about half of them."""
    ys, xs = torch.meshgrid(torch.arange(0, 200, 4.0), torch.arange(0, 200, 4.0), indexing="ij")
    cells = torch.stack([xs.flatten(), ys.flatten()], dim=1)
    kept = dash_seeds(cells, 200, 200, 1.0, torch.Generator().manual_seed(3))
    share = kept.shape[0] / cells.shape[0]
    assert PATCH_SHARE - 0.15 < share < PATCH_SHARE + 0.15
    taken = {(float(x), float(y)) for x, y in kept}
    beside = sum((x + 4, y) in taken for x, y in taken) / len(taken)
    assert beside > 0.7  # scattered at random: about PATCH_SHARE
    half = dash_seeds(cells, 200, 200, 0.5, torch.Generator().manual_seed(3)).shape[0]
    assert 0.35 < half / kept.shape[0] < 0.65


def test_a_plan_lays_the_dashes_last_only_when_asked(monkeypatch):
    """A flat blue picture: with the amount the plan holds more strokes, the last of them small dashes lighter and
    darker than the blue; at 0 the dashes are never worked out (a style saved before them paints as before)."""
    assert ADDED_LATER["dash_layer"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (128, 96), (70, 110, 200)))
    plan = lambda amount: plan_for(_style(dash_layer=amount), source, StrokeParams(seed=2, palette=0.0), 128, 96)  # noqa: E731
    plans = []
    assert_reached_only_when_on(
        monkeypatch, [(plan_module, "dash_strokes")], lambda: plans.append(plan(0.0)), [lambda: plan(1.0)]
    )
    monkeypatch.undo()
    dashed = plan(1.0)
    added = dashed.count - plans[0].count
    assert added > 20
    last = dashed.colour[plans[0].count : dashed.count]
    middle = float(plans[0].colour[:, 0].median())
    assert float((last[:, 0] > middle + 0.05).float().mean()) > 0.3
    assert float((last[:, 0] < middle - 0.05).float().mean()) > 0.3
    assert float(dashed.radius[plans[0].count : dashed.count].max()) < float(plans[0].radius.max())


def test_each_dash_is_laid_whole():
    """A flat blue picture's dashes each show at least half of what they paint alone: laid densely, the median dash
    showed a quarter of itself under the ones after it (grains of rice)."""
    source = pil_to_tensor(Image.new("RGB", (256, 192), (70, 110, 200)))
    before = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 256, 192)
    plan = plan_for(_style(dash_layer=1.0), source, StrokeParams(seed=2, palette=0.0), 256, 192)
    assert plan.key_map is not None
    owner = (plan.key_map.inner() // MAX_POINTS).flatten()
    shown = torch.bincount(owner[owner >= 0], minlength=plan.count)[before.count :].float()
    strokes = plan.strokes()
    alone = []
    for number in range(before.count, plan.count):
        key_map = KeyMap.empty(192, 256)
        one = slice(number, number + 1)
        stamp(
            key_map,
            Strokes(strokes.paths[one], strokes.first[one], strokes.last[one], strokes.radius[one]),
            torch.tensor([0]),
        )
        alone.append(float((key_map.inner() >= 0).sum()))
    assert shown.numel() > 20
    assert float((shown / torch.tensor(alone)).median()) > 0.5


def test_dash_width_widens_only_the_dashes():
    """`dash_width` 1 lays the dashes twice the finest brush's width (Munch's streaks, session 19); the strokes before
    them are the same, and a style saved before it (0) lays the finest brush's dashes as before."""
    assert ADDED_LATER["dash_width"] == 0.0
    source = pil_to_tensor(Image.new("RGB", (256, 192), (70, 110, 200)))
    plain = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 256, 192)
    narrow = plan_for(_style(dash_layer=1.0), source, StrokeParams(seed=2, palette=0.0), 256, 192)
    wide = plan_for(_style(dash_layer=1.0, dash_width=1.0), source, StrokeParams(seed=2, palette=0.0), 256, 192)
    assert torch.equal(wide.radius[: plain.count], narrow.radius[: plain.count])
    assert torch.equal(wide.colour[: plain.count], narrow.colour[: plain.count])
    narrow_dashes, wide_dashes = narrow.radius[plain.count :], wide.radius[plain.count :]
    assert narrow_dashes.numel() > 10 and wide_dashes.numel() > 10
    assert torch.allclose(wide_dashes, 2 * narrow_dashes[0].expand_as(wide_dashes))


def test_straightness_is_span_over_length():
    """A straight path 1, a half circle 2 / pi, a closed ring nearly 0; the points outside first..last do not count."""
    turn = torch.linspace(0, torch.pi, 21)
    half = torch.stack([torch.cos(turn), torch.sin(turn)], dim=1) * 10
    ring = torch.stack([torch.cos(2 * turn), torch.sin(2 * turn)], dim=1) * 10
    line = torch.stack([torch.arange(21.0), torch.zeros(21)], dim=1)
    line[:3] = 50.0  # before `first`: left out
    strokes = Strokes(
        torch.stack([line, half, ring]), torch.tensor([3, 0, 0]), torch.tensor([20, 20, 20]), torch.ones(3)
    )
    assert torch.allclose(straightness(strokes), torch.tensor([1.0, 2 / torch.pi, 0.0]), atol=0.01)


def test_dash_straight_leaves_out_the_dashes_that_curl():
    """A small dark disc on a light ground, the field circling it: at 0 some dashes curl round it; with `dash_straight`
    0.9 none laid is less straight than that, the strokes before them are the same, and it is 0 in a style saved
    before it."""
    assert ADDED_LATER["dash_straight"] == 0.0
    ys, xs = torch.meshgrid(torch.arange(96.0), torch.arange(128.0), indexing="ij")
    disc = ((xs - 64) ** 2 + (ys - 48) ** 2 < 30**2).float()
    source = (0.85 - 0.7 * disc).expand(3, 96, 128).clone()
    plain = plan_for(_style(), source, StrokeParams(seed=2, palette=0.0), 128, 96)

    def plan(**amounts):
        return plan_for(_style(dash_layer=1.0, **amounts), source, StrokeParams(seed=2, palette=0.0), 128, 96)

    curling, straight = plan(), plan(dash_straight=0.9)

    def dashes(plan):
        return Strokes(*(part[plain.count :] for part in (plan.paths, plan.first, plan.last, plan.radius)))

    assert bool((straightness(dashes(curling)) < 0.9).any())
    assert dashes(straight).count > 5 and float(straightness(dashes(straight)).min()) >= 0.9
    assert torch.equal(straight.colour[: plain.count], curling.colour[: plain.count])
