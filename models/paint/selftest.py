"""A quick, real check of the style engine for `atelier self-test`: every shipped style loads and paints."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .render import RenderParams, render_in_style
from .style import list_shipped_styles, load_style


def sample_sketch(width: int = 256, height: int = 192) -> Image.Image:
    """A rough painting in flat colour shapes: sky, sun, hills, a house, a tree."""
    sketch = Image.new("RGB", (width, height), (110, 160, 225))
    draw = ImageDraw.Draw(sketch)

    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * width, y0 * height, x1 * width, y1 * height]

    draw.ellipse(box(0.70, 0.08, 0.86, 0.29), fill=(250, 215, 70))
    draw.polygon(
        [
            (0, 0.62 * height),
            (0.35 * width, 0.42 * height),
            (0.75 * width, 0.60 * height),
            (width, 0.50 * height),
            (width, height),
            (0, height),
        ],
        fill=(70, 140, 60),
    )
    draw.rectangle(box(0.0, 0.80, 1.0, 1.0), fill=(150, 120, 70))
    draw.rectangle(box(0.18, 0.52, 0.36, 0.74), fill=(225, 210, 180))
    draw.polygon(
        [(0.15 * width, 0.53 * height), (0.27 * width, 0.40 * height), (0.39 * width, 0.53 * height)],
        fill=(170, 50, 40),
    )
    draw.rectangle(box(0.25, 0.62, 0.29, 0.74), fill=(90, 60, 40))
    draw.rectangle(box(0.58, 0.50, 0.61, 0.75), fill=(90, 60, 40))
    draw.ellipse(box(0.50, 0.30, 0.69, 0.56), fill=(40, 100, 50))
    return sketch


def self_test() -> str:
    styles = list_shipped_styles()
    if not styles:
        raise RuntimeError("no painting styles are installed in resources/styles")
    sketch = sample_sketch(128, 96)
    for name, path in styles.items():
        painted = render_in_style(load_style(path), sketch, RenderParams(seed=1))
        array = np.asarray(painted, dtype=np.float64)
        if painted.size != sketch.size or not np.isfinite(array).all() or array.std() < 1.0:
            raise RuntimeError(f"the style {name!r} painted a blank or broken image")
    return f"{len(styles)} styles painted a 128x96 sketch: {', '.join(styles)}"
