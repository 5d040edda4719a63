"""`PaletteGMM`: a Gaussian mixture over a style's colours in OKLab, and the colour transfer it drives.

The Paint tab offers the mixture's component means as the brush palette (heaviest first). Palette
strength moves a picture's colour statistics (mean and covariance in OKLab) from its own toward the
painter's with a linear Monge-Kantorovich map, the closed-form optimal transport between Gaussians.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .colour import oklab_to_srgb, srgb_to_oklab

_EPS = 1e-6


@dataclass
class PaletteGMM:
    weights: np.ndarray  # (K,)
    means: np.ndarray  # (K, 3) OKLab
    covariances: np.ndarray  # (K, 3, 3)

    @classmethod
    def fit(cls, pixels_srgb: np.ndarray, components: int = 8, iterations: int = 60, seed: int = 0) -> PaletteGMM:
        """Fit by expectation-maximisation to (N, 3) sRGB pixels in [0, 1]."""
        rng = np.random.default_rng(seed)
        lab = srgb_to_oklab(torch.from_numpy(np.asarray(pixels_srgb, dtype=np.float64))).numpy()
        n = lab.shape[0]
        components = min(components, n)
        # k-means++ seeding: spread-out starting means give stable, repeatable mixtures.
        means = [lab[rng.integers(n)]]
        for _ in range(components - 1):
            distance = np.min([((lab - m) ** 2).sum(1) for m in means], axis=0)
            means.append(
                lab[rng.choice(n, p=distance / distance.sum())] if distance.sum() > 0 else lab[rng.integers(n)]
            )
        means_arr = np.array(means)
        covariances = np.repeat(np.cov(lab.T)[None] + np.eye(3) * 1e-4, components, axis=0)
        weights = np.full(components, 1.0 / components)
        for _ in range(iterations):
            responsibilities = _responsibilities(lab, weights, means_arr, covariances)
            totals = responsibilities.sum(0) + _EPS
            weights = totals / n
            means_arr = (responsibilities.T @ lab) / totals[:, None]
            for k in range(components):
                centred = lab - means_arr[k]
                covariances[k] = (responsibilities[:, k, None] * centred).T @ centred / totals[k] + np.eye(3) * 1e-5
        order = np.argsort(-weights)
        return cls(weights=weights[order], means=means_arr[order], covariances=covariances[order])

    def log_likelihood(self, pixels_srgb: np.ndarray) -> float:
        """Mean log density of (N, 3) sRGB pixels under the mixture."""
        lab = srgb_to_oklab(torch.from_numpy(np.asarray(pixels_srgb, dtype=np.float64))).numpy()
        return float(_log_mixture_density(lab, self.weights, self.means, self.covariances).mean())

    def swatches(self) -> np.ndarray:
        """The component means as (K, 3) sRGB in [0, 1], heaviest component first."""
        return oklab_to_srgb(torch.from_numpy(self.means)).numpy()

    def moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and covariance of the whole mixture in OKLab."""
        mean = self.weights @ self.means
        centred = self.means - mean
        covariance = (
            np.einsum("k,kij->ij", self.weights, self.covariances) + (self.weights[:, None] * centred).T @ centred
        )
        return mean, covariance

    def sample(self, count: int, seed: int) -> np.ndarray:
        """(count, 3) sRGB colours drawn from the mixture."""
        rng = np.random.default_rng(seed)
        picks = rng.choice(len(self.weights), size=count, p=self.weights / self.weights.sum())
        lab = np.stack([rng.multivariate_normal(self.means[k], self.covariances[k]) for k in picks])
        return oklab_to_srgb(torch.from_numpy(lab)).numpy()

    def to_tensors(self) -> dict[str, torch.Tensor]:
        return {
            "palette.weights": torch.from_numpy(self.weights.astype(np.float32)),
            "palette.means": torch.from_numpy(self.means.astype(np.float32)),
            "palette.covariances": torch.from_numpy(self.covariances.astype(np.float32)),
        }

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> PaletteGMM:
        return cls(
            weights=tensors["palette.weights"].double().numpy(),
            means=tensors["palette.means"].double().numpy(),
            covariances=tensors["palette.covariances"].double().numpy(),
        )


def _log_mixture_density(
    lab: np.ndarray, weights: np.ndarray, means: np.ndarray, covariances: np.ndarray
) -> np.ndarray:
    log_parts = np.stack(
        [np.log(weights[k] + _EPS) + _log_gaussian(lab, means[k], covariances[k]) for k in range(len(weights))], axis=1
    )
    top = log_parts.max(1, keepdims=True)
    return (top + np.log(np.exp(log_parts - top).sum(1, keepdims=True)))[:, 0]


def _log_gaussian(x: np.ndarray, mean: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    chol = np.linalg.cholesky(covariance)
    solved = np.linalg.solve(chol, (x - mean).T)
    return -0.5 * (solved**2).sum(0) - np.log(np.diag(chol)).sum() - 1.5 * np.log(2 * np.pi)


def _responsibilities(lab: np.ndarray, weights: np.ndarray, means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    log_parts = np.stack(
        [np.log(weights[k] + _EPS) + _log_gaussian(lab, means[k], covariances[k]) for k in range(len(weights))], axis=1
    )
    log_parts -= log_parts.max(1, keepdims=True)
    parts = np.exp(log_parts)
    return parts / parts.sum(1, keepdims=True)


def _sqrtm(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 1e-10, None))) @ vectors.T


def gaussian_transport(source_cov: np.ndarray, target_cov: np.ndarray) -> np.ndarray:
    """The linear map A with A S A^T = T that moves colours least (Monge-Kantorovich)."""
    root = _sqrtm(source_cov)
    inverse_root = np.linalg.inv(root)
    return inverse_root @ _sqrtm(root @ target_cov @ root) @ inverse_root


def colour_statistics(image: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance in OKLab of a (3, H, W) image in [0, 1] (sampled for large images)."""
    pixels = image.reshape(3, -1).T.double()
    if pixels.shape[0] > 65536:
        pixels = pixels[torch.linspace(0, pixels.shape[0] - 1, 65536).long()]
    lab = srgb_to_oklab(pixels).numpy()
    return lab.mean(0), np.cov(lab.T) + np.eye(3) * 1e-6


def transfer_colours(
    image: torch.Tensor,
    target_mean: np.ndarray,
    target_cov: np.ndarray,
    source: tuple[np.ndarray, np.ndarray] | None = None,
) -> torch.Tensor:
    """Move a (3, H, W) image's OKLab mean/covariance to the target's; returns (3, H, W) in [0, 1]."""
    mean, cov = source if source is not None else colour_statistics(image)
    transport = torch.from_numpy(gaussian_transport(cov, target_cov)).float()
    lab = srgb_to_oklab(image.permute(1, 2, 0).float())
    moved = (lab - torch.from_numpy(mean).float()) @ transport.T + torch.from_numpy(target_mean).float()
    return oklab_to_srgb(moved).permute(2, 0, 1).contiguous()


def blend_statistics(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], amount: float
) -> tuple[np.ndarray, np.ndarray]:
    """Statistics `amount` of the way from a to b (0: a, 1: b)."""
    return (1 - amount) * a[0] + amount * b[0], (1 - amount) * a[1] + amount * b[1]
