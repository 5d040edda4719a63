"""How a painter composes, measured on their paintings: where the horizon sits, where the eye goes,
which side the heavy masses lean to, whether the sky is lighter than the land.

Each of many random crops (75-100% of a painting, never mirrored: a painter's left and right are part
of the habit) gives one measurement:

- horizon: the row that best splits the crop into two tonal bands (the least squared error of a
  two-segment fit to the rows' mean OKLab colour), as a fraction of the height;
- focal point: the peak of a centre-surround contrast map (lightness and colour against their
  surroundings, at a coarse scale), as fractions of width and height;
- mass side: dark weight in the left third against the right third, -1 (left) to 1 (right);
- sky lighter: mean lightness above the horizon minus below it.

The model is those measurements kept as they are (a kernel density estimate): a seed picks one and
jitters it by a fraction of the spread, so samples are joint (a low horizon comes with the focal
point that went with it) and vary as the painter's own crops vary. Saved as JSON beside the style.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ...files import atomic_write_bytes
from ..colour import srgb_to_oklab
from ..images import pil_to_tensor

FEATURES = ("horizon", "focal_x", "focal_y", "mass_side", "sky_lighter")
LIMITS = {
    "horizon": (0.2, 0.85),
    "focal_x": (0.12, 0.88),
    "focal_y": (0.12, 0.88),
    "mass_side": (-1, 1),
    "sky_lighter": (-0.5, 0.5),
}
JITTER = 0.35  # kernel width as a fraction of each feature's spread
FORMAT = 1


@dataclass(frozen=True)
class CompositionSample:
    horizon: float
    focal_x: float
    focal_y: float
    mass_side: float
    sky_lighter: float


@dataclass
class CompositionModel:
    measurements: np.ndarray  # (N, len(FEATURES))
    source: str  # what it was measured on

    @classmethod
    def fit(cls, paintings: list[Image.Image], crops: int = 160, seed: int = 0, source: str = "") -> CompositionModel:
        rng = np.random.default_rng(seed)
        pictures = [_oklab(p) for p in paintings]
        rows = []
        for _ in range(crops):
            lab = pictures[int(rng.integers(len(pictures)))]
            height, width = lab.shape[1:]
            scale = rng.uniform(0.75, 1.0)
            h, w = max(16, int(height * scale)), max(16, int(width * scale))
            y, x = int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1))
            rows.append(measure(lab[:, y : y + h, x : x + w]))
        return cls(np.array(rows), source or f"{len(paintings)} painting(s), {crops} crops")

    @classmethod
    def default(cls) -> CompositionModel:
        """For a style without measurements: a rule, not a painter — horizon between a third and two
        thirds down, the focal point on a third, masses to either side."""
        rng = np.random.default_rng(0)
        n = 64
        rows = np.stack(
            [
                rng.uniform(0.35, 0.68, n),
                rng.choice([0.33, 0.67], n) + rng.normal(0, 0.05, n),
                rng.uniform(0.3, 0.6, n),
                rng.uniform(-0.6, 0.6, n),
                rng.uniform(0.0, 0.25, n),
            ],
            1,
        )
        return cls(rows, "rule (no measurements)")

    def sample(self, rng: np.random.Generator) -> CompositionSample:
        row = self.measurements[int(rng.integers(len(self.measurements)))]
        spread = self.measurements.std(0) + 1e-3
        values = row + rng.normal(0, 1, len(FEATURES)) * spread * JITTER
        clipped = [float(np.clip(v, *LIMITS[name])) for name, v in zip(FEATURES, values, strict=True)]
        return CompositionSample(*clipped)

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            name: {
                "mean": round(float(self.measurements[:, k].mean()), 3),
                "std": round(float(self.measurements[:, k].std()), 3),
            }
            for k, name in enumerate(FEATURES)
        }

    def save(self, path: str | os.PathLike) -> Path:
        document = {
            "format": FORMAT,
            "kind": "scene-composition",
            "features": list(FEATURES),
            "source": self.source,
            "summary": self.summary(),
            "measurements": np.round(self.measurements, 4).tolist(),
        }
        path = Path(path)
        atomic_write_bytes(path, json.dumps(document, indent=1).encode())
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> CompositionModel | None:
        """The model saved at `path`; None when there is none or it is not one (the caller uses the rule)."""
        try:
            document = json.loads(Path(path).read_text())
            if document.get("kind") != "scene-composition" or document.get("features") != list(FEATURES):
                return None
            measurements = np.asarray(document["measurements"], np.float64).reshape(-1, len(FEATURES))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(measurements, str(document.get("source", ""))) if len(measurements) else None


def _oklab(painting: Image.Image) -> torch.Tensor:
    """(3, H, W) OKLab of the painting at 160 px on the long side (composition lives at that scale)."""
    picture = painting.convert("RGB")
    scale = 160 / max(picture.size)
    picture = picture.resize(
        (max(16, round(picture.width * scale)), max(16, round(picture.height * scale))), Image.Resampling.BOX
    )
    return srgb_to_oklab(pil_to_tensor(picture).permute(1, 2, 0).double()).permute(2, 0, 1).float()


def _blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = max(1, int(3 * sigma))
    t = torch.arange(-radius, radius + 1, dtype=x.dtype)
    kernel = torch.exp(-(t**2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    c = x.shape[0]
    x = F.pad(x[None], (radius, radius, 0, 0), mode="replicate")
    x = F.conv2d(x, kernel.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    x = F.pad(x, (0, 0, radius, radius), mode="replicate")
    return F.conv2d(x, kernel.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)[0]


def measure(lab: torch.Tensor) -> list[float]:
    """The composition features of one (3, H, W) OKLab crop, in FEATURES order."""
    _, height, width = lab.shape
    weighted = lab * torch.tensor([1.0, 2.0, 2.0]).view(3, 1, 1)  # colour counts as much as lightness
    rows = weighted.mean(2).T.double()  # (H, 3)
    cumulative = torch.cat([torch.zeros(1, 3, dtype=rows.dtype), rows.cumsum(0)])
    squares = torch.cat([torch.zeros(1, dtype=rows.dtype), (rows**2).sum(1).cumsum(0)])
    splits = torch.arange(int(0.15 * height), int(0.85 * height) + 1)
    top_sum, bottom_sum = cumulative[splits], cumulative[-1] - cumulative[splits]
    errors = squares[-1] - (top_sum**2).sum(1) / splits - (bottom_sum**2).sum(1) / (height - splits)
    horizon = int(splits[int(errors.argmin())])
    lightness = lab[0]
    sky_lighter = float(lightness[:horizon].mean() - lightness[horizon:].mean())

    sigma = max(height, width) / 40
    contrast = (_blur(weighted, sigma) - _blur(weighted, 6 * sigma)).norm(dim=0, keepdim=True)
    contrast = _blur(contrast, 2 * sigma)[0]
    # Blurring with replicated borders favours the edges: look for the peak inside an 8% margin.
    margin_y, margin_x = max(1, int(0.08 * height)), max(1, int(0.08 * width))
    inner = torch.full_like(contrast, -1.0)
    inner[margin_y:-margin_y, margin_x:-margin_x] = contrast[margin_y:-margin_y, margin_x:-margin_x]
    index = int(inner.argmax())
    focal_y, focal_x = (index // width + 0.5) / height, (index % width + 0.5) / width

    darkness = (lightness.mean() - lightness).clamp_min(0)
    third = width // 3
    left, right = float(darkness[:, :third].sum()), float(darkness[:, width - third :].sum())
    mass_side = (right - left) / max(left + right, 1e-6)
    return [horizon / height, focal_x, focal_y, mass_side, sky_lighter]


def composition_path_for(style_path: str | os.PathLike) -> Path:
    from ..style import reference_path

    return reference_path(style_path, ".composition.json")


def load_composition(style_path: str | os.PathLike | None) -> CompositionModel:
    """The style's measured composition, or the rule when it has none."""
    model = CompositionModel.load(composition_path_for(style_path)) if style_path else None
    return model or CompositionModel.default()
