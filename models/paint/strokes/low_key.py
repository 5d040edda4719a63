"""A low key: the picture the strokes aim at darkened in its mid-tones and darks, its lights kept (Turner's).

His painting is dark masses with a few bright lights: in The Wreck two thirds of the pixels lie below OKLab lightness 0.5
and one in seven above 0.625, where the renders of the six unseen pictures had a third to a half of theirs above 0.625
(session 18; the colour mapping moves each tone only part of the way to his, by the palette strength). `lowered` raises
the aim's lightness (0 to 1) to a power, 1 + the style's `low_key` times the palette strength: black and white stay,
the darks and mid-tones sink (at 1.4, L 0.5 -> 0.38, 0.3 -> 0.19) while the lights keep most of their lightness (0.9 ->
0.86), so a pagoda becomes a dark mass against a gold sky. Hue and chroma are kept. 0 works nothing out.

And his lights are few: `dimmed` (the style's `dim_lights` times the palette strength) sinks a picture's lights except
its lightest sixth, so a photograph's light sky or wall over a third of the picture becomes mid-tone masses under a
few lights (session 21: china's render had 35% of its pixels above L 0.625, The Wreck 14%). The bands' paints then
follow: a stroke's lighter paint (his lightest, L 0.78, a lemon yellow) is drawn less often where its aim is darker.
"""

from __future__ import annotations

import torch

from .colour_map import lightness_ranks
from .filters import smoothstep

# `dim_lights`: The Wreck has one pixel in six (LIGHT_SHARE) above OKLab L 0.6; a picture's lightest LIGHT_SHARE (by
# rank) keeps its lightness, fully from there and none below twice that share, a smoothstep between; the rest of its
# lights sink by up to DIM_DEPTH times the amount, from none at DIM_FROM to all of it from DIM_TO (a ramp this wide
# keeps the order of tones, a lighter pixel never ending darker than a darker one, up to an amount of 0.67).
LIGHT_SHARE = 0.16
DIM_FROM, DIM_TO = 0.4, 0.7
DIM_DEPTH = 0.3


def lowered(lab: torch.Tensor, amount: float) -> torch.Tensor:
    """A (3, H, W) OKLab picture with its lightness raised to the power 1 + `amount` (0 or more)."""
    return torch.cat([lab[:1].clamp(0, 1) ** (1 + amount), lab[1:]])


def dimmed(lab: torch.Tensor, amount: float) -> torch.Tensor:
    """A (3, H, W) OKLab picture whose lights beyond its lightest LIGHT_SHARE are sunk by up to `amount` (0 or more)
    times DIM_DEPTH in lightness, hue and chroma kept."""
    lightness = lab[0]
    kept = smoothstep(lightness_ranks(lightness.flatten()).reshape(lightness.shape), 1 - 2 * LIGHT_SHARE, 1 - LIGHT_SHARE)
    sunk = lightness - amount * DIM_DEPTH * smoothstep(lightness, DIM_FROM, DIM_TO) * (1 - kept)
    return torch.cat([sunk[None], lab[1:]])
