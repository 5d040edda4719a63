"""`atelier paint` and `atelier train-style`: recipes in the PNG, replay, from scratch, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from app.cli import main
from models.paint.network import StyleRenderer
from models.paint.palette import PaletteGMM
from models.paint.recipe import read_recipe
from models.paint.selftest import sample_sketch
from models.paint.style import load_style, save_style


@pytest.fixture()
def style_path(tmp_path):
    torch.manual_seed(0)
    renderer = StyleRenderer(width=8, blocks=2)
    rng = np.random.default_rng(0)
    palette = PaletteGMM.fit(rng.random((500, 3)), components=3)
    return save_style(tmp_path / "tiny.safetensors", "tiny", renderer, palette, work_size=256)


@pytest.fixture()
def sketch_path(tmp_path):
    path = tmp_path / "sketch.png"
    sample_sketch(200, 150).save(path)
    return path


def test_paint_writes_a_png_with_its_recipe_and_replay_makes_the_same_image(tmp_path, style_path, sketch_path):
    out = tmp_path / "out.png"
    code = main(["paint", "--style", str(style_path), "--input", str(sketch_path), "-o", str(out),
                 "--size", "160x120", "--strength", "0.8", "--palette", "0.3", "--seed", "7"])  # fmt: skip
    assert code == 0
    recipe = read_recipe(out)
    assert recipe.style == "tiny" and recipe.checkpoint_hash == load_style(style_path).checkpoint_hash
    assert (recipe.strength, recipe.palette, recipe.seed, recipe.size) == (0.8, 0.3, 7, (160, 120))
    assert (recipe.look, recipe.brush_scale, recipe.detail, recipe.outline) == ("strokes", 1.0, 0.5, 1.0)
    assert recipe.input_path == str(sketch_path.resolve())
    assert Image.open(out).size == (160, 120)

    replay = tmp_path / "again.png"
    assert main(["paint", "--style", str(style_path), "--replay", str(out), "-o", str(replay)]) == 0
    assert np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(replay)))


def test_from_scratch_is_seeded_and_takes_any_aspect(tmp_path, style_path):
    paths = [tmp_path / f"{name}.png" for name in ("a", "b", "c")]
    for path, seed in zip(paths, (3, 3, 4), strict=True):
        code = main(["paint", "--style", str(style_path), "--from-scratch", "--size", "192x96", "--seed", str(seed),
                     "-o", str(path)])  # fmt: skip
        assert code == 0
    a, b, c = (np.asarray(Image.open(p), dtype=float) for p in paths)
    assert a.shape == (96, 192, 3)
    assert np.array_equal(a, b)
    assert np.abs(a - c).mean() > 1.0
    recipe = read_recipe(paths[0])
    assert recipe.from_scratch and recipe.subject  # without --subject: one the painter painted (the generic list)


def test_from_scratch_paints_the_subject_prints_what_it_placed_and_saves_the_sketch(tmp_path, style_path, capsys):
    out, sketch = tmp_path / "harbour.png", tmp_path / "sketch.png"
    assert main(["paint", "--style", str(style_path), "--from-scratch", "--subject", "a stormy harbour", "--seed", "3",
                 "--size", "256x170", "-o", str(out), "--save-sketch", str(sketch)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    for element in ("sea", "harbour wall", "boats"):
        assert f"  {element}" in printed and "(named)" in printed
    assert "(storm)" in printed
    assert read_recipe(out).subject == "a stormy harbour"
    assert Image.open(sketch).size == (256, 170)
    again = tmp_path / "again.png"
    assert main(["paint", "--replay", str(out), "--style", str(style_path), "-o", str(again)]) == 0
    assert np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(again)))
    assert main(["paint", "--style", str(style_path), "--subject", "a lake", "-o", str(tmp_path / "x.png")]) == 2
    assert "--from-scratch" in capsys.readouterr().err


def test_unknown_style_and_bad_input_are_sentences_not_tracebacks(tmp_path, style_path, capsys):
    assert main(["paint", "--style", "no-such-style", "--input", "x.png", "-o", str(tmp_path / "o.png")]) == 2
    assert "no style called 'no-such-style'" in capsys.readouterr().err
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"")
    assert main(["paint", "--style", str(style_path), "--input", str(broken), "-o", str(tmp_path / "o.png")]) == 2
    assert "empty" in capsys.readouterr().err
    plain = tmp_path / "plain.png"
    sample_sketch(64, 64).save(plain)
    assert main(["paint", "--style", str(style_path), "--replay", str(plain)]) == 2
    assert "no Atelier recipe" in capsys.readouterr().err


def test_train_style_from_an_unusable_folder_says_why(tmp_path, capsys):
    folder = tmp_path / "paintings"
    folder.mkdir()
    (folder / "empty.png").write_bytes(b"")
    assert (
        main(["train-style", str(folder), "--name", "mine", "--minutes", "0.1", "-o", str(tmp_path / "m.safetensors")])
        == 2
    )
    assert "No usable image" in capsys.readouterr().err
    assert main(["train-style", str(folder), "--name", "bad name!"]) == 2


@pytest.fixture(scope="module")
def munch_with_best_quality_targets(tmp_path_factory):
    """Munch's shipped style copied with the Best quality targets of its painting (7 s: made once for both looks)."""
    from models.paint import gatys
    from models.paint.images import load_image
    from models.paint.style import find_style
    from models.resources import resources_dir

    style_path = tmp_path_factory.mktemp("styles") / "munch.safetensors"
    style_path.write_bytes(find_style("munch").read_bytes())
    style_path.with_suffix(".json").write_bytes(find_style("munch").with_suffix(".json").read_bytes())
    art = resources_dir() / "paint" / "art"
    gatys.write_gatys_targets(style_path, [load_image(art / "munch_the-scream.jpg", max_side=512).image])
    return style_path


@pytest.mark.parametrize("look", ["strokes", "texture"])
def test_best_quality_from_the_command_line_replays_exactly(
    tmp_path, monkeypatch, capsys, look, munch_with_best_quality_targets
):
    from models.paint import gatys
    from models.paint.best import strokes_job
    from models.resources import resources_dir

    monkeypatch.setattr(gatys, "BEST_STEPS", 6)
    monkeypatch.setattr(gatys, "WORK_SIDE", 96)  # pixels are optimised at the picture's size, up to this side
    monkeypatch.setattr(strokes_job, "STEPS", 3)
    monkeypatch.setattr(strokes_job, "WORK_SIDE", 96)
    style_path = munch_with_best_quality_targets
    picture = resources_dir() / "paint" / "photos" / "coffee.jpg"
    out = tmp_path / "best.png"
    assert main(["paint", "--style", str(style_path), "--input", str(picture), "--size", "96x64", "--best",
                 "--look", look, "-o", str(out)]) == 0
    again = tmp_path / "again.png"
    assert main(["paint", "--replay", str(out), "--style", str(style_path), "-o", str(again)]) == 0
    assert read_recipe(out).quality == "best" and read_recipe(out).look == look
    assert np.array_equal(np.asarray(Image.open(out)), np.asarray(Image.open(again)))
    assert main(["paint", "--style", "munch", "--from-scratch", "--best", "-o", str(tmp_path / "x.png")]) == 2
    assert "--from-scratch" in capsys.readouterr().err
