"""The sky and what is in it: a gradient from zenith to horizon, sun, moon, stars and clouds."""

from __future__ import annotations

import numpy as np

from .raster import blob, mix
from .stage import Pen


def draw_sky(pen: Pen) -> None:
    canvas, stage, light = pen.canvas, pen.stage, pen.light
    canvas.begin("sky")
    zenith, horizon = light["zenith"], light["horizon"]
    # The sky runs past the horizon a little: whatever stands on the horizon overlaps it.
    canvas.vertical_gradient(0, stage.horizon + 2, [(0.0, zenith), (0.55, mix(zenith, horizon, 0.45)), (1.0, horizon)])
    below = [(0.0, horizon), (1.0, horizon)]
    canvas.vertical_gradient(stage.horizon + 2, stage.height, below)


def draw_sun(pen: Pen, x: float, y: float) -> tuple[float, float]:
    canvas, stage, light = pen.canvas, pen.stage, pen.light
    canvas.begin("sun")
    radius = stage.unit * (0.075 if light.sun_low else 0.05)
    canvas.glow(x, y, radius * 2.6, mix(light["sun"], light["horizon"], 0.3), 0.9)
    canvas.glow(x, y, radius * 1.3, light["sun"], 0.8)
    canvas.ellipse(x, y, radius, radius, light["sun"])
    return x, y


def draw_moon(pen: Pen, x: float, y: float) -> None:
    canvas, stage, light, rng = pen
    canvas.begin("moon")
    radius = stage.unit * rng.uniform(0.04, 0.055)
    canvas.glow(x, y, radius * 2.2, mix(light["moon"], light["zenith"], 0.4), 0.7)
    canvas.ellipse(x, y, radius, radius, light["moon"])
    if rng.random() < 0.5:  # a crescent: the sky's own colour bites the disc
        side = rng.choice([-1, 1])
        offset = radius * rng.uniform(0.45, 0.7)
        sky = canvas.rgb[
            int(np.clip(y, 0, stage.height - 1)), int(np.clip(x + side * radius * 2.5, 0, stage.width - 1))
        ].copy()
        canvas.current = canvas.names.index("sky")
        canvas.ellipse(x + side * offset, y - radius * 0.15, radius * 0.92, radius * 0.92, sky)


def draw_stars(pen: Pen, avoid: list[tuple[float, float, float]]) -> None:
    canvas, stage, light, rng = pen
    canvas.begin("stars")
    count = int(rng.integers(12, 22))
    placed = 0
    for _ in range(count * 4):
        if placed >= count:
            break
        x = rng.uniform(0.03, 0.97) * stage.width
        y = (rng.uniform(0.0, 1.0) ** 1.4) * (stage.horizon * 0.85)
        if any((x - ax) ** 2 + (y - ay) ** 2 < (ar * 1.8) ** 2 for ax, ay, ar in avoid):
            continue
        size = stage.unit * rng.uniform(0.011, 0.02)
        canvas.glow(x, y, size * 3.0, light["star"], 0.55)
        canvas.ellipse(x, y, size, size, light["star"])
        placed += 1


def draw_clouds(pen: Pen, storm: bool) -> tuple[float, float] | None:
    """Clouds over the sky; in a storm, heavy banks with one break of light, whose place it returns."""
    canvas, stage, light, rng = pen
    canvas.begin("clouds")
    if storm:
        return _storm_clouds(pen)
    count = int(2 + light.cloudiness * 6 + rng.integers(0, 3))
    for _ in range(count):
        depth = rng.uniform(0.15, 1.0)  # 1: high overhead (big), toward 0: near the horizon (small, flat)
        y = stage.horizon * (1 - depth) * 0.85 + stage.horizon * 0.05
        x = rng.uniform(-0.05, 1.05) * stage.width
        base = light.far(light["cloud"], 0.2 + 0.5 * depth)
        shade = light.far(light["cloud shade"], 0.2 + 0.5 * depth)
        if light.sun_low:  # at dusk and dawn clouds lie in long thin streaks, lit from below
            width = stage.width * (0.2 + 0.35 * depth)
            _streak(pen, x, y, width, width * rng.uniform(0.03, 0.06), shade, base)
        else:
            width = stage.width * (0.10 + 0.22 * depth)
            _cloud(pen, x, y, width, width * rng.uniform(0.25, 0.4) * (0.6 + 0.4 * depth), shade, base)
    return None


