"""Model checkpoints: weights in safetensors, metadata in JSON beside them, written atomically.

`save_checkpoint(path, tensors, kind=..., ...)` writes `path` (safetensors) and `path` with a
`.json` suffix. `load_checkpoint(path, kind=...)` reads both back and refuses, with a sentence a
user can act on, anything that is not what we wrote: a pickle (never unpickled: it could run
code), a truncated file, another format version, another kind of model, tensors of the wrong shape.

Engines check what a checkpoint describes before they build anything from it: `bounded` and
`one_of` read each hyperparameter within sane bounds (a `width` of 40000 would allocate 115 GB),
`check_shapes` every tensor's shape (a dimension may be a range of sizes), `check_finite` its values.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors_bytes
from safetensors.torch import save as save_safetensors_bytes

from models.files import atomic_write_bytes
from models.jobs import JobError

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "atomic_write_bytes",
    "bounded",
    "check_finite",
    "check_shapes",
    "load_checkpoint",
    "one_of",
    "save_checkpoint",
]

FORMAT_VERSION = 1

# A safetensors file starts with an 8-byte little-endian header length, then a JSON object.
_HEADER_LENGTH_BYTES = 8
_MAX_HEADER_BYTES = 100 * 1024 * 1024
# Every model Atelier ships or trains is a few MB; a bigger file is refused before it is read into memory.
MAX_WEIGHTS_BYTES = 512 * 1024 * 1024
MAX_METADATA_BYTES = 16 * 1024 * 1024


class CheckpointError(JobError):
    """A checkpoint that cannot be used; the message says why and what to do."""


@dataclass
class Checkpoint:
    tensors: dict[str, torch.Tensor]
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.metadata["kind"]

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return self.metadata.get("hyperparameters", {})


def metadata_path(weights_path: str | os.PathLike) -> Path:
    return Path(weights_path).with_suffix(".json")


def save_checkpoint(
    path: str | os.PathLike,
    tensors: Mapping[str, torch.Tensor],
    *,
    kind: str,
    hyperparameters: Mapping[str, Any] | None = None,
    training: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Save weights and metadata; returns the weights path.

    `training` describes what the model learned from and how long it took; `extra` holds
    anything else the engine needs at load time (vocabularies, palettes, names).
    """
    path = Path(path)
    weights = {name: t.detach().to("cpu").contiguous() for name, t in tensors.items()}
    metadata = {
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "hyperparameters": dict(hyperparameters or {}),
        "training": dict(training or {}),
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tensors": {name: list(t.shape) for name, t in weights.items()},
        **dict(extra or {}),
    }
    # Weights first, metadata last: a reader that finds the JSON finds matching weights.
    atomic_write_bytes(path, save_safetensors_bytes(weights, metadata={"kind": kind}))
    atomic_write_bytes(metadata_path(path), json.dumps(metadata, indent=2).encode("utf-8"))
    return path


def _describe_foreign_file(head: bytes) -> str | None:
    if head[:1] == b"\x80" or head[:2] in (b"(d", b"(l", b"}q", b"]q"):
        return "a Python pickle"
    if head[:2] == b"PK":
        return "a PyTorch .pt/.pth archive (a pickle inside a zip)"
    if head[:4] == b"GGUF":
        return "a GGUF model file"
    return None


def _read_bounded(path: Path, limit: int, what: str) -> bytes:
    try:
        if path.is_dir():
            raise CheckpointError(f"{path} is a folder, not a {what}: choose the file itself.")
        if path.stat().st_size > limit:
            raise CheckpointError(
                f"{path.name} is {path.stat().st_size / 2**20:,.0f} MB, far larger than any {what} Atelier makes "
                f"(at most {limit // 2**20} MB): choose a file made by Atelier."
            )
        return path.read_bytes()
    except PermissionError:
        raise CheckpointError(f"Atelier may not read {path} (permission denied).") from None


def _read_weights(path: Path) -> dict[str, torch.Tensor]:
    try:
        data = _read_bounded(path, MAX_WEIGHTS_BYTES, "model file")
    except FileNotFoundError:
        raise CheckpointError(f"The model file {path} is missing: reinstall Atelier or retrain the model.") from None
    foreign = _describe_foreign_file(data[:4])
    if foreign is not None:
        raise CheckpointError(
            f"{path.name} is {foreign}, which Atelier never loads because opening it could run "
            "code. Use a .safetensors checkpoint made by Atelier."
        )
    if len(data) < _HEADER_LENGTH_BYTES:
        raise CheckpointError(f"{path.name} is truncated (only {len(data)} bytes): retrain or re-copy the model.")
    (header_length,) = struct.unpack("<Q", data[:_HEADER_LENGTH_BYTES])
    if header_length > _MAX_HEADER_BYTES or data[_HEADER_LENGTH_BYTES : _HEADER_LENGTH_BYTES + 1] != b"{":
        raise CheckpointError(f"{path.name} is not a safetensors checkpoint: choose a model file made by Atelier.")
    if len(data) < _HEADER_LENGTH_BYTES + header_length:
        raise CheckpointError(f"{path.name} is truncated: its header is cut short. Retrain or re-copy the model.")
    try:
        return load_safetensors_bytes(data)
    except SafetensorError as error:
        reason = "truncated" if "incomplete" in str(error).lower() or "too small" in str(error).lower() else "damaged"
        raise CheckpointError(f"{path.name} is {reason} ({error}): retrain or re-copy the model.") from None


