"""Checkpoints: safetensors + JSON, atomic, and every bad file refused with a clear sentence."""

from __future__ import annotations

import json
import pickle

import pytest
import torch

from models.checkpoint import CheckpointError, load_checkpoint, metadata_path, save_checkpoint


@pytest.fixture
def weights():
    generator = torch.Generator().manual_seed(1)
    return {"encoder.weight": torch.randn(4, 3, generator=generator), "encoder.bias": torch.zeros(4)}


def test_round_trip_keeps_weights_and_metadata(tmp_path, weights):
    path = save_checkpoint(
        tmp_path / "style.safetensors",
        weights,
        kind="style",
        hyperparameters={"channels": 4},
        training={"images": 7, "minutes": 12.5},
        extra={"name": "Van Gogh"},
    )
    checkpoint = load_checkpoint(path, kind="style", expected_shapes={"encoder.weight": (4, 3)})
    for name, tensor in weights.items():
        assert torch.equal(checkpoint.tensors[name], tensor)
    assert checkpoint.kind == "style"
    assert checkpoint.hyperparameters == {"channels": 4}
    assert checkpoint.metadata["training"] == {"images": 7, "minutes": 12.5}
    assert checkpoint.metadata["name"] == "Van Gogh"
    assert checkpoint.metadata["format_version"] == 1
    assert checkpoint.metadata["tensors"]["encoder.weight"] == [4, 3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["style.json", "style.safetensors"]  # no temp files left


@pytest.mark.parametrize("keep_bytes", [0, 5, 20, -10])
def test_truncated_file_is_refused(tmp_path, weights, keep_bytes):
    path = save_checkpoint(tmp_path / "m.safetensors", weights, kind="style")
    data = path.read_bytes()
    path.write_bytes(data[:keep_bytes] if keep_bytes >= 0 else data[:keep_bytes])
    with pytest.raises(CheckpointError, match="truncated|not a safetensors|damaged"):
        load_checkpoint(path)


def test_other_format_version_is_refused(tmp_path, weights):
    path = save_checkpoint(tmp_path / "m.safetensors", weights, kind="style")
    meta = json.loads(metadata_path(path).read_text())
    meta["format_version"] = 99
    metadata_path(path).write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="format 99.*retrain"):
        load_checkpoint(path)


def test_other_kind_is_refused(tmp_path, weights):
    path = save_checkpoint(tmp_path / "m.safetensors", weights, kind="melody-hmm")
    with pytest.raises(CheckpointError, match="'melody-hmm' model, not a 'style'"):
        load_checkpoint(path, kind="style")


def test_wrong_shapes_are_refused(tmp_path, weights):
    path = save_checkpoint(tmp_path / "m.safetensors", weights, kind="style")
    with pytest.raises(CheckpointError, match="shape"):
        load_checkpoint(path, expected_shapes={"encoder.weight": (8, 3)})
    with pytest.raises(CheckpointError, match="lacks"):
        load_checkpoint(path, expected_shapes={"decoder.weight": (4, 3)})


class _Payload:
    """Unpickling this would run code: the loader must never get that far."""

    ran = False

    def __reduce__(self):
        return (_mark_ran, ())


def _mark_ran():
    _Payload.ran = True


def test_pickle_is_refused_never_loaded(tmp_path):
    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(_Payload(), protocol=4))
    (tmp_path / "evil.json").write_text(json.dumps({"format_version": 1, "kind": "style"}))
    with pytest.raises(CheckpointError, match="pickle"):
        load_checkpoint(path)
    assert not _Payload.ran


def test_torch_save_archive_is_refused(tmp_path, weights):
    path = tmp_path / "model.safetensors"
    torch.save(weights, path)
    with pytest.raises(CheckpointError, match="PyTorch .pt"):
        load_checkpoint(path)


def test_random_bytes_are_not_a_checkpoint(tmp_path):
    path = tmp_path / "noise.safetensors"
    path.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00hello, not json at all")
    with pytest.raises(CheckpointError, match="not a safetensors"):
        load_checkpoint(path)


def test_missing_or_damaged_metadata_is_refused(tmp_path, weights):
    path = save_checkpoint(tmp_path / "m.safetensors", weights, kind="style")
    metadata_path(path).write_text("{not json")
    with pytest.raises(CheckpointError, match="damaged"):
        load_checkpoint(path)
    metadata_path(path).unlink()
    with pytest.raises(CheckpointError, match="missing"):
        load_checkpoint(path)


def test_failed_write_keeps_the_previous_checkpoint(tmp_path, weights, monkeypatch):
    path = save_checkpoint(tmp_path / "m.safetensors", weights, kind="style")
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("models.files.os.fsync", full_disk)
    with pytest.raises(OSError):
        save_checkpoint(path, {"encoder.weight": torch.ones(4, 3)}, kind="style")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.safetensors"]
