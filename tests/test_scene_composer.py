"""The scene composer: every element a subject names is in the sketch and shows; same seed, same sketch;
other seeds, other layouts; moods change the light; composition measured on paintings."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import torch
from PIL import Image

from models.paint.scene.composer import compose_scene
from models.paint.scene.composition import CompositionModel, measure
from models.paint.scene.light import lightness, set_apart
from models.paint.scene.words import ELEMENTS, PAINTER_SUBJECTS, read_subject

SIZE = (320, 214)
VISIBLE = 0.0005  # share of the picture an element must cover to count as shown (34 px here)

# request -> the elements it names (each must be placed, and show)
REQUESTS = [
    ("a stormy harbour", {"sea", "harbour wall", "boats"}),
    ("a quiet village at dusk", {"village"}),
    ("a starry night over a village with a cypress", {"stars", "village", "cypresses"}),
    ("a great wave with boats and a mountain", {"sea", "waves", "boats", "mountains"}),
    ("a river with a bridge", {"river", "bridge"}),
    ("a church in a village", {"church", "village"}),
    ("a road through wheat fields with a walker", {"road", "fields", "figures"}),
    ("a snowy mountain over a lake", {"mountains", "lake"}),
    ("an orchard in spring", {"orchard"}),
    ("houses by the sea at dusk", {"houses", "sea"}),
    ("a forest edge below the hills", {"forest", "hills"}),
    ("a moonlit sea at night", {"moon", "sea"}),
    ("cypresses in a wheat field under a summer sun", {"cypresses", "fields", "sun"}),
    ("boats on a lake under the moon", {"boats", "lake", "moon"}),
    ("figures on a bridge at dusk", {"figures", "bridge"}),
    ("a road by a fjord at sunset with a figure", {"road", "sea", "sun", "figures"}),
    ("trees on a hill at night", {"trees", "hills"}),
    ("a cloudy day over the fields", {"clouds", "fields"}),
    ("a farmhouse among trees", {"houses", "trees"}),
    ("ships in a storm", {"boats"}),
    ("a lighthouse on a cliff", {"lighthouse", "sea", "hills"}),
    ("a windmill by a canal", {"windmill", "river"}),
]


def test_the_vocabulary_table_covers_every_element():
    named = set().union(*(expected for _, expected in REQUESTS))
    assert named | {"sky"} == set(ELEMENTS)


@pytest.mark.parametrize(("subject", "expected"), REQUESTS)
def test_every_element_a_subject_names_is_placed_and_shows(subject, expected):
    assert read_subject(subject).elements == expected
    for seed in (1, 2):
        scene = compose_scene(subject, seed, SIZE)
        shown = {name for name, share in scene.visible.items() if share >= VISIBLE}
        assert expected <= shown, f"{subject!r} seed {seed}: {expected - shown} not shown ({scene.visible})"
        assert "sky" in shown


def test_every_painter_subject_composes():
    for subjects in PAINTER_SUBJECTS.values():
        for subject in subjects:
            scene = compose_scene(subject, 3, SIZE)
            shown = {name for name, share in scene.visible.items() if share >= VISIBLE}
            assert read_subject(subject).elements <= shown, subject


def test_the_same_seed_gives_the_same_sketch_and_other_seeds_other_layouts():
    first = compose_scene("a village in the hills", 5, SIZE)
    again = compose_scene("a village in the hills", 5, SIZE)
    assert np.array_equal(first.sketch, again.sketch)
    layouts = {
        (round(s.plan.horizon, 2), round(s.plan.focal_x, 2), s.plan.mass_side)
        for s in (compose_scene("a village in the hills", seed, SIZE) for seed in range(8))
    }
    assert len(layouts) >= 6  # the layout moves with the seed, not only the colours


def test_moods_change_the_light():
    def sky_lightness(subject: str) -> float:
        scene = compose_scene(subject, 4, SIZE)
        top = scene.sketch[: int(scene.plan.horizon * SIZE[1] * 0.5)].astype(float) / 255
        return float(top.mean())

    day, night = sky_lightness("a village"), sky_lightness("a village at night")
    assert night < day * 0.5
    dusk = compose_scene("a village at dusk", 4, SIZE)
    horizon_row = dusk.sketch[int(dusk.plan.horizon * SIZE[1]) - 3].astype(float)
    assert horizon_row[:, 0].mean() > horizon_row[:, 2].mean() + 40  # a warm glow along the horizon
    winter = compose_scene("a village in winter", 4, SIZE)
    ground = winter.sketch[-10:].astype(float).mean()
    assert ground > 180  # snow


def test_a_subject_that_names_nothing_is_still_a_landscape():
    scene = compose_scene("something nice", 0, SIZE)
    assert {"sky", "hills", "fields"} <= set(scene.placed)


def test_describe_lists_what_was_placed():
    scene = compose_scene("a stormy harbour", 3, SIZE)
    text = "\n".join(scene.describe())
    assert "storm" in text and "harbour wall" in text and "(named)" in text


def test_too_small_a_frame_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="at least 64x64"):
        compose_scene("a lake", 0, (40, 30))


def _two_bands(horizon: float, bright_at: tuple[float, float], height: int = 120, width: int = 180) -> torch.Tensor:
    picture = np.zeros((height, width, 3), np.float32)
    picture[: int(horizon * height)] = (0.55, 0.7, 0.9)
    picture[int(horizon * height) :] = (0.25, 0.4, 0.15)
    y, x = int(bright_at[1] * height), int(bright_at[0] * width)
    picture[y - 6 : y + 6, x - 6 : x + 6] = (1.0, 0.95, 0.3)
    from models.paint.colour import srgb_to_oklab

    return srgb_to_oklab(torch.from_numpy(picture).double()).permute(2, 0, 1).float()


def test_measure_finds_the_horizon_and_the_focal_point():
    horizon, focal_x, focal_y, _, sky_lighter = measure(_two_bands(0.3, (0.7, 0.2)))
    assert abs(horizon - 0.3) < 0.03
    assert abs(focal_x - 0.7) < 0.06 and abs(focal_y - 0.2) < 0.06
    assert sky_lighter > 0.1


def test_composition_follows_the_paintings_and_round_trips(tmp_path):
    low = [Image.fromarray((_srgb(0.7, (0.25, 0.3)) * 255).astype(np.uint8))]
    high = [Image.fromarray((_srgb(0.3, (0.75, 0.6)) * 255).astype(np.uint8))]
    low_model, high_model = CompositionModel.fit(low, crops=30), CompositionModel.fit(high, crops=30)
    assert low_model.summary()["horizon"]["mean"] > high_model.summary()["horizon"]["mean"] + 0.25
    path = low_model.save(tmp_path / "x.composition.json")
    assert np.allclose(CompositionModel.load(path).measurements, low_model.measurements, atol=1e-4)
    (tmp_path / "junk.json").write_text("[1, 2")
    assert CompositionModel.load(tmp_path / "junk.json") is None
    rng = np.random.default_rng(0)
    horizons = [low_model.sample(rng).horizon for _ in range(50)]
    assert 0.6 < np.mean(horizons) < 0.8


def _srgb(horizon: float, bright_at: tuple[float, float]) -> np.ndarray:
    from models.paint.colour import oklab_to_srgb

    return oklab_to_srgb(_two_bands(horizon, bright_at).permute(1, 2, 0).double()).numpy()


def test_a_surprise_preview_is_the_full_painting_small():
    """Surprise me paints small copies to choose from, then the pick in full: both must be one picture. Where
    things find room depends on the pixels, so a scene composed at the small size can differ (a boat moves);
    the preview's scene is the full size's."""
    from models.paint.painting import paint_job
    from models.paint.recipe import PaintRecipe
    from models.paint.scratch import scene_and_painting
    from models.paint.style import find_style, load_style

    style = load_style(find_style("turner", []), "cpu")
    recipe = PaintRecipe(style="turner", from_scratch=True, subject="a stormy harbour", seed=2, size=(576, 384))
    small_scene, small = scene_and_painting(paint_job(recipe, style, preview_side=192))
    full_scene, full = scene_and_painting(paint_job(recipe, style))
    assert small.size == (192, 128) and full.size == (576, 384)
    assert np.array_equal(small_scene.sketch, full_scene.sketch)
    assert small_scene.placed == full_scene.placed
    coarse = [np.asarray(p.convert("L").resize((24, 16), Image.Resampling.BOX), float).ravel() for p in (small, full)]
    assert np.corrcoef(*coarse)[0, 1] > 0.7  # the readability bar of #16 (render against sketch)


def test_a_scene_leaves_no_reference_cycles():
    # a cycle would keep the drawing's canvas until Python's cycle collector ran (about 12 MB a Surprise me)
    gc.collect()
    gc.disable()
    try:
        compose_scene("a harbour with boats, trees and a house", 3, (256, 192))
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


def test_set_apart_moves_a_colour_only_as_far_as_needed_and_keeps_its_hue():
    stone, sea = np.array([0.26, 0.26, 0.24], np.float32), np.array([0.10, 0.22, 0.20], np.float32)
    darker, lighter = set_apart(stone, sea, -0.1), set_apart(stone, sea, 0.15)
    assert abs(lightness(darker) - (lightness(sea) - 0.1)) < 1e-3
    assert abs(lightness(lighter) - (lightness(sea) + 0.15)) < 1e-3
    assert np.allclose(set_apart(stone, sea, 0.02), stone, atol=1e-3)  # already that much lighter: unchanged
    ratios = darker / stone
    assert ratios.max() - ratios.min() < 0.05  # scaled together: the same hue


def _rows_with_a_darker_part(value: np.ndarray, thing: np.ndarray, water: np.ndarray, step: float) -> float:
    """The share of the rows crossing `thing` (and water) in which part of it is at least `step` darker than
    the water's median in that row (the water darkens toward the viewer, so each row is its own ground)."""
    darker = [
        value[row, thing[row]].min() < np.median(value[row, water[row]]) - step
        for row in range(thing.shape[0])
        if thing[row].sum() >= 3 and water[row].sum() >= 3
    ]
    return float(np.mean(darker))


