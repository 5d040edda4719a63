"""What goes into a scene and where, before anything is drawn: the elements (those the words name,
and those that complete the picture), the moods, the horizon, the focal point and the heavy side.

Learned (from the painter's composition model): the horizon, the focal point and which side the
masses lean to, jointly, from one of the painter's own crops. Rules: which elements go together
(a harbour has boats and a wall), what needs room (mountains need sky), the priority of focal
subjects (a church before a tree).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .composition import CompositionSample
from .words import SubjectReading

LAND_THINGS = {
    "village",
    "houses",
    "church",
    "lighthouse",
    "windmill",
    "trees",
    "cypresses",
    "orchard",
    "forest",
    "road",
    "fields",
    "hills",
    "figures",
    "river",
    "bridge",
    "lake",
}
FOCAL_ORDER = (
    "lighthouse",
    "windmill",
    "church",
    "village",
    "houses",
    "bridge",
    "boats",
    "figures",
    "orchard",
    "cypresses",
    "trees",
    "mountains",
    "lake",
    "sun",
    "moon",
)


@dataclass
class ScenePlan:
    elements: set[str]
    named: set[str]
    moods: list[str]
    horizon: float  # fraction of the height
    focal: str | None  # the element the eye should go to
    focal_x: float  # fractions of the frame
    focal_y: float
    mass_side: int  # -1: the heavy masses stand on the left, 1: on the right
    great_wave: bool = False
    single_peak: bool = False
    wheat: bool = False
    shore: bool = False  # sea with land beside it (on the mass side)
    cliff: bool = False  # that land a headland, ending in a rock face above the sea
    canal: bool = False  # the river a canal
    added: list[str] = field(default_factory=list)  # elements added to complete the picture


def plan_scene(reading: SubjectReading, sample: CompositionSample, rng: np.random.Generator) -> ScenePlan:
    named = set(reading.elements)
    chosen = set(named)
    moods = list(reading.moods)
    if "stars" in chosen and "night" not in moods:
        moods.append("night")
    if "moon" in chosen and not {"night", "dusk", "dawn"} & set(moods):
        moods.append("night")

    def maybe(element: str, probability: float) -> None:
        if element not in chosen and rng.random() < probability:
            chosen.add(element)

    # Water: boats need some, a bridge needs a river.
    if "boats" in chosen and not chosen & {"sea", "lake", "river"}:
        chosen.add("sea")
    if "bridge" in chosen and "river" not in chosen:
        chosen.add("river")
    if "waves" in chosen:
        chosen.add("sea")
    # Nothing recognisable asked for: a landscape.
    if not chosen - {"sky", "clouds", "sun", "moon", "stars"}:
        chosen |= {"hills", "fields"}
        maybe("village", 0.5)
        maybe("trees", 0.8)
    # What goes with what.
    if "village" in chosen:
        maybe("church", 0.5)
        maybe("trees", 0.6)
    if chosen & {"church", "houses"}:
        maybe("trees", 0.7)
    if "harbour wall" in chosen:
        maybe("houses", 0.5)
    if "sea" in chosen and "boats" not in chosen and "storm" not in moods:
        maybe("boats", 0.4)
    if "mountains" in chosen and not chosen & {"sea", "lake", "river"}:
        maybe("lake", 0.3)
    if "mountains" in chosen and not chosen & (LAND_THINGS | {"sea"}):
        # Something on the ground before the range: without it the lower half was an empty field ("mountains under
        # snow": a blank snowfield under a strip of peaks).
        maybe("trees", 0.8)
        maybe("village", 0.35)
    if "road" in chosen:
        maybe("figures", 0.4)
    on_land = chosen & LAND_THINGS
    if on_land and not chosen & {"sea", "hills", "mountains", "fields"}:
        maybe("hills", 0.6)
        maybe("fields", 0.4)
    if on_land and "sea" not in chosen and not chosen & {"hills", "mountains"}:
        maybe("hills", 0.5)
    # The sky.
    if "storm" in moods:
        chosen.add("clouds")
    elif "night" in moods:
        maybe("moon", 0.65)
        maybe("stars", 0.6)
    elif {"dusk", "dawn"} & set(moods):
        maybe("sun", 0.6)
        maybe("clouds", 0.5)
    else:
        maybe("clouds", 0.6)
        maybe("sun", 0.2)
    if "night" in moods and "sun" in chosen and "sun" not in named:
        chosen.discard("sun")
    chosen.add("sky")

    focal = next((e for e in FOCAL_ORDER if e in named), None) or next((e for e in FOCAL_ORDER if e in chosen), None)
    # The heavy side: the painter's lean (learned), decided per seed.
    lean = float(np.clip(0.5 + 0.75 * sample.mass_side, 0.1, 0.9))
    mass_side = 1 if rng.random() < lean else -1

    horizon = sample.horizon
    if chosen & {"sun", "moon", "stars", "mountains"}:
        horizon = max(horizon, 0.36)
    if "mountains" in chosen:
        horizon = max(horizon, 0.45)
    if chosen & {"village", "church", "lighthouse", "windmill", "houses", "road", "orchard", "river", "lake", "bridge"}:
        horizon = min(horizon, 0.7)  # room on the ground for what stands on it
    horizon = float(np.clip(horizon, 0.28, 0.75))

    focal_x = sample.focal_x
    focal_y = sample.focal_y
    if focal in ("sun", "moon"):
        focal_y = min(focal_y, horizon * 0.7)
    sea = "sea" in chosen
    return ScenePlan(
        elements=chosen,
        named=named,
        moods=moods,
        horizon=horizon,
        focal=focal,
        focal_x=focal_x,
        focal_y=focal_y,
        mass_side=mass_side,
        great_wave=sea and (reading.great_wave or ("waves" in named and rng.random() < 0.5 + abs(sample.mass_side))),
        single_peak="mountains" in chosen and (reading.one_mountain or rng.random() < 0.4),
        wheat=reading.wheat or ("fields" in chosen and rng.random() < 0.4),
        shore=sea and bool(chosen & (LAND_THINGS - {"river", "lake", "bridge"})),
        cliff=sea and reading.cliff,
        canal="river" in chosen and reading.canal,
        added=sorted(chosen - named),
    )
