"""The stroke renderer: same seed same pixels, tiles that join without seams, bounded memory, checked checkpoints."""

from __future__ import annotations

import json
import math
import weakref

import numpy as np
import pytest
import torch
from PIL import Image
from torch.overrides import TorchFunctionMode
from torch.utils import _pytree as pytree

from models.checkpoint import CheckpointError
from models.paint.images import pil_to_tensor
from models.paint.palette import PaletteGMM
from models.paint.strokes import StrokeParams, StrokeStyle, render_strokes
from models.paint.strokes import brush as brush_module
from models.paint.strokes import raster as raster_module
from models.paint.strokes import render as render_module
from models.paint.strokes.bands import banded_pairs, measure_palette
from models.paint.strokes.colour_map import ColourHabits, map_colours
from models.paint.strokes.filters import Box, tile_exact_blur, to_oklab
from models.paint.strokes.render import plan_for
from models.paint.strokes.stroke_style import ADDED_LATER, BOUNDS
from models.paint.style import load_style, save_style
from tests.tiling import assert_tiles_join

# A painter's few paints (OKLab), darkest first: green-black, deep blue, blood orange, orange, yellow, ...
PAINTS = torch.tensor(
    [
        [0.22, -0.03, 0.01],
        [0.35, -0.02, -0.12],
        [0.45, 0.02, 0.05],
        [0.55, 0.16, 0.12],
        [0.62, 0.1, 0.12],
        [0.72, 0.03, 0.14],
        [0.82, -0.01, 0.15],
        [0.92, 0.0, 0.05],
    ]
)


