"""From-scratch subjects that can be read: the legibility measure, and the keep map that holds a scene's
elements' shapes against a style's bands and lost edges (strokes/keep.py)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.images import pil_to_tensor
from models.paint.scene.legibility import legibility, outline_shown
from models.paint.strokes import StrokeParams
from models.paint.strokes.brush import MAX_POINTS
from models.paint.strokes.render import plan_for
from tests.test_paint_strokes import _style


def _textured(background, square, size=64, seed=0) -> np.ndarray:
    """A picture of `background` with a `square` of another colour in it, both under the same brushy noise."""
    rng = np.random.default_rng(seed)
    image = np.empty((size, size, 3))
    image[:] = background
    image[20:44, 20:44] = square
    image += rng.normal(0, 0.04, (size // 8, size // 8, 3)).repeat(8, 0).repeat(8, 1)  # blotches of a brush's size
    return (image.clip(0, 1) * 255).astype(np.uint8)


def test_an_element_painted_in_its_surroundings_colour_is_illegible_and_a_distinct_one_legible():
    mask = np.zeros((64, 64), bool)
    mask[20:44, 20:44] = True
    sketch = _textured([0.2, 0.4, 0.3], [0.6, 0.6, 0.6], seed=1)
    lost = _textured([0.2, 0.4, 0.3], [0.2, 0.4, 0.3])
    distinct = _textured([0.2, 0.4, 0.3], [0.7, 0.65, 0.5])
    assert outline_shown(sketch, mask) > 0.9
    assert legibility(sketch, lost, mask) < 0.2
    assert legibility(sketch, distinct, mask) > 0.9


def _scene(width=96, height=64):
    """A sea with a wall in it only a little lighter: too close for a stroke's reach to stop at its edge."""
    image = np.zeros((height, width, 3))
    image[:] = [0.25, 0.35, 0.33]
    wall = np.s_[height * 15 // 32 : height * 21 // 32, width * 5 // 48 : width * 40 // 48]
    image[wall] = [0.33, 0.36, 0.36]
    labels = torch.zeros((height, width), dtype=torch.long)
    labels[wall] = 1
    return Image.fromarray((image * 255).astype(np.uint8)), labels


def _seeded_inside(plan, style, labels) -> torch.Tensor:
    """(N,) bool: whether each stroke was seeded inside the kept shape (a fill stroke's path holds its seed at
    the index of its most steps each way, between the steps traced back and forth from it)."""
    seed = plan.paths[:, max(1, round(style.length * (1 + style.band_flow)))].round().long()
    return labels[seed[:, 1], seed[:, 0]] > 0


def _owners_outside(plan, style, labels) -> int:
    """How many pixels inside the kept shape are painted by a fill stroke seeded outside it."""
    owner = plan.key_map.inner().flatten() // MAX_POINTS
    painted = owner[(labels.flatten() > 0) & (owner >= 0)]
    return int((~_seeded_inside(plan, style, labels)[painted] & ~plan.is_outline[painted]).sum())


def test_a_kept_shape_is_painted_only_by_its_own_strokes_in_its_own_colour():
    picture, labels = _scene()
    quiet = {"outline": 0.0, "accents": 0.0, "jitter": 0.0, "band_keep": 0.0}
    style = _style(**quiet, bands=2.0, band_contrast=1.0)
    params = StrokeParams(seed=2, palette=1.0)
    source = pil_to_tensor(picture)
    free, kept = plan_for(style, source, params, 96, 64), plan_for(style, source, params, 96, 64, keep=labels)
    assert _owners_outside(free, style, labels) > 0  # without the map the sea's strokes run over the wall
    assert _owners_outside(kept, style, labels) == 0
    in_wall = _seeded_inside(kept, style, labels)
    assert in_wall.any() and not in_wall.all()
    # The wall's strokes keep the colours the style gives them without bands; the sea's take the paints.
    plain = plan_for(_style(**quiet, bands=0.0), source, params, 96, 64, keep=labels)
    assert torch.equal(plain.paths, kept.paths)
    assert torch.allclose(kept.colour[in_wall], plain.colour[in_wall], atol=1e-5)
    assert not torch.allclose(kept.colour[~in_wall], plain.colour[~in_wall], atol=1e-2)


def test_an_empty_keep_map_paints_exactly_as_none():
    picture, labels = _scene(48, 32)
    style = _style(bands=1.0, lost_edges=0.7)
    source = pil_to_tensor(picture)
    params = StrokeParams(seed=4)
    plain, empty = plan_for(style, source, params, 48, 32), plan_for(style, source, params, 48, 32, keep=0 * labels)
    assert torch.equal(plain.paths, empty.paths) and torch.equal(plain.colour, empty.colour)
