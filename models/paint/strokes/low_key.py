"""A low key: the picture the strokes aim at darkened in its mid-tones and darks, its lights kept (Turner's).

His painting is dark masses with a few bright lights: in The Wreck two thirds of the pixels lie below OKLab lightness 0.5
and one in seven above 0.625, where the renders of the six unseen pictures had a third to a half of theirs above 0.625
(session 18; the colour mapping moves each tone only part of the way to his, by the palette strength). `lowered` raises
the aim's lightness (0 to 1) to a power, 1 + the style's `low_key` times the palette strength: black and white stay,
the darks and mid-tones sink (at 1.4, L 0.5 -> 0.38, 0.3 -> 0.19) while the lights keep most of their lightness (0.9 ->
0.86), so a pagoda becomes a dark mass against a gold sky. Hue and chroma are kept. 0 works nothing out.
"""

from __future__ import annotations

import torch


def lowered(lab: torch.Tensor, amount: float) -> torch.Tensor:
    """A (3, H, W) OKLab picture with its lightness raised to the power 1 + `amount` (0 or more)."""
    return torch.cat([lab[:1].clamp(0, 1) ** (1 + amount), lab[1:]])
