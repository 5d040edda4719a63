"""Training a style: a tiny run lowers the loss, a cancelled run resumes exactly, a folder with nothing usable fails clearly."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
import torch
from PIL import Image

from models.checkpoint import CheckpointError, load_checkpoint
from models.jobs import JobCancelled, JobError, Progress, check_cancelled, run_job
from models.paint.network import StyleRenderer
from models.paint.render import RenderParams, render_in_style
from models.paint.style import load_style
from models.paint.training import STATE_KIND, TrainingConfig, state_path_for, train_style, train_style_from_folder


def _stripes(seed: int, size: int = 96) -> Image.Image:
    """A small 'painting': diagonal strokes in two colours with noise, different per seed."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size]
    strokes = (np.sin((x + y) / 3.0 + rng.uniform(0, 6)) > 0)[..., None]
    colours = np.where(strokes, [0.95, 0.75, 0.1], [0.1, 0.2, 0.6]) + rng.normal(0, 0.05, (size, size, 3))
    return Image.fromarray((np.clip(colours, 0, 1) * 255).astype(np.uint8))


def _photo(seed: int, size: int = 96) -> Image.Image:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    base = np.stack([x, y, 1 - x * y], axis=-1) + rng.normal(0, 0.02, (size, size, 3))
    return Image.fromarray((np.clip(base, 0, 1) * 255).astype(np.uint8))


def _tiny_config(**changes) -> TrainingConfig:
    settings = dict(
        name="tiny",
        minutes=60,
        max_steps=40,
        batch=2,
        crop=32,
        width=8,
        blocks=1,
        style_layers=["conv1_1", "conv2_1"],
        content_layer="conv1_2",
        learning_rate=2e-3,
        painting_size=96,
        work_size=128,
        checkpoint_seconds=3600,
        preview_every=10,
        target_crops=4,
        # One render of the stroke search (its starting point): the search itself is this file's first
        # test's and test_paint_strokes', and each evaluation renders every photograph at the measure's scale.
        stroke_evaluations=1,
    )
    settings.update(changes)
    return TrainingConfig(**settings)


PAINTINGS = [("a.png", _stripes(1)), ("b.png", _stripes(2))]
PHOTOS = [_photo(3)]


@pytest.fixture(autouse=True, scope="module")
def one_stroke_fit_per_input():
    """The stroke fit that ends a training run reads only the paintings, the photographs and its own settings, never
    the network's weights, and it is deterministic; these tests train on the same tiny paintings again and again
    (the fit was about 40% of the cancel-and-resume test's time). So each distinct fit runs once per module, for
    real, and later runs with the same input replay its events (deep copies: no test can reach another's)."""
    import copy

    from models.paint import training

    real_fit = training.fit_stroke_style
    finished: dict[tuple, list] = {}

    def fit_once(paintings, photos, *, cancel=None, **settings):
        key = (
            tuple((image.mode, image.size, image.tobytes()) for image in [*paintings, *photos]),
            len(paintings),
            tuple(sorted(settings.items())),
        )
        if key in finished:
            for event in copy.deepcopy(finished[key]):
                check_cancelled(cancel)
                yield event
            return
        events = []
        for event in real_fit(paintings, photos, cancel=cancel, **settings):
            events.append(event)
            yield event
        finished[key] = copy.deepcopy(events)  # only a fit that ran to its end is kept

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(training, "fit_stroke_style", fit_once)
        yield


