"""Candidate painter matches, each validated on both benches before any is trusted.

Every candidate is a painter range over some of the statistics below, two-sided or with some statistics
one-sided (a picture that has more of a painter's trait than his paintings — further from photographs in
the direction his paintings already lie — is not counted further for it). For each candidate:

- the validation bench (bench/painting_match_validation.py's cases and pictures): how often held-out
  paintings are nearer their painter's range than photographs, texture-filtered photographs (all styles,
  and this painter's own), colour blobs and noisy photographs;
- the eye bench (bench/painting_match_eye.py's three pairs, rendered on the stroke sheet's six unseen
  pictures): whether the variant the eye chose has the lower median distance; and again on ten pictures (the
  six and four shipped photographs), to see whether six are enough to judge.

The statistics (all cached per picture, so a new candidate costs seconds): the shipped match's 34
(picture_statistics.py), the colour layout's 8 (hue by tone, edge sharpness in darks and lights,
colour_layout.py), the tones' chroma (3, hue_statistics.tone_chroma), regular rhythm (2, rhythm.py), and
(session 12) the hue moments (10, hue_statistics.py). The match shipped since session 12 (format 3) is the
candidate "+ tone chroma, hue lights and contrast (7), spread >= 0.1"; "shipped (34)" is format 2.

A one-sided statistic's direction is the sign of (the painter's mean - the shipped photographs' mean), the
five photographs the app's match is made with (models/paint/data.py), which are five of the validation
bench's sixteen photographs; a statistic whose two means lie within SIDE_MARGIN of the painter's spread
stays two-sided.

    python bench/painting_match_candidates.py --cache DIR > bench/results/painting_match_candidates.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import painting_match_eye as eye_bench  # noqa: E402
import painting_match_validation as validation_bench  # noqa: E402

from build_scripts.stroke_sheet import SIDE, unseen_pictures  # noqa: E402
from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.paint.colour import srgb_to_oklab  # noqa: E402
from models.paint.colour_layout import (  # noqa: E402
    colour_marks,
    colour_marks_names,
    layout_statistic_names,
    layout_statistics,
    tone_contrast,
    tone_contrast_names,
)
from models.paint.data import HELD_OUT_PHOTOS, TRAINING_PHOTOS, shipped_photos  # noqa: E402
from models.paint.hue_statistics import hue_statistic_names, hue_statistics, tone_chroma, tone_chroma_names  # noqa: E402
from models.paint.images import load_image  # noqa: E402
from models.paint.painting_match import SHRINK_TO_DIAGONAL  # noqa: E402
from models.paint.picture_statistics import statistics_of_views, surface_statistic_names, views  # noqa: E402
from models.paint.rhythm import rhythm_statistic_names, rhythm_statistics  # noqa: E402

NAMES = (
    surface_statistic_names()
    + layout_statistic_names()
    + tone_chroma_names()
    + rhythm_statistic_names()
    + tone_contrast_names()
    + colour_marks_names()
    + hue_statistic_names()
)
BASE = surface_statistic_names()  # match format 2's 34; format 3 (shipped since session 12) adds 7 of those below
COLOUR = (
    ["chroma_mean", "chroma_spread", "lightness_spread", "colour_entropy", "smooth_colour_share", "colour_variation"]
    + ["fine_colour_ratio"]
    + layout_statistic_names()[:6]
    + tone_chroma_names()
    + tone_contrast_names()
    + colour_marks_names()
    + hue_statistic_names()
)
HUE = hue_statistic_names()
SIDE_MARGIN = 1.0  # painter SDs between the painter's and the photographs' means for a statistic to be one-sided


def _labs(picture: Image.Image | torch.Tensor) -> list[torch.Tensor]:
    return [srgb_to_oklab(v.clamp(0, 1).permute(1, 2, 0)).permute(2, 0, 1)[None].float() for v in views(picture)]


def first_statistics(picture: Image.Image | torch.Tensor) -> np.ndarray:
    """(5, 47): match format 2's 34, the colour layout's 8, the tones' chroma and the rhythm, per view."""
    extra = [layout_statistics(lab) + tone_chroma(lab) + rhythm_statistics(lab[:, :1]) for lab in _labs(picture)]
    surface = statistics_of_views(picture)[:, : len(BASE)]
    return np.concatenate([surface, np.asarray(extra, dtype=np.float64)], axis=1)


