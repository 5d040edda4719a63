"""The land: mountains and hills on the horizon, the ground plane with its fields, a road, a forest edge."""

from __future__ import annotations

import numpy as np

from .light import set_apart
from .raster import catmull_rom, mix, ridge
from .stage import Pen


def draw_mountains(pen: Pen, peak_x: float, single_peak: bool, grand: bool = False) -> None:
    """A pale far range and, in front, either a second range or one great cone (a Fuji) at `peak_x`; a range that is
    the picture's subject (`grand`) rises higher, its snow capping every peak down from a snow line."""
    canvas, stage, light, rng = pen
    canvas.begin("mountains")
    w, hz = stage.width, stage.horizon
    xs = np.linspace(-0.02, 1.02, 160)
    far = hz - hz * (0.12 + 0.12 * rng.random()) * (0.6 + 0.4 * ridge(xs, rng, roughness=2.2, waves=6))
    far_colour = light.far(mix(light["mountain"], light["zenith"], 0.3), 0.0)
    canvas.polygon(_closed(xs * w, far, hz + 3), far_colour)
    colour = light.far(light["mountain"], 0.35)
    if single_peak:
        height = hz * rng.uniform(0.5, 0.75)
        half = w * rng.uniform(0.25, 0.38)
        t = np.clip(np.abs(xs * w - peak_x) / half, 0, 1.6)
        profile = hz - height * np.clip(1 - t**0.75, 0, 1) ** 1.35
        profile = np.minimum(profile, hz - height * 0.02 + 0.0 * xs)
        crater = np.abs(xs * w - peak_x) < half * 0.06  # the flat top of a volcano
        profile[crater] = profile[crater].max()
        canvas.polygon(_closed(xs * w, profile, hz + 3), colour)
        if light.snow or rng.random() < 0.8:
            snow_line = hz - height * rng.uniform(0.55, 0.7)
            zig = snow_line + height * 0.05 * np.sin(xs * 90 + rng.uniform(0, 6))
            cap = np.minimum(profile, zig)
            above = profile < zig
            if above.any():
                sel = np.where(above)[0]
                canvas.polygon(_closed(xs[sel] * w, cap[sel], 0.0, top=zig[sel]), light.far(light["snow"], 0.1))
    elif grand:
        # The subject: at the old 9-40% of the sky's height the peaks were a strip along the horizon.
        rise = hz * rng.uniform(0.4, 0.6)
        crests = ridge(xs, rng, roughness=3.0, waves=9)  # jagged, not the rolling hills of 5 waves
        crests = (crests - crests.min()) / max(float(np.ptp(crests)), 1e-6)  # the highest peak rises all the way
        near = hz - rise * (0.3 + 0.7 * crests)
        canvas.polygon(_closed(xs * w, near, hz + 3), colour)
        if light.snow or rng.random() < 0.7:
            _snow_caps(pen, xs * w, near, hz - rise * rng.uniform(0.55, 0.7), rise)
    else:
        near = hz - hz * (0.18 + 0.22 * rng.random()) * (0.5 + 0.5 * ridge(xs, rng, roughness=2.0, waves=5))
        canvas.polygon(_closed(xs * w, near, hz + 3), colour)
        if light.snow:
            snow = near + hz * 0.04 * (1 + np.sin(xs * 70 + rng.uniform(0, 6)))
            high = near < np.percentile(near, 30)
            if high.any():
                sel = np.where(high)[0]
                canvas.polygon(
                    _closed(xs[sel] * w, near[sel], 0.0, top=np.minimum(snow[sel], near[sel] + hz * 0.06)),
                    light.far(light["snow"], 0.1),
                )


