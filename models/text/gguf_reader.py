"""A minimal GGUF (v2/v3) reader: metadata and tensor views, with no third-party code.

The `gguf` package's reader builds a numpy view per metadata element and takes ~10 s on SmolLM2's
98,000 tokenizer strings; this one decodes them with `struct` in well under a second. Tensor data
stay memory-mapped; F32, F16, Q4_1 and Q8_0 are understood (what SmolLM2's file holds).
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

F32, F16, Q4_1, Q8_0 = 0, 1, 3, 8
# (elements per block, bytes per block)
BLOCKS = {F32: (1, 4), F16: (1, 2), Q4_1: (32, 20), Q8_0: (32, 34)}
TYPE_NAMES = {F32: "F32", F16: "F16", Q4_1: "Q4_1", Q8_0: "Q8_0"}
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


class GGUFFormatError(ValueError):
    pass


@dataclass
class TensorEntry:
    name: str
    shape: tuple[int, ...]  # GGUF order: the row length first
    type: int
    data: np.ndarray  # uint8 (rows, bytes per row) for block types, the element dtype otherwise
    offset: int = 0  # where its bytes start in the file
    nbytes: int = 0


class GGUFFile:
    def __init__(self, path: str | os.PathLike) -> None:
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        buffer = self._map
        if buffer[:4] != b"GGUF":
            raise GGUFFormatError("not a GGUF file (bad magic)")
        version, n_tensors, n_kv = struct.unpack_from("<IQQ", buffer, 4)
        if version not in (2, 3):
            raise GGUFFormatError(f"GGUF version {version} is not supported")
        self.version = version
        self._pos = 24
        self.fields: dict[str, Any] = {}
        for _ in range(n_kv):
            key = self._string()
            (kind,) = self._unpack("<I")
            self.fields[key] = self._value(kind)
        infos = []
        for _ in range(n_tensors):
            name = self._string()
            (n_dims,) = self._unpack("<I")
            dims = self._unpack(f"<{n_dims}Q")
            kind, offset = self._unpack("<IQ")
            infos.append((name, tuple(int(d) for d in dims), kind, offset))
        alignment = int(self.fields.get("general.alignment", 32))
        start = (self._pos + alignment - 1) // alignment * alignment
        whole = np.frombuffer(buffer, dtype=np.uint8)
        self.tensors: list[TensorEntry] = []
        for name, dims, kind, offset in infos:
            if kind not in BLOCKS:
                raise GGUFFormatError(f"tensor {name} has GGML type {kind}, which this reader does not know")
            per_block, block_bytes = BLOCKS[kind]
            row = dims[0]
            rows = int(np.prod(dims[1:])) if len(dims) > 1 else 1
            row_bytes = row // per_block * block_bytes
            first = start + offset
            raw = whole[first : first + rows * row_bytes]
            if raw.size != rows * row_bytes:
                raise GGUFFormatError(f"the file is truncated inside tensor {name}")
            data: np.ndarray
            if kind == F32:
                data = raw.view(np.float32).reshape(rows, row) if len(dims) > 1 else raw.view(np.float32)
            elif kind == F16:
                data = raw.view(np.float16).reshape(rows, row) if len(dims) > 1 else raw.view(np.float16)
            else:
                data = raw.reshape(rows, row_bytes)
            self.tensors.append(TensorEntry(name, dims, kind, data, first, rows * row_bytes))

    def release(self, entry: TensorEntry) -> None:
        """Drop a tensor's file pages from memory once it has been converted (they count as resident
        while mapped; the loader reads each tensor once, so keeping them only raises the peak)."""
        page = mmap.PAGESIZE
        start = (entry.offset + page - 1) // page * page
        end = (entry.offset + entry.nbytes) // page * page
        if end > start and hasattr(self._map, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED, start, end - start)

    def release_all(self) -> None:
        if hasattr(self._map, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)

    def _unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self._map, self._pos)
        self._pos += struct.calcsize(fmt)
        return values

    def _string(self) -> str:
        (length,) = self._unpack("<Q")
        text = self._map[self._pos : self._pos + length].decode("utf-8", errors="replace")
        self._pos += length
        return text

    def _value(self, kind: int) -> Any:
        if kind in _SCALARS:
            return self._unpack(_SCALARS[kind])[0]
        if kind == _STRING:
            return self._string()
        if kind == _ARRAY:
            item_kind, count = self._unpack("<IQ")
            if item_kind in _SCALARS:
                fmt = _SCALARS[item_kind]
                values = list(self._unpack(f"<{count}{fmt[1]}"))
                return values
            return [self._value(item_kind) for _ in range(count)]
        raise GGUFFormatError(f"unknown metadata type {kind}")


def dequantize(entry: TensorEntry) -> np.ndarray:
    """float32 array (rows, row) — or (row,) for a vector — of an F32, F16 or Q8_0 tensor."""
    if entry.type in (F32, F16):
        return np.array(entry.data, dtype=np.float32)
    if entry.type == Q8_0:
        rows = entry.data.shape[0]
        blocks = entry.data.reshape(rows, -1, 34)
        scale = blocks[:, :, 0:2].copy().view(np.float16).astype(np.float32)
        values = blocks[:, :, 2:].copy().view(np.int8).astype(np.float32)
        return (values * scale).reshape(rows, -1)
    raise GGUFFormatError(
        f"dequantize() does not handle {TYPE_NAMES.get(entry.type, entry.type)}; use quantized.unpack_q4_1"
    )