def second_statistics(picture: Image.Image | torch.Tensor) -> np.ndarray:
    """(5, 2): the light/dark colour contrast, per view (added after the first were cached)."""
    return np.asarray([tone_contrast(lab) for lab in _labs(picture)], dtype=np.float64)


def third_statistics(picture: Image.Image | torch.Tensor) -> np.ndarray:
    """(5, 2): the colour marks, per view."""
    return np.asarray([colour_marks(lab) for lab in _labs(picture)], dtype=np.float64)


def fourth_statistics(picture: Image.Image | torch.Tensor) -> np.ndarray:
    """(5, 10): the hue moments (hue_statistics.py), per view (session 12)."""
    return np.asarray([hue_statistics(lab) for lab in _labs(picture)], dtype=np.float64)


class Cache:
    """Each group of statistics in its own folder, so that adding a group does not recompute the others."""

    GROUPS = (
        ("statistics-all", first_statistics),
        ("statistics-contrast", second_statistics),
        ("statistics-colour-marks", third_statistics),
        ("statistics-hue", fourth_statistics),
    )

    def __init__(self, folder: Path) -> None:
        self.folders = [(folder / group, of_views) for group, of_views in self.GROUPS]
        for group, _ in self.folders:
            group.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, picture: Image.Image) -> np.ndarray:
        parts = []
        for folder, of_views in self.folders:
            path = folder / f"{name.replace(' ', '_').replace('/', '_')}.npy"
            if not path.exists():
                np.save(path, of_views(picture))
            parts.append(np.load(path))
        return np.concatenate(parts, axis=1)


@dataclass(frozen=True)
class Candidate:
    name: str
    statistics: tuple[str, ...]
    one_sided: tuple[str, ...] = ()
    beyond: float = 0.0  # the weight of an offset beyond the painter's mean in his trait's direction
    colour_weight: float | None = None  # the colour statistics' share of the distance (None: one share per statistic)
    hue_floor: float = 0.0  # the least spread a hue statistic's range may have (a few views of one painting agree)

    def columns(self) -> list[int]:
        return [NAMES.index(n) for n in self.statistics]


def one_sided_range(candidate: Candidate, paintings: np.ndarray, photographs: np.ndarray) -> Range:
    columns = candidate.columns()
    one_sided = [n in candidate.one_sided for n in candidate.statistics]
    floors = [candidate.hue_floor if n in HUE else 0.0 for n in candidate.statistics]
    made = Range.make(columns, paintings[:, columns], photographs[:, columns], one_sided, candidate.beyond, floors)
    if candidate.colour_weight is not None:
        colour = np.asarray([n in COLOUR for n in candidate.statistics])
        share = np.where(
            colour, candidate.colour_weight / colour.sum(), (1 - candidate.colour_weight) / (~colour).sum()
        )
        made.scale = np.sqrt(share * len(share))
    return made


@dataclass
class Range:
    columns: list[int]
    mean: np.ndarray
    precision: np.ndarray
    toward: np.ndarray
    beyond: float
    scale: np.ndarray | float = 1.0

    @classmethod
    def make(
        cls,
        columns: list[int],
        statistics: np.ndarray,
        photographs: np.ndarray,
        one_sided: Sequence[bool],
        beyond: float,
        floors: Sequence[float] = (),
    ) -> Range:
        mean = statistics.mean(0)
        covariance = np.cov(statistics.T) if len(statistics) > 2 else np.diag(statistics.var(0))
        covariance = (1 - SHRINK_TO_DIAGONAL) * covariance + SHRINK_TO_DIAGONAL * np.diag(np.diag(covariance))
        covariance += 1e-4 * np.eye(len(mean))
        if len(floors):  # raise a spread below its floor; adding to the diagonal keeps the covariance positive
            covariance += np.diag(np.maximum(np.square(floors) - np.diag(covariance), 0.0))
        gap = mean - photographs.mean(0)
        spread = np.sqrt(np.diag(covariance))
        toward = np.where(np.asarray(one_sided) & (np.abs(gap) > SIDE_MARGIN * spread), np.sign(gap), 0.0)
        return cls(columns, mean, np.linalg.inv(covariance), toward, beyond)

    def distance(self, statistics: np.ndarray) -> float:
        offset = statistics[:, self.columns].mean(0) - self.mean
        offset = np.where(offset * self.toward > 0, offset * self.beyond, offset) * self.scale
        return float(np.sqrt(offset @ self.precision @ offset / len(offset)))


