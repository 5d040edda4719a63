"""The scene composer: a subject in words and a seed -> a sketch of rough colour shapes with a horizon,
a subject and a composition, ready to paint over or to render in a style.

    scene = compose_scene("a stormy harbour", seed=3, size=(768, 512), composition=model)
    scene.sketch        # (H, W, 3) uint8
    scene.describe()    # what it placed, where, and how much of each shows

The plan (plan.py) decides what goes in and where the horizon, the focal point and the masses go;
this module lays out the stage (water first: where things can stand) and draws everything far to
near, so nearer things overlap farther ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import land, sky, water
from .composition import CompositionModel, CompositionSample
from .light import Light, light_for
from .plan import ScenePlan, plan_scene
from .raster import SceneCanvas
from .stage import Pen, Stage
from .words import read_subject

MIN_SIDE = 64


@dataclass
class Scene:
    subject: str
    seed: int
    plan: ScenePlan
    composition: CompositionSample
    sketch: np.ndarray  # (H, W, 3) uint8
    visible: dict[str, float] = field(default_factory=dict)  # element -> share of the frame it shows in
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # element -> (x, y) fractions
    # Which element shows at each pixel (H, W): an index into `label_names` (0: none). The painter of a scene
    # knows where its elements are, which a photograph cannot say (scratch.py keeps them legible with it).
    labels: np.ndarray | None = None
    label_names: list[str] = field(default_factory=list)
    # (H, W) 0 to 1: the soft light of its suns, moons, stars and lamps (raster.SceneCanvas.glow), where a painter
    # who outlines draws no line (a halo has no edge); None for none.
    glow: np.ndarray | None = None

    def mask(self, name: str) -> np.ndarray:
        """(H, W) bool: where the element `name` shows (all False when it does not)."""
        if self.labels is None or name not in self.label_names:
            return np.zeros(self.sketch.shape[:2], bool)
        return self.labels == self.label_names.index(name)

    @property
    def placed(self) -> list[str]:
        """The elements that show in the sketch, far to near in the order drawn."""
        return [name for name in self.visible if name != "ground"]

    def describe(self) -> list[str]:
        plan = self.plan
        lines = [
            f"subject: {self.subject}" + (f" ({', '.join(plan.moods)})" if plan.moods else ""),
            f"horizon {plan.horizon:.2f} down, focal point ({plan.focal_x:.2f}, {plan.focal_y:.2f})"
            + (f" on the {plan.focal}" if plan.focal else "")
            + f", masses on the {'left' if plan.mass_side < 0 else 'right'}",
        ]
        for name in self.placed:
            where = self.positions.get(name)
            at = f" at ({where[0]:.2f}, {where[1]:.2f})" if where else ""
            why = "named" if name in plan.named else "added"
            lines.append(f"  {name}{at}: {100 * self.visible[name]:.1f}% of the picture ({why})")
        return lines


def compose_scene(
    subject: str, seed: int, size: tuple[int, int], composition: CompositionModel | None = None, halos: bool = True
) -> Scene:
    """The same subject, seed, size and composition model always give the same sketch. Without `halos`, its suns,
    moons, stars and lamps shed no soft light on the sketch (Scene.glow still says where it would fall)."""
    width, height = size
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ValueError(f"a scene needs at least {MIN_SIDE}x{MIN_SIDE} pixels (asked for {width}x{height})")
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 16])
    sample = (composition or CompositionModel.default()).sample(rng)
    plan = plan_scene(read_subject(subject), sample, rng)
    drawing = _Drawing(plan, Stage(width, height, plan.horizon * height), light_for(plan.moods), rng, halos)
    drawing.draw()
    total = float(width * height)
    visible = {name: count / total for name, count in drawing.canvas.visible_pixels().items()}
    order = [n for n in drawing.canvas.names if n in visible]
    return Scene(
        subject,
        seed,
        plan,
        sample,
        drawing.canvas.to_uint8(),
        {n: visible[n] for n in order},
        {name: (x / width, y / height) for name, (x, y) in drawing.positions.items()},
        drawing.canvas.labels,
        list(drawing.canvas.names),
        drawing.canvas.glows if drawing.canvas.glows.any() else None,
    )


@dataclass
class _Item:
    depth: float  # the row it stands on: drawn in this order
    draw: Callable[[], None]


class _Drawing:
    def __init__(self, plan: ScenePlan, stage: Stage, light: Light, rng: np.random.Generator, halos: bool) -> None:
        self.plan, self.stage, self.light, self.rng = plan, stage, light, rng
        self.canvas = SceneCanvas(stage.width, stage.height, halos)
        self.pen = Pen(self.canvas, stage, light, rng)
        self.items: list[_Item] = []
        self.positions: dict[str, tuple[float, float]] = {}
        self.has = plan.elements.__contains__
        w = stage.width
        self.focal_x = plan.focal_x * w
        self.mass_x = w * (0.12 if plan.mass_side < 0 else 0.88)
        self.light_side = -plan.mass_side  # light comes from the open side
        self.road: tuple[np.ndarray, np.ndarray] | None = None  # centre line and half-widths
        self.river: tuple[np.ndarray, np.ndarray] | None = None
        self.bridge: tuple[float, float, float, bool] | None = None  # left, right, row, arched
        self.light_x = stage.width / 2  # where the sun or moon (or a storm's break) is, for its light on the water
        self.storm_break = False

    def at(self, name: str, x: float, y: float) -> None:
        self.positions.setdefault(name, (x, y))

    # The order: sky, the far distance, the ground and the water, then everything standing, far to near.

    def draw(self) -> None:
        self._sky()
        self._distance()
        self._ground_and_water()
        self._standing()
        for item in sorted(self.items, key=lambda item: item.depth):
            item.draw()
        # Each item's closure holds this drawing: left in place, the cycle kept the canvas (5.5 MB at 768x512)
        # until Python's cycle collector ran, a saw-tooth of about 12 MB a Surprise in the soak run.
        self.items.clear()

    def _sky(self) -> None:
        stage, light, rng, plan = self.stage, self.light, self.rng, self.plan
        sky.draw_sky(self.pen)
        avoid = []
        open_x = stage.width * (0.5 + self.light_side * rng.uniform(0.15, 0.35))
        for body in ("sun", "moon"):
            if not self.has(body):
                continue
            x = self.focal_x if plan.focal == body else open_x
            y = plan.focal_y * stage.height if plan.focal == body else stage.horizon * rng.uniform(0.25, 0.5)
            if body == "sun" and light.sun_low:
                y = stage.horizon * rng.uniform(0.7, 0.85)
            if body == "sun":
                sky.draw_sun(self.pen, x, y)
            else:
                sky.draw_moon(self.pen, x, y)
            self.at(body, x, y)
            avoid.append((x, y, stage.unit * 0.08))
            self.light_x = x
        if self.has("stars"):
            sky.draw_stars(self.pen, avoid)
        if self.has("clouds"):
            storm_break = sky.draw_clouds(self.pen, "storm" in plan.moods)
            if storm_break is not None and not (self.has("sun") or self.has("moon")):
                self.light_x, self.storm_break = storm_break[0], True

    def _distance(self) -> None:
        stage, plan = self.stage, self.plan
        if self.has("mountains"):
            peak = self.focal_x if plan.focal == "mountains" else stage.width * (0.5 + self.light_side * 0.2)
            land.draw_mountains(self.pen, peak, plan.single_peak, grand=plan.focal == "mountains")
            self.at("mountains", peak, stage.horizon * 0.7)
        if self.has("hills") or (not self.has("sea") and not self.has("mountains")):
            land.draw_far_hills(self.pen, layers=2 if self.has("hills") else 1)

    def _ground_and_water(self) -> None:
        stage, light, rng, plan = self.stage, self.light, self.rng, self.plan
        if not self.has("sea") or plan.shore:
            land.draw_ground(self.pen)
            if self.has("fields"):
                land.draw_fields(self.pen, plan.wheat, self.focal_x)
            if self.has("hills") and not self.has("sea") and rng.random() < 0.6:
                land.draw_near_hill(self.pen, plan.mass_side, fields=self.has("fields"))
        if self.has("sea"):
            water.draw_sea(self.pen, water.sea_outline(self.pen, plan.mass_side if plan.shore else 0, plan.cliff))
            if plan.cliff:
                land.draw_cliff(self.pen)
        if self.has("lake"):
            x = self.focal_x if plan.focal in ("lake", "mountains") else stage.width * (0.5 + self.light_side * 0.15)
            water.draw_lake(self.pen, x)
        if self.has("river"):
            self._river()
        if self.has("sea") or self.has("lake"):
            if light.sun_low and self.has("sun") or self.has("moon"):
                glitter = light["sun"] if self.has("sun") else light["moon"]
                water.draw_light_path(self.pen, self.light_x, glitter)
            elif self.storm_break:
                water.draw_break_light(self.pen, self.light_x)
        if self.has("sea"):
            if plan.great_wave:
                wave = water.great_wave_shape(self.pen, plan.mass_side)
                stage.block(wave.body)
                self.items.append(_Item(stage.height + 1, lambda: water.draw_great_wave(self.pen, wave)))
            water.draw_waves(self.pen, light.waves if not self.has("waves") else max(light.waves, 0.5))
        if self.has("road"):
            self._road()

    def _river(self) -> None:
        stage, rng = self.stage, self.rng
        start = stage.width * (0.5 + self.plan.mass_side * rng.uniform(-0.1, 0.25))
        end_x = stage.width * (0.5 + self.light_side * rng.uniform(0.0, 0.3))
        if self.plan.canal:  # dug straight, and narrow enough that both its banks show near the viewer
            centre, half = land.road_outline(self.pen, start, (end_x, stage.horizon + 1), rng.uniform(2.2, 3.0), 0.2)
            outline = land.ribbon(centre, half)
        else:  # in from the heavy side across the foreground, then away to the horizon
            width, near_bank_at, turn_at = rng.uniform(5.0, 8.0), (0.65, 0.85), (1.8, 2.3)
            if self.has("bridge"):
                # Narrower and turned sooner, so that a reach flows from under the bridge toward the viewer: turning where
                # it fits, the bridge stood on the bend's far bank like a wall at the river's end.
                width, near_bank_at, turn_at = width * 0.6, (0.55, 0.75), (1.3, 1.5)
            outline, centre, half = water.river_course(
                self.pen, self.plan.mass_side, end_x, width, near_bank_at, turn_at
            )
        water.draw_river(self.pen, outline)
        self.river = centre, half

    def _road(self) -> None:
        stage, rng, plan = self.stage, self.rng, self.plan
        if stage.shore is not None:  # beside the sea the road runs along the shore, on the land
            shore = stage.shore[stage.shore[:, 1] > stage.horizon + 2]
            land_width = shore[:, 0] if plan.mass_side < 0 else stage.width - shore[:, 0]
            inland = land_width * rng.uniform(0.35, 0.5)  # midway through the strip of land
            centre = shore + np.stack([plan.mass_side * inland, np.zeros_like(inland)], 1)
            half = np.minimum(inland * 0.6, np.array([stage.eye(y) * 1.3 for y in shore[:, 1]]))
        else:
            start = stage.width * (0.5 - plan.mass_side * rng.uniform(0.0, 0.3))
            target_y = stage.y_at(rng.uniform(0.08, 0.2))
            target = stage.land_x(target_y, self.focal_x, 2) or self.focal_x
            centre, half = land.road_outline(self.pen, start, (target, target_y), rng.uniform(2.2, 3.2))
        if sum(not stage.is_water(x, y) for x, y in centre) < 4:
            return
        land.draw_road(self.pen, centre, half)
        self.road = centre, half
        self.at("road", *centre[len(centre) // 2])

    # Everything that stands on the ground or floats on the water --------------------------------

    def _standing(self) -> None:
        from .placing import place_standing

        place_standing(self)
