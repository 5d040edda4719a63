"""Memory a finished job freed goes back to the system (glibc keeps it otherwise, and the window grows)."""

from __future__ import annotations

import sys

import pytest

from app.soak import resident_megabytes
from models.memory import give_back_freed_memory


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
