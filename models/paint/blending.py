"""Blend a painting with the picture it was painted from, enlarged to the painting's size, a band at a time.

A style strength under 1 shows the picture through the paint. At the largest size (16,384 px a side) the
painting is a 1 GB picture, and enlarging the whole picture to it and blending held three of them, 3 GB.
Here the picture is enlarged a band of rows at a time, the way `Image.resize` enlarges it (Lanczos, across
first, then down: the same pixels to within one level of rounding), and blended into the painting in place.
"""

from __future__ import annotations

import math

from PIL import Image

BAND = 256  # rows of the painting per band: 16 MB at 16,384 px wide
LANCZOS_REACH = 3.0  # source pixels each side that Lanczos reads, times the shrink factor


def blend_over(picture: Image.Image, painted: Image.Image, strength: float, band: int = BAND) -> Image.Image:
    """`painted` (RGB, changed in place and returned) blended with `picture` enlarged to its size, as
    `Image.blend(picture.resize(painted.size, LANCZOS), painted, strength)` would, without the whole copies."""
    picture = picture if picture.mode == "RGB" else picture.convert("RGB")
    width, height = painted.size
    source_width, source_height = picture.size
    scale = source_height / height
    margin = LANCZOS_REACH * max(1.0, scale) + 2
    for y0 in range(0, height, band):
        y1 = min(height, y0 + band)
        top, bottom = y0 * scale, y1 * scale
        first = max(0, math.floor(top - margin))
        last = min(source_height, math.ceil(bottom + margin))
        # The rows this band reads, enlarged across (each row on its own, as in the whole), then down.
        rows = picture.crop((0, first, source_width, last)).resize((width, last - first), Image.Resampling.LANCZOS)
        enlarged = rows.resize((width, y1 - y0), Image.Resampling.LANCZOS, box=(0, top - first, width, bottom - first))
        painted.paste(Image.blend(enlarged, painted.crop((0, y0, width, y1)), strength), (0, y0))
    return painted
