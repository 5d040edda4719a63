"""Train a style's finish: stroke renders in, the painter's paintings as the target surface.

The pairs are unpaired: crops of stroke renders (of photographs, sketches and other painters' works,
made by build_scripts/train_finish.py) go through the finish, and a two-scale patch discriminator
(DiffAugment, hinge loss, feature matching) tells its output from crops of the painter's paintings.
The style losses (VGG Gram + mean/std, as the texture renderer uses) pull the same way. What keeps the
picture is a structure loss: the output's 4x4 block means must stay the render's (the sky stays sky,
the strokes stay where they are), and a content loss at conv3_1. The finish starts as the identity
(network.py), so early stops are safe.

`FinishTrainer.step()` is one step; `save_state`/`load_state` keep everything a resumed run needs, so a
resumed run continues as an uninterrupted one would. `train_finish` is the job around it.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ...checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from ...jobs import Event, JobCancelled, Progress, Result
from .. import losses as L
from ..data import TrainingData
from ..network import PatchDiscriminator
from ..trainer import _flatten_optimizer, _restore_optimizer
from ..vgg import VGGFeatures
from .apply import save_finish
from .network import FinishNetwork, lock_colour

STATE_KIND = "paint-finish-training"


@dataclass
class FinishConfig:
    minutes: float = 20.0  # wall-clock budget, summed over resumed runs
    max_steps: int = 100_000
    batch: int = 4
    crop: int = 64
    width: int = 16
    blocks: int = 2
    colour_lock: str = "highpass"  # network.py's lock_colour
    grey: bool = False  # the finish changes light and dark only, the same in the three channels
    style_layers: list[str] = field(default_factory=lambda: ["conv1_1", "conv2_1", "conv3_1"])
    content_layer: str = "conv3_1"
    style_weight: float = 2.0
    content_weight: float = 0.5
    structure_weight: float = 10.0  # L1 between 4x4 block means of the finish and of the render
    adversarial_weight: float = 0.5
    feature_matching_weight: float = 1.0
    discriminator_width: int = 16
    discriminator_input: str = "image"  # "detail": it sees only what the finish can change (see judged())
    crop_centres: str = "anywhere"  # "edges": 1:1 crops of renders and paintings centred on edges (FinishData)
    learning_rate: float = 5e-4
    tail_learning_rate_scale: float = 1.0  # the zero-initialised output layer's rate, times learning_rate
    discriminator_learning_rate: float = 2e-4
    gradient_clip: float = 1.0
    average_decay: float = 0.995
    painting_size: int = 512
    seed: int = 0
    checkpoint_seconds: float = 60.0
    target_crops: int = 48


CROP_CENTRES = ("anywhere", "edges")
EDGE_SHARE = 0.1  # "edges" crops are centred on the pixels whose colour gradient is in an image's top tenth


def edge_corners(image: torch.Tensor, crop: int, share: float = EDGE_SHARE) -> tuple[torch.Tensor, torch.Tensor]:
    """Top-left corners (ys, xs) of the `crop`-px crops of a (3, H, W) image that are centred on an edge: on a
    pixel whose colour gradient (summed over the channels, central differences) is in the image's top `share`."""
    _, height, width = image.shape
    strength = torch.zeros(height, width)
    strength[:, 1:-1] += (image[:, :, 2:] - image[:, :, :-2]).abs().sum(0)
    strength[1:-1, :] += (image[:, 2:, :] - image[:, :-2, :]).abs().sum(0)
    half = crop // 2
    centres = strength[half : height - crop + half + 1, half : width - crop + half + 1]  # those whose crop fits
    threshold = torch.quantile(centres.flatten(), 1 - share).clamp_min(1e-3)  # a flat picture's 0 is no edge
    keep = centres >= threshold
    ys, xs = torch.nonzero(keep if keep.any() else torch.ones_like(keep), as_tuple=True)  # no edge: anywhere
    return ys, xs


