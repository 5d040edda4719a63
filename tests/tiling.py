"""The check every stroke feature's seam test makes: a picture painted whole and in 64-px tiles is the same picture,
pixel for pixel (each tile samples the plan-size maps at its own pixels' positions, so tiles must join exactly)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from models.paint.strokes import StrokeParams, StrokeStyle, render_strokes


def assert_tiles_join(picture: Image.Image | torch.Tensor, style: StrokeStyle, size: tuple[int, int], **params) -> None:
    whole = np.asarray(render_strokes(picture, style, StrokeParams(seed=2, size=size, tile=4096, **params)))
    tiled = np.asarray(render_strokes(picture, style, StrokeParams(seed=2, size=size, tile=64, **params)))
    assert np.array_equal(whole, tiled)
