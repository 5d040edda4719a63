"""Water: the sea (to the horizon, or beside a shore), a lake that mirrors what stands behind it, a river,
waves from ripples to a great breaking wave, and the path of light under a low sun or moon."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .light import lightness
from .raster import catmull_rom, mix, polygon_mask
from .stage import FOCAL, Pen


def water_shade(pen: Pen):
    """The open water's colour by row, `shade(ys, xs) -> (h, w, 3)`: the horizon's haze far off, the sea's own
    colour near (what a thing standing in the water must stand out of)."""
    stage, light = pen.stage, pen.light
    far = mix(light["sea"], light["horizon"], 0.55)
    near = light["sea"] * 0.85

    def shade(ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        t = np.clip((ys - stage.horizon) / max(stage.height - stage.horizon, 1), 0, 1)[..., None] ** 0.6
        return far * (1 - t) + near * t

    return shade


def water_darks(pen: Pen):
    """The darkest the open water gets by row, `darks(ys, xs) -> (h, w, 3)`: its own shade, or where darker the
    swells of a rough sea (draw_waves). What a thing darker than the water must be darker than."""
    stage, light = pen.stage, pen.light
    own = water_shade(pen)
    swell = mix(light["sea"] * 0.7, light["zenith"], 0.15)

    def darks(ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        base = own(ys, xs)
        near = np.clip((ys - stage.horizon) / max(stage.height - stage.horizon, 1), 0, 1)[..., None]
        fade = light.haze * (1 - near) ** 1.6  # Light.far, row by row
        swells = swell * (1 - fade) + light["horizon"] * fade
        return np.where((lightness(swells) < lightness(base))[..., None], swells, base)

    return darks


# Where a headland's shore would reach the bottom edge, as a share of the width from its side (negative: beyond it).
HEADLAND_END = (-0.3, -0.15)


def sea_outline(pen: Pen, shore_side: int, headland: bool = False) -> np.ndarray:
    """The sea's polygon: everything below the horizon, less a shore on `shore_side` (-1, 1; 0: none)
    that comes forward from the horizon to the bottom edge: a shore that widens toward the viewer, or with
    `headland` one that juts out toward the horizon (its face toward the viewer: land.draw_cliff)."""
    stage, rng = pen.stage, pen.rng
    w, h, hz = stage.width, stage.height, stage.horizon
    if shore_side == 0:
        return np.array([(-2, hz), (w + 2, hz), (w + 2, h + 2), (-2, h + 2)], float)
    if headland:
        # Its foot leaves the frame's side in the middle distance (`end`, where it would reach the bottom edge, lies
        # outside the frame): the viewer stands back, out on the water, and sees a tall face whole. Coming forward to
        # the bottom edge, its near end rose out of the frame's top, and it could be tall only there.
        start, end = rng.uniform(0.35, 0.5), rng.uniform(*HEADLAND_END)
        middle = end + rng.uniform(0.0, 0.06)
    else:
        start = rng.uniform(0.05, 0.3)  # where the shore meets the horizon, from its side
        end = rng.uniform(0.35, 0.6)  # where it meets the bottom edge
        middle = end - rng.uniform(0.0, 0.1)
    control = np.array(
        [
            (start, hz),
            (start + (end - start) * 0.3 + rng.uniform(-0.05, 0.05), stage.y_at(0.25)),
            (middle, stage.y_at(0.65)),
            (end, h + 4),
        ]
    )
    shore = catmull_rom(control, 16)
    xs = shore[:, 0] * w if shore_side < 0 else (1 - shore[:, 0]) * w
    stage.shore = np.stack([xs, shore[:, 1]], 1)
    corner = w + 2 if shore_side < 0 else -2  # the sea lies away from the land's side
    return np.concatenate([stage.shore, [(corner, h + 4), (corner, hz)]])


def draw_sea(pen: Pen, outline: np.ndarray) -> None:
    canvas, stage = pen.canvas, pen.stage
    canvas.begin("sea")
    stage.add_water(outline)
    canvas.polygon(outline, shade=water_shade(pen))


def draw_lake(pen: Pen, centre_x: float) -> None:
    """A lake from just below the horizon forward, whose surface mirrors the rows above the horizon."""
    canvas, stage, light, rng = pen
    canvas.begin("lake")
    w, hz = stage.width, stage.horizon
    near = stage.y_at(rng.uniform(0.25, 0.45))
    half = w * rng.uniform(0.35, 0.6)
    xs = np.linspace(-1, 1, 9)
    shore = np.stack(
        [
            centre_x + xs * half * (1 + 0.1 * rng.uniform(-1, 1, 9)),
            hz + 1 + (near - hz) * (1 - xs**2) ** 0.6 * (0.8 + 0.2 * rng.random(9)),
        ],
        1,
    )
    outline = catmull_rom(shore, 10)
    stage.add_water(outline)
    mask, top, left = polygon_mask(outline, stage.width, stage.height)
    if mask is None:
        return
    rows = np.arange(top, top + mask.shape[0])
    mirrored = np.clip(2 * int(hz) - rows, 0, stage.height - 1)
    reflection = canvas.rgb[mirrored, left : left + mask.shape[1]].copy()
    ys = np.broadcast_to(rows[:, None], mask.shape).astype(np.float32)
    surface = water_shade(pen)(ys, ys)
    colour = reflection * 0.8 * 0.45 + surface * 0.55
    canvas.fill_mask(mask, top, left, colour)
    _ripples(pen, outline, 0.2)


def river_course(
    pen: Pen,
    side: int,
    end_x: float,
    width_eyes: float,
    near_bank_at: tuple[float, float] = (0.65, 0.85),
    turn_at: tuple[float, float] = (1.8, 2.3),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A river `width_eyes` wide, laid on the ground: it comes in from the frame's `side` (-1, 1) across the
    foreground, its near bank `near_bank_at` of the way down the land, bends away from the viewer (done turning at
    `turn_at` times its depth where it comes in) and winds to the horizon at `end_x`. Flowing across the view it is foreshortened to a strip, flowing away it narrows to a point.
    Its outline, its centre line, and how wide it is along the row at each centre point (pixels each side, for a
    bridge across it; infinite where it flows across the view, where a bridge along the row would run along it). Drawn as a ribbon on the picture (as a canal still is), a river 5-8 eye-heights wide near the
    viewer was wider than the frame and no bank showed: Munch's dark water read as land."""
    stage, rng = pen.stage, pen.rng
    near_bank = float(stage.depth(stage.y_at(rng.uniform(*near_bank_at))))
    depth = near_bank + width_eyes / 2  # of its middle where it comes in
    frame = 0.5 / FOCAL  # half the frame's width at a depth, over the depth
    away = (end_x / stage.width - 0.5) / FOCAL  # across per depth toward its vanishing point at end_x
    bend = depth * (1 + (rng.uniform(1.25, 1.45) - 1) * (turn_at[0] - 1) / 0.8)  # as far on the way to the turn
    turn = depth * rng.uniform(*turn_at)
    control = np.array([
        (side * (depth * frame + width_eyes), depth),  # outside the frame
        (side * bend * frame * rng.uniform(-0.1, 0.4), bend),
        (-side * turn * frame * rng.uniform(0.0, 0.5), turn),
    ])  # fmt: skip
    control = np.concatenate([control, control[-1:] + (away * turn, turn)])
    last = control[-1]
    far = last[1] * np.geomspace(1, 300, 60)[1:]
    # it meanders 4-8% of the frame's width either way (run straight, it was a wedge to the horizon)
    wind = rng.uniform(0.04, 0.08) * far * frame * 2 * np.sin(rng.uniform(1.2, 1.8) * np.log(far / last[1]))
    tail = np.stack([last[0] + away * (far - last[1]) + wind, far], 1)
    ground = np.concatenate([catmull_rom(control, 30), tail])
    along = np.gradient(ground, axis=0)
    along /= np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-9)
    across = np.stack([-along[:, 1], along[:, 0]], 1) * width_eyes / 2
    outline = np.concatenate([stage.on_screen(ground - across), stage.on_screen(ground + across)[::-1]])
    centre = stage.on_screen(ground)
    # along a row the river is as wide as its width over how squarely it flows away from the viewer
    squarely = np.abs(along[:, 1])
    half = np.where(squarely > 0.7, FOCAL * stage.width / ground[:, 1] * width_eyes / 2 / squarely, np.inf)
    return outline, centre, half


