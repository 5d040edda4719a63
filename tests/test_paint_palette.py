"""The palette: OKLab conversion, the Gaussian mixture of a style's colours, and the colour transfer."""

from __future__ import annotations

import numpy as np
import torch

from models.paint.colour import oklab_to_srgb, srgb_to_oklab
from models.paint.palette import PaletteGMM, colour_statistics, transfer_colours


def test_oklab_round_trip_and_reference_values():
    colours = torch.rand(500, 3, dtype=torch.float64)
    assert torch.allclose(oklab_to_srgb(srgb_to_oklab(colours)), colours, atol=1e-9)
    white = srgb_to_oklab(torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64))
    red = srgb_to_oklab(torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64))
    assert torch.allclose(white, torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64), atol=1e-6)
    # Ottosson's published value for sRGB red.
    assert torch.allclose(red, torch.tensor([0.62796, 0.22486, 0.12585], dtype=torch.float64), atol=1e-4)


def _three_colour_pixels(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[0.9, 0.8, 0.1], [0.1, 0.2, 0.7], [0.2, 0.6, 0.3]])
    counts = [3000, 2000, 1000]
    return np.concatenate([np.clip(rng.normal(c, 0.03, (n, 3)), 0, 1) for c, n in zip(centres, counts, strict=True)])


def test_gmm_finds_the_colours_and_their_weights():
    palette = PaletteGMM.fit(_three_colour_pixels(), components=3, seed=0)
    swatches = palette.swatches()
    assert np.allclose(palette.weights, [0.5, 1 / 3, 1 / 6], atol=0.03)
    assert np.abs(swatches[0] - [0.9, 0.8, 0.1]).max() < 0.05  # heaviest first
    assert np.abs(swatches[1] - [0.1, 0.2, 0.7]).max() < 0.05


def test_gmm_prefers_its_own_colours():
    palette = PaletteGMM.fit(_three_colour_pixels(), components=3, seed=0)
    own = palette.log_likelihood(_three_colour_pixels(seed=1))
    other = palette.log_likelihood(np.random.default_rng(2).random((3000, 3)))
    assert own > other + 2.0


def test_gmm_samples_look_like_the_data_and_round_trip_through_tensors():
    palette = PaletteGMM.fit(_three_colour_pixels(), components=3, seed=0)
    again = PaletteGMM.from_tensors(palette.to_tensors())
    assert np.allclose(again.means, palette.means, atol=1e-6)
    samples = palette.sample(4000, seed=5)
    assert np.abs(samples.mean(0) - _three_colour_pixels().mean(0)).max() < 0.03


def test_colour_transfer_reaches_the_target_statistics():
    rng = np.random.default_rng(3)
    image = torch.from_numpy(np.clip(rng.normal(0.4, 0.1, (3, 64, 64)), 0, 1)).float()
    target_image = torch.from_numpy(np.clip(rng.normal([[[0.7]], [[0.5]], [[0.2]]], 0.08, (3, 64, 64)), 0, 1)).float()
    target_mean, target_cov = colour_statistics(target_image)
    moved = transfer_colours(image, target_mean, target_cov)
    mean, cov = colour_statistics(moved)
    assert np.abs(mean - target_mean).max() < 0.01
    assert np.abs(cov - target_cov).max() < 0.2 * np.abs(target_cov).max()
