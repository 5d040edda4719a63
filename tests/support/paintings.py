"""Small synthetic paintings and a tiny training set-up for tests that need a real style quickly."""

from __future__ import annotations

import numpy as np
from PIL import Image


def painting_image(seed: int, size: int = 96) -> Image.Image:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size]
    strokes = (np.sin((x + y) / 3.0 + rng.uniform(0, 6)) > 0)[..., None]
    colours = np.where(strokes, [0.95, 0.75, 0.1], [0.1, 0.2, 0.6]) + rng.normal(0, 0.05, (size, size, 3))
    return Image.fromarray((np.clip(colours, 0, 1) * 255).astype(np.uint8))


def tiny_config(name: str, **changes):
    from models.paint.trainer import TrainingConfig

    settings = dict(name=name, minutes=60, max_steps=6, batch=2, crop=32, width=8, blocks=1,
                    style_layers=["conv1_1", "conv2_1"], content_layer="conv1_2", painting_size=96, work_size=128,
                    checkpoint_seconds=3600, preview_every=2, target_crops=4, stroke_evaluations=1)
    settings.update(changes)
    return TrainingConfig(**settings)
