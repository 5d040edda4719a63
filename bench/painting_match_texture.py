"""Does the painter match take fine noise for paint, and can a statistic of paint texture stop it?

Session 12 found the match rewarding uneven fine noise: Hokusai's grain laid in blotches (frost or lichen spots
by eye) was the measure's best render of the session, and Van Gogh's felt grain (a quilt by eye) could not be
taken out without going further. bench/painting_match_eye.py holds both as eye pairs since session 13; its
"deciding statistics" name what the match sees in the noise: `coherence1` and `oriented_share1` first, for
both. The renders' strokes are smoother and more oriented at 2-8 px than the painters' paintings at 512 px
(z about +2), and any undirected noise lowers them toward the painter.

The candidates here are statistics of the *kind* of fine texture, each meaningful for any painter, added to
format 3's 41 (or replacing its coherence) and judged on both benches:
- orientation of the fine bands themselves (marks 2-4 and 4-8 px; the match's coherence reads the
  low-pass picture, whose coarser edges dominate): `band_coherence` (energy-weighted structure-tensor
  coherence of the band), `aligned` (the band's orientation along the structure two levels coarser),
  `iso_share` (the band's energy in nearly undirected pixels);
- where the fine energy sits: `scale_link` (correlation over blocks of the band's log energy with that of
  the band two levels coarser: a mark's edges carry energy at several scales, a blotch of grain only at its
  own), `magnitude_link` (the same for the next level, pixel by pixel), `colour_link` (with the colour band's
  energy at the same level: a painted mark changes colour, the renderer's grain only lightness),
  `colour_ratio` (the colour band's energy over the lightness band's), `local_tails` (kurtosis inside
  16-32 px blocks: a blotch of noise is Gaussian inside, its blocks' unevenness aside);
- the match's coherence where grain in quiet areas cannot lower it: over the busiest quarter of pixels
  (`coherence_busy`, with `oriented_busy`), or weighted by the energy squared (`coherence_sq`).
- the colour (OKLab a, b) bands' energy and fall-off (`colour_energy`, `colour_falloff`) and the coherence of
  the colour picture (`colour_coherence`, one structure tensor of both channels): the renderer's grain is
  lightness only, so energy and direction read from colour cannot be bought with it.

Reads the statistics bench/painting_match_validation.py cached (run it first with the same --cache) and the
eye bench's renders (run bench/painting_match_eye.py with --cache DIR/eye first, or they are rendered here);
the candidate statistics are cached beside them. For each candidate: the validation summary (held-out
paintings ranked above photographs, texture-filtered photographs, those in the painter's own style, blobs,
noisy photographs), nested leave-one-painting-out under the stroke sheet's rule (the held-out painting,
photographs and filtered photographs inside the bound; bench/painting_match_ranges.py), and each eye pair's
medians (agrees when the eye's variant is nearer).

    python bench/painting_match_texture.py --cache DIR > bench/results/painting_match_texture.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import painting_match_eye as eye_bench  # noqa: E402
import painting_match_validation as validation_bench  # noqa: E402

from build_scripts.stroke_sheet import unseen_pictures  # noqa: E402
from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.paint.colour import srgb_to_oklab  # noqa: E402
from models.paint.images import load_image  # noqa: E402
from models.paint.painting_match import PainterRange  # noqa: E402
from models.paint.picture_statistics import _blur, _gradient, statistic_names, statistics_of_views, views  # noqa: E402

BAND_LEVELS = (1, 2)
COHERENCE_LEVELS = (1, 2, 3, 4)
FINE = ("band_coherence", "aligned", "iso_share", "scale_link", "magnitude_link", "colour_link", "colour_ratio")
FINE += ("local_tails",)
COHERENCE = ("coherence_busy", "oriented_busy", "coherence_sq")


def candidate_names() -> list[str]:
    names = [f"{k}{level}" for level in BAND_LEVELS for k in FINE]
    names += [f"{k}{level}" for level in COHERENCE_LEVELS for k in COHERENCE]
    names += [f"colour_energy{level}" for level in COHERENCE_LEVELS]
    names += [f"colour_falloff{level}" for level in COHERENCE_LEVELS[:-1]]
    return names + [f"colour_coherence{level}" for level in BAND_LEVELS]


def _tensor(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    gx, gy = _gradient(x)
    jxx, jyy, jxy = (_blur(_blur(product)) for product in (gx * gx, gy * gy, gx * gy))
    return jxx, jyy, jxy


def _correlation(x: torch.Tensor, y: torch.Tensor) -> float:
    x, y = x.flatten() - x.mean(), y.flatten() - y.mean()
    return float((x * y).sum() / ((x.pow(2).sum() * y.pow(2).sum()).sqrt() + 1e-12))


def _pyramid(x: torch.Tensor, levels: int) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Low-pass levels and Laplacian bands (as picture_statistics.py makes them)."""
    low = [x]
    for _ in range(levels + 1):
        low.append(_blur(low[-1])[..., ::2, ::2])
    bands = [low[k] - _up(low[k + 1], low[k]) for k in range(levels + 1)]
    return low, bands


