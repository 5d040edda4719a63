"""Learn a painter's stroke style from the paintings: measured where it can be, searched where it cannot.

Measured directly from the paintings: the colour habits (colour_map.py), the painter's few paints
(bands.py), the colour of the painter's dark lines, and the angle his strokes lean in open areas. Searched: the brush parameters
(stroke_style.BOUNDS) that bring renders of a few photographs into the painter's range: the
distance of painting_match.py over the surface statistics of picture_statistics.py (marks by size,
their boldness and evenness, flat areas, direction, colour), the measure validated against
photographs and texture-filtered photographs (bench/painting_match_validation.py). Renders are
made and measured at the measure's own scale (long side 512 px).

The search is a (1 + 1) evolution strategy in the parameters scaled to [0, 1]: each round perturbs
a few parameters of the best so far, keeps a better candidate, and widens or narrows its steps by
Rechenberg's one-fifth rule. A mild prior pulls toward the middle-of-the-road brush, so that a
statistic is never worth an extreme. A parameter the style has never fitted (one added to the renderer
after the style was made, still at its "off" value) is first tried at a few values on its own, since
the strategy's small random steps would rarely find it; and after many failures in a row the step
size is widened again, so the search does not creep in ever smaller steps around one valley. Renders use one seed throughout, so the objective is
deterministic and the search repeatable; it stops at its time or evaluation budget.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

from ...jobs import Event, Progress, Result, check_cancelled
from ..images import pil_to_tensor
from ..painting_match import MAX_PAINTINGS as MAX_RANGE_PAINTINGS
from ..painting_match import PainterRange
from ..picture_statistics import LONG_SIDE, picture_statistics, statistic_names
from .bands import measure_palette
from .colour_map import ColourHabits
from .field import region_memberships, structure_tensor, tangent_of
from .filters import resize, to_oklab
from .render import StrokeParams, render_strokes
from .simplify import simplify
from .stroke_style import ADDED_LATER, BOUNDS, StrokeStyle

# Not searched: the outline. Against the painter match the search drew every edge with the widest, darkest
# contour (the lines' energy and heavy tails are what the fill strokes lack), which the eye reads as a cartoon.
# It keeps the value it starts from: an earlier fit's, or the default.
# Nor whether the contours are joined: a look judged by eye beside the prints.
KEPT = ("outline", "outline_width", "joined_line")
SEARCHED = [name for name in BOUNDS if name != "hatch_angle" and name not in KEPT]
MAX_PAINTINGS = 200  # a larger folder is sampled evenly: the statistics settle long before
MAX_PHOTOS = 2  # photographs rendered per try: the cost of the search is in these renders
# The palette strength the renders are fitted at: the Paint tab's, the CLI's and a recipe's default, so the
# search judges what users see (it fitted at 0.7 until session 6, while every render showed 0.5).
FIT_PALETTE = 0.5
PRIOR_WEIGHT = 0.15  # pull toward the middle-of-the-road brush: a statistic is not worth any extreme
ANALYSIS_SIDE = 320  # long side (px) at which colours, lines and the hatch angle are measured
SWEEP = (0.25, 0.6, 0.95)  # where a parameter the style has never fitted is tried first (of its range)
STALL = 12  # failures in a row after which the step size is widened again (a restart out of a narrow valley)


@dataclass
class FitReport:
    evaluations: int
    seconds: float
    distance_start: float
    distance_end: float
    target: dict[str, float]
    fitted: dict[str, float]
    history: list[float] = field(default_factory=list)

    def to_json(self) -> dict:
        """What a style's description records about the fit."""
        return {
            "evaluations": self.evaluations,
            "seconds": round(self.seconds, 1),
            "distance_start": round(self.distance_start, 4),
            "distance_end": round(self.distance_end, 4),
            "painter_statistics": self.target,  # the painter range's mean (picture_statistics.py)
            "render_statistics": self.fitted,  # the fitted renders' mean
        }


def _analysis_lab(image: Image.Image) -> torch.Tensor:
    rgb = pil_to_tensor(image)
    height, width = rgb.shape[-2:]
    scale = ANALYSIS_SIDE / max(height, width)
    return to_oklab(resize(rgb, max(16, round(height * scale)), max(16, round(width * scale))).clamp(0, 1))


