"""What a process's memory is made of, for the soak run: which part grows tells a leak from a cache.

- `anon_mb`: private memory (the C heap, tensors, Python's objects); a leak grows this.
- `file_mb`: pages of files mapped in (library code such as libtorch's, model files); clean, shared, and
  the kernel's to drop. It rises as new code paths run for the first time, up to the libraries' size.
- `heap_in_use_mb` / `heap_free_mb`: glibc's own count (mallinfo2) of what malloc hands out and what it
  holds freed in its heaps (resident or, once trimmed, not); in use growing with no Python growth is C/C++.
- `python_mb`: Python's objects, when tracemalloc traces them (`atelier soak --trace-python`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
import tracemalloc
from pathlib import Path


def status_megabytes(*keys: str) -> dict[str, float]:
    """Fields of /proc/self/status in MB (VmRSS, VmHWM, RssAnon, RssFile...); empty where there is none."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return {}
    fields = {}
    for line in lines:
        key, _, value = line.partition(":")
        if key in keys:
            fields[key] = int(value.split()[0]) / 1024  # the kernel writes kB (KiB)
    return fields


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


@functools.cache
def _mallinfo2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallinfo2  # glibc 2.33 and later
    except (OSError, AttributeError):
        return None
    function.restype = _MallInfo2
    return function


def memory_breakdown() -> dict[str, float]:
    """The process's memory now, in MB (MiB), by kind; the kinds this platform cannot tell are left out."""
    status = status_megabytes("VmRSS", "RssAnon", "RssFile")
    breakdown = {}
    if status:
        breakdown |= {"anon_mb": status.get("RssAnon", 0.0), "file_mb": status.get("RssFile", 0.0)}
    mallinfo = _mallinfo2()
    if mallinfo is not None:
        info = mallinfo()
        # hblkhd: blocks malloc mapped on their own (large tensors); uordblks: in use in its heaps
        breakdown |= {"heap_in_use_mb": (info.uordblks + info.hblkhd) / 2**20, "heap_free_mb": info.fordblks / 2**20}
    if tracemalloc.is_tracing():
        breakdown["python_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    return {key: round(value, 1) for key, value in breakdown.items()}


def python_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int = 15) -> list[dict]:
    """The source lines whose live Python objects grew most between two snapshots."""
    return [
        {
            "where": f"{stat.traceback[0].filename}:{stat.traceback[0].lineno}",
            "mb": round(stat.size_diff / 2**20, 2),
            "objects": stat.count_diff,
        }
        for stat in after.compare_to(before, "lineno")[:top]
        if stat.size_diff > 0
    ]