def _up(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, size=like.shape[-2:], mode="bilinear", align_corners=False)


@torch.no_grad()
def candidate_statistics(picture: torch.Tensor) -> list[float]:
    """The candidates (in `candidate_names()` order) of one (3, H, W) picture at the measure's scale."""
    lab = srgb_to_oklab(picture.clamp(0, 1).permute(1, 2, 0)).permute(2, 0, 1)[None].float()
    low, bands = _pyramid(lab[:, :1], 5)
    colour_low, colour_bands = _pyramid(lab[:, 1:], 5)  # the colour (a, b) pyramid, beside the lightness one
    values: list[float] = []
    for level in BAND_LEVELS:
        band = bands[level]
        jxx, jyy, jxy = _tensor(band)
        trace = (jxx + jyy).clamp_min(1e-12)
        vx, vy = jxx - jyy, 2 * jxy
        strength = (vx * vx + vy * vy).sqrt()
        cxx, cyy, cxy = (_up(t, band) for t in _tensor(low[level + 2]))
        aligned = ((vx * (cxx - cyy) + vy * 2 * cxy) / (cxx + cyy).clamp_min(1e-12)).sum() / trace.sum()
        energy = F.avg_pool2d(band.pow(2), 4, 4)
        coarse = F.avg_pool2d(_up(bands[level + 2], band).pow(2), 4, 4)
        colour = colour_bands[level].pow(2).sum(1, keepdim=True)
        parent = _up(bands[level + 1], band)
        e2, e4 = F.avg_pool2d(band.pow(2), 8, 8), F.avg_pool2d(band.pow(4), 8, 8)
        kurtosis = torch.log((e4 + 1e-14) / (e2.pow(2) + 1e-14))
        busy = e2 > 0.1 * band.pow(2).mean()
        values += [
            float(strength.sum() / trace.sum()),
            float(aligned),
            float((trace * (strength / trace < 0.3)).sum() / trace.sum()),
            _correlation(torch.log(energy + 1e-7), torch.log(coarse + 1e-7)),
            _correlation(_blur(band.abs()), _blur(parent.abs())),
            _correlation(torch.log(energy + 1e-7), torch.log(F.avg_pool2d(colour, 4, 4) + 1e-7)),
            float(np.log((float(colour.mean()) + 1e-9) / (float(band.pow(2).mean()) + 1e-9))),
            float(kurtosis[busy].mean()) if busy.any() else 0.0,
        ]
    for level in COHERENCE_LEVELS:
        jxx, jyy, jxy = _tensor(low[level])
        trace = jxx + jyy
        coherence = ((jxx - jyy) ** 2 + 4 * jxy**2).sqrt() / trace.clamp_min(1e-9)
        busiest = trace > trace.flatten().kthvalue(max(1, int(trace.numel() * 0.75))).values
        values += [
            float(coherence[busiest].mean()),
            float((coherence[busiest] > 0.6).float().mean()),
            float((coherence * trace**2).sum() / (trace**2).sum().clamp_min(1e-18)),
        ]
    energies = [float(band.pow(2).sum(1).mean()) + 1e-9 for band in colour_bands]
    values += [float(np.log(energies[level])) for level in COHERENCE_LEVELS]
    values += [float(np.log(energies[level + 1] / energies[level])) for level in COHERENCE_LEVELS[:-1]]
    for level in BAND_LEVELS:  # one structure tensor of both colour channels (a colour edge of any hue counts)
        tensors = [_tensor(colour_low[level][:, c : c + 1]) for c in range(2)]
        jxx, jyy, jxy = (tensors[0][i] + tensors[1][i] for i in range(3))
        trace = jxx + jyy
        coherence = ((jxx - jyy) ** 2 + 4 * jxy**2).sqrt() / trace.clamp_min(1e-9)
        values.append(float((coherence * trace).sum() / trace.sum().clamp_min(1e-12)))
    return values


