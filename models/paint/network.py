"""The networks: `StyleRenderer`, the feed-forward generator that paints, and `PatchDiscriminator`.

The renderer is an encoder / residual / decoder network in the manner of Johnson et al. (2016) with
one extra input channel of seeded noise for the brushwork. It has no normalisation layer and no
shortcut from input to output: without normalisation every output pixel depends only on a fixed
neighbourhood of the input (`receptive_radius`), which is what lets `render.py` paint any size in
tiles that join without seams; without the shortcut the network cannot settle for the identity.
"""

from __future__ import annotations

from typing import cast

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

# Tile origins must be multiples of the total stride for tiles to match the whole-frame render.
TOTAL_STRIDE = 4


def _conv(in_channels: int, out_channels: int, kernel: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=kernel // 2, padding_mode="reflect")


class ResidualBlock(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = _conv(channels, channels, 3)
        self.conv2 = _conv(channels, channels, 3)
        # Start each block near the identity so a deep stack without normalisation trains stably.
        nn.init.zeros_(self.conv2.weight)
        assert self.conv2.bias is not None
        nn.init.zeros_(self.conv2.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.conv2(F.leaky_relu(self.conv1(x), 0.2))


class StyleRenderer(nn.Module):
    """RGB in [0, 1] plus a noise map -> painted RGB in [0, 1], same size (a multiple of 4 in each side)."""

    def __init__(self, width: int = 16, blocks: int = 5, upsample: str = "bilinear", fine_noise: bool = False):
        super().__init__()
        if upsample not in ("nearest", "bilinear"):
            raise ValueError(f"unknown upsampling {upsample!r}")
        self.width = width
        self.blocks = blocks
        # Nearest-neighbour upsampling left a 4-pixel checkerboard in flat areas of the first trained
        # styles; bilinear upsampling (and a small total-variation loss) removes it.
        self.upsample = upsample
        self.head = _conv(4, width, 9)
        self.down1 = _conv(width, width * 2, 3, stride=2)
        self.down2 = _conv(width * 2, width * 4, 3, stride=2)
        self.body = nn.Sequential(*[ResidualBlock(width * 4) for _ in range(blocks)])
        self.up1 = _conv(width * 4, width * 2, 3)
        self.up2 = _conv(width * 2, width, 3)
        # The tail also sees the input itself: fine edges of the composition stay within easy reach.
        # With `fine_noise` it sees the noise map too. Without it, every detail finer than the stride-2
        # features is a fixed function of them and of the input, so a render's grain can only be the
        # input's own (a photograph's fur) or a pattern tied to the upsampling grid: the regular fine
        # texture of the first styles. With it the grain can be as irregular as a painting's.
        self.fine_noise = fine_noise
        self.tail = _conv(width + 3 + int(fine_noise), 3, 9)

    def _double(self, x: torch.Tensor) -> torch.Tensor:
        if self.upsample == "nearest":
            return F.interpolate(x, scale_factor=2.0, mode="nearest")
        return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)

    @property
    def receptive_radius(self) -> int:
        """How far (in pixels) an output pixel can see; tiles overlap by this much. A test checks it.

        9x9 head (4) + two stride-2 3x3 convs (1 + 2) + 2 convs per block at stride 4 (8 each) + two
        3x3 convs after upsampling (2 + 1, plus up to 4 for the upsampling) + 9x9 tail (4),
        rounded up to the stride.
        """
        radius = 4 + 1 + 2 + 8 * self.blocks + 2 + 1 + 4 + 4
        return -(-radius // TOTAL_STRIDE) * TOTAL_STRIDE

    def forward(self, rgb: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        centred = rgb * 2.0 - 1.0
        x = F.leaky_relu(self.head(torch.cat([centred, noise], dim=1)), 0.2)
        x = F.leaky_relu(self.down1(x), 0.2)
        x = F.leaky_relu(self.down2(x), 0.2)
        x = self.body(x)
        x = F.leaky_relu(self.up1(self._double(x)), 0.2)
        x = F.leaky_relu(self.up2(self._double(x)), 0.2)
        last = [x, centred, noise] if self.fine_noise else [x, centred]
        return (torch.tanh(self.tail(torch.cat(last, dim=1))) + 1.0) / 2.0


class PatchDiscriminator(nn.Module):
    """Scores overlapping patches (about 46 px) as painted-by-the-painter or not, at two scales.

    Spectral normalisation keeps it from overpowering the renderer on a handful of paintings;
    `features` are returned for the feature-matching loss.
    """

    def __init__(self, width: int = 16, scales: int = 2):
        super().__init__()
        self.scales = scales
        self.nets = nn.ModuleList([self._one_scale(width) for _ in range(scales)])

    @staticmethod
    def _one_scale(width: int) -> nn.ModuleList:
        return nn.ModuleList(
            [
                spectral_norm(nn.Conv2d(3, width, 4, stride=2, padding=1)),
                spectral_norm(nn.Conv2d(width, width * 2, 4, stride=2, padding=1)),
                spectral_norm(nn.Conv2d(width * 2, width * 4, 4, stride=2, padding=1)),
                spectral_norm(nn.Conv2d(width * 4, 1, 3, padding=1)),
            ]
        )

    def forward(self, rgb: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Returns (patch logits per scale, intermediate features for feature matching)."""
        logits: list[torch.Tensor] = []
        features: list[torch.Tensor] = []
        x = rgb * 2.0 - 1.0
        for index, scale in enumerate(self.nets):
            layers = cast(nn.ModuleList, scale)
            if index > 0:
                x = F.avg_pool2d(x, 2)
            h = x
            for layer in layers[:-1]:
                h = F.leaky_relu(layer(h), 0.2)
                features.append(h)
            logits.append(layers[-1](h))
        return logits, features


def make_noise(height: int, width: int, seed: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """The brushwork noise for a whole image: (1, 1, H, W), the same for the same seed on every device."""
    generator = torch.Generator(device="cpu").manual_seed(int(seed))
    return torch.randn(1, 1, height, width, generator=generator).to(device)
