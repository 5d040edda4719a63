"""Light and colour of a scene: a day palette, changed by each mood (season, then time of day, then weather).

Colours are sRGB in [0, 1], named by what they paint. `Light.far(colour, nearness)` is aerial
perspective: a thing fades toward the haze (the sky at the horizon) the farther away it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def rgb(r: float, g: float, b: float) -> np.ndarray:
    return np.array([r, g, b], np.float32)


DAY = {
    "zenith": rgb(0.36, 0.55, 0.80),
    "horizon": rgb(0.80, 0.85, 0.88),
    "cloud": rgb(0.96, 0.95, 0.92),
    "cloud shade": rgb(0.68, 0.71, 0.78),
    "sun": rgb(1.00, 0.93, 0.62),
    "break": rgb(1.00, 0.90, 0.62),  # light through a break in storm clouds
    "moon": rgb(0.98, 0.93, 0.70),
    "star": rgb(1.00, 0.95, 0.70),
    "grass": rgb(0.43, 0.60, 0.28),
    "wheat": rgb(0.88, 0.73, 0.30),
    "wheat shade": rgb(0.74, 0.56, 0.22),
    "earth": rgb(0.74, 0.63, 0.45),
    "foliage": rgb(0.19, 0.37, 0.18),
    "foliage light": rgb(0.40, 0.58, 0.25),
    "cypress": rgb(0.09, 0.22, 0.13),
    "trunk": rgb(0.33, 0.24, 0.17),
    "blossom": rgb(0.97, 0.86, 0.88),
    "hills": rgb(0.36, 0.52, 0.30),
    "mountain": rgb(0.46, 0.52, 0.64),
    "snow": rgb(0.95, 0.96, 0.98),
    "snow shade": rgb(0.72, 0.78, 0.88),
    "sea": rgb(0.13, 0.32, 0.50),
    "foam": rgb(0.93, 0.95, 0.95),
    "wall": rgb(0.90, 0.84, 0.70),
    "wall shade": rgb(0.66, 0.58, 0.48),
    "roof": rgb(0.68, 0.30, 0.20),
    "slate": rgb(0.36, 0.38, 0.46),
    "window": rgb(0.22, 0.21, 0.25),
    "stone": rgb(0.58, 0.54, 0.48),
    "stone shade": rgb(0.38, 0.36, 0.34),
    "hull": rgb(0.33, 0.21, 0.14),
    "sail": rgb(0.94, 0.89, 0.78),
    "figure": rgb(0.16, 0.13, 0.16),
}

# Colours of the land and the things on it: dimmed and tinted together at dusk, at night and in a storm.
LAND = (
    "grass",
    "wheat",
    "wheat shade",
    "earth",
    "foliage",
    "foliage light",
    "cypress",
    "trunk",
    "blossom",
    "hills",
    "wall",
    "wall shade",
    "roof",
    "slate",
    "stone",
    "stone shade",
    "hull",
    "sail",
    "figure",
    "snow",
    "snow shade",
)


@dataclass
class Light:
    colours: dict[str, np.ndarray] = field(default_factory=lambda: {k: v.copy() for k, v in DAY.items()})
    haze: float = 0.45  # how far the farthest things fade toward the horizon colour
    lit_windows: bool = False
    snow: bool = False
    blossom: bool = False
    sun_low: bool = False  # the sun sits near the horizon (dawn, dusk)
    cloudiness: float = 0.35  # how much of the sky clouds cover, 0 to 1
    waves: float = 0.3  # how rough the water is, 0 to 1
    moods: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.colours[name]

    def far(self, colour: np.ndarray, nearness: float) -> np.ndarray:
        """`colour` seen from afar: nearness 1 at the viewer's feet, 0 at the horizon."""
        fade = self.haze * (1.0 - float(np.clip(nearness, 0, 1))) ** 1.6
        return np.asarray(colour, np.float32) * (1 - fade) + self.colours["horizon"] * fade

    def dim_land(self, factor: float, tint: np.ndarray, amount: float) -> None:
        for name in LAND:
            self.colours[name] = np.clip(self.colours[name] * factor * (1 - amount) + tint * amount, 0, 1)