def candidates() -> list[Candidate]:
    base = tuple(BASE)
    layout = tuple(layout_statistic_names())
    chroma = tuple(tone_chroma_names())
    rhythm = tuple(rhythm_statistic_names())
    contrast = tuple(tone_contrast_names())
    marks = tuple(colour_marks_names())
    hue = tuple(hue_statistic_names())
    sharp = ("sharpness_darks", "sharpness_lights")
    colour = ("chroma_mean", "chroma_spread", "colour_entropy") + chroma
    return [
        Candidate("shipped (34)", base),
        Candidate("+ colour layout (42, session 8)", base + layout),
        Candidate("+ rhythm", base + rhythm),
        Candidate("+ tone chroma", base + chroma),
        Candidate("+ edge sharpness", base + sharp),
        Candidate("+ light/dark contrast", base + contrast),
        Candidate("+ light/dark contrast one-sided", base + contrast, contrast),
        Candidate("+ chroma, contrast, rhythm", base + chroma + contrast + rhythm),
        Candidate("+ chroma, contrast, rhythm; colour one-sided", base + chroma + contrast + rhythm, colour + contrast),
        Candidate("all 34 one-sided", base, base),
        Candidate("shipped (34), colour half the distance", base, colour_weight=0.5),
        Candidate("+ chroma, contrast; colour half", base + chroma + contrast, colour_weight=0.5),
        Candidate(
            "+ chroma, contrast; colour half, one-sided", base + chroma + contrast, colour + contrast, colour_weight=0.5
        ),
        Candidate("+ chroma, contrast, rhythm; colour half", base + chroma + contrast + rhythm, colour_weight=0.5),
        Candidate("+ chroma, contrast; colour 0.35", base + chroma + contrast, colour_weight=0.35),
        Candidate("+ colour marks", base + marks),
        Candidate("+ colour marks one-sided", base + marks, marks),
        Candidate("+ chroma, contrast, colour marks, rhythm", base + chroma + contrast + marks + rhythm),
        Candidate(
            "+ chroma, contrast, colour marks, rhythm; colour one-sided",
            base + chroma + contrast + marks + rhythm,
            colour + contrast + marks,
        ),
        Candidate(
            "+ chroma, contrast, colour marks, rhythm; colour half",
            base + chroma + contrast + marks + rhythm,
            colour_weight=0.5,
        ),
        Candidate(
            "+ chroma, contrast, colour marks, rhythm; colour half, one-sided",
            base + chroma + contrast + marks + rhythm,
            colour + contrast + marks,
            colour_weight=0.5,
        ),
        Candidate("+ hue (10)", base + hue),
        Candidate("+ hue light/dark contrast (2)", base + hue[8:]),
        Candidate("+ hue light/dark contrast (2), spread >= 0.2", base + hue[8:], hue_floor=0.2),
        Candidate("+ hue lean and light/dark contrast (4)", base + hue[:2] + hue[8:]),
        Candidate("+ hue lean and light/dark contrast (4), spread >= 0.3", base + hue[:2] + hue[8:], hue_floor=0.3),
        Candidate("+ hue lights and contrast (4)", base + hue[4:6] + hue[8:]),
        *(
            Candidate(f"+ hue lights and contrast (4), spread >= {f}", base + hue[4:6] + hue[8:], hue_floor=f)
            for f in (0.1, 0.15)
        ),
        Candidate("+ hue lights (2)", base + hue[4:6]),
        Candidate("+ hue lights (2), spread >= 0.1", base + hue[4:6], hue_floor=0.1),
        Candidate("+ tone chroma, hue lights and contrast (7)", base + chroma + hue[4:6] + hue[8:]),
        Candidate("+ tone chroma, hue light/dark contrast (5), spread >= 0.1", base + chroma + hue[8:], hue_floor=0.1),
        Candidate("+ tone chroma, hue lights (5), spread >= 0.1", base + chroma + hue[4:6], hue_floor=0.1),
        Candidate(
            "+ tone chroma, hue lights and contrast (7), spread >= 0.1",
            base + chroma + hue[4:6] + hue[8:],
            hue_floor=0.1,
        ),
        Candidate("+ hue moments, whole picture (4)", base + hue[:4]),
        Candidate("+ hue lean, whole picture (2)", base + hue[:2]),
        Candidate("+ hue lean of lights and darks (4)", base + hue[4:8]),
        *(Candidate(f"+ hue (10), spread >= {f}", base + hue, hue_floor=f) for f in (0.05, 0.1, 0.2, 0.3)),
        *(Candidate(f"+ hue moments (4), spread >= {f}", base + hue[:4], hue_floor=f) for f in (0.05, 0.1, 0.2)),
        Candidate("+ hue (10), spread >= 0.1; colour half", base + hue, hue_floor=0.1, colour_weight=0.5),
    ]