def draw_river(pen: Pen, outline: np.ndarray) -> None:
    canvas, stage, light, rng = pen
    canvas.begin("river")
    stage.add_water(outline)
    canvas.polygon(outline, shade=water_shade(pen))
    _ripples(pen, outline, 0.25)


def _ripples(pen: Pen, outline: np.ndarray, amount: float) -> None:
    """Short light strokes across the water, longer near the viewer."""
    canvas, stage, light, rng = pen
    top, bottom = outline[:, 1].min(), outline[:, 1].max()
    colour = mix(light["horizon"], light["foam"], 0.3)
    for _ in range(int(40 * amount)):
        y = top + (bottom - top) * rng.uniform(0.05, 1.0) ** 0.7
        x = rng.uniform(0, stage.width)
        if not stage.is_water(x, y):
            continue
        length = stage.eye(y) * rng.uniform(0.8, 2.0)
        thick = max(0.8, stage.eye(y) * 0.04)
        canvas.polygon(
            np.array([(x - length / 2, y), (x, y - thick), (x + length / 2, y), (x, y + thick * 0.5)]),
            colour,
            alpha=0.55,
        )


def draw_waves(pen: Pen, roughness: float) -> None:
    """Rows of wave crests, small toward the horizon: on a calm sea thin lines a little lighter than the
    water; on a rough one dark swells, each with a line of foam along its crest."""
    canvas, stage, light, rng = pen
    canvas.begin("waves")
    crest_colour = mix(light["sea"], light["horizon"], 0.45) if roughness < 0.5 else light["foam"]
    swell = mix(light["sea"] * 0.7, light["zenith"], 0.15)
    rows = int(6 + 8 * roughness)
    for k in range(rows):
        n = ((k + rng.uniform(0.2, 0.8)) / rows) ** 1.7
        y = stage.y_at(n)
        eye = stage.eye(y)
        count = int(stage.width / (eye * (4.0 + 3 * roughness)) + 1)
        for _ in range(min(count, 30)):
            x = rng.uniform(-0.05, 1.05) * stage.width
            if not stage.is_water(x, y):
                continue
            length = eye * rng.uniform(0.8, 1.6) * (1 + 1.5 * roughness)
            height = eye * (0.06 + 0.4 * roughness) * rng.uniform(0.6, 1.2)
            xs = np.linspace(-0.5, 0.5, 16)
            crest = np.stack([x + xs * length, y - height * np.cos(xs * np.pi) ** 1.5], 1)
            if roughness >= 0.5:  # a dark swell, whitecaps breaking along its top
                body = np.concatenate([crest, [(x + length / 2, y + height * 0.3), (x - length / 2, y + height * 0.3)]])
                canvas.polygon(body, light.far(swell, n))
                for _ in range(int(rng.integers(1, 3))):  # foam: a tapering streak along part of the crest
                    start = int(rng.integers(2, 9))
                    segment = crest[start : start + int(rng.integers(4, 8))]
                    if len(segment) < 3:
                        continue
                    taper = np.sin(np.linspace(0, np.pi, len(segment))) * height * rng.uniform(0.12, 0.22)
                    streak = np.concatenate([segment, (segment + np.stack([taper * 0, taper], 1))[::-1]])
                    canvas.polygon(streak, light.far(crest_colour, n), alpha=0.9)
                continue
            thickness = max(0.8, eye * 0.04) + height * 0.1
            lip = np.concatenate([crest, (crest + [0, thickness])[::-1]])
            canvas.polygon(lip, light.far(crest_colour, n), alpha=0.85)