# OKLab (Ottosson 2020): linear sRGB to LMS, and the weights of the LMS cube roots that make the lightness L.
_TO_LMS = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)
_LIGHTNESS = np.array([0.2104542553, 0.7936177850, -0.0040720468])


def _linear(srgb: np.ndarray) -> np.ndarray:
    srgb = np.clip(srgb, 0, 1)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _encoded(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0, 1)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def lightness(colour: np.ndarray) -> np.ndarray:
    """OKLab lightness (0 black to 1 white) of sRGB colours (..., 3)."""
    return np.cbrt(_linear(colour) @ _TO_LMS.T) @ _LIGHTNESS


def set_apart(colour: np.ndarray, ground: np.ndarray, step: float) -> np.ndarray:
    """`colour` (..., 3 sRGB), darkened (step < 0) or lightened (step > 0) only as far as needed for its OKLab
    lightness to lie at least |step| below or above that of `ground` (what it stands in front of). Scaled in
    linear light, so its hue stays; a light colour that cannot rise so far stops at white."""
    have = lightness(colour)
    want = lightness(ground) + step
    target = np.minimum(have, want) if step < 0 else np.maximum(have, want)
    # OKLab's lightness is a sum of cube roots of a linear mix: scaling the linear colour by k scales it by k^(1/3).
    scale = (np.clip(target, 0, None) / np.maximum(have, 1e-6)) ** 3
    return _encoded(_linear(colour) * np.asarray(scale)[..., None]).astype(np.float32)


