"""One recipe for every painting: the app, the CLI, Chat and the history write `PaintRecipe` and read back
what any version wrote. tests/fixtures/app-recipes holds PNGs and recipes written by the app before it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.cli import main
from models.assistant.song import cover_recipe
from models.paint.recipe import RECIPE_VERSION, PaintRecipe, read_recipe
from tests.support.jobs import wait_for_job

OLD = Path(__file__).resolve().parent / "fixtures" / "app-recipes"


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def test_recipes_in_pngs_and_histories_written_by_the_app_before_still_load():
    saved = read_recipe(OLD / "app-saved.png")
    assert (saved.style, saved.checkpoint_hash) == ("tiny", "4877c54c3206e184")
    assert (saved.strength, saved.palette, saved.seed, saved.size) == (0.8, 0.3, 7, (96, 64))
    assert saved.quality == "fast" and not saved.from_scratch
    assert saved.look == "texture"  # painted by the texture network, as every painting before the strokes
    assert saved.input_path.endswith("-canvas.png")  # where the canvas was kept then
    exported = read_recipe(OLD / "app-exported.png")
    assert exported == saved.replace(input_path="")
    history = PaintRecipe.from_json(json.loads((OLD / "app-history-recipe.json").read_text()))
    assert history == exported
    scratch = PaintRecipe.from_json(json.loads((OLD / "app-scratch-recipe.json").read_text()))
    assert scratch.from_scratch and (scratch.seed, scratch.size, scratch.style) == (3, (96, 64), "tiny")


def test_an_app_saved_png_replays_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "again.png"
    # The canvas has moved since (it lived in that user's data folder): --input says where it is now.
    code = main(["paint", "--replay", str(OLD / "app-saved.png"), "--style", str(OLD / "tiny.safetensors"),
                 "--input", str(OLD / "app-saved-canvas.png"), "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    assert "has changed" not in capsys.readouterr().err
    # Made on this machine when the fixture was written; another CPU may round a few values differently.
    assert np.abs(pixels(out) - pixels(OLD / "app-saved.png")).mean() < 0.5
    again = read_recipe(out)
    assert (again.style, again.strength, again.palette, again.seed, again.size) == ("tiny", 0.8, 0.3, 7, (96, 64))


def test_command_line_recipes_of_before_and_chat_recipes_load():
    cli = PaintRecipe.from_json({"engine": "paint", "style": "munch", "checkpoint_hash": "ab", "from_scratch": False,
                                 "input": {"path": "/x/sketch.png", "sha256": "cd"},
                                 "params": {"strength": 0.5, "palette": 0.2, "seed": 3, "size": None, "best": True}})
    assert (cli.input_path, cli.input_sha256, cli.quality, cli.size, cli.seed) == ("/x/sketch.png", "cd", "best", None, 3)
    chat = PaintRecipe.from_json({"engine": "atelier chat", "seed": 9, "request": {
        "style": "turner", "subject": "a harbour", "size": [768, 512], "warmth": 0.3, "strength": 1.0, "palette": 0.6}})
    # The old mood settings (warmth, brightness, contrast) are read and left: the subject's words set the light now.
    assert chat.from_scratch and (chat.style, chat.subject, chat.size, chat.seed) == ("turner", "a harbour", (768, 512), 9)


def test_a_recipe_round_trips_and_refuses_what_it_cannot_read():
    recipe = PaintRecipe(style="hokusai", seed=4, strength=0.7, size=(640, 480), quality="best", steps=50,
                         input_path="/a/b.png", look="strokes", brush_scale=1.5, detail=0.2, outline=0.0)
    data = recipe.to_json()
    assert data["version"] == RECIPE_VERSION and data["engine"] == "paint"
    assert PaintRecipe.from_json(json.loads(json.dumps(data))) == recipe
    with pytest.raises(ValueError, match="newer version"):
        PaintRecipe.from_json({**data, "version": RECIPE_VERSION + 1})
    with pytest.raises(ValueError, match="damaged"):
        PaintRecipe.from_json({**data, "seed": "seven"})
    with pytest.raises(ValueError, match="paint engine"):
        PaintRecipe.from_json({"engine": "compose"})
    with pytest.raises(ValueError, match="look"):
        PaintRecipe.from_json({**data, "look": "pastel"})


def test_new_paintings_are_painted_with_strokes_and_their_recipe_says_so():
    from models.paint.render import RenderParams

    params = RenderParams(seed=2, brush_scale=2.0, detail=0.9, outline=0.5)
    assert params.look == "strokes"
    recipe = PaintRecipe(style="munch", seed=2, brush_scale=2.0, detail=0.9, outline=0.5)
    assert recipe.render_params() == params
    assert PaintRecipe.for_request({"style": "turner", "subject": "a harbour"}, seed=1).look == "strokes"
    # A song's cover too: it once came out in the texture look, the recipe's old default.
    assert cover_recipe("the sea", "minor", seed=3).look == "strokes"
    # What a recipe says is kept: a texture painting replays as one.
    assert PaintRecipe.from_json(recipe.replace(look="texture").to_json()).look == "texture"


def test_export_from_the_app_then_replay_with_the_cli_gives_the_same_pixels(qtbot, paint, tmp_path):
    from tests.test_paint_tab import centre, stroke

    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 50, y - 20), (x + 50, y + 20))
    paint.controls.strength_slider.setValue(70)
    paint.controls.seed_spin.setValue(12)
    wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    exported = wait_for_job(qtbot, paint, lambda: paint.export_to(tmp_path / "exported.png"), timeout=60_000)

    again = tmp_path / "again.png"
    assert main(["paint", "--replay", str(exported), "-o", str(again)]) == 0
    assert np.array_equal(pixels(again), pixels(exported))


def test_a_cli_painting_opened_in_the_app_shows_its_settings(qtbot, paint, tmp_path):
    from app.tabs.images import image_to_array
    from models.paint.selftest import sample_sketch

    sketch = tmp_path / "sketch.png"
    sample_sketch(160, 120).save(sketch)
    out = tmp_path / "painted.png"
    assert main(["paint", "--style", "stripes", "--input", str(sketch), "--strength", "0.6", "--palette", "0.2",
                 "--seed", "11", "-o", str(out)]) == 0

    wait_for_job(qtbot, paint, lambda: paint.open_image(out))

    controls = paint.controls
    assert (controls.strength_slider.value(), controls.palette_slider.value(), controls.seed_spin.value()) == (60, 20, 11)
    assert paint.current_style().name == "stripes"
    assert np.array_equal(image_to_array(paint.canvas.image), pixels(sketch))  # its canvas: the sketch it painted
    assert paint.painting.recipe == read_recipe(out)
    assert np.array_equal(paint.painting.pixels, pixels(out))