def test_a_harbour_wall_and_its_boats_stand_apart_from_the_water_in_value():
    """A grey pier in a grey-green sea must differ in value, or a painter's colours take it away: its face is
    darker than the water beside it (before: in none of the rows), and so are the hulls (before: 0-24%)."""
    for seed in (1, 2, 3):
        scene = compose_scene("a stormy harbour at sunset", seed, SIZE)
        value = lightness(scene.sketch.astype(np.float32) / 255)
        water = scene.mask("sea") | scene.mask("waves")
        assert _rows_with_a_darker_part(value, scene.mask("harbour wall"), water, 0.07) > 0.7, seed
        assert _rows_with_a_darker_part(value, scene.mask("boats"), water, 0.07) > 0.6, seed


@pytest.mark.parametrize("subject", ["a lighthouse on a cliff at sunset", "a misty lighthouse", "a windmill at dusk"])
def test_a_tower_stands_apart_in_value_from_the_sky_around_it(subject):
    """A lighthouse or a windmill against its sky: its lit wall (the tower's lightest tenth) at least 0.1 lighter
    than the sky beside it, or most of it at least 0.1 darker, a silhouette (a pale tower in a sunset's pale sky was
    within 0.05 of it, and the styles' light took it away)."""
    tower = "lighthouse" if "lighthouse" in subject else "windmill"
    for seed in (1, 2, 3):
        scene = compose_scene(subject, seed, SIZE)
        value = lightness(scene.sketch.astype(np.float32) / 255)
        mask = scene.mask(tower)
        rows, cols = mask.nonzero()
        near = np.zeros_like(mask)
        near[rows.min() : rows.max() + 1, max(cols.min() - 12, 0) : cols.max() + 13] = True
        sky = near & (scene.mask("sky") | scene.mask("clouds"))
        around = float(np.median(value[sky]))
        assert np.percentile(value[mask], 90) > around + 0.1 or np.median(value[mask]) < around - 0.1, seed


