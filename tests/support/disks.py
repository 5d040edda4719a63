"""Read-only folders and full disks for tests: a read-only bind mount and a small tmpfs.

Both need root (and a kernel that lets this process mount); elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(
            f"cannot mount here ({result.stderr.strip() or result.returncode}): needs root in a mountable sandbox"
        )


def _unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a read-only folder or a small tmpfs")


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` (with whatever it holds now) becomes read-only until the block ends."""
    _need_root()
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,ro,bind", str(folder))
        yield folder
    finally:
        _unmount(folder)


@contextmanager
def small_disk(folder: Path, kilobytes: int = 2048) -> Iterator[Path]:
    """A tmpfs of `kilobytes` mounted on `folder` (created) until the block ends."""
    _need_root()
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        _unmount(folder)


def fill(folder: Path) -> None:
    """Fill the disk holding `folder` to the last byte."""
    for name, block in (("filler", 65536), ("filler-small", 512)):
        with open(folder / name, "wb", buffering=0) as filler:
            try:
                while filler.write(b"\0" * block):
                    pass
            except OSError:
                pass
