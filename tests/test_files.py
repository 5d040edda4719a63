"""Atomic writes: a file written by Atelier gets the permissions any other program would give it."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager

import pytest

from models.files import atomic_write_bytes

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@contextmanager
def umask(value: int):
    before = os.umask(value)
    try:
        yield
    finally:
        os.umask(before)


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path, mask, expected):
    with umask(mask):
        atomic_write_bytes(tmp_path / "tune.mid", b"MThd")
    assert mode_of(tmp_path / "tune.mid") == expected
    assert (tmp_path / "tune.mid").read_bytes() == b"MThd"
    assert [p.name for p in tmp_path.iterdir()] == ["tune.mid"]  # no temporary file left


def test_replacing_a_file_keeps_its_mode(tmp_path):
    path = tmp_path / "private.txt"
    path.write_bytes(b"old")
    path.chmod(0o640)
    with umask(0o077):
        atomic_write_bytes(path, b"new")
    assert mode_of(path) == 0o640 and path.read_bytes() == b"new"