def _snow_caps(pen: Pen, xs: np.ndarray, profile: np.ndarray, snow_line: float, rise: float) -> None:
    """Snow on a range's `profile` (rows at `xs`) above a ragged `snow_line`, each peak its own cap, in shade on the
    slopes that face one way (a white strip alone read as cloud against a pale sky)."""
    canvas, _, light, rng = pen
    zig = snow_line + rise * 0.06 * np.sin(xs / max(xs[-1], 1) * 90 + rng.uniform(0, 6))
    lit, shade = light.far(light["snow"], 0.1), light.far(light["snow shade"], 0.1)
    falling = np.gradient(profile) > 0  # rows grow downward: the slope falls to the right
    shaded = falling if rng.random() < 0.5 else ~falling
    above = profile < zig
    for colour, where in ((lit, above), (shade, above & shaded)):
        for run in _runs(where):  # one polygon a peak: joined across a gap, the caps drew a line through the sky
            canvas.polygon(_closed(xs[run], profile[run], 0.0, top=zig[run]), colour)


def _runs(mask: np.ndarray) -> list[np.ndarray]:
    """The indices of each run of True in a 1-D mask, two or more long."""
    where = np.where(mask)[0]
    return [run for run in np.split(where, np.where(np.diff(where) > 1)[0] + 1) if len(run) > 1]


def _closed(xs: np.ndarray, ys: np.ndarray, base: float, top: np.ndarray | None = None) -> np.ndarray:
    """A polygon under a profile down to row `base` (or between `ys` and `top` when given)."""
    if top is not None:
        return np.concatenate([np.stack([xs, ys], 1), np.stack([xs[::-1], top[::-1]], 1)])
    return np.concatenate([np.stack([xs, ys], 1), [[xs[-1], base], [xs[0], base]]])


# A cliff's height in eye-heights (a person's height where it stands; the tower on it is 8.5): from about 1 its top
# rises above the horizon as it comes nearer, as a cliff seen from the sea does. At 1.3 a figure at its edge stood
# about as tall as the rock face under it (a low bluff); at 2 the face rose out of the frame where a lighthouse stood,
# while the headland came forward to the bottom edge. Seen from farther back (water.HEADLAND_END), 2.4: a face about
# twice a figure's height under one standing at its edge.
CLIFF_EYES = 2.4
# How far (OKLab lightness) a cliff's face lies below the sea's colour when the sun is low behind it (dawn, dusk; its
# scars twice as far): at sunset its face (L 0.47-0.62) had the value of the sky round it (0.52-0.56) and it dissolved
# between sky and sea in every style. At 0.12 (L 0.22 at dusk) it was a black cut-out.
BACKLIT_CLIFF = 0.07