def validation(candidate: Candidate, data: dict) -> dict:
    """The validation bench's summary for one candidate."""
    rows = []
    for painter, label, references, held, negatives in data["cases"]:
        painter_range = one_sided_range(candidate, references, data["reference photographs"])
        same = painter_range.distance(held)
        row = {"painter": painter, "held_out": label, "distance": round(same, 3)}
        for kind, pictures in negatives.items():
            distances = {n: painter_range.distance(s) for n, s in pictures.items()}
            row[kind] = validation_bench.ranking(same, list(distances.values()))
            if kind == "filtered":
                own = [v for n, v in distances.items() if n.startswith(painter + "__")]
                row["filtered by this painter's style"] = validation_bench.ranking(same, own)
        rows.append(row)
    summary = {}
    for key in ("photographs", "filtered", "filtered by this painter's style", "blobs", "noisy photographs"):
        values = [r[key] for r in rows]
        summary[key] = {"mean": round(float(np.mean(values)), 3), "perfect": int(sum(v == 1.0 for v in values))}
    return {
        "summary": summary,
        "cases": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
    }


def eye(candidate: Candidate, data: dict, pictures: Sequence[str]) -> list[dict]:
    """How the candidate ranks each pair's two variants on `pictures` (the median decides)."""
    out = []
    for pair in data["pairs"]:
        painter_range = one_sided_range(candidate, data["paintings"][pair["style"]], data["reference photographs"])
        d = {side: {n: painter_range.distance(pair[side][n]) for n in pictures} for side in ("eye", "other")}
        out.append({"pair": pair["label"], **eye_bench.verdict(d)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/atelier-painting-match-cache"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    statistics = Cache(args.cache)
    fit = validation_bench.fit
    paintings = {
        p.stem: fit(Image.open(p)) for p in sorted(validation_bench.ART.glob("*.jpg")) if not p.stem.endswith("_large")
    }
    photos = validation_bench.photographs()
    blobs = {f"flat{s}": validation_bench.blob(s, True) for s in range(6)}
    blobs |= {f"soft{s}": validation_bench.blob(100 + s, False) for s in range(6)}
    blobs["readme-sketch"] = fit(Image.open(ROOT / "docs" / "images" / "style-input-sketch.jpg"))
    styles = sorted(validation_bench.list_shipped_styles())
    negatives: dict[str, dict[str, np.ndarray]] = {
        "photographs": {n: statistics(f"photo_{n}", im) for n, im in photos.items()},
        "blobs": {n: statistics(f"blob_{n}", im) for n, im in blobs.items()},
    }
    negatives["filtered"] = {
        f"{s}__{n}": statistics(f"filtered_{s}__{n}", validation_bench.filtered(args.cache, s, n, im))
        for s in styles
        for n, im in photos.items()
    }
    for s in styles:
        for n in ("flat0", "soft0", "readme-sketch"):
            negatives["blobs"][f"{s}__{n}"] = statistics(
                f"blob_{s}__{n}", validation_bench.filtered(args.cache, s, n, blobs[n])
            )
    negatives["noisy photographs"] = {
        f"noisy {n}": statistics(f"noisy_{n}", validation_bench.with_faint_noise(im, i))
        for i, (n, im) in enumerate(photos.items())
    }
    print(f"validation pictures measured after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    reference_photographs = np.concatenate(
        [
            statistics(f"shipped_photo_{n}", p)
            for n, p in zip(
                TRAINING_PHOTOS + HELD_OUT_PHOTOS, shipped_photos(TRAINING_PHOTOS + HELD_OUT_PHOTOS), strict=True
            )
        ]
    )
    cases = []
    for painter in validation_bench.PAINTERS:
        for label, references, held_name, held in validation_bench.cases(paintings, painter):
            ref = np.concatenate([statistics(f"painting_{n}", im) for n, im in references.items()])
            cases.append((painter, label, ref, statistics(f"painting_{held_name}", held), negatives))
    validation_data = {"cases": cases, "reference photographs": reference_photographs}
    # The eye bench: the pairs' renders and the paintings at the size the app's match uses.
    pictures = unseen_pictures()
    sheet = list(pictures)
    # Four more, to see whether six pictures are enough to judge a pair: the shipped photographs the stroke
    # sheet leaves out. astronaut and rocket are two of the three pictures the stroke fit renders, so the
    # refits were fitted on them; retina and chelsea are unseen by it.
    more = ("astronaut", "rocket", "retina", "chelsea")
    pictures |= {n: fit(p, SIDE) for n, p in zip(more, shipped_photos(more), strict=True)}
    pairs = []
    for pair in json.loads(eye_bench.PAIRS.read_text())["pairs"]:
        row = {"label": pair["label"], "style": pair["style"]}
        for side in ("eye", "other"):
            renders = eye_bench.render(args.cache / "eye", pair["style"], pair[side], pictures)
            key = pair[side]["name"]
            row[side] = {n: statistics(f"eye_{pair['style']}_{key}_{n}", r) for n, r in renders.items()}
        pairs.append(row)
    style_paintings = {
        style: np.concatenate(
            [statistics(f"style_{file}", load_image(ART / file, max_side=1024).image) for file in STYLES[style]]
        )
        for style in {p["style"] for p in pairs}
    }
    print(f"eye renders measured after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    eye_data = {"pairs": pairs, "paintings": style_paintings, "reference photographs": reference_photographs}
    report: dict = {"statistics": NAMES, "candidates": []}
    for candidate in candidates():
        result = {
            "candidate": candidate.name,
            "statistics": len(candidate.statistics),
            "one-sided": list(candidate.one_sided),
            "validation": validation(candidate, validation_data),
            "eye": eye(candidate, eye_data, sheet),
            "eye, ten pictures": eye(candidate, eye_data, list(pictures)),
        }
        result["agrees with the eye"] = sum(p["agrees with the eye"] for p in result["eye"])
        result["agrees with the eye, ten pictures"] = sum(p["agrees with the eye"] for p in result["eye, ten pictures"])
        report["candidates"].append(result)
        summary = result["validation"]["summary"]
        print(
            f"{candidate.name:55s} photos {summary['photographs']['mean']:.3f} filtered {summary['filtered']['mean']:.3f} "
            f"own {summary['filtered by this painter' + chr(39) + 's style']['mean']:.3f} blobs {summary['blobs']['mean']:.3f} "
            f"noisy {summary['noisy photographs']['mean']:.3f} | eye "
            + " ".join(
                f"{p['median eye']:.3f}/{p['median other']:.3f} ({p['pictures where the eye' + chr(39) + 's is nearer']})"
                for p in result["eye"]
            )
            + " | ten pictures "
            + " ".join(
                f"{p['median eye']:.3f}/{p['median other']:.3f} ({p['pictures where the eye' + chr(39) + 's is nearer']})"
                for p in result["eye, ten pictures"]
            ),
            file=sys.stderr,
            flush=True,
        )
    report["seconds"] = round(time.perf_counter() - started, 1)
    # One line per candidate: 21 candidates' cases indented would be most of a megabyte.
    lines = ",\n  ".join(json.dumps(c) for c in report.pop("candidates"))
    print(json.dumps(report, indent=1)[:-2] + ',\n "candidates": [\n  ' + lines + "\n ]\n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
