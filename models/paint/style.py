"""A style: the trained renderer, the painter's palette and what it was trained on, saved as one checkpoint.

Checkpoint kind "paint-style": renderer weights in float16 (a few MB), palette tensors, and a JSON
description beside them (format version, hyperparameters, paintings, training time and losses).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from ..checkpoint import CheckpointError, bounded, check_finite, check_shapes, load_checkpoint, one_of, save_checkpoint
from ..resources import resource
from .network import StyleRenderer
from .palette import PaletteGMM
from .strokes.stroke_style import TENSOR_PREFIX as STROKES_PREFIX
from .strokes.stroke_style import StrokeStyle, stroke_style_from_palette

STYLE_KIND = "paint-style"
RENDERER_PREFIX = "renderer."


@dataclass
class Style:
    name: str
    renderer: StyleRenderer
    palette: PaletteGMM
    work_size: int = 768  # long side the renderer paints at; bigger outputs are upscaled from it
    metadata: dict[str, Any] = field(default_factory=dict)
    checkpoint_hash: str = ""
    path: Path | None = None  # the checkpoint it was loaded from (its references/ folder sits beside it)
    strokes: StrokeStyle | None = None  # what the stroke renderer learned from the paintings

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", self.name))

    @property
    def stroke_style(self) -> StrokeStyle:
        """The learned stroke style; a style saved before the stroke renderer existed paints with default
        brushes and colour habits taken from its palette."""
        if self.strokes is None:
            self.strokes = stroke_style_from_palette(self.palette)
        return self.strokes


def renderer_tensors(renderer: StyleRenderer, dtype: torch.dtype = torch.float16) -> dict[str, torch.Tensor]:
    return {RENDERER_PREFIX + key: value.detach().to("cpu", dtype) for key, value in renderer.state_dict().items()}


def save_style(
    path: str | os.PathLike,
    name: str,
    renderer: StyleRenderer,
    palette: PaletteGMM,
    *,
    work_size: int,
    training: dict[str, Any] | None = None,
    title: str | None = None,
    strokes: StrokeStyle | None = None,
) -> Path:
    tensors = {**renderer_tensors(renderer), **palette.to_tensors()}
    if strokes is not None:
        tensors.update(strokes.to_tensors())
    return save_checkpoint(
        path,
        tensors,
        kind=STYLE_KIND,
        hyperparameters={
            "width": renderer.width,
            "blocks": renderer.blocks,
            "upsample": renderer.upsample,
            "fine_noise": renderer.fine_noise,
            "work_size": work_size,
        },
        training=training or {},
        extra={
            "name": name,
            "title": title or name.replace("-", " ").title(),
            **({"strokes": strokes.to_json()} if strokes is not None else {}),
        },
    )


def replace_stroke_style(path: str | os.PathLike, strokes: StrokeStyle, fit: dict[str, Any]) -> Path:
    """Write a newly fitted stroke style into an existing style checkpoint; its texture network, palette
    and description stay as they were (the fit's record joins its "training")."""
    checkpoint = load_checkpoint(path, kind=STYLE_KIND)
    tensors = {k: v for k, v in checkpoint.tensors.items() if not k.startswith(STROKES_PREFIX)}
    tensors.update(strokes.to_tensors())
    written_by_save = ("format_version", "kind", "hyperparameters", "training", "saved_at", "tensors")
    extra = {k: v for k, v in checkpoint.metadata.items() if k not in written_by_save}
    extra["strokes"] = strokes.to_json()
    return save_checkpoint(
        path,
        tensors,
        kind=STYLE_KIND,
        hyperparameters=checkpoint.hyperparameters,
        training={**checkpoint.metadata.get("training", {}), "strokes": fit},
        extra=extra,
    )


def reference_path(style_path: str | os.PathLike, suffix: str) -> Path:
    """A file made from a style's paintings and kept with it: references/NAME<suffix> in the checkpoint's
    folder (a sub-folder, so that nothing that lists the styles mistakes it for one)."""
    path = Path(style_path)
    return path.parent / "references" / f"{path.stem}{suffix}"


def file_hash(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


# What a style checkpoint may describe; anything outside is refused before a tensor is allocated.
MAX_WIDTH = 128  # shipped styles use 16
MAX_BLOCKS = 32  # shipped styles use 5
WORK_SIZES = (64, 4096)  # shipped styles paint at 640-768
MAX_SWATCHES = 256


def load_style(path: str | os.PathLike, device: torch.device | str = "cpu") -> Style:
    """Load a style checkpoint; raises `CheckpointError` with a user-facing sentence.

    Every hyperparameter is read within bounds and every tensor's shape checked before the renderer
    is built, so a damaged or hostile description is refused instead of allocating what it asks for."""
    path = Path(path)
    checkpoint = load_checkpoint(path, kind=STYLE_KIND)
    hyper, tensors, name = checkpoint.hyperparameters, checkpoint.tensors, path.name
    if not isinstance(hyper, dict):
        raise CheckpointError(f"{name} does not describe its renderer: retrain the style.")
    width = bounded(hyper, "width", 1, MAX_WIDTH, name=name)
    blocks = bounded(hyper, "blocks", 0, MAX_BLOCKS, name=name)
    upsample = one_of(hyper, "upsample", ("nearest", "bilinear"), name=name, default="nearest")
    fine_noise = one_of(hyper, "fine_noise", (True, False), name=name, default=False)  # older styles have none
    work_size = bounded(hyper, "work_size", *WORK_SIZES, name=name, default=768)
    _check_palette(tensors, name)
    check_finite(tensors, name)
    renderer = StyleRenderer(width=width, blocks=blocks, upsample=upsample, fine_noise=fine_noise)
    state = {k[len(RENDERER_PREFIX) :]: v.float() for k, v in tensors.items() if k.startswith(RENDERER_PREFIX)}
    expected = renderer.state_dict()
    for key, value in expected.items():
        if key not in state or tuple(state[key].shape) != tuple(value.shape):
            raise CheckpointError(f"{name} does not match the renderer it describes ({key}): retrain the style.")
    renderer.load_state_dict(state)
    renderer.eval().requires_grad_(False).to(device)
    strokes = None
    if "strokes" in checkpoint.metadata:
        try:
            strokes = StrokeStyle.from_checkpoint(tensors, checkpoint.metadata["strokes"])
        except (ValueError, TypeError, KeyError) as error:
            raise CheckpointError(f"{name} cannot be painted with strokes: {error}. Retrain the style.") from None
    return Style(
        strokes=strokes,
        name=str(checkpoint.metadata.get("name", path.stem))[:100],
        renderer=renderer,
        palette=PaletteGMM.from_tensors(tensors),
        work_size=work_size,
        metadata=checkpoint.metadata,
        checkpoint_hash=file_hash(path),
        path=path,
    )


def _check_palette(tensors: dict[str, torch.Tensor], name: str) -> None:
    # Checkpoints from before the scene composer also hold "layout.*" tensors (a composition model no
    # longer used): they are left unread.
    if "palette.weights" not in tensors:
        raise CheckpointError(f"{name} has no palette: retrain the style.")
    check_shapes(tensors, {"palette.weights": (range(1, MAX_SWATCHES + 1),)}, name)
    swatches = tensors["palette.weights"].shape[0]
    check_shapes(tensors, {"palette.means": (swatches, 3), "palette.covariances": (swatches, 3, 3)}, name)


def shipped_styles_dir() -> Path:
    return resource("styles")


def list_shipped_styles() -> dict[str, Path]:
    """{style name: checkpoint path} for the styles shipped in resources/styles/."""
    folder = shipped_styles_dir()
    return {p.stem: p for p in sorted(folder.glob("*.safetensors"))} if folder.is_dir() else {}


def find_style(name_or_path: str, user_dirs: list[Path] | None = None) -> Path:
    """A style by shipped name, by name in a user folder, or by file path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".safetensors" and candidate.exists():
        return candidate
    for folder in [*(user_dirs or []), shipped_styles_dir()]:
        path = folder / f"{name_or_path}.safetensors"
        if path.exists():
            return path
    known = ", ".join(list_shipped_styles()) or "none installed"
    raise CheckpointError(f"There is no style called {name_or_path!r}. Shipped styles: {known}.")
