"""Things people built: houses (alone or as a village), a church, a lighthouse, a windmill, a harbour wall, a bridge,
boats.

Buildings show a lit gable end and a side in shade receding toward the horizon, so they read as
volumes; their windows glow at dusk and at night.
"""

from __future__ import annotations

import numpy as np

from .light import lightness, set_apart
from .raster import mix
from .stage import Pen
from .water import water_darks, water_shade

# How far a harbour wall's value is set off from the water it stands in (OKLab lightness): its face in shadow,
# darker, and its walkway, lit, lighter (draw_harbour_wall), but no nearer the sky at the horizon than WALL_SHADOW.
WALL_SHADOW = 0.10
WALL_LIT = 0.15
HULL_SHADOW = 0.12  # a boat's hull below the water's lightness (draw_boat)
# A boat's length in eye-heights (a person's height where it floats): a fishing boat with a mast is 5-8 m long.
# At 1.7 (a rowing boat) the far boats of a harbour were a few pixels high, narrower than the finest brush.
BOAT_LENGTH = 2.4
# How far a lighthouse's or a windmill's value is set off from the sky behind it (OKLab lightness), lighter where it
# can rise to TOWER_LIGHTEST at most (a white tower before a blue sky), else darker: a silhouette (_apart_from_behind).
TOWER_APART = 0.15
TOWER_LIGHTEST = 0.97
TOWER_DARKEST = 0.15  # and darker down to this at least, else lighter
SKY = ("sky", "clouds", "sun", "moon", "stars")  # what a tower stands against


def draw_house(
    pen: Pen,
    x: float,
    y: float,
    side: int,
    size_eyes: float = 3.2,
    name: str = "houses",
    roof: np.ndarray | None = None,
    lift: float = 0.0,
) -> None:
    """A house with its gable toward the viewer and one side wall showing on `side` (-1 left, 1 right); its size
    and haze those of row `y`, its foot `lift` pixels above it (on a cliff's top)."""
    canvas, stage, light, rng = pen
    canvas.begin(name)
    near = stage.nearness(y)
    size = stage.eye(y) * size_eyes * rng.uniform(0.85, 1.15)
    y -= lift
    front = size * rng.uniform(0.5, 0.7)
    wall_h = size * rng.uniform(0.5, 0.62)
    depth = front * rng.uniform(0.7, 1.2)
    rise = depth * 0.18  # the side recedes toward the horizon
    left, right = x - front / 2, x + front / 2
    edge = right if side > 0 else left
    wall, shade = light.far(light["wall"], near), light.far(light["wall shade"], near)
    if roof is None:
        roof = [light["roof"], light["slate"], mix(light["roof"], light["wheat"], 0.4)][int(rng.integers(3))]
    roof_colour = light.far(light["snow"] if light.snow else roof, near)
    roof_shade = light.far((light["snow shade"] if light.snow else roof * 0.7), near)
    back = edge + side * depth
    canvas.polygon(np.array([(edge, y), (back, y - rise), (back, y - rise - wall_h), (edge, y - wall_h)]), shade)
    canvas.polygon(
        np.array([(x, y - size), (x + side * depth, y - size - rise), (back, y - wall_h - rise), (edge, y - wall_h)]),
        roof_colour,
    )
    canvas.polygon(np.array([(left, y), (right, y), (right, y - wall_h), (x, y - size), (left, y - wall_h)]), wall)
    canvas.polygon(
        np.array(
            [
                (left - front * 0.04, y - wall_h + size * 0.02),
                (x, y - size - size * 0.04),
                (right + front * 0.04, y - wall_h + size * 0.02),
                (x, y - size + size * 0.05),
            ]
        ),
        roof_shade,
    )
    window = light.far(light["window"], near) if not light.lit_windows else mix(light["sun"], light["wall"], 0.2)
    pane = front * 0.14
    if size > 6:
        canvas.polygon(_rect(x - pane * 0.6, y, pane * 1.2, wall_h * 0.45), light.far(light["window"], near))
        for wx in (left + front * 0.18, right - front * 0.18 - pane):
            if rng.random() < 0.8:
                canvas.polygon(_rect(wx, y - wall_h * 0.5, pane, pane * 1.2), window)
        for k in range(int(rng.integers(1, 3))):  # windows on the side wall
            t = (k + 0.6) / 2.6
            wx = edge + side * depth * t
            canvas.polygon(
                np.array(
                    [
                        (wx, y - wall_h * 0.42 - rise * t),
                        (wx + side * pane, y - wall_h * 0.42 - rise * (t + pane / depth)),
                        (wx + side * pane, y - wall_h * 0.72 - rise * (t + pane / depth)),
                        (wx, y - wall_h * 0.72 - rise * t),
                    ]
                ),
                window,
            )
    if light.lit_windows:
        canvas.glow(x, y - wall_h * 0.5, size * 0.35, light["sun"], 0.25)