def draw_cliff(pen: Pen) -> None:
    """The shore (stage.shore, the waterline from the horizon forward) as the foot of a cliff: a rock face rising
    CLIFF_EYES above it (in the haze far off, scored down its height, a strip of grass along its top) and foam at its
    foot; stage.cliff says where its top edge runs, for what stands on it. Without it "a lighthouse on a cliff" stood
    on a green slope down to the water."""
    canvas, stage, light, rng = pen
    if stage.shore is None:
        return
    canvas.begin("cliff")
    foot = stage.shore
    drop = np.array([stage.eye(y) * CLIFF_EYES for y in foot[:, 1]])
    top = foot - np.stack([np.zeros_like(drop), drop], 1)
    side = -2.0 if foot[-1, 0] < stage.width / 2 else stage.width + 2.0
    rock = np.concatenate([foot, [(side, stage.height + 4), (side, top[:, 1].min())], top[::-1]])
    far, near = light.far(light["stone"], 0.0), light.far(light["stone"], 0.7)
    backlit = light.sun_low  # against the low sun its face is in shadow: a headland darker than the sea, its scars more
    if backlit:
        far, near = set_apart(far, light["sea"], -BACKLIT_CLIFF), set_apart(near, light["sea"], -BACKLIT_CLIFF)
    high, low = top[:, 1].min(), stage.height

    def shade(ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        t = np.clip((ys - high) / max(low - high, 1), 0, 1)[..., None]
        return far * (1 - t) + near * t

    canvas.polygon(rock, shade=shade)
    stage.block(rock)
    stage.dry(rock)
    scores = light.far(light["stone shade"], 0.6)
    if backlit:
        scores = set_apart(scores, light["sea"], -2 * BACKLIT_CLIFF)
    for k in sorted(rng.choice(len(foot) - 1, size=min(len(foot) - 1, int(rng.integers(7, 11))), replace=False)):
        x, y = top[k]
        width = max(1.0, stage.eye(foot[k, 1]) * rng.uniform(0.15, 0.35))
        length = drop[k] * rng.uniform(0.5, 1.0)
        scar = [(x, y), (x + width, y), (x + width * 0.6, y + length), (x + width * 0.2, y + length)]
        canvas.polygon(np.array(scar), scores, alpha=0.6)
    lip = np.maximum(drop * 0.07, 1.0)
    grass = light.far(light["hills"], 0.5)
    canvas.polygon(np.concatenate([top, (top + np.stack([np.zeros_like(lip), lip], 1))[::-1]]), grass)
    canvas.polygon(ribbon(foot, np.maximum(drop * 0.06, 1.0)), light.far(light["foam"], 0.5), alpha=0.7)
    stage.cliff = np.stack([top[:, 0], foot[:, 1], drop], 1)


def draw_far_hills(pen: Pen, layers: int = 2) -> None:
    canvas, stage, light, rng = pen
    canvas.begin("hills")
    xs = np.linspace(-0.02, 1.02, 120)
    for k in range(layers):
        lift = stage.horizon * (0.06 + 0.1 * rng.random()) * (1.0 - 0.35 * k)
        profile = stage.horizon - lift * (0.55 + 0.45 * ridge(xs, rng, roughness=0.9, waves=3))
        colour = light.far(light["hills"], 0.03 + 0.12 * k)
        canvas.polygon(_closed(xs * stage.width, profile, stage.horizon + 3), colour)


def draw_near_hill(pen: Pen, side: int, fields: bool = False) -> None:
    """A slope in the middle distance rising toward `side` (-1 left, 1 right), with strips along it (fields,
    when the scene has fields)."""
    canvas, stage, light, rng = pen
    canvas.begin("hills")
    w = stage.width
    xs = np.linspace(-0.02, 1.02, 140)
    rise = np.clip(xs if side > 0 else 1 - xs, 0, 1) ** 1.5
    low, high = stage.y_at(rng.uniform(0.15, 0.3)), stage.horizon - stage.horizon * rng.uniform(0.04, 0.14)
    profile = low + (high - low) * rise + (stage.height - stage.horizon) * 0.04 * ridge(xs, rng, 0.8, 3)
    base = light.far(light["wheat"] if rng.random() < 0.35 and not light.snow else light["hills"], 0.45)
    canvas.polygon(_closed(xs * w, profile, stage.height + 2), base)
    strips = int(rng.integers(2, 4))
    if fields:
        canvas.begin("fields")
    for k in range(strips):  # field strips that follow the hill's shape
        offset = (stage.height - profile.min()) * (0.12 + 0.22 * k + 0.05 * rng.random())
        band = (stage.height - profile.min()) * 0.09 * (1 + k * 0.5)
        top = profile + offset
        colour = light.far(mix(base, light["grass"] if k % 2 else light["wheat"], 0.5), 0.5 + 0.15 * k)
        canvas.polygon(_closed(xs * w, top, 0.0, top=top + band), colour)


def draw_ground(pen: Pen) -> None:
    canvas, stage, light = pen.canvas, pen.stage, pen.light
    canvas.begin("ground")
    far = light.far(light["grass"], 0.0)
    near = light["grass"] * 0.85
    canvas.vertical_gradient(stage.horizon, stage.height, [(0.0, far), (0.4, mix(far, near, 0.7)), (1.0, near)])
    if light.snow:
        _snow_drifts(pen)


def _snow_drifts(pen: Pen) -> None:
    """Long drifts across a snowfield, their lee in the snow's blue shade, wider toward the viewer: without them the
    ground under 'mountains under snow' was an even pale plain with nothing for a painter's strokes to follow."""
    canvas, stage, light, rng = pen
    xs = np.linspace(-0.02, 1.02, 80)
    for nearness in sorted(rng.uniform(0.08, 0.9, int(rng.integers(3, 6)))):
        y = stage.y_at(float(nearness))
        depth = stage.eye(y) * rng.uniform(0.15, 0.35)
        crest = y + depth * 0.5 * ridge(xs, rng, roughness=1.2, waves=3)
        lee = crest + depth * (0.6 + 0.4 * ridge(xs, rng, roughness=1.0, waves=3))
        shade = light.far(light["snow shade"], float(nearness))
        canvas.polygon(_closed(xs * stage.width, crest, 0.0, top=lee), shade, alpha=0.7)


def draw_fields(pen: Pen, wheat: bool, vanishing_x: float) -> None:
    """Fields in perspective: bands that widen toward the viewer, split by boundaries that meet at a
    vanishing point on the horizon; furrows in the nearest ones."""
    canvas, stage, light, rng = pen
    canvas.begin("fields")
    w = stage.width
    palette = [
        light["wheat"],
        light["wheat shade"],
        light["grass"],
        mix(light["grass"], light["wheat"], 0.5),
        light["earth"],
    ]
    weights = np.array([4, 2, 1, 1, 1] if wheat else [1, 1, 3, 2, 1], float)
    edges = [0.0, *sorted(rng.uniform(0.02, 0.08, 1)), 0.16, 0.3, 0.52, 1.02]
    edges = [e * (0.85 + 0.3 * rng.random()) if 0 < e < 1 else e for e in edges]
    for top, bottom in zip(edges[:-1], edges[1:], strict=True):
        y0, y1 = stage.y_at(top), stage.y_at(min(bottom, 1.02))
        dividers = sorted(rng.uniform(-0.6, 1.6, int(rng.integers(1, 4))))
        bounds = [-1.5, *dividers, 2.5]
        for left, right in zip(bounds[:-1], bounds[1:], strict=True):
            colour = palette[int(rng.choice(len(palette), p=weights / weights.sum()))]
            colour = light.far(colour * rng.uniform(0.92, 1.06), stage.nearness((y0 + y1) / 2))
            # boundaries are lines through the vanishing point: x = vx + (u - vx) * nearness
            quad = []
            for u, y in ((left, y0), (right, y0), (right, y1), (left, y1)):
                n = stage.nearness(y)
                quad.append((vanishing_x + (u * w - vanishing_x) * n, y))
            tilt = (y1 - y0) * 0.15 * rng.uniform(-1, 1)
            quad[0] = (quad[0][0], quad[0][1] + tilt)
            quad[1] = (quad[1][0], quad[1][1] - tilt)
            canvas.polygon(np.array(quad), colour)
            # Furrows in the nearest field, but not under snow: their faint lines on white were what Munch's contours
            # found there, and the snowfield read as black stripes.
            if bottom > 0.5 and not light.snow:
                _furrows(pen, np.array(quad), colour, vanishing_x, rng)


def _furrows(pen: Pen, quad: np.ndarray, colour: np.ndarray, vanishing_x: float, rng: np.random.Generator) -> None:
    canvas, stage = pen.canvas, pen.stage
    dark = colour * 0.85
    y0, y1 = quad[:, 1].min(), stage.height + 2
    x_lo, x_hi = quad[:, 0].min(), quad[:, 0].max()
    for u in np.linspace(-1.0, 2.0, 30):
        bottom_x = vanishing_x + (u * stage.width - vanishing_x)
        if not x_lo - stage.width < bottom_x < x_hi + stage.width:
            continue
        n0 = stage.nearness(y0)
        width = stage.width * 0.012
        pts = np.array(
            [
                (vanishing_x + (bottom_x - vanishing_x) * n0 - width * n0 / 2, y0),
                (vanishing_x + (bottom_x - vanishing_x) * n0 + width * n0 / 2, y0),
                (bottom_x + width / 2, y1),
                (bottom_x - width / 2, y1),
            ]
        )
        clipped = _clip_to_quad(pts, quad)
        if clipped is not None:
            canvas.polygon(clipped, dark, alpha=0.5)


def _clip_to_quad(points: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """Keep the part of a thin strip between the quad's top and bottom rows (its sides are far apart)."""
    top, bottom = quad[:, 1].min(), quad[:, 1].max()
    out = points.copy()
    out[:, 1] = np.clip(out[:, 1], top, bottom)
    left, right = quad[:, 0].min(), quad[:, 0].max()
    if out[:, 0].max() < left or out[:, 0].min() > right:
        return None
    return out


def road_outline(
    pen: Pen, start_x: float, end: tuple[float, float], width_eyes: float, bend: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """The centre line (rows from the bottom edge up to `end`) and half-widths of a winding road or river (that much
    of its usual `bend`: a canal's is small)."""
    stage, rng = pen.stage, pen.rng
    end_x, end_y = end
    bend = stage.width * rng.uniform(0.08, 0.2) * rng.choice([-1, 1]) * bend
    control = np.array([
        (start_x, stage.height + 4),
        (start_x + bend * 0.6, stage.y_at(0.55)),
        ((start_x + end_x) / 2 - bend * 0.5, stage.y_at(0.25) * 0.5 + end_y * 0.5),
        (end_x, end_y),
    ])  # fmt: skip
    centre = catmull_rom(control, 30)
    half = np.array([stage.eye(y) * width_eyes / 2 for y in centre[:, 1]])
    return centre, half


def ribbon(centre: np.ndarray, half: np.ndarray) -> np.ndarray:
    """The polygon of a ribbon of half-width `half` (pixels, horizontal) along `centre`."""
    left = centre - np.stack([half, np.zeros_like(half)], 1)
    right = centre + np.stack([half, np.zeros_like(half)], 1)
    return np.concatenate([left, right[::-1]])


def draw_road(pen: Pen, centre: np.ndarray, half: np.ndarray) -> None:
    canvas, stage, light = pen.canvas, pen.stage, pen.light
    canvas.begin("road")
    near, far = light["earth"], light.far(light["earth"], 0.0)
    top, bottom = centre[:, 1].min(), stage.height

    def shade(ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        t = np.clip((ys - top) / max(bottom - top, 1), 0, 1)[..., None]
        return far * (1 - t) + near * t

    canvas.polygon(ribbon(centre, half), shade=shade)
    # wheel ruts: two darker lines along the road
    for offset in (-0.35, 0.35):
        line = centre + np.stack([half * offset, np.zeros_like(half)], 1)
        canvas.polygon(ribbon(line, np.maximum(half * 0.05, 0.6)), near * 0.8, alpha=0.6)


def draw_forest(pen: Pen, base_y: float, x0: float, x1: float) -> None:
    """A forest edge: a band of crowns whose bumpy top is the silhouette of the trees."""
    canvas, stage, light, rng = pen
    canvas.begin("forest")
    tree = stage.eye(base_y) * rng.uniform(3.5, 5.0)
    xs = np.linspace(x0, x1, max(40, int((x1 - x0) / 3)))
    crowns = np.zeros_like(xs)
    x = x0
    while x < x1:  # one hump per crown, of varying width and height
        width = tree * rng.uniform(0.35, 0.6)
        height = tree * rng.uniform(0.75, 1.0)
        inside = np.abs(xs - x) < width / 2
        crowns[inside] = np.maximum(crowns[inside], height * np.sqrt(1 - (2 * (xs[inside] - x) / width) ** 2))
        x += width * rng.uniform(0.5, 0.8)
    top = base_y - np.maximum(crowns, tree * 0.4)
    colour = light.far(light["foliage"], 0.3 + stage.nearness(base_y))
    taper = np.clip(np.minimum(xs - x0, x1 - xs) / (tree * 0.8), 0, 1)  # the ends come down to the ground
    top = base_y - (base_y - top) * np.sqrt(taper)
    canvas.polygon(np.concatenate([np.stack([xs, top], 1), [[x1, base_y + 2], [x0, base_y + 2]]]), colour)
    lit = light.far(light["foliage light"], 0.3 + stage.nearness(base_y))
    canvas.polygon(
        np.concatenate([np.stack([xs, top + tree * 0.08], 1), np.stack([xs[::-1], (top + tree * 0.3)[::-1]], 1)]),
        lit,
        alpha=0.55,
    )