def candidates_of_views(picture: Image.Image | torch.Tensor) -> np.ndarray:
    return np.asarray([candidate_statistics(view) for view in views(picture)], dtype=np.float64)


NAMES = statistic_names() + candidate_names()


class Statistics:
    """Format 3's 41 and the candidates, per picture and view, each cached in its folder."""

    def __init__(self, match: Path, candidates: Path) -> None:
        self.match, self.candidates = match, candidates
        self.match.mkdir(parents=True, exist_ok=True)
        self.candidates.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, picture: Image.Image) -> np.ndarray:
        parts = []
        for folder, of_views in ((self.match, statistics_of_views), (self.candidates, candidates_of_views)):
            path = folder / f"{name}.npy"
            if not path.exists():
                np.save(path, of_views(picture))
            parts.append(np.load(path))
        return np.concatenate(parts, axis=1)


def candidates() -> dict[str, list[int]]:
    base = list(range(len(statistic_names())))
    column = NAMES.index

    def added(*names: str) -> list[int]:
        return base + [column(n) for n in names]

    def replaced(mapping: dict[str, str]) -> list[int]:
        return [column(mapping.get(NAMES[c], NAMES[c])) for c in base]

    out = {"format 3 (41, shipped)": base}
    out |= {f"+ {n}": added(n) for n in candidate_names() if not n.startswith(COHERENCE)}
    orientation = [f"{k}{level}" for level in BAND_LEVELS for k in ("band_coherence", "aligned", "iso_share")]
    links = ["scale_link1", "magnitude_link1", "colour_link1"]
    out["+ orientation of the fine bands (6)"] = added(*orientation)
    out["+ scale, magnitude and colour links at 2-4 px (3)"] = added(*links)
    out["+ the links at 2-4 and 4-8 px (6)"] = added(*links, "scale_link2", "magnitude_link2", "colour_link2")
    busiest = {f"coherence{level}": f"coherence_busy{level}" for level in COHERENCE_LEVELS}
    squared = {f"coherence{level}": f"coherence_sq{level}" for level in COHERENCE_LEVELS}
    oriented = {f"oriented_share{level}": f"oriented_busy{level}" for level in COHERENCE_LEVELS}
    out["coherence over the busiest quarter"] = replaced(busiest)
    out["coherence and oriented share over the busiest quarter"] = replaced(busiest | oriented)
    out["coherence weighted by energy squared"] = replaced(squared)
    out["coherence weighted by energy squared + the links (6)"] = replaced(squared) + [
        column(n) for n in (*links, "scale_link2", "magnitude_link2", "colour_link2")
    ]
    colour_coherence = {f"coherence{level}": f"colour_coherence{level}" for level in BAND_LEVELS}
    colour_energy = {"energy1": "colour_energy1", "falloff1": "colour_falloff1"}

    def without(columns: list[int], *names: str) -> list[int]:
        return [c for c in columns if NAMES[c] not in names]

    colour_all = [f"colour_energy{level}" for level in COHERENCE_LEVELS]
    colour_all += [f"colour_falloff{level}" for level in COHERENCE_LEVELS[:-1]]
    out["+ the colour bands' energy and fall-off (7)"] = added(*colour_all)
    out["+ the colour bands' energy, fall-off and coherence (9)"] = added(
        *colour_all, "colour_coherence1", "colour_coherence2"
    )
    out["coherence1-2 of the colour bands"] = replaced(colour_coherence)
    out["coherence1-2 of the colour bands, without oriented_share1"] = without(
        replaced(colour_coherence), "oriented_share1"
    )
    out["coherence1-2 of the colour bands, without oriented_share1, + colour energy and fall-off (7)"] = without(
        replaced(colour_coherence), "oriented_share1"
    ) + [column(n) for n in colour_all]
    out["coherence1-2 of the colour bands, without oriented_share1, + colour_energy1"] = without(
        replaced(colour_coherence), "oriented_share1"
    ) + [column("colour_energy1")]
    out["falloff1, coherence1-2 of the colour bands, without oriented_share1"] = without(
        replaced(colour_coherence | {"falloff1": "colour_falloff1"}), "oriented_share1"
    )
    out["energy1, falloff1, coherence1-2 of the colour bands, without oriented_share1"] = without(
        replaced(colour_coherence | colour_energy), "oriented_share1"
    )
    out["energy1, falloff1, coherence1-2 of the colour bands, without oriented_share1-2"] = without(
        replaced(colour_coherence | colour_energy), "oriented_share1", "oriented_share2"
    )
    fine_orientation = ("coherence1", "oriented_share1", "coherence2", "oriented_share2")
    out["without coherence1-2 and oriented_share1-2 (what is left)"] = [
        c for c in base if NAMES[c] not in fine_orientation
    ]
    return out


