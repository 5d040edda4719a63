"""Munch's long bands along the contours (band_flow), in streaks of one paint (band_rhythm), and subjects that keep
their colour (band_keep)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.strokes import StrokeParams, StrokeStyle
from models.paint.strokes import field as field_module
from models.paint.strokes import plan as plan_module
from models.paint.strokes.bands import banded_pairs
from models.paint.strokes.colour_map import ColourHabits
from models.paint.strokes.field import direction_field, flow_streaks, region_memberships
from models.paint.strokes.filters import to_oklab, to_rgb
from models.paint.strokes.render import plan_for
from tests.learned_amounts import assert_reached_only_when_on

# A painter's few paints (OKLab), darkest first, none of them red.
PAINTS = torch.tensor(
    [
        [0.22, -0.03, 0.01],
        [0.3, -0.04, -0.02],
        [0.4, 0.02, 0.05],
        [0.5, 0.06, 0.1],
        [0.6, 0.08, 0.12],
        [0.7, 0.04, 0.14],
        [0.8, 0.0, 0.15],
        [0.9, 0.0, 0.05],
    ]
)
QUIET = {"outline": 0.0, "jitter": 0.0, "accents": 0.0, "wash": 0.0, "glow": 0.0, "hue_gather": 0.0}


def _style(**brushes) -> StrokeStyle:
    habits = ColourHabits.measure([to_oklab(torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0)))])
    values = {"bands": 1.0, "band_hue": 0.5, "band_contrast": 0.5, **QUIET, **brushes}
    return StrokeStyle(colours=habits, paints=PAINTS).with_parameters(values)


def _ramp(width: int = 96, height: int = 64) -> torch.Tensor:
    """(3, H, W) OKLab: on the left, lightness rising smoothly along the diagonal (its level lines run the other
    diagonal); on the right, busy stripes, whose strong edges make the gentle gradient no edge to follow."""
    y, x = torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij")
    lightness = 0.3 + 0.5 * (x + y).float() / (width + height)
    lightness = torch.where((x >= 40) & (x % 4 < 2), 0.85, torch.where(x >= 40, 0.25, lightness))
    return torch.stack([lightness, torch.zeros_like(lightness), torch.zeros_like(lightness)])


def test_at_zero_the_contour_flow_and_the_subjects_are_never_worked_out(monkeypatch):
    """At 0 neither mechanism runs (nor draws from the generator), so a style without them paints as before;
    switched on, each does run (the stand-ins below are really reached)."""

    source = pil_to_tensor(Image.new("RGB", (48, 32), (200, 60, 50)))
    params = StrokeParams(seed=1, palette=1.0)
    mechanism = [(field_module, "contour_flow"), (plan_module, "subject_map"), (plan_module, "flow_streaks")]
    switched_on = [
        lambda amount=amount: plan_for(_style(**{amount: 0.5}), source, params, 48, 32)
        for amount in ("band_flow", "band_keep", "band_rhythm")
    ]
    assert_reached_only_when_on(monkeypatch, mechanism, lambda: plan_for(_style(), source, params, 48, 32), switched_on)


def test_with_band_flow_strokes_run_along_the_level_lines_of_a_smooth_gradient_and_farther():
    """On a smooth diagonal gradient, hatching set straight across the level lines: at flow 1 the field runs
    along the level lines (within the bands' undulation), and the strokes laid along it are longer."""
    lab = _ramp()
    unit = 96 / 512
    across = float(np.arctan2(1.0, 1.0))  # the gradient's own direction: hatching that climbs it
    memberships = region_memberships(lab, unit)
    along_gradient = torch.tensor([np.cos(across), np.sin(across)], dtype=torch.float32)

    def cosines(flow: float) -> torch.Tensor:
        doubled = direction_field(
            lab,
            memberships,
            torch.zeros(3),
            unit=unit,
            hatch_angle=across,
            hatch_pull=1.0,
            generator=torch.Generator().manual_seed(0),
            flow=flow,
        )
        half = torch.atan2(doubled[1], doubled[0]) / 2
        return (torch.cos(half) * along_gradient[0] + torch.sin(half) * along_gradient[1]).abs()[6:-6, 6:30]

    assert float(cosines(0.0).mean()) > 0.8  # the hatching climbs the gradient
    assert float(cosines(1.0).mean()) < 0.3  # the flow crosses it at right angles: along the level lines

    picture = Image.fromarray((to_rgb(lab).clamp(0, 1).permute(1, 2, 0).numpy() * 255).astype(np.uint8))
    source = pil_to_tensor(picture)
    params = StrokeParams(seed=2, palette=1.0)
    lengths, steps = {}, {}
    for flow in (0.0, 1.0):
        style = _style(band_flow=flow, swirl_open_upper=0.0, swirl_open_lower=0.0, swirl_busy=0.0)
        style = style.with_parameters({"hatch_angle": across, "hatch_pull": 1.0, "length": 8.0})
        plan = plan_for(style, source, params, 96, 64)
        lengths[flow] = float(((plan.last - plan.first).float() * plan.radius).mean())
        steps[flow] = int((plan.last - plan.first).max())
    assert lengths[1.0] > 1.5 * lengths[0.0]
    assert steps[0.0] <= 2 * 8 < steps[1.0]  # up to twice the style's length each way


def test_band_keep_lets_a_vivid_subject_keep_its_colour_while_its_ground_takes_the_paints():
    """A red disc on an even light-blue ground: at band keep 1 the disc's strokes stay red (none of the paints is),
    at 0 they take the paints like the ground; the ground's strokes take the paints either way (a blue that does
    not stand out from its surroundings is no subject)."""
    image = np.zeros((64, 96, 3))
    image[:] = [0.55, 0.7, 0.9]  # light blue
    y, x = np.mgrid[0:64, 0:96]
    disc = (x - 48) ** 2 + (y - 32) ** 2 < 14**2
    image[disc] = [0.85, 0.1, 0.1]  # red
    source = pil_to_tensor(Image.fromarray((image * 255).astype(np.uint8)))
    params = StrokeParams(seed=4, palette=1.0)
    plans = {keep: plan_for(_style(band_keep=keep), source, params, 96, 64) for keep in (0.0, 1.0)}
    for keep, plan in plans.items():
        middle = plan.paths[torch.arange(plan.count), (plan.first + plan.last) // 2]
        inside = (middle[:, 0] - 48) ** 2 + (middle[:, 1] - 32) ** 2 < 8**2
        outside = (middle[:, 0] - 48) ** 2 + (middle[:, 1] - 32) ** 2 > 22**2
        assert inside.sum() >= 3 and outside.sum() >= 10
        reds = plan.colour[inside, 1]  # OKLab a: red is high, the paints are at most 0.08
        ground_to_paints = torch.cdist(plan.colour[outside], PAINTS).min(1).values
        assert float(ground_to_paints.max()) < 0.02  # the ground is in the paints, whatever the keep
        if keep == 1.0:
            assert float(reds.min()) > 0.15
        else:
            assert float(reds.max()) < 0.1


def test_band_rhythm_chooses_paints_in_streaks_along_the_flow():
    """Along a level field the streak values change slowly and across it quickly, spread evenly over 0 to 1 (so
    the bands keep each area's lightness on average); strokes given them take the lighter paint exactly where
    their value is below the odds, and draw at random where they have none (NaN)."""
    height, width = 64, 96
    level = torch.zeros(2, height, width)
    level[0] = 1.0  # doubled angle 0: horizontal
    streaks = flow_streaks(level, 0.5, torch.Generator().manual_seed(0))  # as in a 256-px plan: 6-px streaks
    along = (streaks[:, 8:] - streaks[:, :-8]).abs()[4:-4, 4:-4].mean()
    across = (streaks[8:] - streaks[:-8]).abs()[4:-4, 4:-4].mean()
    assert float(across) > 3 * float(along)
    assert abs(float(streaks.mean()) - 0.5) < 0.02 and float(streaks.min()) < 0.02 and float(streaks.max()) > 0.98

    grey = torch.tensor([[0.55, 0.0, 0.0]]).repeat(6, 1)
    given = torch.tensor([0.0, 0.1, 0.2, 0.8, 0.9, 0.99])
    colours = banded_pairs(grey, PAINTS, 1.0, 0.0, torch.Generator().manual_seed(0), streaks=given)[0]
    assert (colours[:3, 0] > 0.55).all() and (colours[3:, 0] < 0.55).all()
    drawn = [
        banded_pairs(grey, PAINTS, 1.0, 0.0, torch.Generator().manual_seed(seed), streaks=torch.full((6,), np.nan))[0]
        for seed in range(4)
    ]
    assert len({tuple((c[:, 0] > 0.55).tolist()) for c in drawn}) > 1
