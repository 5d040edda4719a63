"""Train a style: the feed-forward renderer against the painter's style statistics, a content loss and a patch GAN.

`train_style(paintings, photos, output_path, config)` is a job (see models/jobs.py): it yields progress
with preview renders, checkpoints its whole state every `checkpoint_seconds` (and when cancelled), and
picks up where it stopped when started again with the same output path. It ends by writing the style
checkpoint (renderer in float16 + palette + composition model) and yielding Result(TrainingSummary).
The training step itself is `StyleTrainer` in trainer.py.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..jobs import Event, JobCancelled, JobError, Progress, Result, check_cancelled
from .data import TrainingData, shipped_photos
from .distributed import all_agree, barrier, init_from_environment
from .images import ImageRejected, load_image_folder, pil_to_tensor, tensor_to_pil
from .network import StyleRenderer, make_noise
from .palette import PaletteGMM
from .render import paint_frame
from .strokes.fitting import fit_stroke_style
from .style import save_style
from .trainer import STATE_KIND, StyleTrainer, TrainingConfig, state_path_for

__all__ = ["STATE_KIND", "StyleTrainer", "TrainingConfig", "TrainingSummary", "state_path_for", "train_style"]

MAX_TRAINING_IMAGES = 500
# Paintings are read at most this large (long side) for training; the dialog reports sizes at the same scale.
TRAINING_MAX_SIDE = 1024


@dataclass
class TrainingSummary:
    style_path: Path
    steps: int
    seconds: float
    losses: dict[str, float]
    history: list[dict[str, float]]
    evaluation_at_start: dict[str, float]
    evaluation_at_end: dict[str, float]


def fit_palette(paintings: list[Image.Image], seed: int = 0, pixels: int = 20000) -> PaletteGMM:
    rng = np.random.default_rng(seed)
    samples = []
    for painting in paintings:
        array = np.asarray(painting.convert("RGB").resize((128, 128)), dtype=np.float64).reshape(-1, 3) / 255.0
        samples.append(array[rng.choice(len(array), size=min(len(array), pixels // len(paintings)), replace=False)])
    return PaletteGMM.fit(np.concatenate(samples), components=8, seed=seed)


def _recent_means(history: list[dict[str, float]], count: int = 50) -> dict[str, float]:
    recent = history[-count:]
    if not recent:
        return {}
    return {key: round(float(np.mean([h[key] for h in recent])), 5) for key in recent[0] if key != "step"}


def train_style(
    paintings: list[tuple[str, Image.Image]],
    photos: list[Image.Image],
    output_path: str | Path,
    config: TrainingConfig,
    *,
    device: torch.device | str = "cpu",
    cancel: threading.Event | None = None,
    preview_image: Image.Image | None = None,
    report: list[str] | None = None,
    state_path: Path | None = None,
) -> Iterator[Event]:
    """The training job. Resumes from `state_path` (default `<output>.training.safetensors`) when it exists."""
    output_path = Path(output_path)
    context = init_from_environment(torch.device(device))
    device = context.device
    yield Progress(0.0, "preparing the paintings and the style targets")
    data = TrainingData([image for _, image in paintings], photos, crop=config.crop, painting_size=config.painting_size)
    trainer = StyleTrainer(config, data, device, context=context)
    state_path = Path(state_path) if state_path is not None else state_path_for(output_path)
    if state_path.exists():
        trainer.load_state(state_path)
        yield Progress(None, f"resuming at step {trainer.step_count}")
    preview_source = pil_to_tensor(preview_image or photos[0] if (preview_image or photos) else paintings[0][1])
    preview_source = torch.nn.functional.interpolate(
        preview_source[None],
        scale_factor=min(1.0, 256 / max(preview_source.shape[1:])),
        mode="bilinear",
        antialias=True,
    )[0]
    preview_source = preview_source[:, : preview_source.shape[1] // 4 * 4, : preview_source.shape[2] // 4 * 4]
    stroke_budget = 60.0 * min(config.stroke_share * config.minutes, config.stroke_max_minutes)
    budget = config.minutes * 60.0 - stroke_budget
    network_share = budget / max(config.minutes * 60.0, 1e-6)
    last_save = time.monotonic()
    started = time.monotonic() - trainer.elapsed

    def save_state() -> None:
        if context.is_main:
            trainer.save_state(state_path)

    try:
        while True:
            keep_going = trainer.step_count < config.max_steps and trainer.elapsed < budget
            keep_going = keep_going and not (cancel is not None and cancel.is_set())
            if not all_agree(keep_going, context):  # every process stops at the same step
                break
            values = trainer.step()
            trainer.elapsed = time.monotonic() - started
            fraction = network_share * min(1.0, max(trainer.step_count / config.max_steps, trainer.elapsed / budget))
            preview = None
            if context.is_main and trainer.step_count % config.preview_every == 0:
                preview = _preview(trainer.average_renderer, preview_source, device)
            message = f"step {trainer.step_count}: style {values['style']:.3f}, content {values['content']:.3f}"
            yield Progress(fraction, message, preview)
            if time.monotonic() - last_save >= config.checkpoint_seconds:
                save_state()
                last_save = time.monotonic()
        check_cancelled(cancel)
    except (JobCancelled, KeyboardInterrupt):
        save_state()  # the work so far survives; the next run resumes here
        raise
    save_state()
    if not context.is_main:
        barrier(context)
        yield Result(None)  # process 0 writes the style and returns the summary
        return
    palette = fit_palette([image for _, image in paintings], seed=config.seed)
    strokes, fit_report = None, None
    for event in fit_stroke_style(
        [image for _, image in paintings],
        photos,
        seconds=stroke_budget,
        max_evaluations=config.stroke_evaluations,
        seed=config.seed,
        cancel=cancel,
    ):
        if isinstance(event, Result):
            strokes, fit_report = event.value
        elif isinstance(event, Progress):
            yield Progress(network_share + (1 - network_share) * (event.fraction or 0), event.message)
    assert fit_report is not None  # the fitting job always ends with its Result
    seconds = trainer.elapsed
    losses = _recent_means(trainer.history)
    end_evaluation = trainer.evaluate()
    training = {
        "paintings": [name for name, _ in paintings],
        "photos": len(photos),
        "steps": trainer.step_count,
        "seconds": round(seconds, 1),
        "crops_per_second": round(trainer.step_count * config.batch * context.world / max(seconds, 1e-6), 2),
        "device": str(device),
        "processes": context.world,
        "threads": torch.get_num_threads(),
        "final_losses_mean_of_last_50_steps": losses,
        "fixed_batch_losses_at_start": trainer.start_evaluation,
        "fixed_batch_losses_at_end": end_evaluation,
        "config": asdict(config),
        "report": report or [],
        "strokes": fit_report.to_json(),
    }
    save_style(
        output_path,
        config.name,
        trainer.average_renderer,
        palette,
        work_size=config.work_size,
        training=training,
        title=config.title or None,
        strokes=strokes,
    )
    barrier(context)
    yield Progress(1.0, f"saved {output_path.name}", _preview(trainer.average_renderer, preview_source, device))
    summary = TrainingSummary(
        output_path,
        trainer.step_count,
        seconds,
        losses,
        trainer.history,
        trainer.start_evaluation,
        end_evaluation,
    )
    yield Result(summary)


@torch.no_grad()
def _preview(renderer: StyleRenderer, source: torch.Tensor, device: torch.device) -> Image.Image:
    noise = make_noise(source.shape[1], source.shape[2], 0, device)
    return tensor_to_pil(paint_frame(renderer, source[None].to(device), noise)[0])


def train_style_from_folder(
    folder: str | Path,
    output_path: str | Path,
    config: TrainingConfig,
    *,
    device: torch.device | str = "cpu",
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """Train from a folder of 1 to 500 images; files that cannot be used are listed with the reason."""
    if not (isinstance(config.minutes, (int, float)) and math.isfinite(config.minutes) and config.minutes > 0):
        raise JobError(f"The training time must be more than 0 minutes (it was {config.minutes}).")
    try:
        found = load_image_folder(folder, max_side=TRAINING_MAX_SIDE)
    except ImageRejected as rejection:
        raise JobError(f"Cannot train on {folder}: {rejection}.") from None
    report = [
        f"{r.name}: {'used' if r.used else 'skipped'}{' — ' + r.reason if r.reason else ''}" for r in found.report
    ]
    if not found.images:
        raise JobError(
            f"No usable image in {folder}: " + ("; ".join(report) if report else "the folder is empty") + ". "
            "Add at least one painting (PNG or JPEG, 64 px or more on each side)."
        )
    if len(found.images) > MAX_TRAINING_IMAGES:
        report.append(f"only the first {MAX_TRAINING_IMAGES} of {len(found.images)} images are used")
    yield Progress(0.0, f"{len(found.images)} image(s) usable out of {len(found.report)} file(s)")
    yield from train_style(
        found.images[:MAX_TRAINING_IMAGES],
        shipped_photos(),
        output_path,
        config,
        device=device,
        cancel=cancel,
        report=report,
    )