def test_mountains_that_are_the_subject_rise_high_with_something_before_them():
    """'mountains under snow' was a strip of peaks 16-30% of the sky's height over an empty snowfield: the range that
    is the subject rises at least 0.38 of it, and trees or a village stand on the ground before it (2 seeds of 3)."""
    stood = 0
    for seed in (1, 2, 3):
        scene = compose_scene("mountains under snow", seed, SIZE)
        horizon = scene.plan.horizon * SIZE[1]
        top = scene.mask("mountains").nonzero()[0].min()
        assert (horizon - top) / horizon > 0.38, seed
        stood += bool({"trees", "village"} & set(scene.placed))
    assert stood >= 2


def test_a_village_shows_its_houses_side_by_side():
    """Scattered about one point, a village's five to nine houses stood over each other and it read as one or two
    houses (3.2% of the picture on average over six seeds); side by side it shows more of them (4.4%)."""
    shown = [compose_scene("a village by a river", seed, (768, 512)).visible["village"] for seed in range(1, 7)]
    assert float(np.mean(shown)) > 0.038


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_lighthouse_on_a_cliff_stands_on_a_rock_face_above_the_sea(seed):
    """'On a cliff' drew a green slope down to the water: now the shore is a rock face, and the tower stands on its top
    (the rows just under its foot are cliff, not sea). A lighthouse by the sea has no cliff."""
    scene = compose_scene("a lighthouse on a cliff", seed, (384, 256))
    assert scene.visible.get("cliff", 0.0) > 0.05
    rows, cols = np.nonzero(scene.mask("lighthouse"))
    foot = rows.max()
    under = scene.labels[foot + 1 : foot + 4, cols[rows == foot]]
    assert np.mean(under == scene.label_names.index("cliff")) > 0.5
    assert "cliff" not in compose_scene("a lighthouse by the sea", seed, (384, 256)).visible


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_cliff_against_the_low_sun_is_a_dark_headland_over_the_sea(seed):
    """At sunset the cliff's face had the sky's value (OKLab L 0.54 against 0.52-0.56) and dissolved between sky and
    sea in every style (fails so: lighter than the sea's 0.40); against the low sun it is darker than its sea. By day
    it stays the light rock it was."""
    scene = compose_scene("a lighthouse on a cliff at sunset", seed, (384, 256))
    cliff, sea = (scene.sketch[scene.mask(name)].astype(np.float32) / 255 for name in ("cliff", "sea"))
    assert float(np.median(lightness(cliff))) < float(np.median(lightness(sea))) - 0.03
    day = compose_scene("a lighthouse on a cliff", seed, (384, 256))
    cliff, sea = (day.sketch[day.mask(name)].astype(np.float32) / 255 for name in ("cliff", "sea"))
    assert float(np.median(lightness(cliff))) > float(np.median(lightness(sea))) + 0.1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_night_land_is_moonlit_blue_and_darker_than_the_sky_at_the_horizon(seed):
    """A night's land was near-black green (OKLab L 0.29-0.30, as green as blue): Munch painted it his black-green and
    Turner's wash lifted it to an olive lighter than his sky. Now it is a moonlit blue, still darker than the sky
    along the horizon."""
    scene = compose_scene("a village at night", seed, SIZE)
    land = scene.sketch[scene.mask("ground")].astype(np.float32) / 255
    red, green, blue = land.mean(0)
    assert float(lightness(land).mean()) > 0.32
    assert blue > green + 0.05 and green > red
    row = int(scene.plan.horizon * SIZE[1])
    band = scene.sketch[row - 8 : row - 2][scene.mask("sky")[row - 8 : row - 2]].astype(np.float32) / 255
    assert float(lightness(band).mean()) > float(lightness(land).mean())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_trees_a_windmill_and_figures_named_with_a_cliff_stand_on_its_top(seed):
    """Trees and figures named with a cliff found no land to stand on (the rock face is kept clear) and were left
    out; a windmill stood on the land beyond. Now each stands on the cliff's top (the rows under the foot of the
    windmill and the figures are rock), its foot hidden where the face nearer the viewer rises in front of it."""
    assert compose_scene("trees on a cliff", seed, (384, 256)).visible.get("trees", 0.0) > VISIBLE
    for subject, name in (("a windmill on a cliff", "windmill"), ("a figure on a cliff", "figures")):
        scene = compose_scene(subject, seed, (384, 256))
        assert scene.visible.get(name, 0.0) > VISIBLE, subject
        rows, cols = np.nonzero(scene.mask(name))
        foot = rows.max()
        under = scene.labels[foot + 1 : foot + 4, cols[rows == foot]]
        assert np.mean(under == scene.label_names.index("cliff")) > 0.5, subject