def _picture(width: int = 96, height: int = 64) -> Image.Image:
    """Flat shapes with edges, a gradient sky and some texture: every part of the renderer gets work."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:height, 0:width] / max(width, height)
    image = np.stack([0.4 + 0.4 * y, 0.6 + 0.2 * y, 0.9 - 0.3 * y], axis=-1)
    image[y > 0.45] = [0.3, 0.55, 0.2]
    image[(x - 0.7) ** 2 + (y - 0.2) ** 2 < 0.01] = [0.95, 0.8, 0.2]
    image[(x > 0.2) & (x < 0.4) & (y > 0.3) & (y < 0.55)] = [0.85, 0.8, 0.7]
    image += rng.normal(0, 0.03, image.shape)
    return Image.fromarray((image.clip(0, 1) * 255).astype(np.uint8))


def _style(**brushes) -> StrokeStyle:
    # Seeded: a test's style must not depend on what the tests before it drew from torch's global generator.
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    values = {"softness": 0.8, "outline": 0.6, "impasto": 0.4, "bristles": 0.1, "accents": 0.1, "grain": 0.03}
    values |= {"hue_gather": 0.5, "wash": 0.4, "glow": 0.5, "bands": 0.6, "band_hue": 0.3, **brushes}
    # Session 8's long bands on too, so that determinism, tiling and memory are tested with them.
    values = {"band_flow": 0.5, "band_rhythm": 0.5, "band_keep": 0.5} | values
    return StrokeStyle(colours=habits, paints=PAINTS).with_parameters(values)


def test_same_seed_same_pixels_and_another_seed_other_strokes():
    picture, style = _picture(), _style()
    first = np.asarray(render_strokes(picture, style, StrokeParams(seed=5)))
    again = np.asarray(render_strokes(picture, style, StrokeParams(seed=5)))
    other = np.asarray(render_strokes(picture, style, StrokeParams(seed=6)))
    assert first.shape == (64, 96, 3)
    assert np.array_equal(first, again)
    assert (first != other).any(axis=-1).mean() > 0.3


@pytest.mark.parametrize("softness", [0.0, 2.5])
def test_tiles_join_without_seams(softness):
    picture, style = _picture(), _style(softness=softness)
    assert_tiles_join(picture, style, (300, 200))


@pytest.mark.parametrize("sigma", [0.2, 0.6, 3.0, 16.0])
def test_a_blur_kept_to_a_box_gives_the_whole_blurs_pixels_there_to_the_bit(sigma):
    """The surface blurs each step only where the next reads it (surface.finish_surface): a box at the image's
    edge, in its middle, and the whole image."""
    image = torch.rand((3, 90, 70), generator=torch.Generator().manual_seed(1))
    whole = tile_exact_blur(image, sigma)
    for box in (Box(0, 90, 0, 70), Box(0, 17, 50, 70), Box(30, 61, 9, 40), Box(89, 90, 0, 1)):
        kept = tile_exact_blur(image, sigma, keep=box)
        assert torch.equal(kept, box.of(whole, Box(0, 90, 0, 70))), box


def test_memory_is_bounded_by_the_plan_and_the_tile(monkeypatch):
    """A big output is planned at `plan_side` and drawn in tiles: no buffer grows with the output."""
    areas = []
    original = raster_module.KeyMap.empty

    def recording(height, width, device="cpu"):
        areas.append(height * width)
        return original(height, width, device)

    monkeypatch.setattr(raster_module.KeyMap, "empty", staticmethod(recording))
    result = render_strokes(_picture(), _style(), StrokeParams(seed=1, size=(1200, 800), tile=128, plan_side=160))
    assert result.size == (1200, 800)
    halo = raster_module.surface_reach(1200 / 512, 0.8)
    plan, tiles = areas[0], areas[1:]
    assert plan == 160 * 107  # the plan's own ownership map, at plan_side
    assert len(tiles) == 7 * 10 and max(tiles) <= (128 + 2 * halo) ** 2


class _LargestTensor(TorchFunctionMode):
    """Records the largest storage any torch function or tensor method returns while it is active (bytes)."""

    def __init__(self):
        super().__init__()
        self.largest = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        for tensor in pytree.tree_leaves(result):
            if isinstance(tensor, torch.Tensor):
                self.largest = max(self.largest, tensor.untyped_storage().nbytes())
        return result


def test_a_tile_needs_no_more_memory_for_a_larger_picture_or_wider_brushes():
    """Drawing a tile holds the tile with its halo and bounded stamping chunks, whatever the picture's size and
    the brushes': the same plan drawn at 384 and at 1,536 px with brushes four times the painter's (radius 300 px
    at 1,536) makes no tensor larger than that. (The key map had a margin twice the widest brush around every
    tile: 13 MB for a 64-px tile here, 1 GB a tile at 16,384 px.)"""
    style = _style(brush_size=0.05)
    params = StrokeParams(seed=1, brush_scale=4.0, plan_side=64, tile=64)
    plan = plan_for(style, pil_to_tensor(_picture()), params, 384, 384)
    for side in (384, 1536):
        with _LargestTensor() as recorder:
            drawn = raster_module.rasterize(plan, style, side, side, 1, tile=64, as_picture=True)
            for _ in range(2):  # the first tiles, which every wide brush of the corner reaches
                next(drawn)
        tile_area = (64 + 2 * raster_module.surface_reach(side / 512, style.softness)) ** 2
        assert recorder.largest <= 8 * max(brush_module._CANDIDATES_PER_CHUNK, 2 * tile_area), side


def test_the_pictures_floats_are_let_go_once_the_strokes_are_planned(monkeypatch):
    """While the tiles are drawn only the plan is needed: a 4,096-px picture's floats (200 MB) were held beside
    the largest painting's 1 GB picture until the end."""
    planned_from = []

    def planning(style, source, params, out_w, out_h, keep=None, water=None, sky=None, glow=None):
        planned_from.append(weakref.ref(source))
        return plan_for(style, source, params, out_w, out_h, keep, water, sky, glow)

    monkeypatch.setattr(render_module, "plan_for", planning)
    events = render_module.stroke_render_job(_style(), _picture(), StrokeParams(seed=1, size=(128, 96), tile=64))
    while not planned_from:
        next(events)
    next(events)  # the first tile
    assert planned_from[0]() is None
    assert isinstance(list(events)[-1].value, Image.Image)


