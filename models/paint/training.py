"""Train a style: the feed-forward renderer against the painter's style statistics, a content loss and a patch GAN.

`train_style(paintings, photos, output_path, config)` is a job (see models/jobs.py): it yields progress
with preview renders, checkpoints its whole state every `checkpoint_seconds` (and when cancelled), and
picks up where it stopped when started again with the same output path. It ends by writing the style
checkpoint (renderer in float16 + palette) and yielding Result(TrainingSummary).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from ..checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from ..jobs import Event, JobCancelled, JobError, Progress, Result, check_cancelled
from . import losses as L
from .data import TrainingData, shipped_photos
from .distributed import DistributedContext, all_agree, barrier, init_from_environment, wrap
from .images import load_image_folder, pil_to_tensor, tensor_to_pil
from .network import PatchDiscriminator, StyleRenderer, make_noise
from .palette import PaletteGMM
from .scratch import LayoutModel
from .style import save_style
from .vgg import VGGFeatures

STATE_KIND = "paint-style-training"
MAX_TRAINING_IMAGES = 500
EVALUATION_STEP = 2**40  # a batch index no training step reaches


@dataclass
class TrainingConfig:
    name: str
    title: str = ""  # shown to users; the name when empty
    minutes: float = 10.0  # wall-clock budget, summed over resumed runs
    max_steps: int = 100_000
    batch: int = 4
    crop: int = 64
    width: int = 16
    blocks: int = 5
    upsample: str = "bilinear"
    style_layers: list[str] = field(default_factory=lambda: ["conv1_1", "conv2_1", "conv3_1"])
    content_layer: str = "conv2_2"
    style_weight: float = 3.0
    content_weight: float = 2.0
    adversarial_weight: float = 0.3
    feature_matching_weight: float = 1.0
    reconstruction_weight: float = 1.0
    tv_weight: float = 1.0
    learning_rate: float = 5e-4
    gradient_clip: float = 1.0
    discriminator_learning_rate: float = 2e-4
    painting_size: int = 512
    work_size: int = 640
    seed: int = 0
    checkpoint_seconds: float = 60.0
    preview_every: int = 50
    target_crops: int = 48


@dataclass
class TrainingSummary:
    style_path: Path
    steps: int
    seconds: float
    losses: dict[str, float]
    history: list[dict[str, float]]
    evaluation_at_start: dict[str, float]
    evaluation_at_end: dict[str, float]


def state_path_for(output_path: Path) -> Path:
    return output_path.with_name(output_path.stem + ".training.safetensors")


def _flatten_optimizer(prefix: str, optimizer: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], Any]:
    state = optimizer.state_dict()
    tensors = {
        f"{prefix}.{index}.{key}": (value if torch.is_tensor(value) else torch.tensor(value)).detach().cpu()
        for index, entries in state["state"].items()
        for key, value in entries.items()
    }
    return tensors, state["param_groups"]


def _restore_optimizer(
    prefix: str, optimizer: torch.optim.Optimizer, tensors: dict[str, torch.Tensor], groups: Any
) -> None:
    entries: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in tensors.items():
        if key.startswith(prefix + "."):
            index, name = key[len(prefix) + 1 :].split(".", 1)
            entries.setdefault(int(index), {})[name] = value
    optimizer.load_state_dict({"state": entries, "param_groups": groups})


class StyleTrainer:
    """Holds the networks, optimizers and targets; `step()` runs one training step."""

    def __init__(
        self,
        config: TrainingConfig,
        data: TrainingData,
        device: torch.device,
        vgg: VGGFeatures | None = None,
        context: DistributedContext | None = None,
    ):
        self.context = context or DistributedContext(device=device)
        self.config, self.data, self.device = config, data, device
        torch.manual_seed(config.seed)
        self.renderer = StyleRenderer(config.width, config.blocks, config.upsample).to(device)
        self.discriminator = PatchDiscriminator(width=16).to(device)
        # What the training step calls: the networks themselves, or their DDP wrappers under torchrun.
        self.renderer_step = wrap(self.renderer, self.context)
        self.discriminator_step = wrap(self.discriminator, self.context)
        self.vgg = (vgg or VGGFeatures()).to(device)
        self.opt_g = torch.optim.Adam(self.renderer.parameters(), lr=config.learning_rate, betas=(0.5, 0.99))
        self.opt_d = torch.optim.Adam(
            self.discriminator.parameters(), lr=config.discriminator_learning_rate, betas=(0.0, 0.99)
        )
        self.layers = sorted(set(config.style_layers) | {config.content_layer}, key=self.vgg.names.index)
        crops = data.painting_crops(np.random.default_rng([config.seed, 2**31]), config.target_crops, (0.9, 1.1))
        self.targets = L.compute_style_targets(self.vgg, crops.to(device), config.style_layers)
        self.step_count = 0
        self.elapsed = 0.0
        self.history: list[dict[str, float]] = []
        self.start_evaluation = self.evaluate()

    def step(self) -> dict[str, float]:
        cfg = self.config
        # Each process takes its own batches; one process alone sees exactly what a single run sees.
        index = self.step_count * self.context.world + self.context.rank
        batch = self.data.batch(cfg.seed, index, cfg.batch)
        inputs = batch.inputs.to(self.device)
        noise_gen = torch.Generator().manual_seed(cfg.seed * 1_000_003 + index)
        noise = torch.randn(inputs.shape[0], 1, *inputs.shape[2:], generator=noise_gen).to(self.device)
        painted = self.renderer_step(inputs, noise)

        real = batch.paintings.to(self.device)
        aug_seed = torch.Generator().manual_seed(cfg.seed * 7_000_003 + index)
        # Real and rendered go through the discriminator in one call (DDP allows one forward per backward).
        logits, _ = self.discriminator_step(L.diff_augment(torch.cat([real, painted.detach()]), aug_seed))
        count = real.shape[0]
        loss_d = L.discriminator_hinge_loss([x[:count] for x in logits], [x[count:] for x in logits])
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        torch.nn.utils.clip_grad_norm_(self.discriminator.parameters(), cfg.gradient_clip)
        self.opt_d.step()

        features = self.vgg(painted, self.layers)
        with torch.no_grad():
            reference = self.vgg(batch.references.to(self.device), [cfg.content_layer])
        loss_style = L.style_loss(features, self.targets, cfg.style_layers)
        loss_content = L.content_loss(features, reference, cfg.content_layer)
        aug_seed = torch.Generator().manual_seed(cfg.seed * 9_000_011 + index)
        fake_logits, fake_features = self.discriminator_step(L.diff_augment(painted, aug_seed))
        aug_seed = torch.Generator().manual_seed(cfg.seed * 9_000_011 + index)
        with torch.no_grad():
            _, real_features = self.discriminator(L.diff_augment(real, aug_seed))
        loss_adv = L.generator_hinge_loss(fake_logits)
        loss_fm = L.feature_matching_loss(real_features, fake_features)
        mask = batch.from_painting.to(self.device)
        loss_rec = (
            (painted[mask] - batch.targets.to(self.device)[mask]).abs().mean()
            if bool(mask.any())
            else painted.sum() * 0.0
        )
        loss_g = (
            cfg.style_weight * loss_style
            + cfg.content_weight * loss_content
            + cfg.adversarial_weight * loss_adv
            + cfg.feature_matching_weight * loss_fm
            + cfg.reconstruction_weight * loss_rec
            + cfg.tv_weight * L.total_variation(painted)
        )
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        # Without normalisation layers one bad step can saturate the output for good (seen in training
        # runs at 1e-3 without clipping): clipping keeps every step small.
        torch.nn.utils.clip_grad_norm_(self.renderer.parameters(), cfg.gradient_clip)
        self.opt_g.step()
        self.step_count += 1
        values = {
            "style": loss_style.item(),
            "content": loss_content.item(),
            "adversarial": loss_adv.item(),
            "feature_matching": loss_fm.item(),
            "reconstruction": loss_rec.item(),
            "discriminator": loss_d.item(),
            "total": loss_g.item(),
        }
        if not all(math.isfinite(v) for v in values.values()):
            raise FloatingPointError(f"training diverged at step {self.step_count}: {values}")
        self.history.append({"step": float(self.step_count), **values})
        return values

    @torch.no_grad()
    def evaluate(self, size: int = 8) -> dict[str, float]:
        """Style and content loss on one fixed batch, comparable across the run (training batches vary)."""
        batch = self.data.batch(self.config.seed, EVALUATION_STEP, size)
        noise = torch.randn(size, 1, *batch.inputs.shape[2:], generator=torch.Generator().manual_seed(1)).to(
            self.device
        )
        painted = self.renderer(batch.inputs.to(self.device), noise)
        features = self.vgg(painted, self.layers)
        reference = self.vgg(batch.references.to(self.device), [self.config.content_layer])
        return {
            "style": round(L.style_loss(features, self.targets, self.config.style_layers).item(), 5),
            "content": round(L.content_loss(features, reference, self.config.content_layer).item(), 5),
        }

    # -- resumable state -------------------------------------------------------------------
    def save_state(self, path: Path) -> None:
        tensors = {f"G.{k}": v for k, v in self.renderer.state_dict().items()}
        tensors.update({f"D.{k}": v for k, v in self.discriminator.state_dict().items()})
        opt_g, groups_g = _flatten_optimizer("optG", self.opt_g)
        opt_d, groups_d = _flatten_optimizer("optD", self.opt_d)
        tensors.update(opt_g)
        tensors.update(opt_d)
        tensors.update(self.targets.to("cpu").to_tensors())
        save_checkpoint(
            path,
            tensors,
            kind=STATE_KIND,
            hyperparameters=asdict(self.config),
            training={"step": self.step_count, "seconds": self.elapsed},
            extra={
                "optimizer_groups": {"G": groups_g, "D": groups_d},
                "history": self.history,
                "start_evaluation": self.start_evaluation,
            },
        )

    def load_state(self, path: Path) -> None:
        checkpoint = load_checkpoint(path, kind=STATE_KIND)
        saved = dict(checkpoint.hyperparameters)
        current = asdict(self.config)
        for key in ("width", "blocks", "crop", "style_layers", "content_layer", "seed"):
            if saved.get(key) != current[key]:
                raise CheckpointError(
                    f"{path.name} was trained with another {key} ({saved.get(key)!r}); delete it to start over."
                )
        tensors = checkpoint.tensors
        self.renderer.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("G.")})
        self.discriminator.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("D.")})
        groups = checkpoint.metadata["optimizer_groups"]
        _restore_optimizer("optG", self.opt_g, tensors, groups["G"])
        _restore_optimizer("optD", self.opt_d, tensors, groups["D"])
        self.targets = L.StyleTargets.from_tensors(tensors).to(self.device)
        self.step_count = int(checkpoint.metadata["training"]["step"])
        self.elapsed = float(checkpoint.metadata["training"]["seconds"])
        self.history = list(checkpoint.metadata.get("history", []))
        self.start_evaluation = dict(checkpoint.metadata.get("start_evaluation", self.start_evaluation))


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
    budget = config.minutes * 60.0
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
            fraction = min(1.0, max(trainer.step_count / config.max_steps, trainer.elapsed / budget))
            preview = None
            if context.is_main and trainer.step_count % config.preview_every == 0:
                preview = _preview(trainer.renderer, preview_source, device)
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
    seconds = trainer.elapsed
    losses = _recent_means(trainer.history)
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
        "fixed_batch_losses_at_end": trainer.evaluate(),
        "config": asdict(config),
        "report": report or [],
    }
    save_style(
        output_path,
        config.name,
        trainer.renderer,
        palette,
        work_size=config.work_size,
        training=training,
        title=config.title or None,
        layout=LayoutModel.fit([image for _, image in paintings], seed=config.seed),
    )
    barrier(context)
    yield Progress(1.0, f"saved {output_path.name}", _preview(trainer.renderer, preview_source, device))
    summary = TrainingSummary(
        output_path,
        trainer.step_count,
        seconds,
        losses,
        trainer.history,
        training["fixed_batch_losses_at_start"],
        training["fixed_batch_losses_at_end"],
    )
    yield Result(summary)


@torch.no_grad()
def _preview(renderer: StyleRenderer, source: torch.Tensor, device: torch.device) -> Image.Image:
    noise = make_noise(source.shape[1], source.shape[2], 0, device)
    return tensor_to_pil(renderer(source[None].to(device), noise)[0])


def train_style_from_folder(
    folder: str | Path,
    output_path: str | Path,
    config: TrainingConfig,
    *,
    device: torch.device | str = "cpu",
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """Train from a folder of 1 to 500 images; files that cannot be used are listed with the reason."""
    found = load_image_folder(folder, max_side=1024)
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