@dataclass
class GreatWave:
    """A breaking wave rising from the bottom corner on one side and curling over toward the middle."""

    body: np.ndarray  # outline of the whole wave (pixels)
    hollow: np.ndarray  # the lighter water inside the curl
    crest: np.ndarray  # points along the top, where the foam is
    height: float


def great_wave_shape(pen: Pen, side: int) -> GreatWave:
    stage, rng = pen.stage, pen.rng
    w, h = stage.width, stage.height
    height = h - stage.horizon * rng.uniform(0.35, 0.6)
    width = w * rng.uniform(0.5, 0.65)
    # outline in wave units: u from the side edge (0) toward the middle (1), v down from the crest (0)
    body = np.array(
        [
            (-0.05, 1.05),
            (-0.05, 0.5),
            (0.1, 0.18),
            (0.32, 0.02),
            (0.55, 0.0),
            (0.75, 0.08),
            (0.9, 0.24),
            (0.86, 0.36),
            (0.76, 0.3),
            (0.68, 0.36),
            (0.64, 0.52),
            (0.7, 0.75),
            (0.85, 0.92),
            (1.05, 1.05),
        ]
    )
    hollow = np.array([(0.5, 0.12), (0.7, 0.16), (0.8, 0.28), (0.7, 0.26), (0.6, 0.34), (0.56, 0.55), (0.62, 0.78),
                       (0.75, 0.95), (0.45, 0.95), (0.42, 0.5)])  # fmt: skip

    def place(points: np.ndarray) -> np.ndarray:
        u, v = points[:, 0], points[:, 1]
        x = u * width if side < 0 else w - u * width
        return np.stack([x, h - height + v * height], 1)

    return GreatWave(
        place(catmull_rom(body, 10, closed=True)),
        place(catmull_rom(hollow, 10, closed=True)),
        place(catmull_rom(body[2:8], 12)),
        height,
    )


