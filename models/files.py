"""Writing files so that a crash, a kill or a full disk leaves either the old file or the new one."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    The file gets the permissions a plain `open(path, "wb")` would give it: an existing file keeps its
    own, a new one follows the user's umask (0644 under 022), not the 0600 of `tempfile.mkstemp`.
    """
    atomic_write_with(path, lambda file: file.write(data))


def atomic_write_with(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> None:
    """`atomic_write_bytes` for a writer that streams into the file (a large PNG is never held as bytes).

    On any failure (a full disk included) the temporary file is removed and `path` is as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = _create_temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as tmp:
            write(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _create_temporary_beside(path: Path) -> tuple[int, str]:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666  # the kernel takes the umask off, as for any new file
    for _ in range(100):
        name = str(path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp"))
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        except FileExistsError:
            continue
        if os.name == "posix" and path.exists():
            os.fchmod(fd, mode)  # an existing file's mode, which the umask may have narrowed
        return fd, name
    raise FileExistsError(f"could not create a temporary file beside {path}")


def _fsync_directory(directory: Path) -> None:
    # The rename itself is durable only once the directory entry is flushed (POSIX only).
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
