"""Training losses and augmentations: style (Gram + mean/std), content, total variation, hinge GAN, DiffAugment.

DiffAugment (Zhao et al., 2020) applies the same differentiable colour, translation and cutout
changes to real and generated images before the discriminator sees them, so that a discriminator
trained on a handful of paintings cannot just memorise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import torch
import torch.nn.functional as F

from .vgg import VGGFeatures, gram_matrix, mean_std


@dataclass
class StyleTargets:
    """Per-layer Gram matrices, channel means and standard deviations averaged over painting crops."""

    grams: dict[str, torch.Tensor]
    means: dict[str, torch.Tensor]
    stds: dict[str, torch.Tensor]

    def to(self, device: torch.device | str) -> StyleTargets:
        move = lambda d: {k: v.to(device) for k, v in d.items()}  # noqa: E731
        return StyleTargets(move(self.grams), move(self.means), move(self.stds))

    def to_tensors(self) -> dict[str, torch.Tensor]:
        out: dict[str, torch.Tensor] = {}
        for kind, table in (("gram", self.grams), ("mean", self.means), ("std", self.stds)):
            out.update({f"targets.{kind}.{k}": v for k, v in table.items()})
        return out

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> StyleTargets:
        pick = lambda kind: {k.split(".", 2)[2]: v for k, v in tensors.items() if k.startswith(f"targets.{kind}.")}  # noqa: E731
        return cls(pick("gram"), pick("mean"), pick("std"))


@torch.no_grad()
def compute_style_targets(vgg: VGGFeatures, crops: torch.Tensor, layers: list[str], batch: int = 8) -> StyleTargets:
    """Average the style statistics of (N, 3, H, W) painting crops."""
    sums: dict[str, dict[str, torch.Tensor]] = {"gram": {}, "mean": {}, "std": {}}
    for start in range(0, crops.shape[0], batch):
        features = vgg(crops[start : start + batch], layers)
        for layer in layers:
            mean, std = mean_std(features[layer])
            for kind, value in (("gram", gram_matrix(features[layer])), ("mean", mean), ("std", std)):
                sums[kind][layer] = sums[kind].get(layer, 0) + value.sum(0)
    n = crops.shape[0]
    return StyleTargets(*({k: v / n for k, v in sums[kind].items()} for kind in ("gram", "mean", "std")))


def style_loss(features: dict[str, torch.Tensor], targets: StyleTargets, layers: list[str]) -> torch.Tensor:
    """Gram distance plus mean/std distance, per layer, relative to the target's own size."""
    total = torch.zeros((), device=next(iter(features.values())).device)
    for layer in layers:
        gram = gram_matrix(features[layer])
        target = targets.grams[layer]
        total = total + ((gram - target) ** 2).sum((1, 2)).mean() / (target**2).sum()
        mean, std = mean_std(features[layer])
        scale = (targets.means[layer] ** 2).mean() + (targets.stds[layer] ** 2).mean()
        total = (
            total + (((mean - targets.means[layer]) ** 2).mean() + ((std - targets.stds[layer]) ** 2).mean()) / scale
        )
    return total / len(layers)


def content_loss(features: dict[str, torch.Tensor], reference: dict[str, torch.Tensor], layer: str) -> torch.Tensor:
    return F.mse_loss(features[layer], reference[layer]) / (reference[layer] ** 2).mean().clamp_min(1e-6)


def total_variation(images: torch.Tensor) -> torch.Tensor:
    return (images[:, :, 1:] - images[:, :, :-1]).abs().mean() + (
        images[:, :, :, 1:] - images[:, :, :, :-1]
    ).abs().mean()


def discriminator_hinge_loss(real_logits: list[torch.Tensor], fake_logits: list[torch.Tensor]) -> torch.Tensor:
    loss = sum(F.relu(1 - r).mean() + F.relu(1 + f).mean() for r, f in zip(real_logits, fake_logits, strict=True))
    return cast(torch.Tensor, loss / len(real_logits))  # a sum of tensors is a tensor


def generator_hinge_loss(fake_logits: list[torch.Tensor]) -> torch.Tensor:
    return cast(torch.Tensor, -sum(f.mean() for f in fake_logits) / len(fake_logits))


def feature_matching_loss(real_features: list[torch.Tensor], fake_features: list[torch.Tensor]) -> torch.Tensor:
    """Match the discriminator's mean activations on paintings and on renders (Salimans et al., 2016)."""
    loss = sum(
        F.l1_loss(f.mean((0, 2, 3)), r.detach().mean((0, 2, 3)))
        for r, f in zip(real_features, fake_features, strict=True)
    )
    return cast(torch.Tensor, loss / len(real_features))


def diff_augment(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random colour, translation (1/8 of the side) and cutout (1/4), differentiable in the images."""
    n, _, h, w = images.shape
    device = images.device

    def rand(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, generator=generator).to(device)

    x = images + (rand(n, 1, 1, 1) - 0.5) * 0.4
    mean = x.mean(1, keepdim=True)
    x = (x - mean) * (rand(n, 1, 1, 1) * 2) + mean
    mean = x.mean((1, 2, 3), keepdim=True)
    x = (x - mean) * (rand(n, 1, 1, 1) + 0.5) + mean
    shift_y = (rand(n) * (h // 4 + 1)).long() - h // 8
    shift_x = (rand(n) * (w // 4 + 1)).long() - w // 8
    x = torch.stack([torch.roll(x[i], (int(shift_y[i]), int(shift_x[i])), dims=(1, 2)) for i in range(n)])
    cut_h, cut_w = h // 4, w // 4
    ys = (rand(n) * (h - cut_h)).long()
    xs = (rand(n) * (w - cut_w)).long()
    mask = torch.ones(n, 1, h, w, device=device)
    for i in range(n):
        mask[i, :, ys[i] : ys[i] + cut_h, xs[i] : xs[i] + cut_w] = 0
    return x * mask
