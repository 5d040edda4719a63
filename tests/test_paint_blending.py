"""A style strength under 1: the painting blended with its picture enlarged, a band of rows at a time."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from models.paint.blending import blend_over


@pytest.mark.parametrize(
    ("picture_size", "painting_size", "band"),
    [
        ((64, 48), (300, 200), 7),
        ((97, 31), (1234, 987), 100),
        ((500, 400), (300, 200), 16),
        ((300, 200), (300, 200), 9),
    ],
)
def test_blending_a_band_at_a_time_gives_the_whole_blend(picture_size, painting_size, band):
    """The same pixels as enlarging the whole picture and blending, to within one level of rounding."""
    rng = np.random.default_rng(0)
    picture = Image.fromarray(rng.integers(0, 256, (*picture_size[::-1], 3), dtype=np.uint8))
    painted = Image.fromarray(rng.integers(0, 256, (*painting_size[::-1], 3), dtype=np.uint8))
    whole = Image.blend(picture.resize(painting_size, Image.Resampling.LANCZOS), painted, 0.37)
    banded = blend_over(picture, painted.copy(), 0.37, band)
    difference = np.abs(np.asarray(whole, int) - np.asarray(banded))
    assert difference.max() <= 1 and (difference > 0).mean() < 0.001


MEASURE = """
from PIL import Image
from models.paint.blending import blend_over
from tests.support.memory import status_kb as status

painted = Image.new("RGB", (3000, 3000), (10, 20, 30))
picture = Image.radial_gradient("L").convert("RGB").resize((64, 48))
holding = status("VmRSS")
blend_over(picture, painted, 0.5)
print((status("VmHWM") - holding) * 1024)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_blending_needs_bands_not_two_more_whole_pictures():
    """Beside a 3,000-px painting (36 MB) the blend holds a few bands: the whole picture enlarged and the
    blended copy were 72 MB more (at 16,384 px a side, 2 GB more beside the 1 GB painting)."""
    done = subprocess.run([sys.executable, "-c", MEASURE], capture_output=True, text=True, check=True)
    assert int(done.stdout) < 24 * 2**20