def draw_great_wave(pen: Pen, wave: GreatWave) -> None:
    canvas, light, rng = pen.canvas, pen.light, pen.rng
    canvas.begin("waves")
    canvas.polygon(wave.body, light["sea"] * 0.75)
    canvas.polygon(wave.hollow, mix(light["sea"], light["foam"], 0.35))
    for cx, cy in wave.crest[::2]:  # foam: a fringe of small claws along the crest
        r = wave.height * rng.uniform(0.025, 0.045)
        canvas.ellipse(cx, cy, r * 1.3, r, light["foam"])
    tip = wave.crest[-1]
    for _ in range(int(rng.integers(10, 18))):  # spray thrown off the lip
        cx, cy = tip + rng.normal(0, wave.height * 0.08, 2) - [0, wave.height * 0.05]
        r = wave.height * rng.uniform(0.01, 0.025)
        canvas.ellipse(cx, cy, r, r, light["foam"])


def draw_break_light(pen: Pen, x: float) -> None:
    """The water under a break in storm clouds catches its light: a glow where it meets the horizon, and
    glitter below it."""
    pen.canvas.glow(x, pen.stage.horizon + pen.stage.unit * 0.02, pen.stage.unit * 0.12, pen.light["break"], 0.8)
    draw_light_path(pen, x, mix(pen.light["break"], pen.light["foam"], 0.3))


def draw_light_path(pen: Pen, x: float, colour: np.ndarray) -> None:
    """Glitter on the water under a low sun or the moon: horizontal strokes that spread toward the viewer."""
    canvas, stage, rng = pen.canvas, pen.stage, pen.rng
    canvas.begin("sea")
    for _ in range(45):
        n = rng.uniform(0.0, 1.0) ** 1.5
        y = stage.y_at(n)
        spread = stage.width * (0.02 + 0.1 * n)
        sx = x + rng.normal(0, spread)
        if not stage.is_water(sx, y):
            continue
        length = stage.eye(y) * rng.uniform(0.4, 1.0)
        thick = max(0.8, stage.eye(y) * 0.05)
        canvas.polygon(
            np.array([(sx - length / 2, y), (sx + length / 2, y - thick / 2), (sx + length / 2, y + thick / 2)]),
            colour,
            alpha=0.7,
        )
