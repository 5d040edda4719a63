"""The painter match: does a picture's surface fall in the range of the painter's own paintings?

A painter's range is a Gaussian over `picture_statistics` of the paintings (their whole pictures and
corner views), with the covariance shrunk most of the way to its diagonal (few paintings, 41
statistics) and the hue statistics' spreads kept above a floor (the views of one painting agree on
their hues more closely than a painter's paintings do). A picture's distance is the root-mean-square Mahalanobis distance of its views' mean
statistics from the range. The 0-100 score users see is anchored on two distances measured when
the style is made: 100 = the painter's own paintings, each held out from the range of the others (a
single painting: its right half against its left); 0 = photographs passed through a texture
filter (the style's feed-forward renderer), which the earlier texture measure took for paintings.
Plain photographs and flat colour sketches are further still, so they score 0.

bench/painting_match_validation.py checks the ranking before the score is trusted (held-out
paintings against photographs, filtered photographs and colour blobs the range never saw).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..files import atomic_write_bytes
from .picture_statistics import least_spreads, statistic_names, statistics_of_views
from .style import reference_path

SEPARATION = 1.25  # filtered photographs must be this much further than the paintings for a score to mean anything
SHRINK_TO_DIAGONAL = 0.8  # chosen by bench/painting_match_validation.py (0.2-1.0 tried)
# Format 1 was the VGG texture measure, which scored texture filters as paintings; format 2 had the 34 statistics
# without colour by tone (session 12 added 7: hue_statistics.py).
MATCH_FORMAT = 3
MAX_PAINTINGS = 24

Picture = Image.Image | torch.Tensor


@dataclass
class PainterRange:
    mean: np.ndarray
    precision: np.ndarray

    @classmethod
    def from_statistics(cls, statistics: np.ndarray) -> PainterRange:
        """The range of (N, D) statistics, N >= 2: `statistic_names()`, then any a bench adds (no floor)."""
        mean = statistics.mean(0)
        covariance = np.cov(statistics.T) if len(statistics) > 2 else np.diag(statistics.var(0))
        covariance = (1 - SHRINK_TO_DIAGONAL) * covariance + SHRINK_TO_DIAGONAL * np.diag(np.diag(covariance))
        covariance += 1e-4 * np.eye(len(mean))
        floors = np.zeros(len(mean))
        known = min(len(mean), len(statistic_names()))
        floors[:known] = least_spreads()[:known]
        # A spread below its floor is raised; adding to the diagonal keeps the covariance positive definite.
        covariance += np.diag(np.maximum(floors**2 - np.diag(covariance), 0.0))
        return cls(mean, np.linalg.inv(covariance))

    @classmethod
    def from_pictures(cls, pictures: Sequence[Picture]) -> PainterRange:
        return cls.from_statistics(np.concatenate([statistics_of_views(p) for p in pictures]))

    def distance_of_statistics(self, statistics: np.ndarray) -> float:
        """Distance of a picture given its (views, D) statistics: 0 is the painter's average."""
        offset = statistics.mean(0) - self.mean
        return float(np.sqrt(offset @ self.precision @ offset / len(offset)))

    def distance(self, picture: Picture) -> float:
        return self.distance_of_statistics(statistics_of_views(picture))


def painter_match_score(distance: float, own_paintings: float, filtered_photographs: float) -> float:
    """0-100: 100 at the painter's own held-out paintings' distance, 0 at texture-filtered photographs'."""
    span = max(filtered_photographs - own_paintings, 1e-6)
    return float(np.clip(100.0 * (filtered_photographs - distance) / span, 0.0, 100.0))


def match_path_for(style_path: str | os.PathLike) -> Path:
    return reference_path(style_path, ".match.json")


@dataclass
class PaintingMatch:
    """A style's painter range and the two distances that anchor its 0-100 score."""

    range: PainterRange
    own_paintings: float
    filtered_photographs: float

    @property
    def separates(self) -> bool:
        """Whether texture-filtered photographs sit clearly further from the range than the painter's own
        held-out paintings; if not, the score would not agree with the eye and is not shown."""
        return self.filtered_photographs > SEPARATION * self.own_paintings

    def score(self, picture: Picture) -> tuple[float, float]:
        """(distance, score) of a picture."""
        distance = self.range.distance(picture)
        return distance, painter_match_score(distance, self.own_paintings, self.filtered_photographs)

    def save(self, path: str | os.PathLike) -> None:
        data = {
            "format": MATCH_FORMAT,
            "measure": "painter range over picture statistics (models/paint/picture_statistics.py)",
            "statistics": statistic_names(),
            "mean": self.range.mean.tolist(),
            "precision": self.range.precision.tolist(),
            "own_paintings": self.own_paintings,
            "filtered_photographs": self.filtered_photographs,
        }
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(Path(path), json.dumps(data).encode())

    @classmethod
    def load(cls, path: str | os.PathLike) -> PaintingMatch | None:
        """The saved match, or None when there is none, it is another version's, or it is damaged."""
        try:
            data = json.loads(Path(path).read_text())
            if data.get("format") != MATCH_FORMAT or data.get("statistics") != statistic_names():
                return None
            mean, precision = np.asarray(data["mean"], float), np.asarray(data["precision"], float)
            if precision.shape != (len(mean), len(mean)):
                return None
            return cls(PainterRange(mean, precision), float(data["own_paintings"]), float(data["filtered_photographs"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def held_out_distances(paintings: Sequence[Picture]) -> list[float]:
    """Each painting against the range of the others; a single painting: its right half against its left.
    Two paintings: each against the other."""
    if len(paintings) == 1:
        (painting,) = paintings
        left, right = _halves(painting)
        return [PainterRange.from_pictures([left]).distance(right)]
    statistics = [statistics_of_views(p) for p in paintings]
    distances = []
    for i, own in enumerate(statistics):
        others = np.concatenate([s for j, s in enumerate(statistics) if j != i])
        distances.append(PainterRange.from_statistics(others).distance_of_statistics(own))
    return distances


def _halves(picture: Picture) -> tuple[Picture, Picture]:
    if isinstance(picture, Image.Image):
        width, height = picture.size
        return picture.crop((0, 0, width // 2, height)), picture.crop((width // 2, 0, width, height))
    width = picture.shape[-1]
    return picture[..., : width // 2], picture[..., width // 2 :]


def measure_painting_match(
    paintings: list[Image.Image],
    photographs: list[Image.Image],
    texture_filter: Callable[[Image.Image], Image.Image],
) -> PaintingMatch:
    """A style's match from its paintings, anchored on held-out paintings and on `photographs` passed
    through `texture_filter` (the style's feed-forward renderer)."""
    paintings = paintings[:MAX_PAINTINGS]
    if not paintings or not photographs:
        raise ValueError("a painting match needs at least one painting and one photograph")
    own = float(np.median(held_out_distances(paintings)))
    painter_range = PainterRange.from_pictures(paintings)
    filtered = float(np.median([painter_range.distance(texture_filter(photo)) for photo in photographs]))
    return PaintingMatch(painter_range, own, filtered)