def _rect(left: float, bottom: float, width: float, height: float) -> np.ndarray:
    return np.array([(left, bottom), (left + width, bottom), (left + width, bottom - height), (left, bottom - height)])


def draw_church(pen: Pen, x: float, y: float, side: int, size_eyes: float = 4.5, lift: float = 0.0) -> None:
    """A church: a long nave seen from the side and a tower with a tall spire at one end (the size and haze of row
    `y`, standing `lift` above it)."""
    canvas, stage, light, rng = pen
    canvas.begin("church")
    near = stage.nearness(y)
    size = stage.eye(y) * size_eyes * rng.uniform(0.9, 1.1)
    y -= lift
    length, wall_h = size * 1.3, size * 0.45
    stone, shade = light.far(mix(light["wall"], light["stone"], 0.5), near), light.far(light["stone shade"], near)
    roof = light.far(light["snow"] if light.snow else light["slate"], near)
    left = x - length / 2
    canvas.polygon(_rect(left, y, length, wall_h), stone)
    canvas.polygon(
        np.array(
            [
                (left - size * 0.03, y - wall_h),
                (left + length + size * 0.03, y - wall_h),
                (left + length - size * 0.12, y - wall_h - size * 0.32),
                (left + size * 0.12, y - wall_h - size * 0.32),
            ]
        ),
        roof,
    )
    tower_w, tower_h = size * 0.32, size * 1.15
    tx = x + side * (length / 2 - tower_w * 0.4)
    canvas.polygon(_rect(tx - tower_w / 2, y, tower_w, tower_h), stone)
    canvas.polygon(_rect(tx + (0 if side > 0 else -tower_w / 2), y, tower_w / 2, tower_h), shade, alpha=0.6)
    canvas.polygon(
        np.array(
            [(tx - tower_w * 0.6, y - tower_h), (tx + tower_w * 0.6, y - tower_h), (tx, y - tower_h - size * 0.95)]
        ),
        roof,
    )
    window = mix(light["sun"], light["wall"], 0.2) if light.lit_windows else light.far(light["window"], near)
    canvas.polygon(_rect(tx - tower_w * 0.15, y - tower_h * 0.72, tower_w * 0.3, tower_h * 0.14), window)
    for k in range(3):
        wx = left + length * (0.18 + 0.22 * k) if side > 0 else left + length * (0.38 + 0.22 * k)
        canvas.polygon(_rect(wx, y - wall_h * 0.3, size * 0.08, wall_h * 0.45), window)


def _apart_from_behind(
    pen: Pen, box: tuple[float, float, float, float], colours: list[np.ndarray], silhouette: bool = False
) -> list[np.ndarray]:
    """A tower's `colours` (the first its lit wall) set TOWER_APART in lightness from what is behind the `box` (left,
    top, right, bottom): its sky, or where none shows there all that is drawn there so far. The wall alone lighter
    where it is lighter than that and can rise so far (its bands and shade stay darker marks on it), else all of them
    darker, a silhouette; with `silhouette`, darker unless what is behind is too dark for it (a night sky). A pale
    tower in a sunset's or a mist's pale sky was within 0.05 of it, and the styles lost it in their light (Turner's
    lighthouse a ghost in his glow, Munch's in his bands)."""
    canvas = pen.canvas
    left, right = (int(np.clip(v, 0, canvas.width - 1)) for v in box[::2])
    top, bottom = (int(np.clip(v, 0, canvas.height - 1)) for v in box[1::2])
    area = np.s_[top : bottom + 1, left : right + 1]
    sky = np.isin(canvas.labels[area], [canvas.names.index(name) for name in SKY if name in canvas.names])
    behind = canvas.rgb[area][sky].mean(0) if sky.any() else canvas.rgb[area].reshape(-1, 3).mean(0)
    wall, ground = float(lightness(colours[0])), float(lightness(behind))
    can_rise = ground + TOWER_APART <= TOWER_LIGHTEST
    if can_rise and (ground - TOWER_APART < TOWER_DARKEST if silhouette else wall >= ground):
        return [set_apart(colours[0], behind, TOWER_APART), *colours[1:]]
    return [set_apart(colour, behind, -TOWER_APART) for colour in colours]


