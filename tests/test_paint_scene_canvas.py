"""A Surprise pick's sketch on the canvas is painted as its scene still: after a stroke, in another seed, replayed from
its PNG, after a crash; and not once a new picture replaces it."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image
from PySide6.QtCore import QPointF, QSize

from app.recovery import Snapshot
from app.tabs.paint.canvas_recovery import CanvasRecovery
from models.paint.recipe import SceneSketch
from tests.support.jobs import wait_for_job

SUBJECT = "a harbour with boats at dusk"  # a scene with kept things (wall, boats), sea and sky


def pick_a_surprise(qtbot, paint):
    """A Surprise pick on the canvas, painted in full: (the pick painted small, the full painting)."""
    qtbot.waitUntil(lambda: not paint.worker.pending_jobs(), timeout=60_000)
    paint.controls.subject_edit.setText(SUBJECT)
    paint.controls.surprise_count.setValue(1)
    wait_for_job(qtbot, paint, paint.surprise, timeout=60_000)
    pick = paint.surprise_dialog.paintings[0]
    paint.surprise_dialog.accept()
    qtbot.waitUntil(lambda: paint.history_list.count() == 1, timeout=60_000)
    return pick, paint.painting


def paint_a_stroke(canvas) -> None:
    canvas.colour = canvas.colour.fromRgb(200, 40, 30)
    canvas.begin_stroke(QPointF(120, 200))
    canvas.stroke_to(QPointF(220, 200))
    canvas.end_stroke()


def test_a_surprise_pick_rendered_again_is_the_pick_and_a_stroke_on_it_keeps_the_scene(qtbot, paint):
    pick, full = pick_a_surprise(qtbot, paint)
    assert paint.canvas.scene == SceneSketch(SUBJECT, pick.recipe.seed, pick.recipe.style_path)
    # Render, nothing painted yet: the pick's own picture (it was painted as a plain picture, nothing like the pick).
    again = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    assert np.array_equal(again.pixels, full.pixels)
    assert again.recipe.scene_subject == SUBJECT and again.recipe.scene_seed == pick.recipe.seed

    paint_a_stroke(paint.canvas)
    stroked = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    assert paint.canvas.scene == pick.recipe.canvas_scene  # a stroke is paint on the scene, not a new picture
    assert stroked.recipe.canvas_scene == pick.recipe.canvas_scene
    # Painted as the scene: nearer the pick than the same canvas painted as a plain picture, away from the stroke
    # (not the pick's pixels there: the stroke moves the plan's random draws; 8.6 against 14.5 levels when written).
    plain = paint.canvas.scene
    paint.canvas.scene = None
    as_plain = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    paint.canvas.scene = plain
    away = np.ones(full.pixels.shape[:2], bool)
    away[150:250, 80:260] = False

    def off(painting):
        return np.abs(painting.pixels.astype(int) - full.pixels.astype(int))[away].mean()

    assert off(stroked) < 0.75 * off(as_plain)

    # A saved recipe paints the same pixels again (`atelier paint --replay` paints through paint_job as the tab does).
    from models.jobs import run_job
    from models.paint.painting import paint_job
    from models.paint.recipe import read_recipe
    from models.paint.style import load_style

    recipe = read_recipe(stroked.saved_path)
    with Image.open(recipe.input_path) as canvas:
        replayed = run_job(paint_job(recipe, load_style(recipe.style_path), canvas.convert("RGB")))
    assert np.array_equal(np.asarray(replayed), stroked.pixels)


def test_the_scene_goes_with_a_new_picture_and_comes_back_with_undo(qtbot, paint):
    pick, _ = pick_a_surprise(qtbot, paint)
    paint_a_stroke(paint.canvas)
    paint.new_canvas(QSize(384, 256))
    assert paint.canvas.scene is None and paint._recipe(preview=True).canvas_scene is None
    paint.canvas.undo_stack.undo()
    assert paint.canvas.scene == pick.recipe.canvas_scene
    paint.canvas.undo_stack.undo()  # the stroke
    paint.canvas.undo_stack.undo()  # the pick's sketch itself
    assert paint.canvas.scene is None
    paint.canvas.undo_stack.redo()
    assert paint.canvas.scene == pick.recipe.canvas_scene


def test_a_surprise_pick_painted_on_comes_back_after_a_crash_as_its_scene(qtbot, paint):
    pick, _ = pick_a_surprise(qtbot, paint)
    paint_a_stroke(paint.canvas)
    part = CanvasRecovery(paint.canvas, paint.controls)
    snapshot = part.recovery_snapshot()
    snapshot = Snapshot(json.loads(json.dumps(snapshot.state)),  # as written to disk and read back
                        {name: blob() if callable(blob) else blob for name, blob in snapshot.blobs.items()})
    paint.new_canvas(QSize(384, 256))
    paint.canvas.undo_stack.clear()
    part.restore_recovery_snapshot(snapshot)
    assert paint.canvas.scene == pick.recipe.canvas_scene
    assert paint._recipe(preview=True).canvas_scene == pick.recipe.canvas_scene
    paint.canvas.undo_stack.undo()  # the stroke
    paint.canvas.undo_stack.undo()  # the pick's sketch, back to the canvas before it
    assert paint.canvas.scene is None


def test_a_canvas_whose_scenes_style_is_gone_is_still_painted_as_a_plain_picture(qtbot, paint):
    paint_a_stroke(paint.canvas)
    paint.canvas.scene = SceneSketch("a harbour with boats", 3, "/nowhere/a-style-since-removed.safetensors")
    painting = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    assert painting.recipe.canvas_scene is None  # the recipe says what it was painted as
    paint.canvas.scene = None
    plain = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    assert np.array_equal(painting.pixels, plain.pixels)