def _read_metadata(path: Path) -> dict[str, Any]:
    meta_path = metadata_path(path)
    try:
        metadata = json.loads(_read_bounded(meta_path, MAX_METADATA_BYTES, "model description").decode("utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"{meta_path.name} is missing beside {path.name}: copy both files together.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CheckpointError(f"{meta_path.name} is damaged (not valid JSON): retrain or re-copy the model.") from None
    if not isinstance(metadata, dict):
        raise CheckpointError(f"{meta_path.name} is not an Atelier checkpoint description.")
    return metadata


def load_checkpoint(
    path: str | os.PathLike,
    *,
    kind: str | None = None,
    expected_shapes: Mapping[str, tuple[int, ...]] | None = None,
) -> Checkpoint:
    """Load and check a checkpoint; raise `CheckpointError` with a user-facing sentence."""
    path = Path(path)
    tensors = _read_weights(path)
    metadata = _read_metadata(path)
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise CheckpointError(
            f"{path.name} was saved in checkpoint format {version!r}, and this version of Atelier "
            f"reads format {FORMAT_VERSION}: retrain the model with this version."
        )
    if kind is not None and metadata.get("kind") != kind:
        found = metadata.get("kind")
        if not isinstance(found, str) or not found.isprintable() or len(found) > 40:
            raise CheckpointError(f"{path.name} does not say what it holds: it is damaged or was not made by Atelier.")
        raise CheckpointError(f"{path.name} holds a {found!r} model, not a {kind!r} model.")
    if expected_shapes is not None:
        check_shapes(tensors, expected_shapes, path.name)
    return Checkpoint(tensors=tensors, metadata=metadata)


def check_shapes(
    tensors: Mapping[str, torch.Tensor], expected: Mapping[str, tuple[int | range, ...]], name: str
) -> None:
    """Raise `CheckpointError` unless every expected tensor is present with its shape.

    A dimension is a size, or a `range` of sizes (e.g. `range(1, 65)` for "1 to 64 components")."""
    for key, shape in expected.items():
        if key not in tensors:
            raise CheckpointError(f"{name} lacks the weights {key!r}: it was made for another model.")
        actual = tuple(tensors[key].shape)
        if len(actual) != len(shape) or not all(
            size in want if isinstance(want, range) else size == want for size, want in zip(actual, shape, strict=True)
        ):
            wanted = tuple(f"{w.start}-{w.stop - 1}" if isinstance(w, range) else w for w in shape)
            raise CheckpointError(
                f"{name} has weights {key!r} of shape {actual}, expected {wanted}: it was made for another model "
                "size, or is damaged."
            )


def check_finite(tensors: Mapping[str, torch.Tensor], name: str) -> None:
    """Raise `CheckpointError` when any floating-point tensor holds NaN or infinity (a damaged or diverged model)."""
    for key, tensor in tensors.items():
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise CheckpointError(f"{name} holds values that are not numbers in {key!r}: retrain or re-copy the model.")


_MISSING = object()


def bounded(
    hyperparameters: Mapping[str, Any], key: str, low: float, high: float, *, name: str, default: Any = _MISSING
) -> Any:
    """`hyperparameters[key]` as a number in [low, high] (an int when both bounds are ints), else CheckpointError.

    Read every number a checkpoint describes through this before building anything from it."""
    value = hyperparameters.get(key, default)
    if value is _MISSING:
        raise CheckpointError(f"{name} does not say its {key}: it was not made by this version of Atelier.")
    integral = isinstance(low, int) and isinstance(high, int)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        valid = False
    else:
        valid = low <= value <= high and (not integral or value == int(value))
    if not valid:
        raise CheckpointError(
            f"{name} says its {key} is {str(value)[:40]!r}, outside {low}-{high}: it is damaged or was not made "
            "by Atelier."
        )
    return int(value) if integral else float(value)


def one_of(hyperparameters: Mapping[str, Any], key: str, choices: tuple, *, name: str, default: Any = _MISSING) -> Any:
    """`hyperparameters[key]` when it is one of `choices`, else CheckpointError."""
    value = hyperparameters.get(key, default)
    if value is _MISSING or isinstance(value, (dict, list)) or value not in choices:
        raise CheckpointError(
            f"{name} says its {key} is {str(value)[:40]!r}, not one of {', '.join(map(str, choices))}: it is "
            "damaged or was not made by Atelier."
        )
    return value