class FinishData(TrainingData):
    """Crops of stroke renders (at their own pixel scale: the finish sees renders unresampled in use) and
    of the paintings (at 0.8-1.25 of their 512-px scale; or, with `centres` "edges", both 1:1 and centred on
    an edge, where a stroke render's surface and a painter's differ most: the strokes' sides and ends)."""

    def __init__(self, renders: list[Image.Image], paintings: list[Image.Image], crop: int, painting_size: int = 512):
        side = max(max(r.size) for r in renders)
        super().__init__(paintings, renders, crop=crop, painting_size=painting_size, photo_size=side)
        self._corners: dict[tuple[str, int], tuple[torch.Tensor, torch.Tensor]] = {}

    def finish_batch(
        self, seed: int, step: int, size: int, centres: str = "anywhere"
    ) -> tuple[torch.Tensor, torch.Tensor]:
        rng = np.random.default_rng([seed, step])
        picks = rng.integers(0, len(self.photos), size=size)
        if centres == "edges":
            painted = rng.integers(0, len(self.paintings), size=size)
            renders = torch.stack([self._edge_crop("render", int(i), rng) for i in picks])
            return renders, torch.stack([self._edge_crop("painting", int(i), rng) for i in painted])
        if centres != "anywhere":
            raise ValueError(f"unknown crop centres {centres!r}: one of {CROP_CENTRES}")
        renders = torch.stack([self._random_crop(self.photos[i], rng, (1.0, 1.0)) for i in picks])
        return renders, self.painting_crops(rng, size)

    def _edge_crop(self, kind: str, index: int, rng: np.random.Generator) -> torch.Tensor:
        image = (self.photos if kind == "render" else self.paintings)[index]
        if (kind, index) not in self._corners:
            self._corners[kind, index] = edge_corners(image, self.crop)
        ys, xs = self._corners[kind, index]
        pick = int(rng.integers(0, len(ys)))
        y, x = int(ys[pick]), int(xs[pick])
        patch = image[:, y : y + self.crop, x : x + self.crop]
        return patch.flip(2) if rng.random() < 0.5 else patch


def block_means(images: torch.Tensor) -> torch.Tensor:
    return F.avg_pool2d(images, 4)


def judged(images: torch.Tensor, discriminator_input: str) -> torch.Tensor:
    """What the discriminator is shown: the images, or with "detail" their detail alone (the image less its
    coarse local mean, grey 0.5 where flat): the part the colour-locked finish can change. Shown whole,
    the discriminator tells renders from paintings by palette and composition too, which the finish may
    not change: a third to a half of its gradient on the finish asked for that (session 10,
    bench/finish_gradients.py)."""
    if discriminator_input == "detail":
        return 0.5 + lock_colour(images, "coarse")
    if discriminator_input == "image":
        return images
    raise ValueError(f"unknown discriminator input {discriminator_input!r}")


