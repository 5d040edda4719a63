"""Give memory that was freed back to the system.

glibc keeps freed blocks in its heaps for reuse, so a process stays as large as its last peak, and peaks at
different sizes fragment the heaps further. Three places ask for it back:
- the workers, after each job: in the soak run the window's resident size crept up by about 12% an hour
  although, after `malloc_trim`, it did not (570 MB resident against 400 MB once the free pages were returned);
- the stroke renderer, between planning and the painting's picture: planning leaves about 250 MB freed but
  held, beside the 1 GB picture of the largest painting (16,384 px a side);
- the chat model's loader, layer by layer: unpacking 4-bit weights frees megabyte-sized buffers, and
  `atelier chat` would otherwise peak about 50 MB higher.
Other C libraries (macOS, Windows, musl) return memory on their own terms: there is nothing to do there.

The resident size also counts the pages of library code that a process has run, and `import torch` runs
code all over libtorch (half a gigabyte of it) to register its operators: 50 to 120 MB of libtorch's pages
stay mapped, more when the library's file sits in the page cache in large pieces (a fresh install), though
a chat reply runs a small part of it again. `drop_library_pages` unmaps the clean ones; the file stays in
the page cache and a page that is needed again comes back with a minor fault. `atelier chat "hi"` peaked
at 443 MB with them, 370 MB without (a fresh install, Linux 6.18).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import mmap
import sys
from collections.abc import Callable
from pathlib import Path


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None  # glibc only
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back_freed_memory() -> bool:
    """Return the C heap's free pages to the system; True when there was a way to ask (glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)  # ctypes lets go of the GIL during the call: the UI thread keeps running
    return True


def clean_library_ranges(smaps: str, folder: str) -> list[tuple[int, int]]:
    """Address ranges, from /proc/PID/smaps text, of the mappings of files under `folder` that hold no private
    page: never writable and none copied on write (relocated data is, and must not be dropped)."""
    ranges, current = [], None
    for line in smaps.splitlines():
        fields = line.split()
        if not fields:
            continue
        if not fields[0].endswith(":"):  # a mapping's header: start-end perms offset device inode path
            current = None
            if len(fields) >= 6 and "w" not in fields[1] and fields[5].startswith(folder):
                start, end = (int(address, 16) for address in fields[0].split("-"))
                current = (start, end)
        elif fields[0] == "Anonymous:" and current is not None:
            if int(fields[1]) == 0:
                ranges.append(current)
            current = None
    return ranges


def drop_library_pages(folder: str | Path) -> int:
    """Unmap the clean pages of the libraries loaded from `folder` (see above); the bytes of address space
    advised, 0 where the platform has no way (not Linux)."""
    libc = _libc()
    if not sys.platform.startswith("linux") or libc is None or not hasattr(mmap, "MADV_DONTNEED"):
        return 0
    try:
        smaps = Path("/proc/self/smaps").read_text()
    except OSError:
        return 0
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    advised = 0
    for start, end in clean_library_ranges(smaps, str(Path(folder).resolve())):
        if libc.madvise(start, end - start, mmap.MADV_DONTNEED) == 0:
            advised += end - start
    return advised
