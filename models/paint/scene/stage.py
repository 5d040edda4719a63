"""The stage of a scene: the horizon, the ground plane and where the water is, so that the composer
knows where a thing can stand and how big it looks there.

Perspective: the eye is at the horizon's height, so a thing standing on the ground looks taller the
nearer it stands (its height in eye-heights times `eye(y)`), and fades toward the haze with distance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .light import Light
from .raster import SceneCanvas, polygon_mask

EYE_SCALE = 0.45  # one eye-height at the bottom edge, as a share of the frame's height
# The focal length over the frame's width: a normal lens (about 53 degrees across). It sets how deep the ground runs
# (how far off, in eye-heights, a row is), which a thing lying on the ground, a river crossing the view, needs.
FOCAL = 1.0
# Room (eye-heights) above a thing's foot on a cliff's top for it to stand in the frame (Stage.cliff_spot): a figure's
# height and a little sky.
TOP_ROOM = 1.5


@dataclass
class Stage:
    width: int
    height: int
    horizon: float  # row of the horizon, pixels from the top
    water: np.ndarray = field(init=False)  # (H, W) bool: water, where nothing can stand
    shore: np.ndarray | None = None  # (N, 2) the line between land and sea, from the horizon forward
    # (N, 3) a cliff's top edge: its column, the row of the waterline below it (where a thing standing on it takes
    # its size) and how far above that row it runs (land.draw_cliff); None without a cliff
    cliff: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.water = np.zeros((self.height, self.width), bool)
        self.blocked = np.zeros((self.height, self.width), bool)

    @property
    def unit(self) -> float:
        """A length that does not depend on the aspect ratio: the shorter side."""
        return float(min(self.width, self.height))

    def nearness(self, y: float) -> float:
        """0 at the horizon, 1 at the bottom edge."""
        return float(np.clip((y - self.horizon) / max(self.height - self.horizon, 1.0), 0.0, 1.0))

    def y_at(self, nearness: float) -> float:
        return self.horizon + nearness * (self.height - self.horizon)

    def eye(self, y: float) -> float:
        """How many pixels one eye-height measures for a thing standing at row y. A high horizon means a
        raised viewpoint (the painter looks down on the land), a low one a viewer near the ground: the eye
        is scaled so that a thing at a given nearness has the same size whatever the horizon."""
        return max(1.0, (y - self.horizon) / max(self.height - self.horizon, 1.0) * EYE_SCALE * self.height)

    def depth(self, y: np.ndarray | float) -> np.ndarray:
        """How far off the ground at rows `y` lies, in eye-heights (the rows' pixels per eye-height, unclamped, is the
        focal length over it)."""
        eye = (np.asarray(y, float) - self.horizon) / max(self.height - self.horizon, 1.0) * EYE_SCALE * self.height
        return FOCAL * self.width / np.maximum(eye, 1e-3)

    def on_ground(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) pixels below the horizon -> (N, 2) ground points: eye-heights across from the frame's middle, and
        depth (`depth`)."""
        depth = self.depth(points[:, 1])
        return np.stack([(points[:, 0] - self.width / 2) * depth / (FOCAL * self.width), depth], 1)

    def on_screen(self, ground: np.ndarray) -> np.ndarray:
        """(N, 2) ground points (on_ground) -> (N, 2) pixels."""
        eye = FOCAL * self.width / np.maximum(ground[:, 1], 1e-3)
        rows = self.horizon + eye / (EYE_SCALE * self.height) * max(self.height - self.horizon, 1.0)
        return np.stack([self.width / 2 + ground[:, 0] * eye, rows], 1)

    def add_water(self, points: np.ndarray) -> None:
        mask, top, left = polygon_mask(points, self.width, self.height)
        if mask is not None:
            self.water[top : top + mask.shape[0], left : left + mask.shape[1]] |= mask > 0.5

    def block(self, points: np.ndarray) -> None:
        """Nothing may stand or float inside this outline (something big will be drawn there)."""
        mask, top, left = polygon_mask(points, self.width, self.height)
        if mask is not None:
            self.blocked[top : top + mask.shape[0], left : left + mask.shape[1]] |= mask > 0.5

    def dry(self, points: np.ndarray) -> None:
        """No water inside this outline (a cliff's face drawn over the sea): no waves or glitter are drawn there."""
        mask, top, left = polygon_mask(points, self.width, self.height)
        if mask is not None:
            self.water[top : top + mask.shape[0], left : left + mask.shape[1]] &= mask <= 0.5

    def standing(self, y: float, x: float, half_eyes: float, back_eyes: float) -> tuple[float, float, float] | None:
        """Where a building stands near row y: on a cliff's top, `back_eyes` eye-heights back from its edge, when the
        scene has one (cliff_spot), else where `spot` finds room near column x on the ground. (x, the row that gives
        its size, how far above that row its foot is), or None when nothing fits."""
        on_top = self.cliff_spot(y, back_eyes)
        if on_top is not None:
            return on_top
        found = self.spot(y, x, half_eyes)
        return None if found is None else (*found, 0.0)

    def cliff_spot(self, y: float, back_eyes: float, half_eyes: float = 1.0) -> tuple[float, float, float] | None:
        """Where a thing `half_eyes` wide each side stands on a cliff's top (land.draw_cliff), near the waterline row y,
        `back_eyes` eye-heights back from its edge: (x, the row that gives its size, how far above that row its foot
        is); None without a cliff."""
        if self.cliff is None or self.shore is None:
            return None
        inland = -1 if self.shore[-1, 0] < self.width / 2 else 1
        eyes = np.array([self.eye(row) for row in self.cliff[:, 1]])
        xs = self.cliff[:, 0] + inland * eyes * back_eyes
        # Near the viewer the top runs out of the frame's side, or out of its top: there, the nearest row where it
        # stands inside, with a figure's height (TOP_ROOM eye-heights) of sky above its foot
        inside = half_eyes * eyes
        out = (xs < inside) | (xs > self.width - inside) | (self.cliff[:, 1] - self.cliff[:, 2] < TOP_ROOM * eyes)
        off = np.abs(self.cliff[:, 1] - y) + self.height * out
        k = int(off.argmin())
        return float(xs[k]), float(self.cliff[k, 1]), float(self.cliff[k, 2])

    def is_water(self, x: float, y: float) -> bool:
        row, col = int(np.clip(y, 0, self.height - 1)), int(np.clip(x, 0, self.width - 1))
        return bool(self.water[row, col])

    def land_x(self, y: float, preferred: float, half_width: float, water: bool = False) -> float | None:
        """The x nearest `preferred` where a thing `half_width` wide can stand at row y on land (or on
        water when `water`), inside the frame; None when there is no such place."""
        index = int(np.clip(y, 0, self.height - 1))
        row = self.water[index]
        ok = (row if water else ~row) & ~self.blocked[index]
        margin = int(max(1, half_width))
        candidates = np.arange(margin, self.width - margin, max(1, margin // 3))
        if not len(candidates):
            return None
        for x in candidates[np.argsort(np.abs(candidates - preferred))]:
            if ok[max(0, x - margin) : x + margin].all():
                return float(x)
        return None

    def spot(self, y: float, x: float, half_eyes: float, water: bool = False) -> tuple[float, float] | None:
        """Where a thing `half_eyes` eye-heights wide each side of its foot can stand (or float) near row y and
        column x: that row if it fits, else a little farther or nearer (where it is smaller or the land
        wider). (x, y), or None when nothing fits."""
        near = self.nearness(y)
        for factor in (1.0, 0.8, 1.25, 0.64, 1.5, 0.5, 1.8, 0.35):
            row = self.y_at(float(np.clip(near * factor, 0.03, 0.95)))
            found = self.land_x(row, x, self.eye(row) * half_eyes, water)
            if found is not None:
                return found, row
        return None


class Pen(NamedTuple):
    """What every drawing function draws with: the canvas, the stage (where things stand and how big
    they look), the light (colours) and the scene's seeded random numbers."""

    canvas: SceneCanvas
    stage: Stage
    light: Light
    rng: np.random.Generator