class FinishTrainer:
    def __init__(self, config: FinishConfig, data: FinishData, vgg: VGGFeatures | None = None):
        self.config, self.data = config, data
        torch.manual_seed(config.seed)
        self.network = FinishNetwork(config.width, config.blocks, config.colour_lock, config.grey)
        self.average = copy.deepcopy(self.network).requires_grad_(False)
        self.discriminator = PatchDiscriminator(width=config.discriminator_width)
        self.vgg = vgg or VGGFeatures()
        tail = list(self.network.tail.parameters())
        rest = [p for p in self.network.parameters() if all(p is not t for t in tail)]
        groups: list[dict[str, Any]] = [
            {"params": rest},
            {"params": tail, "lr": config.learning_rate * config.tail_learning_rate_scale},
        ]
        self.opt_g = torch.optim.Adam(
            groups,
            lr=config.learning_rate,
            betas=(0.5, 0.99),
        )
        self.opt_d = torch.optim.Adam(
            self.discriminator.parameters(), lr=config.discriminator_learning_rate, betas=(0.0, 0.99)
        )
        self.layers = sorted(set(config.style_layers) | {config.content_layer}, key=self.vgg.names.index)
        crops = data.painting_crops(np.random.default_rng([config.seed, 2**31]), config.target_crops, (0.9, 1.1))
        self.targets = L.compute_style_targets(self.vgg, crops, config.style_layers)
        self.step_count, self.elapsed = 0, 0.0
        self.history: list[dict[str, float]] = []

    def step(self) -> dict[str, float]:
        cfg = self.config
        renders, real = self.data.finish_batch(cfg.seed, self.step_count, cfg.batch, cfg.crop_centres)
        noise = torch.randn(renders.shape[0], 1, *renders.shape[2:], generator=self._generator(1))
        finished = self.network(renders, noise)

        logits, _ = self.judge(L.diff_augment(torch.cat([real, finished.detach()]), self._generator(2)))
        count = real.shape[0]
        loss_d = L.discriminator_hinge_loss([x[:count] for x in logits], [x[count:] for x in logits])
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        torch.nn.utils.clip_grad_norm_(self.discriminator.parameters(), cfg.gradient_clip)
        self.opt_d.step()

        features = self.vgg(finished, self.layers)
        with torch.no_grad():
            reference = self.vgg(renders, [cfg.content_layer])
            _, real_features = self.judge(L.diff_augment(real, self._generator(3)))
        fake_logits, fake_features = self.judge(L.diff_augment(finished, self._generator(3)))
        values = {
            "style": L.style_loss(features, self.targets, cfg.style_layers),
            "content": L.content_loss(features, reference, cfg.content_layer),
            "structure": (block_means(finished) - block_means(renders)).abs().mean(),
            "adversarial": L.generator_hinge_loss(fake_logits),
            "feature_matching": L.feature_matching_loss(real_features, fake_features),
        }
        weights = {
            "style": cfg.style_weight,
            "content": cfg.content_weight,
            "structure": cfg.structure_weight,
            "adversarial": cfg.adversarial_weight,
            "feature_matching": cfg.feature_matching_weight,
        }
        loss_g = sum(weights[name] * value for name, value in values.items())
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()  # type: ignore[union-attr]
        torch.nn.utils.clip_grad_norm_(self.network.parameters(), cfg.gradient_clip)
        self.opt_g.step()
        self.step_count += 1
        self._update_average()
        numbers = {name: float(value.item()) for name, value in values.items()} | {"discriminator": loss_d.item()}
        if not all(math.isfinite(v) for v in numbers.values()):
            raise FloatingPointError(f"finish training diverged at step {self.step_count}: {numbers}")
        self.history.append({"step": float(self.step_count), **numbers})
        return numbers

    def judge(self, images: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        return self.discriminator(judged(images, self.config.discriminator_input))

    def _generator(self, purpose: int) -> torch.Generator:
        # Every random draw is a function of (seed, step, purpose): a resumed run draws the same.
        return torch.Generator().manual_seed(self.config.seed * 1_000_003 + self.step_count * 10 + purpose)

    @torch.no_grad()
    def _update_average(self) -> None:
        decay = min(self.config.average_decay, (1 + self.step_count) / (10 + self.step_count))
        for average, current in zip(self.average.parameters(), self.network.parameters(), strict=True):
            average.lerp_(current, 1 - decay)

    def save_state(self, path: Path) -> None:
        tensors = {f"G.{k}": v for k, v in self.network.state_dict().items()}
        tensors.update({f"A.{k}": v for k, v in self.average.state_dict().items()})
        tensors.update({f"D.{k}": v for k, v in self.discriminator.state_dict().items()})
        opt_g, groups_g = _flatten_optimizer("optG", self.opt_g)
        opt_d, groups_d = _flatten_optimizer("optD", self.opt_d)
        tensors.update({**opt_g, **opt_d, **self.targets.to_tensors()})
        save_checkpoint(
            path,
            tensors,
            kind=STATE_KIND,
            hyperparameters=asdict(self.config),
            training={"step": self.step_count, "seconds": self.elapsed},
            extra={"optimizer_groups": {"G": groups_g, "D": groups_d}, "history": self.history},
        )

    def load_state(self, path: Path) -> None:
        checkpoint = load_checkpoint(path, kind=STATE_KIND)
        saved, current = checkpoint.hyperparameters, asdict(self.config)
        network_keys = ("width", "blocks", "colour_lock", "grey", "discriminator_input", "discriminator_width")
        for key in (*network_keys, "crop_centres", "crop", "style_layers", "content_layer", "seed"):
            # A key an older state lacks had the old behaviour, which is still the default.
            if saved.get(key, asdict(FinishConfig())[key]) != current[key]:
                raise CheckpointError(f"{path.name} was trained with another {key}; delete it to start over.")
        tensors = checkpoint.tensors
        self.network.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("G.")})
        self.average.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("A.")})
        self.discriminator.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("D.")})
        groups = checkpoint.metadata["optimizer_groups"]
        _restore_optimizer("optG", self.opt_g, tensors, groups["G"])
        _restore_optimizer("optD", self.opt_d, tensors, groups["D"])
        self.targets = L.StyleTargets.from_tensors(tensors)
        self.step_count = int(checkpoint.metadata["training"]["step"])
        self.elapsed = float(checkpoint.metadata["training"]["seconds"])
        self.history = list(checkpoint.metadata.get("history", []))


