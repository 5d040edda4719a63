"""Shapes a painting must keep: the elements of a scene painted from scratch, so that its subject can be read.

A style's habits are laid over the whole picture: Munch's bands of a few paints, Turner's edges lost in the
light. On a photograph the eye still finds the subject by its detail; on a scene's sketch of flat shapes,
a harbour wall a little lighter than the sea around it was banded and washed away with the sea. The scene
composer knows where its elements are (scene/composer.py, `Scene.labels`), so it can say which shapes to
keep: a label map, one number per element (0 where the style is free). There, and only there:

- the element's outline stops strokes (`marked`): the picture whose edges stop the paint sets each element
  apart by far more than any stroke's reach, so no stroke crosses from the sea into the wall or out of it,
  however alike their colours;
- edges are not lost in it (Turner's light dissolves what is around the wall, not the wall);
- its strokes keep their own colour rather than taking the painter's bands (a grey wall stays grey among
  Munch's orange and teal), and so does the wash over it.

A photograph has no labels: with no keep map the painting is exactly what it was.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

# The lightness offset that sets each kept element apart in the picture whose edges stop the paint: beyond the
# widest reach of any stroke (plan.EDGE, twice in busy areas, times lost_edges.REACH + 1 where edges are lost).
APART = 2.0


def keep_at(labels: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """A (h, w) integer label map at (height, width), nearest neighbour (labels are not blended)."""
    resized = F.interpolate(labels[None, None].float(), size=(height, width), mode="nearest")[0, 0]
    return resized.round().long()


def marked(stops: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The (3, H, W) OKLab picture whose edges stop the paint, with each kept element lifted by its own multiple
    of APART, so that its outline stops every stroke. Only the gating sees it; no colour is taken from it."""
    lift = labels.float() * APART
    return torch.cat([stops[:1] + lift[None], stops[1:]])


def kept_shapes(labels: torch.Tensor) -> torch.Tensor:
    """(H, W) float: 1 inside a kept element, 0 elsewhere."""
    return (labels > 0).float()
