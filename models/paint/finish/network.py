"""The finish network: a stroke render in, the same painting with the painter's surface out.

A small encoder / decoder in the family of the texture renderer (models/paint/network.py): no
normalisation layer, so every output pixel depends on a fixed neighbourhood (`receptive_radius`) and
render.py's seamless tiling applies unchanged. Unlike the texture renderer it is *residual*: it adds a
learned surface to the stroke render (paint texture, the edges of strokes, the canvas) and its last
layer starts at zero, so an untrained finish is exactly the stroke render and training can only move
away from it as far as the losses ask. Its change is colour-locked (`lock_colour`), so it can add paint
texture, stroke edges and canvas but cannot recolour a region: left free, the first trial moved every
colour toward the painter's average and turned the cat's oranges khaki (the palette is the stroke
renderer's job). The first trials' lock was a 9-px high-pass; since session 10 a "coarse" lock (a 33-px
tent mean) leaves it the strokes' own light and dark, their edges and relief.
"""

from __future__ import annotations

from typing import cast

import torch
import torch.nn.functional as F
from torch import nn

STRIDE = 4  # two stride-2 levels: tiles start on multiples of this (render.py's TOTAL_STRIDE)
MAX_CHANGE = 0.5  # the finish moves a channel by at most this much (tanh-bounded)
KEEP_COLOUR = 9  # px: the change averages to zero over any square this wide (texture only, not colour)
COARSE_COLOUR = 17  # px: "coarse" lock: only the change's mean over this square (twice: a 33-px tent) is removed
COLOUR_LOCKS = ("highpass", "coarse")


def lock_colour(change: torch.Tensor, lock: str) -> torch.Tensor:
    """The part of a change the finish may make: its local mean removed, so it cannot recolour a region.

    "highpass" removes the mean over every 9-px square (only texture finer than that is left);
    "coarse" removes a 33-px tent-weighted mean (two 17-px boxes), so the colour of a region stays the
    render's at that scale but a stroke's own colour, its edge and its relief (2-16 px) may change."""
    if lock == "highpass":
        return change - F.avg_pool2d(change, KEEP_COLOUR, stride=1, padding=KEEP_COLOUR // 2, count_include_pad=False)
    if lock == "coarse":
        mean, half = change, COARSE_COLOUR // 2
        for _ in range(2):  # each box as a column then a row: the same mean, 17x cheaper than the square
            mean = F.avg_pool2d(mean, (COARSE_COLOUR, 1), stride=1, padding=(half, 0), count_include_pad=False)
            mean = F.avg_pool2d(mean, (1, COARSE_COLOUR), stride=1, padding=(0, half), count_include_pad=False)
        return change - mean
    raise ValueError(f"unknown colour lock {lock!r}: one of {COLOUR_LOCKS}")


def _conv(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, padding_mode="reflect")


class FinishNetwork(nn.Module):
    """(N, 3, H, W) stroke render in [0, 1] + (N, 1, H, W) noise -> finished (N, 3, H, W) in [0, 1].

    Full resolution sees the stroke edges; the quarter-resolution blocks see which way the strokes
    run (a few brush widths); U-Net skips carry both to the output."""

    def __init__(self, width: int = 16, blocks: int = 2, colour_lock: str = "highpass", grey: bool = False):
        super().__init__()
        if colour_lock not in COLOUR_LOCKS:
            raise ValueError(f"unknown colour lock {colour_lock!r}: one of {COLOUR_LOCKS}")
        self.width, self.blocks, self.colour_lock, self.grey = width, blocks, colour_lock, grey
        self.head = _conv(4, width)
        self.down1 = _conv(width, width * 2, stride=2)
        self.down2 = _conv(width * 2, width * 2, stride=2)
        self.body = nn.ModuleList(
            nn.ModuleList([_conv(width * 2, width * 2), _conv(width * 2, width * 2)]) for _ in range(blocks)
        )
        self.up1 = _conv(width * 4, width)
        self.up2 = _conv(width * 2, width)
        self.tail = _conv(width + 4, 3)
        nn.init.zeros_(self.tail.weight)
        if self.tail.bias is not None:
            nn.init.zeros_(self.tail.bias)

    @property
    def receptive_radius(self) -> int:
        """How far (pixels) an output pixel can see; a test checks that no change travels further.

        head 1 + down1 1 + down2 2 + 2 convs per block at stride 4 (8 each) + upsampling (4) + up1 2 +
        upsampling (2) + up2 1 + tail 1 + the high-pass's half width, rounded up to the stride."""
        lock = KEEP_COLOUR // 2 if self.colour_lock == "highpass" else 4 * (COARSE_COLOUR // 2)  # locked twice
        radius = 1 + 1 + 2 + 8 * self.blocks + 4 + 2 + 2 + 1 + 1 + lock
        return -(-radius // STRIDE) * STRIDE

    def forward(self, rgb: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        centred = rgb * 2.0 - 1.0
        full = F.leaky_relu(self.head(torch.cat([centred, noise], dim=1)), 0.2)
        half = F.leaky_relu(self.down1(full), 0.2)
        x = F.leaky_relu(self.down2(half), 0.2)
        for block in self.body:  # residual blocks: two convolutions each
            first, second = cast(nn.ModuleList, block)
            x = x + second(F.leaky_relu(first(x), 0.2))
        x = F.interpolate(x, size=half.shape[-2:], mode="bilinear", align_corners=False)
        x = F.leaky_relu(self.up1(torch.cat([x, half], dim=1)), 0.2)
        x = F.interpolate(x, size=full.shape[-2:], mode="bilinear", align_corners=False)
        x = F.leaky_relu(self.up2(torch.cat([x, full], dim=1)), 0.2)
        raw = self.tail(torch.cat([x, centred, noise], dim=1))
        if self.colour_lock == "coarse":
            # Locked before the tanh as well: the lock makes a constant offset invisible, so nothing held the
            # raw output's mean, it drifted to +22 and the tanh saturated everywhere (a dead finish after 90
            # steps in session 10's first coarse run).
            raw = lock_colour(raw, "coarse")
        change = MAX_CHANGE * torch.tanh(raw)
        if self.grey:  # light and dark only (relief, stroke edges): free, it laid coloured speckle in session 10
            change = change.mean(1, keepdim=True).expand_as(change)
        return (rgb + lock_colour(change, self.colour_lock)).clamp(0, 1)