def test_a_river_leaves_a_near_bank_and_a_canal_both_banks():
    """A river 5-8 eye-heights wide drawn from the bottom edge to the horizon was wider than the frame near the viewer
    (the bottom 15% of the frame 97-100% water, seeds 1-6) and Munch's dark water read as land: now it comes in from
    the side across the foreground, foreshortened, and bends away, so land lies below it. A canal, dug narrow and
    straight, still runs from the bottom edge with land both sides of it."""
    for seed in (1, 2, 3):
        for subject in ("a village by a river", "a river with a bridge"):
            scene = compose_scene(subject, seed, (384, 256))
            river = scene.mask("river")
            assert river[int(256 * 0.85) :].mean() < 0.05, (subject, seed)
            assert scene.visible["river"] > 0.04, (subject, seed)
        canal = compose_scene("a windmill by a canal", seed, (384, 256)).mask("river")
        assert 0.2 < canal[-1].mean() < 0.95, seed


def _reach_under(scene) -> float:
    """How far (a share of the land's depth) the water below a bridge's middle stays narrower than the bridge."""
    rows, cols = np.nonzero(scene.mask("bridge"))
    height, width = scene.labels.shape
    foot, middle, span = rows.max(), (cols.min() + cols.max()) // 2, cols.max() - cols.min()
    river = scene.mask("river")
    reach = 0
    while foot + 1 + reach < height and river[foot + 1 + reach, middle]:
        row = river[foot + 1 + reach]
        left = middle - (np.argmin(row[middle::-1]) if not row[middle::-1].all() else middle)
        right = middle + (np.argmin(row[middle:]) if not row[middle:].all() else width - middle)
        if right - left > span:
            break
        reach += 1
    return reach / (height * (1 - scene.plan.horizon))