def _taper(x: float, y: float, width_at, bottom: float, top: float, half: int = 0) -> np.ndarray:
    """The slice from `bottom` to `top` (shares of the height) of a tower standing at (x, y) whose width at a share
    t is `width_at(t)` (a (t) -> (pixels, height) function); `half` -1 or 1 for its left or right half only."""
    (wb, h), (wt, _) = width_at(bottom), width_at(top)
    lo = (lambda w: x - w / 2) if half <= 0 else (lambda w: x)
    hi = (lambda w: x + w / 2) if half >= 0 else (lambda w: x)
    return np.array([(lo(wb), y - bottom * h), (hi(wb), y - bottom * h), (hi(wt), y - top * h), (lo(wt), y - top * h)])


def draw_lighthouse(pen: Pen, x: float, y: float, side: int, size_eyes: float = 8.5, lift: float = 0.0) -> None:
    """A lighthouse: a white tower narrowing upward, banded in the roofs' red, shaded on the side away from the
    light (`side` -1 or 1, as a church's), a dark gallery round the lantern, which burns from dusk on. Its size and
    haze are those of row `y`; it stands `lift` pixels above it (on a cliff's top)."""
    canvas, stage, light, rng = pen
    canvas.begin("lighthouse")
    near = stage.nearness(y)
    scale = stage.eye(y)
    y -= lift
    # Where no land is found near the focal row the foot comes nearer, where an eye-height is larger: at 8.5 of them
    # the tower left the frame. It keeps its lamp below the top tenth and stands at most half the picture high.
    height = min(scale * size_eyes * rng.uniform(0.9, 1.1), (y - 0.1 * stage.height) / 1.05, 0.5 * stage.height)
    base, top = height * 0.26, height * 0.16

    def width_at(t: float) -> tuple[float, float]:
        return base + (top - base) * t, height

    wall = light.far(light["snow"] if light.snow else mix(light["wall"], light["cloud"], 0.5), near)
    band, iron = light.far(light["roof"], near), light.far(light["slate"] * 0.6, near)
    shade = light.far(light["stone shade"], near)
    box = (x - base, y - height * 1.05, x + base, y)
    # Against a low sun it stands in its own shadow, a silhouette (as a windmill does in any light).
    wall, band, shade = _apart_from_behind(pen, box, [wall, band, shade], silhouette=light.sun_low)
    canvas.polygon(_taper(x, y, width_at, 0.0, 0.86), wall)
    for low, high in ((0.22, 0.36), (0.58, 0.72)):
        canvas.polygon(_taper(x, y, width_at, low, high), band)
    canvas.polygon(_taper(x, y, width_at, 0.0, 0.86, half=side), shade, alpha=0.55)
    canvas.polygon(_rect(x - top * 0.75, y - height * 0.86, top * 1.5, height * 0.035), iron)  # the gallery
    lamp = mix(light["sun"], light["wall"], 0.2) if light.lit_windows else light.far(light["window"], near)
    canvas.polygon(_rect(x - top * 0.36, y - height * 0.895, top * 0.72, height * 0.08), lamp)
    canvas.polygon(
        np.array([(x - top * 0.5, y - height * 0.975), (x + top * 0.5, y - height * 0.975), (x, y - height * 1.05)]),
        band,
    )
    if light.lit_windows:
        canvas.glow(x, y - height * 0.935, height * 0.3, light["sun"], 0.5)


