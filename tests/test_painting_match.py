"""The painter match: a range over picture statistics, anchored on held-out paintings (100) and texture-filtered
photographs (0); photographs and colour blobs score 0. A trained style gets its best-quality targets."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from models.paint.gatys import load_gatys_targets
from models.paint.images import load_image
from models.paint.painting_match import PaintingMatch, match_path_for, measure_painting_match
from models.paint.picture_statistics import picture_statistics, statistic_names, surface_statistic_names, views
from models.paint.references import write_painting_match, write_style_references_from_folder
from models.paint.render import RenderParams, render_in_style
from models.paint.scene.composition import CompositionModel
from models.paint.style import list_shipped_styles, load_style
from models.resources import resources_dir

ART = resources_dir() / "paint" / "art"
PHOTOS = resources_dir() / "paint" / "photos"


def picture(path) -> Image.Image:
    return load_image(path, max_side=512).image


def blob(flat: bool) -> Image.Image:
    image = Image.new("RGB", (512, 384), (200, 180, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse([60, 40, 300, 260], fill=(40, 90, 200))
    draw.polygon([(250, 380), (500, 100), (480, 380)], fill=(180, 40, 40))
    return image if flat else image.filter(ImageFilter.GaussianBlur(12))


@pytest.fixture(scope="module")
def munch():
    """Munch's range from the left half of The Scream, anchored on photographs through the Munch renderer."""
    scream = picture(ART / "munch_the-scream.jpg")
    width, height = scream.size
    left, right = scream.crop((0, 0, width // 2, height)), scream.crop((width // 2, 0, width, height))
    style = load_style(list_shipped_styles()["munch"])
    texture_filter = lambda photo: render_in_style(style, photo, RenderParams(look="texture"))  # noqa: E731
    photos = [picture(PHOTOS / "astronaut.jpg"), picture(PHOTOS / "rocket.jpg")]
    return measure_painting_match([left], photos, texture_filter), right, texture_filter


def test_statistics_are_named_and_finite_for_any_picture_shape():
    for size in ((512, 384), (97, 300), (64, 64)):
        tensors = views(Image.new("RGB", size, (120, 30, 200)))
        assert len(tensors) == 5 and all(max(t.shape[1:]) == 512 for t in tensors)
        values = picture_statistics(tensors[0])
        assert values.shape == (len(statistic_names()),) and np.isfinite(values).all()
    with pytest.raises(ValueError, match="too narrow"):
        views(Image.new("RGB", (4000, 9)))


def test_the_painters_own_work_scores_high_and_a_filtered_photograph_low(munch):
    match, held_out_half, texture_filter = munch
    assert match.separates and match.own_paintings < match.filtered_photographs
    _, own = match.score(held_out_half)
    _, filtered = match.score(texture_filter(picture(PHOTOS / "coffee.jpg")))
    _, photo = match.score(picture(PHOTOS / "coffee.jpg"))
    assert own > 50 > filtered and photo == 0


def test_colour_blobs_never_score(munch):
    match, _, texture_filter = munch
    for flat in (True, False):
        assert match.score(blob(flat))[1] == 0
    assert match.score(texture_filter(blob(True)))[1] < 50


def test_a_saved_match_scores_the_same_and_a_missing_corrupt_or_foreign_one_means_no_score(munch, tmp_path):
    match, held_out_half, _ = munch
    path = match_path_for(tmp_path / "munch.safetensors")
    assert path == tmp_path / "references" / "munch.match.json"
    match.save(path)
    again = PaintingMatch.load(path)
    assert again is not None and again.score(held_out_half) == pytest.approx(match.score(held_out_half))
    assert PaintingMatch.load(tmp_path / "none.match.json") is None
    (tmp_path / "bad.match.json").write_text("{not json")
    assert PaintingMatch.load(tmp_path / "bad.match.json") is None
    (tmp_path / "old.match.json").write_text('{"format": 1, "mean": [], "spread": []}')
    assert PaintingMatch.load(tmp_path / "old.match.json") is None
    # A match made before the hue statistics (format 2, 34 statistics) is another measure's: no score from it.
    data = json.loads(path.read_text())
    data["format"], data["statistics"] = 2, surface_statistic_names()
    data["mean"], data["precision"] = data["mean"][:34], [row[:34] for row in data["precision"][:34]]
    (tmp_path / "format2.match.json").write_text(json.dumps(data))
    assert PaintingMatch.load(tmp_path / "format2.match.json") is None


def test_a_match_that_cannot_tell_paintings_from_filtered_photographs_is_not_trusted(munch):
    match, _, _ = munch
    assert not PaintingMatch(match.range, match.own_paintings, match.own_paintings * 1.1).separates


def test_a_style_gets_its_match_from_its_paintings_through_its_own_renderer(tmp_path):
    shipped = list_shipped_styles()["turner"]
    shutil.copy(shipped, tmp_path / "mine.safetensors")
    shutil.copy(shipped.with_suffix(".json"), tmp_path / "mine.json")
    paintings = [picture(ART / "turner_the-wreck-of-a-transport-ship.jpg")]
    match_path = write_painting_match(tmp_path / "mine.safetensors", paintings)
    match = PaintingMatch.load(match_path)
    assert match_path == tmp_path / "references" / "mine.match.json" and match is not None
    assert match.separates


def test_a_trained_style_gets_its_best_quality_targets_from_the_training_folder(tmp_path):
    folder = tmp_path / "paintings"
    folder.mkdir()
    name = "turner_the-wreck-of-a-transport-ship.jpg"
    picture(ART / name).save(folder / name)
    (folder / "notes.txt").write_text("not a picture")
    targets_path, composition_path = write_style_references_from_folder(tmp_path / "mine.safetensors", folder)
    assert composition_path == tmp_path / "references" / "mine.composition.json"
    assert 0.45 < CompositionModel.load(composition_path).summary()["horizon"]["mean"] < 0.65  # Turner's sea line
    targets = load_gatys_targets(tmp_path / "mine.safetensors")
    assert targets_path == tmp_path / "references" / "mine.gatys.safetensors"
    assert set(targets.grams) == {"conv1_1", "conv2_1", "conv3_1", "conv4_1"}
