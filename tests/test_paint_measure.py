"""The style-match score: built from a style's paintings, saved beside the checkpoint, 0 at photographs."""

from __future__ import annotations

import pytest
from PIL import Image

from models.paint.gatys import load_gatys_targets
from models.paint.images import load_image
from models.paint.measure import StyleMatch, match_path_for, measure_style_match
from models.paint.references import write_style_references_from_folder
from models.paint.vgg import VGGFeatures
from models.resources import resources_dir

ART = resources_dir() / "paint" / "art"
PHOTOS = resources_dir() / "paint" / "photos"


@pytest.fixture(scope="module")
def vgg() -> VGGFeatures:
    return VGGFeatures()


def picture(path) -> Image.Image:
    return load_image(path, max_side=512).image


def test_the_painters_own_work_scores_high_and_a_photograph_low(vgg, tmp_path):
    scream = picture(ART / "munch_the-scream.jpg")
    width, height = scream.size
    left, right = scream.crop((0, 0, width // 2, height)), scream.crop((width // 2, 0, width, height))
    photos = [picture(PHOTOS / "astronaut.jpg"), picture(PHOTOS / "rocket.jpg")]
    match = measure_style_match(vgg, [left], photos)
    assert match.same_painter < match.photographs
    _, own = match.score(vgg, right)
    _, photo = match.score(vgg, picture(PHOTOS / "coffee.jpg"))
    assert own > 50 > photo

    path = match_path_for(tmp_path / "munch.safetensors")
    assert path == tmp_path / "references" / "munch.match.json"
    match.save(path)
    again = StyleMatch.load(path)
    assert again is not None and again.score(vgg, right) == pytest.approx(match.score(vgg, right))


def test_a_missing_corrupt_or_foreign_match_file_means_no_score(tmp_path):
    assert StyleMatch.load(tmp_path / "none.match.json") is None
    (tmp_path / "bad.match.json").write_text("{not json")
    assert StyleMatch.load(tmp_path / "bad.match.json") is None
    (tmp_path / "new.match.json").write_text('{"format": 99}')
    assert StyleMatch.load(tmp_path / "new.match.json") is None


def test_a_trained_style_gets_its_match_and_targets_from_the_training_folder(vgg, tmp_path):
    folder = tmp_path / "paintings"
    folder.mkdir()
    for name in ("turner_the-shipwreck.jpg", "turner_the-wreck-of-a-transport-ship.jpg"):
        picture(ART / name).save(folder / name)
    (folder / "notes.txt").write_text("not a picture")
    match_path, targets_path = write_style_references_from_folder(tmp_path / "mine.safetensors", folder)
    match = StyleMatch.load(match_path)
    assert match_path == tmp_path / "references" / "mine.match.json" and match is not None
    assert match.same_painter < match.photographs
    targets = load_gatys_targets(tmp_path / "mine.safetensors")
    assert targets_path == tmp_path / "references" / "mine.gatys.safetensors" and set(targets.grams) == {
        "conv1_1", "conv2_1", "conv3_1", "conv4_1"}
