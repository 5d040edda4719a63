"""The VGG16 trunk (conv1_1 .. conv4_1) that the style losses and the style-match measure look through.

Input convention (checked by tests/test_paint_vgg.py): BGR, 0-255, ImageNet channel means subtracted.
Callers hand in RGB in [0, 1]; `VGGFeatures` converts.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn

from ..resources import resource

LAYER_ORDER = [
    "conv1_1",
    "conv1_2",
    "pool",
    "conv2_1",
    "conv2_2",
    "pool",
    "conv3_1",
    "conv3_2",
    "conv3_3",
    "pool",
    "conv4_1",
]
BGR_MEANS = (103.939, 116.779, 123.68)
WEIGHTS_NAME = "vgg16_conv1_1-conv4_1_fp16.safetensors"


class VGGFeatures(nn.Module):
    """Frozen VGG16 trunk that returns the ReLU outputs of the requested layers, by name."""

    def __init__(self, weights_path: str | os.PathLike | None = None, *, last_layer: str = "conv4_1"):
        super().__init__()
        path = Path(weights_path) if weights_path else resource("vgg16", WEIGHTS_NAME)
        tensors = load_file(str(path))
        self.names: list[str] = []
        self.convs = nn.ModuleDict()
        for name in LAYER_ORDER:
            self.names.append(name)
            if name != "pool":
                weight = tensors[f"{name}.weight"].float()
                conv = nn.Conv2d(weight.shape[1], weight.shape[0], 3, padding=1)
                conv.weight.data.copy_(weight)
                assert conv.bias is not None
                conv.bias.data.copy_(tensors[f"{name}.bias"].float())
                self.convs[name] = conv
            if name == last_layer:
                break
        self.means: torch.Tensor
        self.register_buffer("means", torch.tensor(BGR_MEANS).view(1, 3, 1, 1))
        self.requires_grad_(False)
        self.eval()

    def forward(self, rgb: torch.Tensor, layers: list[str]) -> dict[str, torch.Tensor]:
        """`rgb`: (N, 3, H, W) in [0, 1]. Returns {layer name: ReLU activation}."""
        x = rgb.flip(1) * 255.0 - self.means
        wanted = set(layers)
        out: dict[str, torch.Tensor] = {}
        for name in self.names:
            if name == "pool":
                x = F.max_pool2d(x, 2)
                continue
            x = F.relu(self.convs[name](x))
            if name in wanted:
                out[name] = x
                if len(out) == len(wanted):
                    break
        return out


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, C, C), normalised by the number of positions and channels."""
    n, c, h, w = features.shape
    flat = features.reshape(n, c, h * w)
    return flat @ flat.transpose(1, 2) / (c * h * w)


def mean_std(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation over positions: (N, C) each."""
    flat = features.flatten(2)
    return flat.mean(2), (flat.var(2, unbiased=False) + 1e-5).sqrt()