def validation(columns: list[int], cases: list, negatives: dict[str, dict[str, np.ndarray]]) -> dict:
    rows = []
    for painter, label, references, held in cases:
        painter_range = PainterRange.from_statistics(references[:, columns])
        same = painter_range.distance_of_statistics(held[:, columns])
        row: dict = {"held out": label}
        for kind, pictures in negatives.items():
            distances = {n: painter_range.distance_of_statistics(s[:, columns]) for n, s in pictures.items()}
            row[kind] = validation_bench.ranking(same, list(distances.values()))
            if kind == "filtered":
                own = [d for n, d in distances.items() if n.startswith(painter + "__")]
                row["filtered by this painter's style"] = validation_bench.ranking(same, own)
        rows.append(row)
    kinds = [kind for kind in rows[0] if kind != "held out"]
    summary: dict = {kind: round(float(np.mean([r[kind] for r in rows])), 3) for kind in kinds}
    summary["cases short of 1.0"] = {
        r["held out"]: {kind: round(r[kind], 3) for kind in kinds if r[kind] < 1.0}
        for r in rows
        if any(r[kind] < 1.0 for kind in kinds)
    }
    return summary


def nested(columns: list[int], art: dict[str, np.ndarray], negatives: dict[str, list[np.ndarray]]) -> dict:
    """Per painter with two or more paintings: the share inside the sheet's bound (the median of the other
    paintings' own leave-one-out distances) of the held-out painting, photographs and filtered photographs."""
    report = {}
    for painter in ("van-gogh", "hokusai"):
        own = [n for n in sorted(art) if n.startswith(painter + "_")]
        inside: dict[str, list[float]] = {"painting": [], **{kind: [] for kind in negatives}}
        for held in own:
            rest = [n for n in own if n != held]
            painter_range = PainterRange.from_statistics(np.concatenate([art[n][:, columns] for n in rest]))
            bound = np.median(
                [
                    PainterRange.from_statistics(
                        np.concatenate([art[m][:, columns] for m in rest if m != n])
                    ).distance_of_statistics(art[n][:, columns])
                    for n in rest
                ]
            )
            inside["painting"].append(float(painter_range.distance_of_statistics(art[held][:, columns]) <= bound))
            for kind, pictures in negatives.items():
                distances = [painter_range.distance_of_statistics(s[:, columns]) for s in pictures]
                inside[kind].append(float(np.mean(np.asarray(distances) <= bound)))
        report[painter] = {kind: round(float(np.mean(v)), 3) for kind, v in inside.items()}
    return report