def draw_windmill(pen: Pen, x: float, y: float, side: int, size_eyes: float = 5.0, lift: float = 0.0) -> None:
    """A windmill: a tower narrowing upward under a cap, shaded away from the light, and four sails, a lattice
    frame each (half-covered), turned a little from upright so it reads as a mill and not a cross. Its size and haze
    are those of row `y`; it stands `lift` pixels above it (on a cliff's top)."""
    canvas, stage, light, rng = pen
    canvas.begin("windmill")
    near = stage.nearness(y)
    scale = stage.eye(y)
    y -= lift
    height = min(scale * size_eyes * rng.uniform(0.9, 1.1), (y - 0.12 * stage.height) / 1.5)
    base, top = height * 0.5, height * 0.3

    def width_at(t: float) -> tuple[float, float]:
        return base + (top - base) * t, height

    wall, shade = light.far(mix(light["wall"], light["stone"], 0.6), near), light.far(light["stone shade"], near)
    roof = light.far(light["snow"] if light.snow else light["slate"], near)
    sail, frame = light.far(light["cloud"], near), light.far(light["slate"] * 0.6, near)
    box = (x - height * 0.95, y - height * 1.97, x + height * 0.95, y)  # the tower and the sails' sweep
    wall, shade, roof, sail, frame = _apart_from_behind(pen, box, [wall, shade, roof, sail, frame], silhouette=True)
    canvas.polygon(_taper(x, y, width_at, 0.0, 1.0), wall)
    canvas.polygon(_taper(x, y, width_at, 0.0, 1.0, half=side), shade, alpha=0.6)
    canvas.polygon(
        np.array([(x - top * 0.62, y - height), (x + top * 0.62, y - height), (x, y - height * 1.22)]), roof
    )
    door = light.far(light["window"], near)
    canvas.polygon(_rect(x - base * 0.12, y, base * 0.24, height * 0.2), door)
    hub = np.array([x, y - height * 1.02])
    turn = rng.uniform(0.2, 0.6)
    for k in range(4):
        angle = turn + k * np.pi / 2
        along = np.array([np.cos(angle), -np.sin(angle)])
        across = np.array([-along[1], along[0]])
        reach, width = height * 0.95, height * 0.16
        spar = np.array([hub + across * 0.02 * height, hub + along * reach + across * 0.02 * height,
                         hub + along * reach - across * 0.02 * height, hub - across * 0.02 * height])
        cloth = np.array([hub + along * reach * 0.2, hub + along * reach, hub + along * reach + across * width,
                          hub + along * reach * 0.2 + across * width])
        canvas.polygon(cloth, sail, alpha=0.8)
        canvas.polygon(spar, frame)
    if light.lit_windows:
        canvas.glow(x, y - height * 0.35, height * 0.2, light["sun"], 0.25)


def draw_village(
    pen: Pen, x: float, y: float, spread: float, church_at: float | None, side: int, lift: float = 0.0
) -> list[tuple[str, float, float]]:
    """Houses clustered around (x, y), far ones first, standing `lift` above their rows (on a cliff's top); returns
    what stands where (for the depth order)."""
    canvas, stage, light, rng = pen
    count = int(rng.integers(5, 10))
    eye = stage.eye(y)
    church_y = y - eye * 0.12
    spots = [("church", church_at, church_y)] if church_at is not None else []
    # Side by side across the spread, a little jostled, some a step nearer: scattered at random about one point, five
    # to nine houses stood over each other in one row and a village read as one or two houses.
    across = (np.arange(count) + rng.uniform(-0.3, 0.3, count)) / max(count - 1, 1) - 0.5
    for offset in across:
        hx = x + spread * offset
        hy = y + eye * rng.uniform(-0.1, 0.5)  # near the horizon a small step back is a big step smaller
        if church_at is not None and abs(hx - church_at) < eye * 3.5 and hy > church_y:
            hx = church_at + np.sign(hx - church_at + 1e-3) * eye * rng.uniform(3.5, 5.0)  # not in front of it
        if stage.horizon + 2 < hy < stage.height and not stage.is_water(hx, hy):
            spots.append(("house", hx, hy))
    spots.sort(key=lambda s: s[2])
    roofs = [
        light["roof"],
        light["slate"],
        mix(light["roof"], light["wheat"], 0.4),
        mix(light["roof"], light["wall"], 0.3),
    ]
    for kind, hx, hy in spots:
        if kind == "church":
            draw_church(pen, hx, hy, side, lift=lift)
        else:
            roof = roofs[int(rng.integers(len(roofs)))]
            draw_house(pen, hx, hy, 1 if hx < x else -1, 2.6, name="village", roof=roof, lift=lift)
    return spots


