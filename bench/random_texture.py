"""A cross-check for the style-match measure: the same band-passed crops, seen through a random-weight CNN.

The style-match measure describes texture with VGG16 conv1_1-conv3_1 statistics, and Gatys
optimisation (the slow reference in bench/style_quality.py) minimises Gram statistics of those very
layers, so the measure may reward Gatys for matching VGG rather than for painting. A CNN with fixed
random filters describes texture too (Ustyuzhaninov et al., 2016: shallow random-filter networks
synthesise textures), and nothing we compare is optimised against it. It is a drop-in for
`VGGFeatures` in `measure.StyleReference`: called with (rgb, layers), it returns a dict of feature maps
under the same three layer names.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

LAYER_NAMES = ["conv1_1", "conv2_1", "conv3_1"]


class RandomTextureFeatures(nn.Module):
    """Three 5x5 convolution + ReLU stages (64, 128, 256 filters), each after a 2x average pool but the first."""

    def __init__(self, seed: int = 0):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.weights, self.biases = [], []
        channels = [3, 64, 128, 256]
        for inputs, outputs in zip(channels, channels[1:], strict=False):
            weight = torch.randn(outputs, inputs, 5, 5, generator=generator)
            weight = weight - weight.mean((1, 2, 3), keepdim=True)  # respond to texture, not brightness
            weight = weight / weight.flatten(1).norm(dim=1).view(-1, 1, 1, 1)
            self.weights.append(weight)
            self.biases.append(torch.randn(outputs, generator=generator) * 0.1)

    @torch.no_grad()
    def forward(self, rgb: torch.Tensor, layers: list[str]) -> dict[str, torch.Tensor]:
        x = (rgb - 0.5) * 4.0
        out = {}
        for index, (name, weight, bias) in enumerate(zip(LAYER_NAMES, self.weights, self.biases, strict=True)):
            if index:
                x = F.avg_pool2d(x, 2)
            x = F.relu(F.conv2d(x, weight, bias, padding=2))
            if name in layers:
                out[name] = x
        return out
