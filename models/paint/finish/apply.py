"""Put the finish on a stroke render: the painter's surface over the strokes, by a small trained network.

The finish is trained per style (build_scripts/train_finish.py) and kept beside the style as
references/NAME.finish.safetensors; a style without one paints with plain strokes. It works at the
scale it learned the paintings at (long side `WORK_SIDE` at most): for a larger painting the change
it makes there is enlarged and added to the full-size strokes, so the canvas and the paint texture
keep their size relative to the picture and the cost stays bounded. `amount` (0 to 1) scales that
change: the Paint tab's Finish slider. Same seed, same pixels.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from ...checkpoint import CheckpointError, bounded, check_finite, load_checkpoint, save_checkpoint
from ..network import make_noise
from ..style import Style, reference_path
from .network import COLOUR_LOCKS, STRIDE, FinishNetwork

FINISH_KIND = "paint-finish"
WORK_SIDE = 640  # the long side it finishes at; the paintings it learned from were seen at 512
MAX_WIDTH = 64
MAX_BLOCKS = 8


def finish_path_for(style_path: str | os.PathLike) -> Path:
    return reference_path(style_path, ".finish.safetensors")


def save_finish(path: str | os.PathLike, network: FinishNetwork, training: dict[str, Any]) -> Path:
    """The finish in float16 (about 0.1 MB), with what it was trained on."""
    tensors = {key: value.detach().to("cpu", torch.float16) for key, value in network.state_dict().items()}
    hyper = {
        "width": network.width,
        "blocks": network.blocks,
        "colour_lock": network.colour_lock,
        "grey": network.grey,
        "work_side": WORK_SIDE,
    }
    return save_checkpoint(path, tensors, kind=FINISH_KIND, hyperparameters=hyper, training=training)


def load_finish_file(path: str | os.PathLike) -> FinishNetwork:
    """A finish checkpoint; CheckpointError with a sentence when it is damaged or foreign."""
    path = Path(path)
    checkpoint = load_checkpoint(path, kind=FINISH_KIND)
    hyper = checkpoint.hyperparameters if isinstance(checkpoint.hyperparameters, dict) else {}
    width = bounded(hyper, "width", 1, MAX_WIDTH, name=path.name)
    blocks = bounded(hyper, "blocks", 0, MAX_BLOCKS, name=path.name)
    lock = hyper.get("colour_lock", "highpass")  # the first trials' files say nothing: they were high-passed
    if lock not in COLOUR_LOCKS:
        raise CheckpointError(f"{path.name} asks for a colour lock this version does not know ({lock!r}).")
    check_finite(checkpoint.tensors, path.name)
    network = FinishNetwork(width, blocks, lock, bool(hyper.get("grey", False)))
    expected = network.state_dict()
    for key, value in expected.items():
        found = checkpoint.tensors.get(key)
        if found is None or tuple(found.shape) != tuple(value.shape):
            raise CheckpointError(f"{path.name} does not match the finish it describes ({key}): train it again.")
    network.load_state_dict({key: checkpoint.tensors[key].float() for key in expected})
    return network.eval().requires_grad_(False)


@functools.lru_cache(maxsize=8)
def _cached(path: str, modified: int) -> FinishNetwork:
    return load_finish_file(path)


def finish_for(style: Style) -> FinishNetwork | None:
    """The style's finish, or None when it has none (a user's own style, or one that did not look better)."""
    if style.path is None:
        return None
    path = finish_path_for(style.path)
    if not path.exists():
        return None
    return _cached(str(path), path.stat().st_mtime_ns)


def _working_frame(painted: torch.Tensor) -> torch.Tensor:
    """The render at the finish's scale, each side a multiple of the stride: reduced when it is larger than
    WORK_SIDE, else extended by its mirror image on the right and bottom (and cropped again after)."""
    _, height, width = painted.shape
    scale = min(1.0, WORK_SIDE / max(height, width))
    if scale < 1.0:
        size = (
            max(STRIDE * 4, round(height * scale / STRIDE) * STRIDE),
            max(STRIDE * 4, round(width * scale / STRIDE) * STRIDE),
        )
        return F.interpolate(painted[None], size=size, mode="bilinear", antialias=True, align_corners=False)[0]
    pad_h, pad_w = (
        max(STRIDE * 4, -(-height // STRIDE) * STRIDE) - height,
        max(STRIDE * 4, -(-width // STRIDE) * STRIDE) - width,
    )
    mode = "reflect" if pad_h < height and pad_w < width else "replicate"
    return F.pad(painted[None], (0, pad_w, 0, pad_h), mode=mode)[0] if pad_h or pad_w else painted


def finish_tiles(
    network: FinishNetwork,
    painted: torch.Tensor,
    amount: float,
    seed: int,
    tile: int = 512,
    cancel: threading.Event | None = None,
) -> Iterator[tuple[float, torch.Tensor | None]]:
    """Finish a (3, H, W) sRGB stroke render: (fraction done, None) per tile, then (1.0, finished (3, H, W))."""
    from ..render import render_tiles  # render.py paints through the finish: imported here, not at the top

    _, height, width = painted.shape
    work = _working_frame(painted)
    noise = make_noise(work.shape[1], work.shape[2], seed)
    finished = None
    with torch.no_grad():
        for fraction, output in render_tiles(network, work[None], noise, tile, cancel):  # type: ignore[arg-type]
            yield 0.95 * fraction, None
            finished = output
        assert finished is not None
        change = finished[0] - work
        if max(work.shape[1:]) < max(height, width):  # finished at a reduced size: enlarge the change
            change = F.interpolate(change[None], size=(height, width), mode="bilinear", align_corners=False)[0]
        else:
            change = change[:, :height, :width]
        yield 1.0, (painted + amount * change).clamp(0, 1)