def draw_harbour_wall(pen: Pen, side: int) -> tuple[float, float]:
    """A stone pier from the frame's edge on `side` out into the water, with a light tower at its end;
    returns the end's foot point (boats moor near it)."""
    canvas, stage, light, rng = pen
    canvas.begin("harbour wall")
    w = stage.width
    root_n, end_n = rng.uniform(0.45, 0.7), rng.uniform(0.12, 0.25)
    root_y, end_y = stage.y_at(root_n), stage.y_at(end_n)
    end_x = w * (0.5 + side * rng.uniform(-0.2, 0.05))
    root_x = -0.02 * w if side < 0 else 1.02 * w
    ts = np.linspace(0, 1, 24)
    xs = root_x + (end_x - root_x) * ts
    ys = root_y + (end_y - root_y) * (1 - (1 - ts) ** 1.3)
    front_h = np.array([stage.eye(yy) * 0.55 for yy in ys])
    top_h = np.array([stage.eye(yy) * 0.35 for yy in ys])
    stone, shade = light["stone"], light["stone shade"]
    water, darks = water_shade(pen), water_darks(pen)

    def apart(colour: np.ndarray, step: float):
        # Stone and sea are both greys in a storm or at dusk: the face is set darker than the darkest water at
        # its row and the walkway lighter than the water, so the pier reads by its value as a painter sets it
        # off, not by a hue the painter's colours may take away.
        if step < 0:
            return lambda yy, xx: set_apart(_far_shade(pen, colour, yy), darks(yy, xx), step)
        # Lit, but not into the sky behind it: a pier near the horizon is seen against the haze there, and
        # lightened to it the walkway's top edge was lost (Hokusai's high horizons).
        return lambda yy, xx: set_apart(
            set_apart(_far_shade(pen, colour, yy), water(yy, xx), step), light["horizon"], -WALL_SHADOW
        )

    face = np.concatenate([np.stack([xs, ys - front_h], 1), np.stack([xs[::-1], ys[::-1] + 2], 1)])
    canvas.polygon(face, shade=apart(shade, -WALL_SHADOW))
    top = np.concatenate([np.stack([xs, ys - front_h - top_h], 1), np.stack([xs[::-1], (ys - front_h)[::-1]], 1)])
    canvas.polygon(top, shade=apart(stone, WALL_LIT))
    coping = np.concatenate(
        [np.stack([xs, ys - front_h - top_h * 0.15], 1), np.stack([xs[::-1], (ys - front_h * 0.9)[::-1]], 1)]
    )
    canvas.polygon(coping, shade=apart(mix(stone, light["wall"], 0.5), WALL_LIT * 1.3))
    waterline = np.concatenate([np.stack([xs, ys - front_h * 0.25], 1), np.stack([xs[::-1], ys[::-1] + 2], 1)])
    canvas.polygon(waterline, shade=apart(shade * 0.6, -WALL_SHADOW * 1.5))
    eye = stage.eye(end_y)
    tower = eye * 2.2
    base = end_y - eye * 0.55
    canvas.polygon(_rect(end_x - eye * 0.3, base, eye * 0.6, tower), light.far(light["wall"], end_n))
    canvas.polygon(
        np.array(
            [(end_x - eye * 0.4, base - tower), (end_x + eye * 0.4, base - tower), (end_x, base - tower - eye * 0.5)]
        ),
        light.far(light["roof"], end_n),
    )
    if light.lit_windows:
        canvas.glow(end_x, base - tower * 0.85, eye * 1.2, light["sun"], 0.8)
    return end_x, end_y


def _far_shade(pen: Pen, colour: np.ndarray, ys: np.ndarray) -> np.ndarray:
    stage, light = pen.stage, pen.light
    n = np.clip((ys - stage.horizon) / max(stage.height - stage.horizon, 1), 0, 1)[..., None]
    fade = light.haze * (1 - n) ** 1.6
    return colour * (1 - fade) + light["horizon"] * fade


# How high a one-arched bridge's deck rises in its middle, over its span (0.18 stood it up like a gateway).
HUMP = 0.07


