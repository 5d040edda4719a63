"""The printer's blocks (strokes/blocks.py, `blocks`): a photograph's shaded areas printed as a woodblock's few flat,
graded colour areas, their edges kept, their inks spread toward the painter's range of lightness, under the key
block's lines; a style at 0 paints as before."""

from __future__ import annotations

import numpy as np
import torch

from models.jobs import run_job
from models.paint.colour import oklab_to_srgb
from models.paint.render import RenderParams
from models.paint.strokes import plan as plan_module
from models.paint.strokes.blocks import CONTRAST, block_print
from models.paint.strokes.brush import MAX_POINTS
from models.paint.strokes.render import StrokeParams, plan_for, stroke_render_job
from models.paint.strokes.stroke_style import ADDED_LATER
from tests.learned_amounts import assert_reached_only_when_on
from tests.test_lost_edges import _style

HEIGHT, WIDTH, EDGE = 96, 128, 64


def _shaded_areas(blotch: int = 8) -> torch.Tensor:
    """(3, H, W) OKLab: a photograph's few areas (as many as the printer's blocks), a dark blue half and a pale cream
    half beside each other, the rest as bands above and below them, each with its own shading (blotches about `blotch`
    px across, lightness +-0.05)."""
    generator = torch.Generator().manual_seed(0)
    grid = torch.rand((1, 1, HEIGHT // blotch, WIDTH // blotch), generator=generator)
    noise = torch.nn.functional.interpolate(grid, (HEIGHT, WIDTH), mode="bicubic", align_corners=False)[0, 0]
    picture = torch.empty((3, HEIGHT, WIDTH))
    picture[:, :, :EDGE] = torch.tensor([0.35, -0.02, -0.08])[:, None, None]
    picture[:, :, EDGE:] = torch.tensor([0.85, 0.0, 0.05])[:, None, None]
    others = [
        (0.6, 0.12, 0.08),
        (0.5, -0.1, 0.06),
        (0.7, 0.02, 0.14),
        (0.2, 0.05, 0.0),
        (0.95, 0.0, 0.0),
        (0.55, 0.0, -0.12),
    ]
    for number, colour in enumerate(others):  # bands of 8 px, three at the top and three at the bottom
        top = number * 8 if number < 3 else HEIGHT - (6 - number) * 8
        picture[:, top : top + 8] = torch.tensor(colour)[:, None, None]
    picture[0] += 0.1 * (noise - 0.5)
    return picture


def test_the_shading_inside_an_area_goes_and_its_edge_stays():
    picture = _shaded_areas()
    printed = block_print(picture, unit=1.0, spread=0.0)
    rows = slice(28, HEIGHT - 28)  # the two halves, away from the bands
    for side in (slice(4, EDGE - 4), slice(EDGE + 4, WIDTH - 4)):
        assert printed[0, rows, side].std() < 0.4 * picture[0, rows, side].std()
    # One clean cut where the picture has its edge: within a pixel of it, each side keeps its own colour.
    assert (printed[0, rows, : EDGE - 1] < 0.5).all() and (printed[0, rows, EDGE + 1 :] > 0.7).all()


def test_a_slow_grade_is_kept_without_steps():
    """A sky that pales down the picture (0.15 over 96 px, as a photograph's sky pales 0.3 over 200-300 px): printed in
    a few blocks, each graded, so it still pales all the way down and no block's edge is a step: from one row to the
    next the print changes at most a few times as much as the sky (its inks spread or not). A block's mean over GRADE
    px, and each block's ink spread by its own amount, printed it in visible steps (up to 15 times the sky's)."""
    ramp = torch.linspace(0.7, 0.85, HEIGHT)
    picture = torch.stack(
        [ramp[:, None].expand(HEIGHT, WIDTH), torch.zeros(HEIGHT, WIDTH), torch.full((HEIGHT, WIDTH), -0.04)]
    )
    for spread in (0.0, 10.0):
        printed = block_print(picture, unit=1.0, spread=spread)[0, :, WIDTH // 2]
        assert printed[-1] - printed[0] > 0.8 * (ramp[-1] - ramp[0])
        assert printed.diff().abs().max() < 3 * CONTRAST * ramp.diff().max()


def test_the_inks_spread_toward_the_painters_lightness_and_no_further():
    picture = _shaded_areas()
    narrow = block_print(picture, unit=1.0, spread=0.0)
    widened = block_print(picture, unit=1.0, spread=10.0)  # far wider than the picture: stretched as far as allowed
    gap = lambda printed: float(printed[0, 28:-28, EDGE + 8 :].mean() - printed[0, 28:-28, : EDGE - 8].mean())  # noqa: E731
    assert abs(gap(widened) - CONTRAST * gap(narrow)) < 0.02
    assert torch.equal(block_print(picture, unit=1.0, spread=0.01), narrow)  # already as wide: as it was


def test_the_paint_is_printed_flat_under_its_lines():
    """At 1 an area's shading is gone, the contours drawn over it as they were (but for their edges' sub-pixel blend
    with the print beside them). Painted at 128 px, the blotches are 2 px across: 8 px at the 512 px the amounts are
    measured at."""
    picture = _shaded_areas(blotch=2)
    rgb = oklab_to_srgb(picture.permute(1, 2, 0)).permute(2, 0, 1).clamp(0, 1)
    params = StrokeParams(seed=1, size=(WIDTH, HEIGHT), palette=0.0)  # the picture's own colours

    # Small strokes that follow the shading, as a photograph's are painted
    brushes = dict(outline=0.6, brush_size=0.02, length=4.0, threshold=0.03)

    def painted(amount: float) -> np.ndarray:
        job = stroke_render_job(_style(blocks=amount, **brushes), rgb, params)
        return np.asarray(run_job(job), float) / 255

    plain, printed = painted(0.0), painted(1.0)
    plan = plan_for(_style(blocks=1.0, **brushes), rgb, params, WIDTH, HEIGHT)
    keys = plan.key_map.inner()
    lined = ((keys >= 0) & plan.is_outline[(keys // MAX_POINTS).clamp_min(0)]).numpy()
    assert lined.any() and np.abs(plain[lined] - printed[lined]).mean() < 3 / 255
    inside = np.zeros((HEIGHT, WIDTH), bool)
    inside[28:-28, 4 : EDGE - 4] = True
    inside &= ~lined
    assert printed[inside].std(0).mean() < 0.6 * plain[inside].std(0).mean()


def test_at_0_nothing_is_printed(monkeypatch):
    """0 is its default and its value in a style saved before it (test_paint_strokes: ADDED_LATER)."""
    assert ADDED_LATER["blocks"] == 0.0 and _style().blocks == 0.0
    source = torch.rand((3, 48, 64), generator=torch.Generator().manual_seed(0))
    params = StrokeParams(seed=RenderParams().seed)
    assert_reached_only_when_on(
        monkeypatch,
        [(plan_module, "block_print")],
        at_zero=lambda: plan_for(_style(blocks=0.0), source, params, 64, 48),
        switched_on=[lambda: plan_for(_style(blocks=1.0), source, params, 64, 48)],
    )


def test_tiles_join_with_the_print():
    """Drawn at another size than the plan's, whole and in 64-px tiles: the same pixels."""
    picture = torch.rand((3, 48, 64), generator=torch.Generator().manual_seed(3))
    style = _style(blocks=0.8, outline=0.6, grain=0.02)

    def painted(tile: int) -> np.ndarray:
        return np.asarray(run_job(stroke_render_job(style, picture, StrokeParams(seed=2, size=(150, 112), tile=tile))))

    assert np.array_equal(painted(4096), painted(64))