def _at_measure_scale(photo: Image.Image) -> Image.Image:
    """A copy with the long side at the measure's scale, where renders are made and measured."""
    scale = LONG_SIDE / max(photo.size)
    size = (max(64, round(photo.width * scale)), max(64, round(photo.height * scale)))
    return photo.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def _measurable(painting: Image.Image) -> Image.Image:
    """The painting, or its middle where it is more than four times longer than wide: the measure needs
    some width at its scale (a banner of 4000 x 60 would be 8 px across)."""
    width, height = painting.size
    if max(width, height) <= 4 * min(width, height):
        return painting
    keep_w, keep_h = min(width, 4 * height), min(height, 4 * width)
    left, top = (width - keep_w) // 2, (height - keep_h) // 2
    return painting.crop((left, top, left + keep_w, top + keep_h))


def _describe(statistics: np.ndarray) -> dict[str, float]:
    return {name: round(float(v), 4) for name, v in zip(statistic_names(), statistics, strict=True)}


def line_colour(labs: list[torch.Tensor]) -> torch.Tensor:
    """The OKLab colour of the paintings' thin dark lines (a black top-hat), or of their darkest paint."""
    picked = []
    for lab in labs:
        lightness = lab[0][None, None]
        closed = -torch.nn.functional.max_pool2d(-torch.nn.functional.max_pool2d(lightness, 5, 1, 2), 5, 1, 2)
        line = ((closed - lightness)[0, 0] > 0.08) & (lab[0] < 0.5)
        picked.append(lab.reshape(3, -1)[:, line.flatten()])
    lines = torch.cat(picked, dim=1)
    if lines.shape[1] < 200:
        pooled = torch.cat([lab.reshape(3, -1) for lab in labs], dim=1)
        lines = pooled[:, pooled[0] <= torch.quantile(pooled[0], 0.05)]
    return lines.median(dim=1).values


def hatch_angle(labs: list[torch.Tensor]) -> tuple[float, float]:
    """The angle (radians) strokes lean in the paintings' open areas, and how consistently (0 to 1)."""
    total = torch.zeros(2)
    weight_sum = torch.tensor(0.0)
    for lab in labs:
        tangent, anisotropy = tangent_of(structure_tensor(lab, 2.0))
        kinds = region_memberships(simplify(lab, 3), 0.75)
        weight = anisotropy * (kinds[0] + kinds[1])
        total += (tangent * weight).reshape(2, -1).sum(1)
        weight_sum += weight.sum()
    mean = total / weight_sum.clamp_min(1e-9)
    return 0.5 * math.atan2(float(mean[1]), float(mean[0])), float(mean.norm())


def _to_unit(values: dict[str, float]) -> torch.Tensor:
    return torch.tensor([(values[n] - BOUNDS[n][0]) / (BOUNDS[n][1] - BOUNDS[n][0]) for n in SEARCHED])


def _from_unit(vector: torch.Tensor) -> dict[str, float]:
    return {n: BOUNDS[n][0] + float(v) * (BOUNDS[n][1] - BOUNDS[n][0]) for n, v in zip(SEARCHED, vector, strict=True)}


