"""The rhythm statistic sees what it claims: light and dark paint repeating at one spacing (woven stripes),
and not an irregular texture of the same energy, nor a single edge."""

from __future__ import annotations

import math

import torch
from PIL import Image, ImageDraw

from models.paint.colour import srgb_to_oklab
from models.paint.images import pil_to_tensor
from models.paint.rhythm import ECHO, rhythm_statistic_names, rhythm_statistics


def _rhythm(lightness: torch.Tensor) -> dict[str, float]:
    return dict(zip(rhythm_statistic_names(), rhythm_statistics(lightness[None, None]), strict=True))


def _stripes(spacing: float, angle: float, wobble: float = 0.0, seed: int = 0) -> torch.Tensor:
    """Stripes `spacing` px apart across `angle` (radians); `wobble` shifts each stripe's phase at random."""
    y, x = torch.meshgrid(torch.arange(256.0), torch.arange(384.0), indexing="ij")
    across = y * math.cos(angle) + x * math.sin(angle)
    phase = torch.zeros(256, 384)
    if wobble:
        jitter = torch.randn(1, 1, 32, 48, generator=torch.Generator().manual_seed(seed)) * wobble
        phase = torch.nn.functional.interpolate(jitter, size=(256, 384), mode="bicubic", align_corners=False)[0, 0]
    return 0.5 + 0.2 * torch.sin(2 * math.pi * across / spacing + phase)


def test_regular_stripes_echo_at_any_spacing_and_angle_and_noise_does_not():
    noise = _rhythm(0.5 + 0.1 * torch.randn(256, 384, generator=torch.Generator().manual_seed(1)))
    assert noise["echo"] < 0.3 and noise["echo_share"] < 0.1, noise
    for spacing, angle in ((6.0, 0.0), (12.0, 0.7), (20.0, math.pi / 2)):
        stripes = _rhythm(_stripes(spacing, angle))
        assert stripes["echo"] > 0.8 and stripes["echo_share"] > 0.9, (spacing, angle, stripes)


def test_stripes_whose_spacing_wanders_read_less_regular():
    regular, wandering = _rhythm(_stripes(10.0, 0.3)), _rhythm(_stripes(10.0, 0.3, wobble=6.0))
    assert wandering["echo"] < regular["echo"] - 0.2, (regular, wandering)


def test_a_single_sharp_edge_and_a_flat_picture_are_not_a_rhythm():
    image = Image.new("RGB", (384, 256), (200, 190, 160))
    ImageDraw.Draw(image).polygon([(0, 140), (200, 110), (384, 150), (384, 256), (0, 256)], fill=(40, 50, 60))
    lightness = srgb_to_oklab(pil_to_tensor(image).permute(1, 2, 0))[..., 0]
    edge = _rhythm(lightness)
    assert edge["echo"] < ECHO and edge["echo_share"] < 0.1, edge
    flat = _rhythm(torch.full((256, 384), 0.5))
    assert flat["echo"] == 0.0 and flat["echo_share"] == 0.0, flat
