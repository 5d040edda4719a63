"""Give the memory a finished step freed back to the system, before the next step's largest allocation.

Freed memory usually stays in the C library's heap for the process to reuse: after the stroke planner
has run (hundreds of small and middle-sized tensors) about 250 MB of it stays there, counted in the
process's memory, while the largest painting (16,384 px a side) allocates its 1 GB picture beside it.
glibc's `malloc_trim` returns the free parts of the heap. Elsewhere (macOS, Windows, musl) this does
nothing: those allocators keep their own policies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def give_back_freed_memory() -> None:
    """Return the heap's free memory to the system where the C library can (glibc); otherwise nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
