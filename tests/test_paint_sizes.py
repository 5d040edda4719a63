"""Sizes are checked before anything is allocated, and memory stays bounded at any accepted size:
painting from scratch draws its scene sketch no larger than 1536 px, and the texture measure and the
painter match measure a huge painting on a reduced copy. The largest sizes themselves (16,384 px a side,
minutes each) are measured by bench/largest_paintings.py, not here."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from app.cli import main
from models.paint.sizes import MAX_SIDE, check_output_size

# The child's own peak (VmHWM): ru_maxrss carries the parent's across exec, so under a pytest process
# already larger than the work's peak it measured no growth at all, whatever the work did.
PEAK = """
import torch
from tests.support.memory import status_kb
torch.set_num_threads(1)
{setup}
before = status_kb("VmHWM")
{work}
print((status_kb("VmHWM") - before) // 1024)
"""


def _peak_megabytes(setup: str, work: str) -> int:
    """How far the peak memory of a fresh Python rises over `work` (after `setup`), in MB."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK.format(setup=setup, work=work)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


@pytest.mark.parametrize("size", ["0x0", "20000x20000", "7x100", "16385x8", "100x-5", "axb", "1e9x1e9"])
def test_a_size_outside_the_range_is_refused_at_once_with_the_largest_said(tmp_path, capsys, size):
    started = time.monotonic()
    code = main(["paint", "--style", "munch", "--from-scratch", "--size", size, "-o", str(tmp_path / "p.png")])
    assert code == 2 and time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert "16,384" in err or "WIDTHxHEIGHT" in err
    assert not (tmp_path / "p.png").exists()


def test_the_largest_size_is_said_up_front():
    from app.cli import build_parser

    assert f"{MAX_SIDE:,}" in build_parser()._subparsers._group_actions[0].choices["paint"].format_help()
    assert check_output_size((MAX_SIDE, 8)) == (MAX_SIDE, 8)


SCRATCH_SETUP = """
from models.paint.style import find_style, load_style
from models.jobs import run_job
from models.paint.render import RenderParams
from models.paint.scratch import paint_from_scratch_job
style = load_style(find_style("munch", []), "cpu")
"""


def test_painting_from_scratch_does_not_grow_with_the_output_beyond_the_picture_itself():
    # 2048 x 512: the picture is 3 MB. Before, the canvas and its swatch distances at output size took about
    # 250 bytes a pixel (~1 GB at 4096 x 1024): ~260 MB here on top of the ~170 MB this run grows by now (most
    # of it the first render's own set-up, much the same at any size). 4096 x 1024 took 4x the CPU to tell it.
    grown = _peak_megabytes(
        SCRATCH_SETUP, "run_job(paint_from_scratch_job(style, '', RenderParams(seed=1, size=(2048, 512))))"
    )
    assert grown < 300, f"{grown} MB"


def test_the_texture_measure_of_a_huge_painting_is_measured_on_a_reduced_copy():
    setup = """
from PIL import Image
from models.paint.measure import band_passed_crops
picture = Image.new("RGB", (8192, 8192), "white")
"""
    grown = _peak_megabytes(setup, "band_passed_crops(picture, 24, seed=0)")
    assert grown < 300, f"{grown} MB"  # before: 8192 x 8192 as float pixels, 805 MB per copy


def test_the_painter_match_of_a_huge_painting_is_measured_on_a_reduced_copy():
    setup = """
from PIL import Image
from models.paint.picture_statistics import statistics_of_views
picture = Image.new("RGB", (8192, 8192), "white")
"""
    grown = _peak_megabytes(setup, "statistics_of_views(picture)")
    assert grown < 300, f"{grown} MB"


def test_stroke_tiles_pasted_into_one_picture_are_the_float_painting_rounded(one_torch_thread):
    # The stroke look pastes each tile into the picture as bytes (one 1.07 GB picture at 16,384 x 16,384,
    # where the floats and their conversion held over 8 GB); its pixels are the float painting's, rounded.
    import numpy as np
    from PIL import Image

    from models.paint.images import pil_to_tensor, tensor_to_pil
    from models.paint.strokes import StrokeParams
    from models.paint.strokes.raster import rasterize
    from models.paint.strokes.render import plan_for
    from models.paint.style import find_style, load_style

    style = load_style(find_style("munch", []), "cpu").stroke_style
    picture = pil_to_tensor(Image.radial_gradient("L").convert("RGB").resize((96, 64)))
    plan = plan_for(style, picture, StrokeParams(seed=3, plan_side=64).checked(), 200, 130)
    *_, (_, floats) = rasterize(plan, style, 130, 200, 3, tile=64)
    *_, (_, pasted) = rasterize(plan, style, 130, 200, 3, tile=64, as_picture=True)
    assert isinstance(pasted, Image.Image) and pasted.size == (200, 130)
    assert np.array_equal(np.asarray(pasted), np.asarray(tensor_to_pil(floats)))