def eye(columns: list[int], pairs: list[dict], paintings: dict[str, np.ndarray]) -> list[dict]:
    out = []
    for pair in pairs:
        painter_range = PainterRange.from_statistics(paintings[pair["style"]][:, columns])
        distances = {
            side: {n: painter_range.distance_of_statistics(s[:, columns]) for n, s in pair[side].items()}
            for side in ("eye", "other")
        }
        out.append({"pair": pair["label"], **eye_bench.verdict(distances, per_picture=False)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/atelier-painting-match-cache"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()
    # The validation bench's pictures share its cache of the 41; the eye bench's renders and the styles' paintings
    # have their own (bench/painting_match_ranges.py reads every file in the validation bench's).
    statistics = Statistics(args.cache / "statistics", args.cache / "statistics-texture")
    eye_statistics = Statistics(args.cache / "statistics-eye", args.cache / "statistics-texture-eye")
    paintings, pictures = validation_bench.bench_pictures(args.cache)
    negatives = {kind: {n: statistics(n, im) for n, im in group.items()} for kind, group in pictures.items()}
    cases = []
    for painter in validation_bench.PAINTERS:
        for label, references, held_name, held in validation_bench.cases(paintings, painter):
            reference = np.concatenate([statistics(n, im) for n, im in references.items()])
            cases.append((painter, label, reference, statistics(held_name, held)))
    art = {n: statistics(n, im) for n, im in paintings.items() if n.startswith(("van-gogh_", "hokusai_"))}
    nested_negatives = {
        "photographs": list(negatives["photographs"].values()),
        "filtered": list(negatives["filtered"].values()),
    }
    print(f"validation pictures measured after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    unseen = unseen_pictures()
    pairs = []
    for pair in json.loads(eye_bench.PAIRS.read_text())["pairs"]:
        row = {"label": pair["label"], "style": pair["style"]}
        for side in ("eye", "other"):
            renders = eye_bench.render(args.cache / "eye", pair["style"], pair[side], unseen)
            key = f"eye_{pair['style']}_{pair[side]['name']}".replace(" ", "_").replace("/", "_")
            row[side] = {n: eye_statistics(f"{key}_{n.replace(' ', '_')}", r) for n, r in renders.items()}
        pairs.append(row)
    style_paintings = {
        style: np.concatenate(
            [eye_statistics(f"style_{file}", load_image(ART / file, max_side=1024).image) for file in STYLES[style]]
        )
        for style in {p["style"] for p in pairs}
    }
    print(f"eye renders measured after {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    report: dict = {"statistics": NAMES, "candidates": []}
    for label, columns in candidates().items():
        result = {
            "candidate": label,
            "validation": validation(columns, cases, negatives),
            "nested, the sheet's rule (inside)": nested(columns, art, nested_negatives),
            "eye": eye(columns, pairs, style_paintings),
        }
        result["agrees with the eye"] = sum(p["agrees with the eye"] for p in result["eye"])
        report["candidates"].append(result)
        summary = " ".join(f"{v:.3f}" for v in result["validation"].values() if isinstance(v, float))
        pairs_line = " ".join(
            f"{p['median eye']:.3f}/{p['median other']:.3f}{'*' if p['agrees with the eye'] else ''}"
            for p in result["eye"]
        )
        print(f"{label:62s} {summary} | {pairs_line}", file=sys.stderr, flush=True)
    report["seconds"] = round(time.perf_counter() - started, 1)
    lines = ",\n  ".join(json.dumps(c) for c in report.pop("candidates"))
    print(json.dumps(report, indent=1)[:-2] + ',\n "candidates": [\n  ' + lines + "\n ]\n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