def test_a_disc_wider_than_a_chunk_is_stamped_as_the_grouped_discs_are(monkeypatch):
    """A brush so wide that its offsets would overflow a chunk is stamped on its own, over the part of it that
    meets the map: the same pixels as its runs give it when the chunk is big enough."""
    strokes = brush_module.Strokes(
        paths=torch.tensor([[[40.3, -250.6], [70.8, 30.2]], [[10.0, 10.0], [90.0, 70.0]]]),
        first=torch.tensor([0, 0]),
        last=torch.tensor([1, 1]),
        radius=torch.tensor([300.0, 6.0]),
    )
    wide = brush_module.KeyMap.empty(80, 100)
    brush_module.stamp(wide, strokes, torch.tensor([0, 1]), origin=(5, 3))
    monkeypatch.setattr(brush_module, "_CANDIDATES_PER_CHUNK", 1 << 22)
    grouped = brush_module.KeyMap.empty(80, 100)
    brush_module.stamp(grouped, strokes, torch.tensor([0, 1]), origin=(5, 3))
    assert torch.equal(wide.keys, grouped.keys)
    assert {0, brush_module.MAX_POINTS} <= set(wide.keys.unique().tolist())  # both strokes are in the map


def _stamped_by_definition(height, width, strokes, ids, origin, gate):
    """The key map as the brush defines it: every disc tests every pixel of the map (the same float32 test),
    its gate too, and each pixel keeps the largest key that passed."""
    centres, radii, stroke, segment = brush_module._discs_along(strokes)
    rounded = torch.round(centres - torch.tensor(origin, dtype=centres.dtype))
    offset, pixel = rounded - (centres - torch.tensor(origin, dtype=centres.dtype)), rounded.long()
    ys, xs = (grid.flatten() for grid in torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij"))
    keys = torch.full((height * width,), -1)
    for disc in range(radii.numel()):
        across, down = offset[disc, 0] + (xs - pixel[disc, 0]).float(), offset[disc, 1] + (ys - pixel[disc, 1]).float()
        inside = across * across + down * down <= radii[disc] * radii[disc]
        if gate is not None:
            inside &= gate.allows(torch.arange(height * width), stroke[disc])
        keys = torch.where(
            inside, keys.clamp_min(int(ids[stroke[disc]]) * brush_module.MAX_POINTS + segment[disc]), keys
        )
    return keys


@pytest.mark.parametrize("trial", range(4))
def test_stamping_gives_each_pixel_the_largest_key_of_the_discs_and_gates_that_allow_it(trial):
    """Stamping runs per row, leaving to the next disc what it covers too and passing over pixels where a
    larger key already lies, gives every pixel what testing every disc against every pixel gives: strokes
    thin (one disc a step) and wide, dabs, strokes running off the map, keys in any order, with and without a
    gate, on maps whose width is no multiple of the blocks."""
    generator = torch.Generator().manual_seed(trial)
    count, points, height, width = (300, 120, 40, 30)[trial], 10, 37 + 11 * trial, 53 - 7 * trial
    scale = (1.5, 4.0, 9.0, 20.0)[trial]
    start = torch.rand(count, 1, 2, generator=generator) * torch.tensor([width * 1.4, height * 1.4]) - 8
    paths = start + (torch.randn(count, points, 2, generator=generator) * scale * 0.5).cumsum(1)
    first = torch.randint(0, 3, (count,), generator=generator)
    last = (first + torch.randint(0, 7, (count,), generator=generator)).clamp(max=points - 1)
    strokes = brush_module.Strokes(paths, first, last, torch.rand(count, generator=generator) * scale + 0.6)
    ids = torch.randperm(count, generator=generator) + 3
    gate = brush_module.Gate(
        torch.rand(3, height * width, generator=generator),
        torch.rand(count, 3, generator=generator),
        torch.rand(count, generator=generator) * 0.8,
    )
    for maybe_gate in (None, gate):
        key_map = brush_module.KeyMap.empty(height, width)
        brush_module.stamp(key_map, strokes, ids, (2, -3), maybe_gate)
        expected = _stamped_by_definition(height, width, strokes, ids, (2, -3), maybe_gate)
        assert torch.equal(key_map.keys, expected)
        assert (expected >= 0).float().mean() > 0.1 and expected.unique().numel() > 10  # strokes overlap


def test_colour_mapping_keeps_hue_order_and_lightness_order():
    """The painter's habits move colours, but an orange stays warmer than a yellow-green and lights stay lighter."""
    painter = ColourHabits.measure([to_oklab(torch.tensor([0.1, 0.2, 0.7])[:, None, None].expand(3, 8, 8).clone())])
    swatches = torch.tensor([[0.9, 0.5, 0.1], [0.6, 0.8, 0.2], [0.2, 0.2, 0.2], [0.8, 0.8, 0.8]]).T[:, None, :]
    before, after = to_oklab(swatches)[:, 0], map_colours(to_oklab(swatches), painter, 1.0)[:, 0]
    hue = lambda lab: torch.atan2(lab[2], lab[1])  # noqa: E731
    assert hue(after)[0] < hue(after)[1] and hue(before)[0] < hue(before)[1]
    assert (hue(after) - hue(before)).abs()[:2].max() < 0.5  # an orange is not snapped to the painter's blue
    assert after[0, 2] < after[0, 3]


def test_gathering_hues_keeps_their_order_and_narrows_them_toward_the_painters():
    """Turner's golds: a rainbow's hues move toward gold, none crosses another, none moves more than 40 degrees."""
    gold = to_oklab(torch.tensor([0.8, 0.6, 0.2])[:, None, None].expand(3, 8, 8).clone())
    painter = ColourHabits.measure([gold + 0.02 * torch.randn(gold.shape, generator=torch.Generator().manual_seed(0))])
    angles = torch.linspace(-3.0, 3.0, 61)
    rainbow = torch.stack([torch.full_like(angles, 0.7), 0.12 * torch.cos(angles), 0.12 * torch.sin(angles)])[:, None]
    after = map_colours(rainbow, painter, 1.0, gather=1.0)[:, 0]
    hue_after = torch.atan2(after[2], after[1])
    gold_hue = float(torch.atan2(gold[2, 0, 0], gold[1, 0, 0]))
    turn = lambda hue: torch.remainder(hue + torch.pi, 2 * torch.pi) - torch.pi  # noqa: E731
    assert turn(hue_after - gold_hue).abs().mean() < 0.7 * turn(angles - gold_hue).abs().mean()
    assert turn(hue_after - angles).abs().max() < torch.deg2rad(torch.tensor(41.0))
    # The order around the circle is kept: from one hue to the next the rainbow still climbs (a hue passing
    # its neighbour would show as a step of nearly a full turn; where the painter has no hues, a gap opens).
    assert (torch.remainder(torch.diff(hue_after), 2 * torch.pi) < torch.pi).all()


def test_style_checkpoint_keeps_the_stroke_style_and_refuses_damaged_parameters(tmp_path):
    from models.paint.network import StyleRenderer

    renderer = StyleRenderer(width=8, blocks=1)
    palette = PaletteGMM.fit(np.random.default_rng(0).random((300, 3)), components=3)
    strokes = _style(swirl_open_upper=0.9, outline=0.2)
    path = save_style(tmp_path / "s.safetensors", "s", renderer, palette, work_size=256, strokes=strokes)
    loaded = load_style(path)
    assert loaded.strokes is not None and loaded.strokes.brush_parameters() == pytest.approx(strokes.brush_parameters())
    picture = _picture()
    assert np.array_equal(
        np.asarray(render_strokes(picture, strokes, StrokeParams(seed=1))),
        np.asarray(render_strokes(picture, loaded.stroke_style, StrokeParams(seed=1))),
    )
    description = json.loads(path.with_suffix(".json").read_text())
    for name in ADDED_LATER:  # a style saved before these existed paints without them
        del description["strokes"][name]
    path.with_suffix(".json").write_text(json.dumps(description))
    assert all(getattr(load_style(path).strokes, name) == 0.0 for name in ADDED_LATER)
    description["strokes"]["brush_size"] = 7.0  # far outside 0.008 to 0.05
    path.with_suffix(".json").write_text(json.dumps(description))
    with pytest.raises(CheckpointError, match="brush_size"):
        load_style(path)


def test_a_stroke_parameter_far_outside_its_bounds_is_refused_by_name():
    """Every parameter, those added later included: a value a little outside is brought in (a style fitted
    when the bounds were wider), a wild one or one that is not a number is refused, naming the parameter."""
    style = _style()
    tensors, description = style.to_tensors(), style.to_json()
    for name, (low, high) in BOUNDS.items():
        slightly = StrokeStyle.from_checkpoint(tensors, description | {name: high + 0.1 * (high - low)})
        assert getattr(slightly, name) == pytest.approx(high), name
        for wild in (high + 2 * (high - low), low - 2 * (high - low), math.inf, math.nan, "0.5", True, None):
            with pytest.raises(ValueError, match=f"'{name}'"):
                StrokeStyle.from_checkpoint(tensors, description | {name: wild})


def test_a_style_without_strokes_paints_with_its_palette(tmp_path):
    from models.paint.network import StyleRenderer

    blue = np.tile([[0.1, 0.2, 0.8]], (300, 1)) + np.random.default_rng(0).normal(0, 0.02, (300, 3))
    palette = PaletteGMM.fit(blue.clip(0, 1), components=2)
    path = save_style(tmp_path / "old.safetensors", "old", StyleRenderer(width=8, blocks=1), palette, work_size=256)
    style = load_style(path)
    assert style.strokes is None
    painted = np.asarray(render_strokes(_picture(), style.stroke_style, StrokeParams(seed=0, palette=1.0)), float)
    assert painted[..., 2].mean() > painted[..., 0].mean()  # the palette's blue shows


def test_bad_controls_are_clear_errors():
    with pytest.raises(ValueError, match="brush scale"):
        StrokeParams(brush_scale=9).checked()
    with pytest.raises(ValueError, match="outline"):
        StrokeParams(outline=-1).checked()


@pytest.mark.parametrize("size", [(300, 9), (9, 300), (8, 8)])
def test_very_thin_and_tiny_pictures_are_painted_at_their_size(size):
    """A banner is planned undistorted, with brushes measured against its short side, not 34 times wider."""
    assert render_strokes(_picture(), _style(), StrokeParams(seed=0, size=size)).size == size


def test_fitting_measures_a_banner_painting_and_brings_renders_nearer_the_painters_range():
    """The search's objective is the painter match's distance; a painting far longer than wide is measured
    by its middle (at the measure's scale it would be a few pixels across, which the measure refuses)."""
    from models.jobs import run_job
    from models.paint.strokes.fitting import fit_stroke_style

    banner = _picture(96, 64).resize((800, 40))
    result = run_job(fit_stroke_style([banner, _picture(80, 80)], [_picture(64, 48)], max_evaluations=3))
    strokes, report = result
    assert isinstance(strokes, StrokeStyle) and report.evaluations == 3
    assert report.distance_end <= report.distance_start
    assert set(report.target) >= {"energy1", "coherence2", "flat_share3", "chroma_mean"}


@pytest.mark.parametrize("size", [(128, 96), (256, 192)])
def test_paint_stops_at_a_strong_edge(size):
    """A sketch keeps its shapes: on a green field beside brown ground, long wide strokes hatched straight across
    the edge, by a painter who leaves coarse strokes alone (threshold 0.12: the worst case), leave no green more than 2 px (at 128 px) into the brown, nor brown in the green.
    Drawn at the plan's size (its own ownership map) and at twice it (stamped again per tile). Before strokes
    stopped at edges the README sketch's hill ran 76 px into its ground."""
    width, height = 128, 96
    green, brown = np.array([0.27, 0.55, 0.24]), np.array([0.59, 0.47, 0.27])  # 0.13 apart in OKLab, as the sketch's
    boundary = 57
    image = np.where(np.arange(width)[None, :, None] < boundary, green, brown) * np.ones((height, 1, 1))
    picture = Image.fromarray((image * 255).round().astype(np.uint8))
    style = _style(
        brush_size=0.05, length=14.0, smoothing=0.85, threshold=0.12, hatch_angle=0.0, hatch_pull=1.0, swirl_open_upper=0.0,
        swirl_open_lower=0.0, swirl_busy=0.0, outline=0.0, softness=0.0, grain=0.0, jitter=0.0, accents=0.0,
        bristles=0.0, impasto=0.0, edges=0.0, hue_gather=0.0, wash=0.0, glow=0.0,
    )  # fmt: skip
    painted = np.asarray(render_strokes(picture, style, StrokeParams(seed=3, palette=0.0, size=size)), float) / 255
    scale = size[0] / width
    nearer_green = ((painted - green) ** 2).sum(-1) < ((painted - brown) ** 2).sum(-1)
    columns = (np.arange(size[0]) + 0.5) / scale
    assert not nearer_green[:, columns > boundary + 2].any()
    assert nearer_green[:, columns < boundary - 2].all()


def test_a_wash_calms_open_areas_and_the_light_glows_around_it():
    """Turner's atmosphere: with a wash the strokes of an open sky dissolve (less fine variation, the same colour
    on the whole), and with a glow the sky beside the sun is lighter than without; busy detail keeps its strokes."""
    rng = np.random.default_rng(1)
    image = np.ones((64, 96, 3)) * [0.45, 0.6, 0.85] + rng.normal(0, 0.04, (64, 96, 3))  # a sky, a little noise
    image[8:20, 64:76] = [1.0, 0.9, 0.5]  # the sun
    picture = Image.fromarray((image.clip(0, 1) * 255).astype(np.uint8))
    dry = _style(wash=0.0, glow=0.0, outline=0.0, softness=0.0, grain=0.0)
    params = StrokeParams(seed=4, palette=0.0)
    plain = np.asarray(render_strokes(picture, dry, params), float) / 255
    washed = np.asarray(render_strokes(picture, dry.with_parameters({"wash": 0.8}), params), float) / 255
    glowing = np.asarray(render_strokes(picture, dry.with_parameters({"wash": 0.8, "glow": 1.0}), params), float) / 255
    sky = np.s_[30:60, 4:50]
    fine = lambda p: np.abs(np.diff(p[sky], axis=1)).mean()  # noqa: E731
    assert fine(washed) < 0.7 * fine(plain)
    assert np.abs(washed[sky].mean((0, 1)) - plain[sky].mean((0, 1))).max() < 0.03
    near_sun = np.s_[22:34, 56:84]
    assert glowing[near_sun].mean() > washed[near_sun].mean() + 0.02
    assert glowing[sky].mean() < washed[sky].mean() + 0.5 * (glowing[near_sun].mean() - washed[near_sun].mean())


def test_bands_lay_the_painters_paints_side_by_side_and_keep_each_areas_lightness():
    """Munch's bands: in flat areas every fill stroke takes one of the painter's paints, at least two of them
    side by side, and each area's mean lightness stays what it was without bands, so the lighter area stays
    the lighter (the picture's shapes survive); the pixels show the alternation."""
    image = np.zeros((64, 96, 3))
    image[:, :48] = [0.35, 0.45, 0.6]  # a blue-grey area
    image[:, 48:] = [0.75, 0.7, 0.55]  # a lighter, sandy one
    picture = Image.fromarray((image * 255).astype(np.uint8))
    quiet = {"outline": 0.0, "softness": 0.0, "grain": 0.0, "bristles": 0.0, "impasto": 0.0, "edges": 0.0}
    quiet |= {"jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "band_hue": 0.0}
    banded, plain = _style(**quiet, bands=1.0), _style(**quiet, bands=0.0)
    params = StrokeParams(seed=3, palette=1.0)
    source = pil_to_tensor(picture)
    with_bands, without = plan_for(banded, source, params, 96, 64), plan_for(plain, source, params, 96, 64)
    assert torch.equal(with_bands.paths, without.paths)  # the bands change colours, not strokes
    to_paint = torch.cdist(with_bands.colour, PAINTS)
    assert (to_paint.min(1).values < 1e-3).all()  # every stroke is one of the paints
    left = with_bands.paths[:, 0, 0] < 44
    right = with_bands.paths[:, 0, 0] > 52
    for side in (left, right):
        assert len(set(to_paint[side].argmin(1).tolist())) >= 2
        assert abs(float(with_bands.colour[side, 0].mean() - without.colour[side, 0].mean())) < 0.04
    assert with_bands.colour[left, 0].mean() + 0.1 < with_bands.colour[right, 0].mean()
    painted = np.asarray(render_strokes(picture, banded, params), float) / 255
    flat = np.asarray(render_strokes(picture, plain, params), float) / 255
    assert painted[8:56, 52:92].std((0, 1)).mean() > 2 * flat[8:56, 52:92].std((0, 1)).mean() + 0.02


def test_the_painters_paints_are_measured_vivid_from_the_paintings():
    """The paints are the paintings' few colours at their own vividness, found even where a colour covers
    a small share of the painting (Munch's yellow beside his dark ground), and are sorted darkest first."""
    rng = np.random.default_rng(2)
    shares = {(0.25, 0.0, 0.01): 0.45, (0.45, 0.02, 0.04): 0.2, (0.58, 0.16, 0.12): 0.2}
    shares |= {(0.8, 0.0, 0.15): 0.1, (0.35, -0.02, -0.12): 0.05}
    pixels = np.concatenate([np.tile(c, (int(4096 * share), 1)) for c, share in shares.items()])
    pixels = pixels + rng.normal(0, 0.01, pixels.shape)
    lab = torch.from_numpy(pixels.T[:, None]).float()  # (3, 1, N): a painting is any shape
    paints = measure_palette([lab])
    assert paints.shape == (8, 3) and (paints[1:, 0] >= paints[:-1, 0]).all()
    for colour in shares:
        assert float(torch.cdist(torch.tensor([colour]), paints).min()) < 0.035


def test_a_style_that_paints_in_bands_needs_its_paints():
    style = _style()
    tensors, description = style.to_tensors(), style.to_json()
    assert torch.equal(StrokeStyle.from_checkpoint(tensors, description).paints, PAINTS)
    del tensors["strokes.paints"]
    with pytest.raises(ValueError, match="paints"):
        StrokeStyle.from_checkpoint(tensors, description)
    assert StrokeStyle.from_checkpoint(tensors, {**description, "bands": 0.0}).paints is None
    tensors["strokes.paints"] = torch.full((8, 3), float("nan"))
    with pytest.raises(ValueError, match="paints"):
        StrokeStyle.from_checkpoint(tensors, description)


def test_a_wash_over_bands_is_laid_in_the_painters_paints():
    """A painter who paints in a few paints and washes open areas (Turner) washes them in those paints too:
    a plain blue sky under a strong wash takes the warm paints of its lightness, as its strokes do, where a
    wash of the picture's own colour brought the blue back over the strokes; its lightness stays."""
    image = np.ones((64, 96, 3)) * [0.45, 0.62, 0.88]  # an open, plain blue sky
    picture = Image.fromarray((image * 255).astype(np.uint8))
    quiet = {"outline": 0.0, "softness": 0.0, "grain": 0.0, "bristles": 0.0, "impasto": 0.0, "edges": 0.0}
    quiet |= {"jitter": 0.0, "accents": 0.0, "glow": 0.0, "band_hue": 0.0, "wash": 0.8}
    params = StrokeParams(seed=2, palette=1.0)
    lab = lambda style: to_oklab(pil_to_tensor(render_strokes(picture, style, params)))  # noqa: E731
    banded, plain = lab(_style(**quiet, bands=1.0)), lab(_style(**quiet, bands=0.0))
    # The sky's paints (L 0.62-0.72 in PAINTS) are warm: b +0.12 to +0.14; the picture's sky is blue (b < 0).
    assert float(plain[2].mean()) < -0.03
    assert float(banded[2].mean()) > 0.08
    assert abs(float(banded[0].mean() - plain[0].mean())) < 0.04


def test_band_contrast_alternates_light_and_dark_paints_and_strong_bands_take_them_fully():
    """Munch's light and dark bands: with band contrast a flat area's strokes alternate between paints far
    apart in lightness (The Scream's nearest paints differ by only 0.03-0.1), its mean lightness kept; bands
    above 1 take the paints all the way at the default palette strength 0.5, never past them."""
    image = np.ones((48, 64, 3)) * [0.45, 0.45, 0.42]  # one flat middle-grey area
    picture = Image.fromarray((image * 255).astype(np.uint8))
    quiet = {"outline": 0.0, "softness": 0.0, "grain": 0.0, "bristles": 0.0, "impasto": 0.0, "edges": 0.0}
    quiet |= {"jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "band_hue": 0.0}
    source = pil_to_tensor(picture)
    plans = {
        contrast: plan_for(_style(**quiet, bands=2.0, band_contrast=contrast), source, StrokeParams(seed=3), 64, 48)
        for contrast in (0.0, 1.0)
    }
    plain = plan_for(_style(**quiet, bands=0.0), source, StrokeParams(seed=3), 64, 48)
    for plan in plans.values():
        assert (torch.cdist(plan.colour, PAINTS).min(1).values < 1e-3).all()  # 2 x 0.5: all the way, not past
        assert abs(float(plan.colour[:, 0].mean() - plain.colour[:, 0].mean())) < 0.04
    near, far = plans[0.0].colour[:, 0], plans[1.0].colour[:, 0]
    assert float(far.max() - far.min()) > 0.45 and float(near.max() - near.min()) < 0.15
    assert float(far.std()) > 2.5 * float(near.std())


def test_band_vivid_prefers_the_painters_vivid_paints_and_keeps_lightness():
    """A grey between a dull paint and a vivid one takes the vivid one (Munch's blood orange over the khaki
    beside it), and its lightness stays on average."""
    grey = torch.tensor([[0.47, 0.0, 0.0]]).repeat(4000, 1)
    chroma, lightness = {}, {}
    for vivid in (0.0, 1.0):
        banded = banded_pairs(grey, PAINTS, 1.0, 0.0, torch.Generator().manual_seed(0), vivid=vivid)[0]
        chroma[vivid], lightness[vivid] = float(banded[:, 1:].norm(dim=1).mean()), float(banded[:, 0].mean())
    assert chroma[1.0] > chroma[0.0] + 0.03
    assert abs(lightness[1.0] - 0.47) < 0.01 and abs(lightness[0.0] - 0.47) < 0.01


def test_band_heat_takes_the_painters_paints_in_the_lights_and_keeps_the_darks_colour():
    """A hot sky: with band heat a light blue takes the painter's warm paints of its lightness where the band hue
    kept it near his bluest ones, while a dark green's paints are the same as without heat."""
    # dark greens, a blue-grey, blood orange, yellow, a pale blue
    paints = torch.tensor([[0.25, -0.06, 0.03], [0.32, -0.08, 0.05], [0.6, -0.02, -0.08], [0.64, 0.14, 0.12]])
    paints = torch.cat([paints, torch.tensor([[0.76, 0.03, 0.15], [0.86, -0.02, -0.06]])])
    light_blue = torch.tensor([[0.7, -0.03, -0.1]]).repeat(2000, 1)
    dark_green = torch.tensor([[0.3, -0.08, 0.04]]).repeat(2000, 1)
    banded = {
        (name, heat): banded_pairs(colour, paints, 1.0, 1.0, torch.Generator().manual_seed(0), heat=heat)[0]
        for name, colour in (("sky", light_blue), ("hill", dark_green))
        for heat in (0.0, 1.0)
    }
    assert float(banded["sky", 0.0][:, 2].mean()) < -0.05  # the blue-grey and the pale blue
    assert float(banded["sky", 1.0][:, 2].mean()) > 0.1  # blood orange and yellow
    assert torch.equal(banded["hill", 1.0], banded["hill", 0.0])
