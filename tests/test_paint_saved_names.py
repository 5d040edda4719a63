"""Two renders kept in the same second, of one style and seed (a render, then the same canvas painted again), each
keep their own files: they shared one name, and the second overwrote the first's painting and canvas under both
history entries."""

from __future__ import annotations

import threading

import numpy as np
from PIL import Image

from app.tabs.paint import jobs
from app.worker import JobContext
from models.jobs import Result
from models.paint.recipe import PaintRecipe, read_recipe


def keep(painting: jobs.Painting, folder) -> jobs.Painting:
    context = JobContext(cancel=threading.Event(), cache={}, notify=lambda _: None)
    return next(event.value for event in jobs.save_painting(painting, folder)(context) if isinstance(event, Result))


def test_two_paintings_kept_in_the_same_second_keep_their_own_files(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs.time, "strftime", lambda _format: "20261208-041500")  # the same second for both
    canvas = np.full((16, 24, 3), 200, np.uint8)
    first = keep(jobs.Painting(np.zeros((16, 24, 3), np.uint8), canvas, PaintRecipe(style="munch", seed=3)), tmp_path)
    second_canvas = canvas.copy()
    second_canvas[4:8, 4:8] = 10
    second = keep(jobs.Painting(np.full((16, 24, 3), 255, np.uint8), second_canvas,
                                PaintRecipe(style="munch", seed=3, palette=0.2)), tmp_path)
    assert first.saved_path != second.saved_path and first.source_path != second.source_path
    with Image.open(first.saved_path) as picture:
        assert np.asarray(picture.convert("RGB")).max() == 0
    with Image.open(first.source_path) as source:
        assert np.array_equal(np.asarray(source.convert("RGB")), canvas)
    assert read_recipe(first.saved_path).palette == 0.5 and read_recipe(second.saved_path).palette == 0.2
    assert read_recipe(first.saved_path).input_path == str(first.source_path)
    assert jobs.thumbnail_of(first.saved_path).is_file() and jobs.thumbnail_of(second.saved_path).is_file()