def draw_bridge(pen: Pen, x0: float, x1: float, y: float, arched: bool) -> None:
    """A stone bridge across the water between x0 and x1 at row y: a deck on arches (or one high arch)."""
    canvas, stage, light = pen.canvas, pen.stage, pen.light
    canvas.begin("bridge")
    near = stage.nearness(y)
    eye = stage.eye(y)
    span = x1 - x0
    stone = light.far(light["stone"], near)
    dark = light.far(light["sea"] * 0.5, near)
    deck_h = eye * 0.35
    hump = span * (HUMP if arched else 0.0)
    xs = np.linspace(x0, x1, 40)
    t = (xs - x0) / span
    deck = y - eye * 1.7 - hump * np.sin(np.pi * t)
    body = np.concatenate([np.stack([xs, deck - deck_h], 1), [[x1, y + 2], [x0, y + 2]]])
    canvas.polygon(body, stone)
    arches = 1 if arched else max(2, int(span / (eye * 2.2)))
    for k in range(arches):
        cx = x0 + span * (k + 0.5) / arches
        rx = span / arches * 0.38
        top = float(np.interp(cx, xs, deck)) + eye * 0.25
        # one arch over the whole river is a low segment; as high as the deck it was a tunnel's mouth
        ry = min(y - top, rx * 0.6) if arched else y - top
        angles = np.linspace(np.pi, 2 * np.pi, 20)
        canvas.polygon(
            np.concatenate(
                [np.stack([cx + rx * np.cos(angles), y + ry * np.sin(angles)], 1), [[cx + rx, y + 2], [cx - rx, y + 2]]]
            ),
            dark,
        )
    rail = np.concatenate([np.stack([xs, deck - deck_h], 1), np.stack([xs[::-1], (deck - deck_h * 1.4)[::-1]], 1)])
    canvas.polygon(rail, light.far(light["stone shade"], near))


def draw_boat(
    pen: Pen, x: float, y: float, tilt: float = 0.0, sails: bool = True, length_eyes: float = BOAT_LENGTH
) -> None:
    """A boat afloat at (x, y): a curved hull, a mast and, under way, one or two sails."""
    canvas, stage, light, rng = pen
    canvas.begin("boats")
    near = stage.nearness(y)
    length = stage.eye(y) * length_eyes * rng.uniform(0.8, 1.2)
    facing = rng.choice([-1, 1])
    u = np.linspace(-0.5, 0.5, 12)
    deck = -length * 0.05 * (1 + 3 * (u * facing + 0.5) ** 3)  # the bow rises
    keel = length * 0.16 * np.sqrt(np.clip(1 - (2 * u) ** 2, 0, 1))
    hull = np.concatenate([np.stack([u * length, deck], 1), np.stack([u[::-1] * length, keel[::-1] * 0.9], 1)])
    hull_colours = [light["hull"], mix(light["hull"], light["roof"], 0.5), mix(light["hull"], light["sea"], 0.6)]
    hull_colour = light.far(hull_colours[int(rng.integers(len(hull_colours)))], near)
    # A hull is as dark as the storm sea it rides in, or partly the sea's own colour: set darker than the water
    # at its row, it keeps its shape under the painter's strokes.
    water = water_darks(pen)(np.array([[y]], np.float32), np.array([[x]], np.float32))[0, 0]
    parts = [(hull, set_apart(hull_colour, water, -HULL_SHADOW))]
    mast_h = length * rng.uniform(0.9, 1.3)
    mast_x = -facing * length * 0.05
    parts.append((_rect(mast_x - length * 0.012, 0, length * 0.024, mast_h), light["trunk"]))
    if sails:
        sail = light["sail"] if not light.lit_windows else mix(light["sail"], light["sun"], 0.3)
        parts.append(
            (
                np.array(
                    [
                        (mast_x, -mast_h * 0.95),
                        (mast_x, -length * 0.12),
                        (mast_x - facing * length * 0.42, -length * 0.1),
                    ]
                ),
                sail,
            )
        )
        if rng.random() < 0.6:
            parts.append(
                (
                    np.array(
                        [
                            (mast_x + facing * length * 0.02, -mast_h * 0.85),
                            (mast_x + facing * length * 0.02, -length * 0.12),
                            (mast_x + facing * length * 0.4, -length * 0.1),
                        ]
                    ),
                    sail * 0.9,
                )
            )
    rotation = np.array([[np.cos(tilt), -np.sin(tilt)], [np.sin(tilt), np.cos(tilt)]])
    for number, (points, colour) in enumerate(parts):
        canvas.polygon(points @ rotation.T + [x, y], colour if number == 0 else light.far(colour, near))
