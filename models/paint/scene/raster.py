"""Drawing for the scene composer: anti-aliased shapes on a float RGB canvas, smooth curves, soft light.

Shapes are polygons (smooth ones are many points along a Catmull-Rom curve or a sum of sines), drawn
at 3x resolution inside their own bounding box and averaged down, so edges are smooth and a small
shape costs little. The canvas also keeps a label map (which element covers each pixel), from
which the composer reports what is visible, not only what it drew.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

SUPERSAMPLE = 3

Colour = np.ndarray  # (3,) sRGB in [0, 1], or (h, w, 3) over the shape's bounding box


class SceneCanvas:
    def __init__(self, width: int, height: int, halos: bool = True) -> None:
        self.width, self.height = width, height
        self.halos = halos  # whether a glow lightens the picture (its place goes to `glows` either way)
        self.rgb = np.zeros((height, width, 3), np.float32)
        self.labels = np.zeros((height, width), np.int16)  # 0: nothing; k: the k-th element's name
        self.names: list[str] = ["(none)"]
        self.current = 0
        # How much soft light (glow) lies over each pixel, 0 to 1: a halo has no edge a painter would draw.
        self.glows = np.zeros((height, width), np.float32)
        # (H, W) bool or None: where no shape may paint for now (the nearer rock face in front of what is drawn)
        self.hidden: np.ndarray | None = None

    def begin(self, name: str) -> None:
        """Every shape drawn from now on belongs to the element `name` (until the next begin)."""
        if name not in self.names:
            self.names.append(name)
        self.current = self.names.index(name)

    def visible_pixels(self) -> dict[str, int]:
        counts = np.bincount(self.labels.ravel(), minlength=len(self.names))
        return {name: int(counts[index]) for index, name in enumerate(self.names) if index and counts[index]}

    # Filling ----------------------------------------------------------------------------------

    def fill_mask(self, mask: np.ndarray, top: int, left: int, colour: Colour, alpha: float = 1.0) -> None:
        """Blend `colour` through `mask` (h, w in [0, 1]) placed with its top-left corner at (top, left)."""
        h, w = mask.shape
        y0, x0, y1, x1 = max(top, 0), max(left, 0), min(top + h, self.height), min(left + w, self.width)
        if y0 >= y1 or x0 >= x1:
            return
        m = mask[y0 - top : y1 - top, x0 - left : x1 - left] * alpha
        if self.hidden is not None:
            m = m * ~self.hidden[y0:y1, x0:x1]
        c = np.asarray(colour, np.float32)
        if c.ndim == 3:
            c = c[y0 - top : y1 - top, x0 - left : x1 - left]
        region = self.rgb[y0:y1, x0:x1]
        region += (c - region) * m[..., None]
        if alpha >= 0.5:
            self.labels[y0:y1, x0:x1][m > 0.5] = self.current
            self.glows[y0:y1, x0:x1][m > 0.5] = 0.0  # a shape drawn over a halo hides it

    def polygon(self, points: np.ndarray, colour: Colour | None = None, alpha: float = 1.0, shade=None) -> None:
        """Fill a polygon given as (N, 2) pixel coordinates (x, y). `shade(ys, xs)` -> (h, w, 3) colours
        may replace the flat colour (a gradient over the shape)."""
        mask, top, left = polygon_mask(points, self.width, self.height)
        if mask is None:
            return
        if shade is not None:
            ys, xs = np.mgrid[top : top + mask.shape[0], left : left + mask.shape[1]].astype(np.float32)
            colour = shade(ys, xs)
        if colour is None:
            raise ValueError("a polygon needs a colour or a shade")
        self.fill_mask(mask, top, left, colour, alpha)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, colour: Colour, alpha: float = 1.0) -> None:
        angles = np.linspace(0, 2 * np.pi, max(12, int(2 * np.pi * max(rx, ry) / 2)), endpoint=False)
        self.polygon(np.stack([cx + rx * np.cos(angles), cy + ry * np.sin(angles)], 1), colour, alpha)

    def glow(self, cx: float, cy: float, radius: float, colour: Colour, strength: float = 1.0) -> None:
        """Soft light around a point (a sun's or a lamp's halo): no edge, and no label."""
        r = int(radius * 2.5)
        top, left = int(cy) - r, int(cx) - r
        ys, xs = np.mgrid[top : top + 2 * r + 1, left : left + 2 * r + 1].astype(np.float32)
        shape = np.exp(-(((ys - cy) ** 2 + (xs - cx) ** 2) / (2 * radius**2)))
        if self.halos:
            saved = self.current
            self.current = 0
            self.fill_mask(np.clip(shape * strength, 0, 1), top, left, colour, alpha=0.49)  # below 0.5: no label
            self.current = saved
        # The halo in the glow map: all of it out to its radius (where its light falls fastest, the edge an outline
        # would trace), fading beyond, however faint its light.
        halo = np.clip(2 * shape - 0.1, 0, 1)
        y0, x0, y1, x1 = (
            max(top, 0),
            max(left, 0),
            min(top + halo.shape[0], self.height),
            min(left + halo.shape[1], self.width),
        )
        if y0 < y1 and x0 < x1:
            region = self.glows[y0:y1, x0:x1]
            np.maximum(region, halo[y0 - top : y1 - top, x0 - left : x1 - left], out=region)

    def vertical_gradient(self, y0: float, y1: float, stops: list[tuple[float, np.ndarray]]) -> None:
        """Fill rows y0..y1 with colours interpolated between (fraction, colour) stops."""
        top, bottom = max(0, int(np.floor(y0))), min(self.height, int(np.ceil(y1)))
        if top >= bottom:
            return
        t = (np.arange(top, bottom, dtype=np.float32) - y0) / max(y1 - y0, 1e-6)
        fractions = np.array([f for f, _ in stops], np.float32)
        colours = np.stack([np.asarray(c, np.float32) for _, c in stops])
        rows = np.stack([np.interp(t, fractions, colours[:, k]) for k in range(3)], 1)
        self.rgb[top:bottom] = rows[:, None, :]
        self.labels[top:bottom] = self.current

    def to_uint8(self) -> np.ndarray:
        return np.clip(np.round(self.rgb * 255), 0, 255).astype(np.uint8)


def polygon_mask(points: np.ndarray, width: int, height: int) -> tuple[np.ndarray | None, int, int]:
    """Coverage of a polygon over its bounding box (clipped to the canvas): (mask, top, left)."""
    points = np.asarray(points, np.float64)
    left = max(0, int(np.floor(points[:, 0].min())) - 1)
    top = max(0, int(np.floor(points[:, 1].min())) - 1)
    right = min(width, int(np.ceil(points[:, 0].max())) + 1)
    bottom = min(height, int(np.ceil(points[:, 1].max())) + 1)
    if right <= left or bottom <= top:
        return None, 0, 0
    s = SUPERSAMPLE
    image = Image.new("L", ((right - left) * s, (bottom - top) * s), 0)
    scaled = (points - [left, top]) * s
    ImageDraw.Draw(image).polygon([tuple(p) for p in scaled], fill=255)
    small = image.resize((right - left, bottom - top), Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255.0, top, left


def catmull_rom(points: np.ndarray, samples: int = 12, closed: bool = False) -> np.ndarray:
    """A smooth curve through (N, 2) control points, `samples` points per segment."""
    p = np.asarray(points, np.float64)
    if closed:
        p = np.concatenate([p[-1:], p, p[:2]])
    else:
        p = np.concatenate([2 * p[:1] - p[1:2], p, 2 * p[-1:] - p[-2:-1]])
    t = np.linspace(0, 1, samples, endpoint=False)[None, :, None]
    a, b, c, d = p[:-3, None], p[1:-2, None], p[2:-1, None], p[3:, None]
    curve = 0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t**2 + (-a + 3 * b - 3 * c + d) * t**3)
    curve = curve.reshape(-1, 2)
    return curve if closed else np.concatenate([curve, p[-2:-1]])


def ridge(xs: np.ndarray, rng: np.random.Generator, roughness: float = 1.0, waves: int = 4) -> np.ndarray:
    """A smooth random profile over `xs` in [0, 1], roughly in [-1, 1]: a few sines of rising frequency
    and falling amplitude (roughness > 1 keeps more of the high ones: mountains rather than hills)."""
    profile = np.zeros_like(xs, dtype=np.float64)
    total = 0.0
    for k in range(waves):
        frequency = (k + 1) * rng.uniform(0.7, 1.3)
        amplitude = (1.0 / (k + 1)) ** (1.6 / roughness)
        profile += amplitude * np.sin(2 * np.pi * frequency * xs + rng.uniform(0, 2 * np.pi))
        total += amplitude
    return profile / total


def blob(
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    rng: np.random.Generator,
    wobble: float = 0.12,
    lobes: int = 7,
    flat_base: bool = False,
) -> np.ndarray:
    """A rounded irregular outline (a tree crown, a cloud): an ellipse whose radius wavers smoothly."""
    angles = np.linspace(0, 2 * np.pi, lobes, endpoint=False) + rng.uniform(0, 2 * np.pi)
    radii = 1.0 + wobble * rng.uniform(-1, 1, lobes)
    control = np.stack([cx + rx * radii * np.cos(angles), cy + ry * radii * np.sin(angles)], 1)
    if flat_base:
        control[:, 1] = np.minimum(control[:, 1], cy + 0.35 * ry)
    return catmull_rom(control, 10, closed=True)


def mix(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    return np.asarray(a, np.float32) * (1 - t) + np.asarray(b, np.float32) * t