def test_a_river_flows_from_under_its_bridge_toward_the_viewer():
    """A bridge stood where the river turned, on the bend's far bank like a wall at the river's end (the water under it
    at once as wide as the bridge: 3.0-4.8% of the land's depth, seeds 1-6, a raised viewpoint). Now the river is
    narrower and turns sooner when a bridge is named, and a reach comes from under the bridge toward the viewer."""
    raised = CompositionModel(np.array([[0.35, 0.5, 0.45, 0.3, 0.1]] * 4), "a raised viewpoint")
    for subject in ("a river with a bridge", "figures on a bridge at dusk"):
        for seed in range(1, 7):
            assert _reach_under(compose_scene(subject, seed, (384, 256), raised)) > 0.045, (subject, seed)


def test_a_figure_on_a_cliff_stands_at_its_edge_big_enough_to_read():
    """A figure named with a cliff stood back from its edge far off: 0.03-0.35% of the picture (seeds 1-6), and seen from
    below the top the nearer edge hid all but the head. Now it stands at the edge, nearer: 0.31-0.92%."""
    for seed in range(1, 7):
        assert compose_scene("a figure on a cliff", seed, (384, 256)).visible.get("figures", 0.0) > 0.0025, seed


def _face_under_figure(scene) -> float:
    """The rock face's height under the lowest figure's feet (past the strip of the top it stands on), in that figure's
    heights (the unbroken run of rows up from its feet with figure in a few columns about them)."""
    figures = scene.mask("figures")
    rows, cols = np.nonzero(figures)
    foot, column = rows.max(), int(cols[rows == rows.max()].mean())
    body = figures[: foot + 1, max(0, column - 3) : column + 4].any(1)[::-1]
    tall = len(body) if body.all() else int(np.argmin(body))
    under = scene.labels[foot + 1 :, column] == scene.label_names.index("cliff")
    under = under[int(np.argmax(under)) :] if under[: tall // 4 + 1].any() else under[:0]  # past its strip of top
    face = len(under) if under.all() else int(np.argmin(under))
    return face / tall


def test_a_cliff_rises_well_above_a_figure_standing_at_its_edge():
    """At 1.3 eye-heights the rock face under a figure at a cliff's edge was about its own height (median 1.2 over seeds
    1-6: a low bluff); at 1.7 it was 1.5 times it (fails so); at 2.4, seen from farther back, 2.15."""
    heights = [_face_under_figure(compose_scene("a figure on a cliff", seed, (384, 256))) for seed in range(1, 7)]
    assert float(np.median(heights)) > 1.9, heights


def test_a_cliff_is_seen_from_out_on_the_water_with_what_stands_on_it_in_the_frame():
    """The headland's foot came forward to the bottom edge, its near end rising out of the frame's top: now it leaves
    the frame's side in the middle distance, the sea fills the foreground (no rock in the bottom row; fails so), and a
    figure on its top stands inside the frame with sky above its head."""
    for seed in range(1, 7):
        scene = compose_scene("a figure on a cliff", seed, (384, 256))
        assert not scene.mask("cliff")[-1].any(), seed
        assert np.nonzero(scene.mask("figures"))[0].min() > 0, seed


def _furrowed_share(scene) -> float:
    """The share of the field pixels in the sketch's bottom 30 rows that stand out by more than 0.01 in OKLab lightness
    from the mean of the 15 pixels about them along their row: a field's furrows, its thin lines to the vanishing point."""
    rows = lightness(scene.sketch[-30:].astype(np.float64) / 255)
    fields = scene.mask("fields")[-30:]
    along = np.stack([np.convolve(row, np.ones(15) / 15, mode="same") for row in rows])
    standing_out = (np.abs(rows - along) > 0.01)[:, 7:-7][fields[:, 7:-7]]
    return float(standing_out.mean()) if standing_out.size else 0.0


def test_a_snowfield_is_not_ploughed_in_lines():
    """Under snow the nearest field draws no furrows: Munch's contours found their faint lines and the snowfield read as
    black stripes. Before, 0.38-0.41 of its bottom rows stood out in four seeds of six; now at most 0.02. A summer
    field keeps them (0.23-0.36 in five seeds)."""
    snow = [_furrowed_share(compose_scene("a snowfield", seed, (384, 256))) for seed in range(1, 7)]
    assert max(snow) < 0.1, snow
    wheat = [_furrowed_share(compose_scene("a wheat field", seed, (384, 256))) for seed in range(1, 7)]
    assert sorted(wheat)[-3] > 0.2, wheat
