"""The command line on a read-only data folder and on a full disk (a read-only bind mount and a 2 MB tmpfs,
so these run as root; elsewhere they are skipped with the reason).

Read-only: commands that need no writes work; the others say the folder is read-only and where to point
ATELIER_DATA_DIR. Full: each says the disk is full and what was kept, and leaves no half-written file.
"""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.cli import main
from tests.support.disks import fill, read_only, small_disk
from tests.support.midi_files import write_tune_folder


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*")}


def test_a_read_only_data_folder_reads_and_says_what_it_cannot_do(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    tunes = write_tune_folder(tmp_path / "tunes", count=4, with_bad_files=False)
    with read_only(data_dir):
        assert main(["info"]) == 0
        assert str(data_dir) in capsys.readouterr().out
        assert main(["compose", "--bars", "2", "-o", str(out / "m.mid")]) == 0
        assert main(["paint", "--style", "munch", "--from-scratch", "--size", "64x48", "-o", str(out / "p.png")]) == 0
        assert (out / "m.mid").exists() and (out / "p.png").exists()
        capsys.readouterr()
        for argv, code in (
            (["chat", "compose a tune in D, 2 bars", "--out", str(out)], 0),  # answered, not saved
            (["train-style", str(tmp_path), "--name", "mine", "--minutes", "1"], 2),
            (["train-melody", str(tunes), "--name", "mine"], 2),
        ):
            assert main(argv) == code
            err = capsys.readouterr().err
            assert "read-only" in err and "ATELIER_DATA_DIR" in err and "Traceback" not in err, err
            assert "Move it aside" not in err
        assert not _files(data_dir)  # nothing was written, nothing half-made


def test_a_full_disk_says_so_and_what_was_kept(tmp_path, monkeypatch, capsys):
    with small_disk(tmp_path / "disk", kilobytes=2048) as disk:
        monkeypatch.setenv(paths.DATA_DIR_VARIABLE, str(disk / "data"))
        paths.use_data_dir(None)
        tunes = write_tune_folder(tmp_path / "tunes", count=4, with_bad_files=False)
        assert main(["compose", "--bars", "2", "-o", str(disk / "kept.mid")]) == 0
        before = (disk / "kept.mid").read_bytes()
        assert main(["chat", "compose a tune in D, 2 bars", "--out", str(tmp_path)]) == 0  # makes the history
        capsys.readouterr()
        fill(disk)
        cases = [
            (["paint", "--style", "munch", "--from-scratch", "--size", "512x512", "-o", str(disk / "p.png")], 1,
             "p.png was not written"),
            (["compose", "--bars", "8", "-o", str(disk / "kept.mid")], 1, "the file already there is unchanged"),
            (["train-melody", str(tunes), "--name", "mine", "--restarts", "1", "--iterations", "5"], 1,
             "the style was not saved"),
            (["chat", "compose a tune in D, 2 bars", "--out", str(tmp_path)], 0, "not saved"),
        ]  # fmt: skip
        for argv, code, kept in cases:
            assert main(argv) == code, argv
            err = capsys.readouterr().err
            assert "disk is full" in err and kept in err and "Traceback" not in err, err
        assert (disk / "kept.mid").read_bytes() == before
        assert not [name for name in _files(disk) if name.endswith(".tmp") or name == "p.png"]
        assert "mine.safetensors" not in _files(disk)