def light_for(moods: list[str]) -> Light:
    light = Light(moods=list(moods))
    c = light.colours
    if "spring" in moods:
        c["grass"], c["foliage light"], c["hills"] = rgb(0.52, 0.72, 0.32), rgb(0.55, 0.75, 0.33), rgb(0.45, 0.64, 0.34)
        c["zenith"] = rgb(0.45, 0.65, 0.88)
        light.blossom = True
    if "summer" in moods:
        c["zenith"], c["horizon"] = rgb(0.25, 0.50, 0.85), rgb(0.82, 0.88, 0.92)
        c["grass"], c["hills"] = rgb(0.55, 0.62, 0.26), rgb(0.45, 0.55, 0.28)
        light.cloudiness = 0.2
    if "autumn" in moods:
        c["foliage"], c["foliage light"] = rgb(0.62, 0.30, 0.12), rgb(0.88, 0.56, 0.20)
        c["grass"], c["hills"] = rgb(0.62, 0.55, 0.28), rgb(0.55, 0.45, 0.26)
    if "winter" in moods:
        # A cold blue overhead (OKLab chroma 0.07): at 0.04, grey-blue, it was no colour a painter without a blue lacks
        # (bands.foreign_share), and Munch's heat burnt the sky over a snowfield salmon.
        c["zenith"], c["horizon"] = rgb(0.55, 0.64, 0.82), rgb(0.86, 0.87, 0.88)
        c["grass"], c["hills"], c["wheat"], c["wheat shade"] = (
            c["snow"],
            rgb(0.86, 0.89, 0.94),
            c["snow"],
            c["snow shade"],
        )
        c["earth"] = rgb(0.70, 0.72, 0.78)
        c["foliage"], c["foliage light"] = rgb(0.20, 0.22, 0.20), rgb(0.45, 0.44, 0.40)
        c["sea"], c["mountain"] = rgb(0.22, 0.30, 0.40), rgb(0.36, 0.42, 0.55)
        light.snow, light.blossom = True, False
        light.cloudiness = 0.5
    if "dawn" in moods:
        c["zenith"], c["horizon"], c["sun"] = rgb(0.52, 0.62, 0.80), rgb(0.98, 0.80, 0.62), rgb(1.0, 0.82, 0.55)
        c["cloud"], c["cloud shade"] = rgb(0.99, 0.82, 0.74), rgb(0.70, 0.62, 0.72)
        light.dim_land(0.9, rgb(0.95, 0.75, 0.65), 0.12)
        light.sun_low = True
    if "dusk" in moods:
        c["zenith"], c["horizon"], c["sun"] = rgb(0.24, 0.24, 0.48), rgb(0.98, 0.58, 0.30), rgb(1.0, 0.55, 0.22)
        c["cloud"], c["cloud shade"] = rgb(0.98, 0.62, 0.42), rgb(0.42, 0.30, 0.45)
        c["sea"] = rgb(0.18, 0.20, 0.38)
        light.dim_land(0.62, rgb(0.35, 0.22, 0.35), 0.22)
        light.sun_low = light.lit_windows = True
        light.haze = 0.55
    if "night" in moods:
        # Moonlit blue, the land a little darker than the sky along the horizon (OKLab L: land 0.29-0.40, the sky
        # 0.25 overhead to 0.42). Dimmed to 0.38 and barely tinted, the land was near-black green (grass L 0.29 under a
        # horizon of 0.36): Munch painted it his black-green, Turner's wash lifted it to an olive lighter than his sky.
        # Blue enough (chroma 0.04-0.05) to count as a colour they have no paint for (bands.foreign_share).
        c["zenith"], c["horizon"] = rgb(0.05, 0.10, 0.32), rgb(0.16, 0.28, 0.55)
        c["cloud"], c["cloud shade"] = rgb(0.35, 0.42, 0.62), rgb(0.10, 0.14, 0.30)
        c["sea"] = rgb(0.05, 0.10, 0.26)
        light.dim_land(0.5, rgb(0.10, 0.17, 0.40), 0.6)
        light.lit_windows = True
        light.haze = 0.35
        light.cloudiness = min(light.cloudiness, 0.25)
    if "storm" in moods:
        # Dark slate (OKLab L 0.25-0.54): in light greys (L 0.62-0.66, a khaki horizon, cream clouds, the break's light
        # gold) Munch's paints for them were his ochre and oranges, a sunset over the harbour. The break a paler slate
        # (L 0.60): a silver one (0.89), his lightest tone, still blazed orange round the lighthouse. Blue enough
        # (chroma 0.07) to be a colour he has no paint for (bands.foreign_share): at 0.04-0.05 his bands kept
        # little of it, and its lightest band (L 0.53-0.6) took his light paints, all orange, in streaks.
        c["zenith"], c["horizon"] = rgb(0.10, 0.14, 0.29), rgb(0.30, 0.39, 0.55)
        c["cloud"], c["cloud shade"] = rgb(0.34, 0.43, 0.59), rgb(0.09, 0.12, 0.27)
        c["break"] = rgb(0.41, 0.51, 0.67)
        c["sea"], c["foam"] = rgb(0.10, 0.22, 0.20), rgb(0.93, 0.93, 0.86)
        light.dim_land(0.7, rgb(0.25, 0.27, 0.25), 0.25)
        light.cloudiness, light.waves = 0.85, 1.0
        if "night" in moods:
            c["zenith"], c["horizon"] = rgb(0.06, 0.07, 0.10), rgb(0.25, 0.27, 0.30)
            c["break"] = rgb(0.70, 0.74, 0.82)  # moonlight
    if "mist" in moods:
        light.haze = 0.85
        c["horizon"] = np.clip(c["horizon"] * 0.85 + 0.12, 0, 1)
        c["zenith"] = c["zenith"] * 0.5 + c["horizon"] * 0.5
    if "calm" in moods:
        light.waves = min(light.waves, 0.1)
        light.cloudiness = min(light.cloudiness, 0.25)
    return light
