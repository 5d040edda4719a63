"""The training step of a style: renderer, discriminator, optimizers and style targets, and their resumable state.

`StyleTrainer.step()` runs one step: the discriminator on real painting crops against renders
(DiffAugment on both), then the renderer on style (Gram + mean/std), content, adversarial, feature
matching, reconstruction and total-variation losses, then the running average of the renderer's
weights. The average (`average_renderer`, an exponential moving average as in Karras et al.'s
progressive GAN) is what previews, evaluations and the shipped style use: the GAN's weights keep
moving from step to step and their renders with them, the average settles. `save_state`/`load_state`
keep everything a resumed run needs, so that it continues exactly as an uninterrupted one. The job
around it is in training.py.
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from . import losses as L
from .data import TrainingData
from .distributed import DistributedContext, wrap
from .network import PatchDiscriminator, StyleRenderer
from .vgg import VGGFeatures

STATE_KIND = "paint-style-training"
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
    fine_noise: bool = True  # the noise map also reaches the renderer's full-resolution tail (network.py)
    style_layers: list[str] = field(default_factory=lambda: ["conv1_1", "conv2_1", "conv3_1"])
    # conv3_1, as in Gatys: at conv2_2 the content term also keeps the input's own fine texture
    # (Munch, 10-12 minutes from scratch: validation distance 0.92-0.93 against 1.16-1.41 at conv2_2).
    content_layer: str = "conv3_1"
    style_weight: float = 3.0
    content_weight: float = 1.0
    adversarial_weight: float = 0.3
    feature_matching_weight: float = 1.0
    reconstruction_weight: float = 1.0
    tv_weight: float = 1.0
    learning_rate: float = 5e-4
    gradient_clip: float = 1.0
    average_decay: float = 0.999  # of the renderer weights' moving average; 0 ships the last step's weights
    discriminator_learning_rate: float = 2e-4
    painting_size: int = 512
    work_size: int = 640
    seed: int = 0
    checkpoint_seconds: float = 60.0
    preview_every: int = 50
    target_crops: int = 48
    # The stroke renderer's brushwork is fitted after the texture network, inside the same time budget.
    stroke_share: float = 0.25  # share of `minutes` for it, at most `stroke_max_minutes`
    stroke_max_minutes: float = 5.0
    stroke_evaluations: int = 400  # renders of the search at most (strokes/fitting.py)


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
        self.renderer = StyleRenderer(config.width, config.blocks, config.upsample, config.fine_noise).to(device)
        self.discriminator = PatchDiscriminator(width=16).to(device)
        # What the training step calls: the networks themselves, or their DDP wrappers under torchrun.
        self.renderer_step = wrap(self.renderer, self.context)
        self.average_renderer = copy.deepcopy(self.renderer).requires_grad_(False)
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
        self._update_average()
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
    def _update_average(self) -> None:
        # Short runs (tests, a first minute) would otherwise ship mostly the random initial weights.
        decay = min(self.config.average_decay, (1 + self.step_count) / (10 + self.step_count))
        for average, current in zip(self.average_renderer.parameters(), self.renderer.parameters(), strict=True):
            average.lerp_(current, 1 - decay)

    @torch.no_grad()
    def evaluate(self, size: int = 8) -> dict[str, float]:
        """Style and content loss on one fixed batch, comparable across the run (training batches vary)."""
        batch = self.data.batch(self.config.seed, EVALUATION_STEP, size)
        noise = torch.randn(size, 1, *batch.inputs.shape[2:], generator=torch.Generator().manual_seed(1)).to(
            self.device
        )
        painted = self.average_renderer(batch.inputs.to(self.device), noise)
        features = self.vgg(painted, self.layers)
        reference = self.vgg(batch.references.to(self.device), [self.config.content_layer])
        return {
            "style": round(L.style_loss(features, self.targets, self.config.style_layers).item(), 5),
            "content": round(L.content_loss(features, reference, self.config.content_layer).item(), 5),
        }

    # -- resumable state -------------------------------------------------------------------
    def save_state(self, path: Path) -> None:
        tensors = {f"G.{k}": v for k, v in self.renderer.state_dict().items()}
        tensors.update({f"A.{k}": v for k, v in self.average_renderer.state_dict().items()})
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
        saved.setdefault("fine_noise", False)  # states saved before it existed
        for key in ("width", "blocks", "fine_noise", "crop", "style_layers", "content_layer", "seed"):
            if saved.get(key) != current[key]:
                raise CheckpointError(
                    f"{path.name} was trained with another {key} ({saved.get(key)!r}); delete it to start over."
                )
        tensors = checkpoint.tensors
        self.renderer.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("G.")})
        # A state saved before the average existed starts its average from the current weights.
        average = {k[2:]: v for k, v in tensors.items() if k.startswith("A.")} or self.renderer.state_dict()
        self.average_renderer.load_state_dict(average)
        self.discriminator.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("D.")})
        groups = checkpoint.metadata["optimizer_groups"]
        _restore_optimizer("optG", self.opt_g, tensors, groups["G"])
        _restore_optimizer("optD", self.opt_d, tensors, groups["D"])
        self.targets = L.StyleTargets.from_tensors(tensors).to(self.device)
        self.step_count = int(checkpoint.metadata["training"]["step"])
        self.elapsed = float(checkpoint.metadata["training"]["seconds"])
        self.history = list(checkpoint.metadata.get("history", []))
        self.start_evaluation = dict(checkpoint.metadata.get("start_evaluation", self.start_evaluation))