def finish_from_state(path: str | Path) -> FinishNetwork:
    """The finish a training state would write now (its weights' average): to look at a run before it ends."""
    checkpoint = load_checkpoint(Path(path), kind=STATE_KIND)
    hyper = checkpoint.hyperparameters
    network = FinishNetwork(
        hyper["width"], hyper["blocks"], hyper.get("colour_lock", "highpass"), bool(hyper.get("grey", False))
    )
    network.load_state_dict({k[2:]: v for k, v in checkpoint.tensors.items() if k.startswith("A.")})
    return network.eval().requires_grad_(False)


def train_finish(
    renders: list[Image.Image],
    paintings: list[Image.Image],
    output_path: str | Path,
    state_path: str | Path,
    config: FinishConfig,
    *,
    vgg: VGGFeatures | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """The training job: resumes from `state_path` when it exists, saves it every `checkpoint_seconds` and
    when cancelled, and ends by writing the finish (the weights' average) to `output_path`."""
    state_path = Path(state_path)
    yield Progress(0.0, "preparing the renders, the paintings and the style targets")
    trainer = FinishTrainer(config, FinishData(renders, paintings, config.crop, config.painting_size), vgg)
    if state_path.exists():
        trainer.load_state(state_path)
        yield Progress(None, f"resuming at step {trainer.step_count}")
    budget, started, last_save = config.minutes * 60.0, time.monotonic() - trainer.elapsed, time.monotonic()
    try:
        while trainer.step_count < config.max_steps and trainer.elapsed < budget:
            if cancel is not None and cancel.is_set():
                raise JobCancelled()
            values = trainer.step()
            trainer.elapsed = time.monotonic() - started
            fraction = min(1.0, max(trainer.step_count / config.max_steps, trainer.elapsed / budget))
            yield Progress(
                fraction, f"step {trainer.step_count}: " + ", ".join(f"{k} {v:.3f}" for k, v in values.items())
            )
            if time.monotonic() - last_save >= config.checkpoint_seconds:
                trainer.save_state(state_path)
                last_save = time.monotonic()
    except (JobCancelled, KeyboardInterrupt):
        trainer.save_state(state_path)  # the work so far survives; the next run resumes here
        raise
    trainer.save_state(state_path)
    recent = trainer.history[-50:]
    losses = {k: round(float(np.mean([h[k] for h in recent])), 5) for k in recent[0] if k != "step"} if recent else {}
    training = {
        "steps": trainer.step_count,
        "seconds": round(trainer.elapsed, 1),
        "renders": len(renders),
        "paintings": len(paintings),
        "threads": torch.get_num_threads(),
        "final_losses_mean_of_last_50_steps": losses,
        "config": asdict(config),
    }
    yield Result(save_finish(output_path, trainer.average, training))
