"""Memory a finished job freed goes back to the system (glibc keeps it otherwise, and the window grows), and
library pages only start-up ran stop counting as resident."""

from __future__ import annotations

import functools
import mmap
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from app.soak import resident_megabytes
from models.memory import clean_library_ranges, drop_library_pages, give_back_freed_memory
from models.text.gguf_reader import Q8_0, GGUFFile
from models.text.quantized import Q8Rows


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux only")
def test_freed_heap_pages_are_given_back():
    # 2 KB blocks come from the heap (not mmap); keeping the last one pins the heap's top, so glibc's
    # automatic trimming at free() cannot give the 200 MB below it back.
    blocks = [bytes(2048) for _ in range(100_000)]
    pinned = blocks[-1]
    del blocks
    before = resident_megabytes()
    assert give_back_freed_memory()
    after = resident_megabytes()
    assert before - after > 100, (before, after)
    assert len(pinned) == 2048


SMAPS = """\
7f0000000000-7f0000400000 r-xp 00000000 fe:00 11 /venv/torch/lib/libtorch_cpu.so
Rss:                1024 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me
7f0000400000-7f0000500000 r--p 00400000 fe:00 11 /venv/torch/lib/libtorch_cpu.so
Rss:                 512 kB
Anonymous:           512 kB
7f0000500000-7f0000600000 rw-p 00500000 fe:00 11 /venv/torch/lib/libtorch_cpu.so
Anonymous:             0 kB
7f0000600000-7f0000700000 r-xp 00000000 fe:00 12 /usr/lib/libc.so.6
Anonymous:             0 kB
7f0000700000-7f0000800000 rw-p 00000000 00:00 0
Anonymous:           100 kB
"""


def test_only_clean_mappings_of_the_folder_are_chosen():
    # relocated data (copied on write, then made read-only) and writable data must never be dropped
    assert clean_library_ranges(SMAPS, "/venv/torch/lib") == [(0x7F0000000000, 0x7F0000400000)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and madvise are Linux's")
def test_mapped_file_pages_are_let_go_and_read_back_the_same(tmp_path):
    path = tmp_path / "library.so"
    data = bytes(range(256)) * (32 * 1024)  # 8 MB
    path.write_bytes(data)
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    assert mapped[:] == data  # every page read: they count as resident
    assert _resident_megabytes_of(path) > 7
    assert drop_library_pages(tmp_path) >= len(data)
    assert _resident_megabytes_of(path) < 1
    assert mapped[:] == data  # the pages come back from the file when read
    mapped.close()


def _gguf_with_one_q8_0_matrix(path: Path, rows: int, columns: int) -> np.ndarray:
    """A minimal GGUF v3 file: no metadata, one Q8_0 matrix of random blocks; returns the blocks."""
    blocks = np.random.default_rng(0).integers(0, 256, size=(rows, columns // 32 * 34), dtype=np.uint8)
    blocks.reshape(rows, -1, 34)[:, :, 0:2] = np.frombuffer(np.float16(0.01).tobytes(), dtype=np.uint8)
    name = b"token_embd.weight"
    header = b"GGUF" + struct.pack("<IQQ", 3, 1, 0)
    header += struct.pack("<Q", len(name)) + name + struct.pack("<I2QIQ", 2, columns, rows, Q8_0, 0)
    path.write_bytes(header + bytes(-len(header) % 32) + blocks.tobytes())
    return blocks


def _resident_megabytes_of(path: Path) -> float:
    kilobytes, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if not fields[0].endswith(":"):
            inside = len(fields) >= 6 and fields[5] == str(path)
        elif inside and fields[0] == "Rss:":
            kilobytes += int(fields[1])
    return kilobytes / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and madvise are Linux's")
def test_embedding_rows_read_from_the_file_leave_no_pages_mapped(tmp_path):
    path = tmp_path / "model.gguf"
    blocks = _gguf_with_one_q8_0_matrix(path, rows=8192, columns=1024)  # 8.9 MB
    reader = GGUFFile(path)
    entry = reader.tensors[0]
    embedding = Q8Rows(entry.data, functools.partial(reader.release, entry))
    ids = torch.arange(0, 8192, 7)  # rows all over the file, as a long conversation's tokens are
    rows = embedding.rows(ids)
    assert _resident_megabytes_of(path) < 1
    expected = Q8Rows(blocks).rows(ids)
    assert torch.equal(rows, expected)  # the very values
