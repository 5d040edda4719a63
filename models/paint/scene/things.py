"""Living things standing on the ground: round trees, cypresses, an orchard in rows, figures.

Each is drawn at the foot point (x, y) it stands on, sized by perspective (`Stage.eye`), faded by
distance, lit from the side the light comes from (`light_side`: -1 from the left, 1 from the right).
"""

from __future__ import annotations

import numpy as np

from .raster import blob, catmull_rom, mix
from .stage import Pen


def _branch(canvas, start: np.ndarray, tip: np.ndarray, half_width: float, colour: np.ndarray) -> None:
    """A branch from `start` tapering to a point at `tip`."""
    across = np.array([tip[1] - start[1], start[0] - tip[0]])
    across = across / max(float(np.hypot(*across)), 1e-6) * half_width
    canvas.polygon(np.array([start - across, tip, start + across]), colour)


def draw_tree(
    pen: Pen,
    x: float,
    y: float,
    light_side: int,
    height_eyes: float = 4.0,
    blossom: bool = False,
    name: str = "trees",
    lift: float = 0.0,
) -> None:
    """A round tree: a trunk and a crown of a few lumps, shaded on one side and lit on the other. Its size and haze
    are those of row `y`; it stands `lift` pixels above it (on a cliff's top)."""
    canvas, stage, light, rng = pen
    canvas.begin(name)
    near = stage.nearness(y)
    height = stage.eye(y) * height_eyes * rng.uniform(0.8, 1.2)
    y -= lift
    trunk_w = height * 0.07
    crown_y, crown_r = y - height * 0.62, height * 0.34
    trunk = light.far(light["trunk"], near)
    canvas.polygon(
        np.array(
            [
                (x - trunk_w * 0.7, y),
                (x + trunk_w * 0.7, y),
                (x + trunk_w * 0.45, crown_y),
                (x - trunk_w * 0.45, crown_y),
            ]
        ),
        trunk,
    )
    if light.snow and not blossom:  # bare branches, each forking into twigs
        # (Its see-through crown, a pale disc at a third of the paint, was outlined by the renderers: a balloon.)
        base = np.array([x, crown_y + crown_r * 0.3])
        for _ in range(5):
            angle = rng.uniform(-2.4, -0.7)
            tip = base + np.array([np.cos(angle), np.sin(angle)]) * crown_r * 1.2
            _branch(canvas, base, tip, trunk_w * 0.3, trunk)
            fork = base + (tip - base) * rng.uniform(0.45, 0.65)
            for turn in (-0.5, 0.5):
                twig = angle + turn + rng.normal(0, 0.15)
                _branch(canvas, fork, fork + np.array([np.cos(twig), np.sin(twig)]) * crown_r * 0.5, trunk_w * 0.12, trunk)
        return
    dark = light.far(light["blossom"] * 0.8 if blossom else light["foliage"], near)
    lit = light.far(light["blossom"] if blossom else light["foliage light"], near)
    canvas.polygon(blob(x, crown_y, crown_r, crown_r * 0.92, rng, 0.14, 8), dark)
    for _ in range(int(rng.integers(2, 4))):
        ox = light_side * crown_r * rng.uniform(0.15, 0.4) + rng.normal(0, crown_r * 0.1)
        oy = -crown_r * rng.uniform(0.15, 0.4)
        r = crown_r * rng.uniform(0.35, 0.55)
        canvas.polygon(blob(x + ox, crown_y + oy, r, r * 0.9, rng, 0.15, 6), lit)


def draw_cypress(pen: Pen, x: float, y: float, light_side: int, height: float, lift: float = 0.0) -> None:
    """A cypress: a tall dark flame, widest a third of the way up, its edge wavering as it rises; hazed as at row
    `y`, standing `lift` pixels above it (on a cliff's top)."""
    canvas, stage, light, rng = pen
    canvas.begin("cypresses")
    near = stage.nearness(y)
    y -= lift
    width = height * rng.uniform(0.13, 0.18)
    levels = np.linspace(0, 1, 11)
    profile = width / 2 * np.sin(np.clip(levels, 0.02, 1) ** 0.75 * np.pi) * (1 - levels) ** 0.35
    profile[0] = width * 0.22
    wobble = 1 + 0.12 * np.sin(levels * rng.uniform(14, 20) + rng.uniform(0, 6))
    sway = height * 0.04 * np.sin(levels * 3 + rng.uniform(0, 6)) * levels
    left = np.stack([x + sway - profile * wobble, y - levels * height], 1)
    right = np.stack([x + sway + profile * wobble[::-1], y - levels * height], 1)
    outline = np.concatenate([catmull_rom(left[::-1], 6), catmull_rom(right, 6)])
    canvas.polygon(outline, light.far(light["cypress"], near))
    inner = np.stack([x + sway + light_side * profile * 0.45, y - levels * height], 1)
    streak = np.concatenate(
        [catmull_rom(inner[1:-1], 6), catmull_rom((inner[1:-1] + [light_side * width * 0.16, 0])[::-1], 6)]
    )
    canvas.polygon(streak, light.far(mix(light["cypress"], light["foliage light"], 0.45), near))


def draw_orchard(pen: Pen, x0: float, x1: float, light_side: int) -> None:
    """Rows of small trees across the ground, spaced evenly on the ground (closer on screen far away)."""
    canvas, stage, light, rng = pen
    blossom = light.blossom or rng.random() < 0.3
    rows = []
    n = rng.uniform(0.12, 0.2)
    while n < 0.75:
        rows.append(n)
        n *= rng.uniform(1.45, 1.7)
    for n in rows:  # far rows first
        y = stage.y_at(n)
        spacing = stage.eye(y) * rng.uniform(3.0, 3.8)
        offset = rng.uniform(0, spacing)
        x = x0 + offset
        while x < x1:
            if not stage.is_water(x, y):
                draw_tree(pen, x, y, light_side, 2.4, blossom, name="orchard")
            x += spacing


def draw_figure(pen: Pen, x: float, y: float, lift: float = 0.0) -> None:
    """A person seen from afar: a coat, a head, perhaps a hat; about one eye-height tall (as at row `y`, standing
    `lift` pixels above it: on a cliff's top)."""
    canvas, stage, light, rng = pen
    canvas.begin("figures")
    near = stage.nearness(y)
    height = stage.eye(y) * rng.uniform(1.0, 1.15)
    y -= lift
    coat_colours = [
        light["figure"],
        mix(light["figure"], light["slate"], 0.6),
        mix(light["figure"], light["roof"], 0.6),
    ]
    coat = light.far(coat_colours[int(rng.integers(len(coat_colours)))], near)
    head = height * 0.12
    shoulders = y - height * 0.8
    canvas.polygon(
        np.array(
            [
                (x - height * 0.16, y),
                (x + height * 0.16, y),
                (x + height * 0.12, shoulders),
                (x + height * 0.05, shoulders - head * 0.3),
                (x - height * 0.05, shoulders - head * 0.3),
                (x - height * 0.12, shoulders),
            ]
        ),
        coat,
    )
    canvas.ellipse(
        x, shoulders - head * 1.1, head * 0.8, head, light.far(mix(light["figure"], light["wall"], 0.4), near)
    )
    if rng.random() < 0.4:
        canvas.ellipse(x, shoulders - head * 1.8, head * 1.5, head * 0.35, coat)
