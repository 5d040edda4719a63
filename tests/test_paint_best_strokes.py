"""Best quality with strokes: the stroke plan optimised toward the painter's statistics (models/paint/best/)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from PIL import Image

from models.jobs import JobCancelled, Progress, Result, run_job
from models.paint import gatys
from models.paint.best import strokes_job
from models.paint.best.soft_strokes import StrokeChanges, layers_of, soft_render
from models.paint.best.strokes_job import best_strokes_job
from models.paint.images import pil_to_tensor
from models.paint.losses import compute_style_targets
from models.paint.strokes import StrokeParams, brush, render_strokes
from models.paint.strokes.render import plan_for
from models.paint.vgg import VGGFeatures
from tests.support.paintings import painting_image
from tests.test_paint_strokes import _LargestTensor, _picture, _style


@pytest.fixture(scope="module")
def vgg():
    return VGGFeatures()


@pytest.fixture(scope="module")
def targets(vgg):
    crops = torch.stack([pil_to_tensor(painting_image(seed, 64)) for seed in range(3)])
    return compute_style_targets(vgg, crops, gatys.STYLE_LAYERS)


@pytest.fixture(autouse=True)
def small(monkeypatch):
    monkeypatch.setattr(strokes_job, "WORK_SIDE", 64)


def test_same_seed_same_pixels_and_the_strokes_move_toward_the_painter(vgg, targets):
    picture, style = _picture(), _style()
    params = StrokeParams(seed=3)
    events = list(best_strokes_job(picture, style, params, targets, vgg, steps=4, preview_every=2))
    again = run_job(best_strokes_job(picture, style, params, targets, vgg, steps=4, preview_every=2))
    painted = events[-1].value
    assert isinstance(events[-1], Result) and painted.size == picture.size
    assert np.array_equal(np.asarray(painted), np.asarray(again))
    # The first picture shown is the plain stroke render; the last one is not.
    first = next(e.preview for e in events if isinstance(e, Progress) and e.preview is not None)
    plain = render_strokes(picture, style, params)
    assert np.array_equal(np.asarray(first), np.asarray(plain))
    assert (np.asarray(painted) != np.asarray(plain)).any(axis=-1).mean() > 0.2
    losses = [e.loss for e in events if isinstance(e, Progress) and e.loss is not None]
    assert len(losses) == 4 and losses[-1] < losses[0]
    # What the status bar and the caption say is for a user: which step, not an objective's value.
    assert [e.message for e in events if isinstance(e, Progress) and e.loss is not None] == [f"step {n} of 4" for n in (1, 2, 3, 4)]


def test_the_painting_has_the_size_asked_for(vgg, targets):
    painted = run_job(best_strokes_job(_picture(), _style(), StrokeParams(size=(150, 100)), targets, vgg, steps=1))
    assert painted.size == (150, 100)


def test_the_painting_is_drawn_in_tiles_not_held_as_floats(vgg, targets, monkeypatch):
    """The optimised strokes are drawn at the size asked for tile by tile into one RGB picture: no tensor as
    large as the painting's floats (at 16,384 px a side those were 3.2 GB, then more converting them)."""
    monkeypatch.setattr(strokes_job, "PREVIEW_SIDE", 64)
    monkeypatch.setattr(brush, "_CANDIDATES_PER_CHUNK", 16384)  # stamping's own bound, 2 MB, is larger than this
    params = StrokeParams(size=(600, 400), tile=200, plan_side=64)
    with _LargestTensor() as recorder:
        painted = run_job(best_strokes_job(_picture(), _style(), params, targets, vgg, steps=1))
    assert painted.size == (600, 400)
    assert recorder.largest < 3 * 600 * 400 * 4  # the largest left is VGG's features of the small work copy


def test_cancel_stops_it_mid_way(vgg, targets):
    cancel = threading.Event()
    seen = []
    with pytest.raises(JobCancelled):
        for event in best_strokes_job(_picture(), _style(), StrokeParams(), targets, vgg, steps=50, cancel=cancel):
            seen.append(event)
            if isinstance(event, Progress) and event.message == "step 2 of 50":
                cancel.set()
    assert not any(isinstance(e, Result) for e in seen) and len(seen) < 10


def test_the_soft_stand_in_looks_like_the_real_strokes_and_has_gradients():
    picture, style = _picture(128, 96), _style()
    plan = plan_for(style, pil_to_tensor(picture), StrokeParams(seed=1), 128, 96)
    changes = StrokeChanges.none(plan.count)
    for tensor in changes.parameters():
        tensor.requires_grad_(True)
    soft = soft_render(plan, layers_of(plan), changes, 96, 128)
    real = pil_to_tensor(render_strokes(picture, style, StrokeParams(seed=1)))
    assert (soft - real).abs().mean() < 0.08  # the same picture, softer
    soft.mean().backward()
    for tensor in changes.parameters():
        assert tensor.grad is not None and tensor.grad.abs().sum() > 0


def test_a_picture_too_small_for_strokes_is_still_painted(vgg, targets):
    tiny = Image.new("RGB", (20, 12), (200, 120, 40))
    painted = run_job(best_strokes_job(tiny, _style(), StrokeParams(), targets, vgg, steps=1))
    assert painted.size == (20, 12)


def test_previews_keep_arriving_with_the_engine_defaults(vgg, targets, monkeypatch):
    # The app and the CLI pass neither steps nor preview_every: both come from the module when the job starts.
    monkeypatch.setattr(strokes_job, "STEPS", 5)
    monkeypatch.setattr(strokes_job, "PREVIEW_EVERY", 2)
    events = list(best_strokes_job(_picture(48, 32), _style(), StrokeParams(seed=1), targets, vgg))
    steps = [e for e in events if isinstance(e, Progress) and e.message.startswith("step ")]
    assert [e.message for e in steps] == [f"step {n} of 5" for n in range(1, 6)]
    assert [e.preview is not None for e in steps] == [False, True, False, True, False]  # the last one is the Result
    assert isinstance(events[-1], Result)