def fit_stroke_style(
    paintings: list[Image.Image],
    photos: list[Image.Image],
    *,
    seconds: float = 600.0,
    max_evaluations: int = 400,
    seed: int = 0,
    cancel: threading.Event | None = None,
    start_from: dict[str, float] | None = None,
    sweep_all: bool = False,
    sketches: Sequence[Image.Image] = (),
    only: Sequence[str] | None = None,
) -> Iterator[Event]:
    """The fitting job: Progress events, then Result((StrokeStyle, FitReport)).

    `start_from`: brush parameters to start the search from (an earlier fit's, to carry on from it);
    the measured ones (colours, paints, line colour, hatch angle) are measured again. `sweep_all`: begin with one
    pass of single-parameter tries (each parameter at the SWEEP values, keeping what helps), a coordinate
    search that finds moves the random steps miss. `sketches`: flat-colour pictures rendered beside the
    photographs (a style fitted on photographs alone learns to hide a photograph's detail, and can lay a
    surface on a flat sketch that is nothing like the painter's). `only`: search these parameters alone and keep
    every other one where `start_from` has it (a refit of a few amounts added to a style the eye has accepted:
    Turner's whole refits were nearer by the measure and laid stripes and marbling the eye refused)."""
    started = time.monotonic()
    if only is not None and (unknown := sorted(set(only) - set(SEARCHED))):
        raise ValueError(f"these are not searched brush parameters: {', '.join(unknown)}")
    photos = photos[:MAX_PHOTOS]
    if len(paintings) > MAX_PAINTINGS:
        stride = len(paintings) / MAX_PAINTINGS
        paintings = [paintings[int(i * stride)] for i in range(MAX_PAINTINGS)]
    yield Progress(0.0, f"measuring {len(paintings)} paintings")
    labs = []
    for painting in paintings:
        check_cancelled(cancel)
        labs.append(_analysis_lab(painting))
    yield Progress(0.0, "measuring the painter's range")
    painter = PainterRange.from_pictures([_measurable(p) for p in paintings[:MAX_RANGE_PAINTINGS]])
    angle, consistency = hatch_angle(labs)
    start = StrokeStyle(
        colours=ColourHabits.measure(labs), outline_colour=line_colour(labs), paints=measure_palette(labs)
    )
    start = start.with_parameters({"hatch_angle": angle, "hatch_pull": min(1.0, 2 * consistency)})
    prior = _to_unit(start.brush_parameters())  # the default brush, whatever the search starts from
    if start_from:
        start = start.with_parameters({k: v for k, v in start_from.items() if k in SEARCHED or k in KEPT})
    pictures = [_at_measure_scale(p) for p in [*photos, *sketches]]

    def statistics_of(candidate: StrokeStyle) -> np.ndarray:
        """(pictures, D): the statistics of the candidate's renders of the photographs and sketches."""
        renders = [render_strokes(p, candidate, StrokeParams(seed=seed, palette=FIT_PALETTE)) for p in pictures]
        return np.stack([picture_statistics(pil_to_tensor(r)) for r in renders])

    def score(candidate: StrokeStyle) -> tuple[float, np.ndarray]:
        """The candidate's distance, and its renders' statistics (the report describes the best one's)."""
        statistics = statistics_of(candidate)
        distances = [painter.distance_of_statistics(row[None]) for row in statistics]
        moved = float(((_to_unit(candidate.brush_parameters()) - prior) ** 2).mean())
        return float(np.mean(distances)) + PRIOR_WEIGHT * moved, statistics

    free = torch.tensor([only is None or name in only for name in SEARCHED])  # the coordinates the search may move
    generator = torch.Generator().manual_seed(seed)
    best_vector = _to_unit(start.brush_parameters())
    best_style = start
    best, best_statistics = score(start)
    first = best
    history, evaluations, sigma, failures = [best], 1, 0.2, 0
    never_fitted = [n for n in SEARCHED if n in ADDED_LATER and getattr(start, n) == ADDED_LATER[n]]
    swept = [n for n in (SEARCHED if sweep_all else never_fitted) if only is None or n in only]
    sweep = [(SEARCHED.index(n), v) for n in swept for v in SWEEP]
    while evaluations < max_evaluations and time.monotonic() - started < seconds:
        check_cancelled(cancel)
        if sweep:
            index, value = sweep.pop(0)
            vector = best_vector.clone()
            vector[index] = value
        else:
            movable = free.nonzero().flatten()
            chosen = movable[torch.randperm(len(movable), generator=generator)[:4]]
            step = torch.zeros(len(SEARCHED))
            step[chosen] = torch.randn(len(chosen), generator=generator) * sigma
            vector = (best_vector + step).clamp(0, 1)
        candidate = start.with_parameters(_from_unit(vector))
        value, statistics = score(candidate)
        evaluations += 1
        if value < best:
            best, best_vector, best_style, best_statistics, failures = value, vector, candidate, statistics, 0
            sigma = min(0.5, sigma * 1.5)
        else:
            failures += 1
            sigma = 0.2 if failures % STALL == 0 else max(0.02, sigma * 0.92)
        history.append(best)
        elapsed = time.monotonic() - started
        yield Progress(
            min(0.99, max(evaluations / max_evaluations, elapsed / seconds)),
            f"fitting brushwork: distance {best:.3f} after {evaluations} tries",
        )
    final_stats = best_statistics.mean(0)
    report = FitReport(
        evaluations=evaluations,
        seconds=time.monotonic() - started,
        distance_start=first,
        distance_end=best,
        target=_describe(painter.mean),
        fitted=_describe(final_stats),
        history=history,
    )
    yield Result((best_style, report))