def test_a_tiny_training_run_lowers_the_style_loss_and_writes_a_usable_style(tmp_path):
    events: list = []
    summary = run_job(
        train_style(PAINTINGS, PHOTOS, tmp_path / "tiny.safetensors", _tiny_config(stroke_evaluations=3)), events.append
    )
    assert summary.steps == 40
    # Judged on one fixed batch: single training batches vary too much to compare.
    assert summary.evaluation_at_end["style"] < 0.85 * summary.evaluation_at_start["style"]
    assert any(isinstance(e, Progress) and e.preview is not None for e in events)
    fractions = [e.fraction for e in events if isinstance(e, Progress) and e.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    style = load_style(tmp_path / "tiny.safetensors")
    assert style.metadata["training"]["steps"] == 40
    assert style.metadata["training"]["paintings"] == ["a.png", "b.png"]
    assert render_in_style(style, _photo(9, 80), RenderParams(seed=1)).size == (80, 80)
    # The stroke style was learned from the paintings: their diagonal strokes and their yellow and blue.
    strokes, fit = style.strokes, style.metadata["training"]["strokes"]
    assert strokes is not None and fit["evaluations"] == 3 and fit["distance_end"] <= fit["distance_start"]
    assert abs(abs(strokes.hatch_angle) - math.pi / 4) < 0.15
    hues = strokes.colours.hues
    yellow, blue = (
        hues[int((math.radians(88) + math.pi) / (2 * math.pi) * len(hues))],
        hues[int((math.radians(-93) + math.pi) / (2 * math.pi) * len(hues))],
    )
    assert yellow > 2 / len(hues) and blue > 2 / len(hues)


def _cancel_after(job, step: int, cancel: threading.Event) -> None:
    with pytest.raises(JobCancelled):
        for event in job:
            if isinstance(event, Progress) and event.message.startswith(f"step {step}:"):
                cancel.set()


def test_cancel_then_resume_gives_the_same_weights_as_an_uninterrupted_run(tmp_path):
    config = _tiny_config(max_steps=8)
    run_job(train_style(PAINTINGS, PHOTOS, tmp_path / "straight.safetensors", config))

    cancel = threading.Event()
    resumed_path = tmp_path / "resumed.safetensors"
    _cancel_after(train_style(PAINTINGS, PHOTOS, resumed_path, config, cancel=cancel), 3, cancel)
    assert not resumed_path.exists()
    state = load_checkpoint(state_path_for(resumed_path), kind=STATE_KIND)
    assert state.metadata["training"]["step"] == 3  # the cancel saved the work done so far

    messages: list[str] = []
    run_job(train_style(PAINTINGS, PHOTOS, resumed_path, config), lambda e: messages.append(getattr(e, "message", "")))
    assert "resuming at step 3" in messages
    straight = load_checkpoint(state_path_for(tmp_path / "straight.safetensors")).tensors
    resumed = load_checkpoint(state_path_for(resumed_path)).tensors
    for key, value in straight.items():
        if key.startswith(("G.", "A.")):  # the renderer and its running average
            assert torch.equal(value, resumed[key]), key


def test_the_style_ships_the_running_average_of_the_renderer_weights(tmp_path):
    run_job(train_style(PAINTINGS, PHOTOS, tmp_path / "s.safetensors", _tiny_config(max_steps=12)))
    state = load_checkpoint(state_path_for(tmp_path / "s.safetensors")).tensors
    shipped = load_checkpoint(tmp_path / "s.safetensors").tensors
    weight = "head.weight"
    assert torch.equal(shipped[f"renderer.{weight}"], state[f"A.{weight}"].half())
    # The average trails the trained weights and lies between them and the starting weights.
    assert not torch.equal(state[f"A.{weight}"], state[f"G.{weight}"])
    torch.manual_seed(0)
    start = StyleRenderer(8, 1, fine_noise=True).state_dict()[weight]
    assert (state[f"A.{weight}"] - start).norm() < (state[f"G.{weight}"] - start).norm()


def test_a_folder_with_no_usable_image_is_a_clear_error(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(JobError, match="No usable image.*empty.jpg: skipped"):
        run_job(train_style_from_folder(tmp_path, tmp_path / "out.safetensors", _tiny_config()))


def test_a_folder_trains_on_what_it_can_use_and_reports_the_rest(tmp_path):
    folder = tmp_path / "paintings"
    folder.mkdir()
    _stripes(1).save(folder / "one.png")
    _stripes(2).convert("CMYK").save(folder / "two.jpg")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    summary = run_job(train_style_from_folder(folder, tmp_path / "out.safetensors", _tiny_config(max_steps=2)))
    report = load_style(summary.style_path).metadata["training"]["report"]
    assert "one.png: used" in report
    assert any(line.startswith("two.jpg: used") and "CMYK" in line for line in report)
    assert any(line.startswith("broken.png: skipped") for line in report)


def test_resuming_with_another_renderer_design_is_a_clear_error(tmp_path):
    output = tmp_path / "s.safetensors"
    run_job(train_style(PAINTINGS, PHOTOS, output, _tiny_config(max_steps=1, fine_noise=False)))
    with pytest.raises(CheckpointError, match="another fine_noise.*delete it to start over"):
        run_job(train_style(PAINTINGS, PHOTOS, output, _tiny_config(max_steps=2)))