def _streak(pen: Pen, x: float, y: float, width: float, height: float, shade: np.ndarray, lit: np.ndarray) -> None:
    """A long cloud tapering at both ends: its body in shade, its underside catching the low sun."""
    canvas, rng = pen.canvas, pen.rng
    ts = np.linspace(-1, 1, 40)
    wave = 1 + 0.25 * np.sin(ts * rng.uniform(4, 8) + rng.uniform(0, 6))
    thickness = height * (1 - ts**2) ** 0.7 * wave
    xs = x + ts * width / 2
    top = y - thickness + height * 0.3 * ts * rng.uniform(-1, 1)
    canvas.polygon(
        np.concatenate([np.stack([xs, top], 1), np.stack([xs[::-1], (top + 1.6 * thickness)[::-1]], 1)]), shade
    )
    canvas.polygon(
        np.concatenate(
            [np.stack([xs, top + 1.0 * thickness], 1), np.stack([xs[::-1], (top + 1.6 * thickness)[::-1]], 1)]
        ),
        lit,
    )


def _cloud(
    pen: Pen,
    x: float,
    y: float,
    width: float,
    height: float,
    shade: np.ndarray,
    lit: np.ndarray,
    lumps: int | None = None,
) -> None:
    """A cumulus: a row of overlapping lumps on a flat base, shaded below and lit above."""
    canvas, rng = pen.canvas, pen.rng
    lumps = lumps or int(rng.integers(3, 6))
    for k in range(lumps):
        t = (k + 0.5) / lumps - 0.5
        lx = x + t * width * 0.8 + rng.normal(0, width * 0.04)
        rx = width / lumps * rng.uniform(0.7, 1.0)
        ry = height * (1.0 - 1.4 * t * t) * rng.uniform(0.7, 1.0)
        canvas.polygon(blob(lx, y - ry * 0.3, rx, ry, rng, 0.1, 7, flat_base=True), shade)
    for k in range(lumps):
        t = (k + 0.5) / lumps - 0.5
        lx = x + t * width * 0.75 + rng.normal(0, width * 0.03)
        rx = width / lumps * rng.uniform(0.55, 0.8)
        ry = height * (1.0 - 1.4 * t * t) * rng.uniform(0.5, 0.75)
        canvas.polygon(blob(lx, y - ry * 0.75, rx, ry, rng, 0.12, 7), lit)


def _storm_clouds(pen: Pen) -> tuple[float, float]:
    """Heavy billowing banks over most of the sky, darkest overhead, with one break where warm light comes
    through and catches the edges of the banks around it (the contrast a painter of storms builds on: grey
    all over reads as murk). Returns the break's place."""
    canvas, stage, light, rng = pen
    gap_x = rng.uniform(0.25, 0.75) * stage.width
    gap_y = stage.horizon * rng.uniform(0.45, 0.7)
    canvas.glow(gap_x, gap_y, stage.unit * 0.32, mix(light["break"], light["horizon"], 0.5), 1.0)
    canvas.glow(gap_x, gap_y, stage.unit * 0.16, light["break"], 1.0)
    masses = []
    for _ in range(int(rng.integers(11, 16))):
        t = rng.uniform(0, 1) ** 0.8  # 0: overhead, 1: near the horizon
        x = rng.uniform(-0.1, 1.1) * stage.width
        y = stage.horizon * (0.05 + 0.75 * t)
        if abs(x - gap_x) < stage.unit * 0.2 and abs(y - gap_y) < stage.horizon * 0.2:
            continue
        masses.append((t, x, y))
    for t, x, y in sorted(masses, key=lambda m: -m[0]):  # the far, low banks first
        width = stage.width * rng.uniform(0.45, 0.8) * (1 - 0.45 * t)
        height = stage.horizon * rng.uniform(0.28, 0.42) * (1 - 0.45 * t)
        dark = mix(light["cloud shade"], light["horizon"], 0.45 * t) * rng.uniform(0.9, 1.08)
        lit = mix(dark, light["cloud"], rng.uniform(0.3, 0.5))
        near_break = float(np.exp(-((x - gap_x) ** 2 + (y - gap_y) ** 2) / (2 * (stage.unit * 0.4) ** 2)))
        lit = mix(lit, light["break"], 0.75 * near_break)
        _cloud(pen, x, y, width, height, dark, lit, lumps=int(rng.integers(4, 8)))
    return gap_x, gap_y
