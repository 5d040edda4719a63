"""A style checkpoint's description is checked before anything is built from it: numbers within bounds,
every tensor's shape, finite values. Each hostile variant of a shipped style is refused with a sentence,
quickly and without allocating what it asks for."""

from __future__ import annotations

import json
import shutil

import pytest
import torch
from safetensors.torch import load_file, save_file

from models.checkpoint import CheckpointError, bounded, check_shapes, one_of
from models.paint.style import list_shipped_styles, load_style
from tests.support.memory import reset_peak_kb, status_kb


@pytest.fixture
def style_copy(tmp_path):
    source = list_shipped_styles()["munch"]
    target = tmp_path / "munch.safetensors"
    shutil.copy(source, target)
    shutil.copy(source.with_suffix(".json"), target.with_suffix(".json"))
    return target


def _edit_hyper(path, **changes):
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text())
    meta["hyperparameters"].update(changes)
    meta_path.write_text(json.dumps(meta))


def _edit_tensor(path, key, value):
    tensors = load_file(path)
    tensors[key] = value
    save_file(tensors, path, metadata={"kind": "paint-style"})


@pytest.mark.parametrize(
    "changes, said",
    [
        ({"width": 40000}, "width is '40000', outside 1-128"),
        ({"blocks": 10**7}, "blocks is '10000000', outside 0-32"),
        ({"width": -3}, "outside 1-128"),
        ({"width": 16.5}, "outside 1-128"),
        ({"width": "16"}, "outside 1-128"),
        ({"width": True}, "outside 1-128"),
        ({"work_size": 10**9}, "work_size"),
        ({"work_size": float("nan")}, "work_size"),
        ({"upsample": "bicubic"}, "not one of nearest, bilinear"),
        ({"upsample": ["nearest"]}, "not one of"),
        ({"fine_noise": "yes"}, "fine_noise"),
    ],
)
def test_hyperparameters_out_of_bounds_are_refused_before_anything_is_built(style_copy, changes, said):
    _edit_hyper(style_copy, **changes)
    before = reset_peak_kb()
    with pytest.raises(CheckpointError) as refused:
        load_style(style_copy)
    assert said in str(refused.value) and style_copy.name in str(refused.value)
    assert status_kb("VmHWM") - before < 200_000  # nothing big was allocated


@pytest.mark.parametrize(
    "key, value, said",
    [
        ("palette.means", torch.zeros(8, 4), "palette.means"),
        ("palette.covariances", torch.zeros(7, 3, 3), "palette.covariances"),
        ("palette.weights", torch.zeros(0), "palette.weights"),
        ("renderer.head.bias", torch.full((16,), float("nan")), "not numbers"),
        ("palette.means", torch.full((8, 3), float("inf")), "not numbers"),
    ],
)
def test_tensors_of_the_wrong_shape_or_not_numbers_are_refused(style_copy, key, value, said):
    _edit_tensor(style_copy, key, value)
    with pytest.raises(CheckpointError, match=said):
        load_style(style_copy)


def test_the_unused_layout_tensors_of_older_styles_are_left_unread(style_copy, tmp_path):
    # Styles saved before the scene composer carry a composition model ("layout.*") nothing reads now:
    # whatever its shape, the style loads and paints from scratch.
    from app.cli import main

    _edit_tensor(style_copy, "layout.components", torch.zeros(12, 100))
    assert main(["paint", "--style", str(style_copy), "--from-scratch", "--size", "64x64",
                 "-o", str(tmp_path / "out.png")]) == 0  # fmt: skip
    assert (tmp_path / "out.png").exists()


def test_the_bounds_helpers_read_good_values_and_defaults():
    assert bounded({"a": 3}, "a", 1, 8, name="f") == 3 and isinstance(bounded({"a": 3.0}, "a", 1, 8, name="f"), int)
    assert bounded({}, "a", 0.0, 1.0, name="f", default=0.5) == 0.5
    assert one_of({}, "m", ("x", "y"), name="f", default="x") == "x"
    with pytest.raises(CheckpointError, match="does not say its a"):
        bounded({}, "a", 1, 8, name="f")
    check_shapes({"t": torch.zeros(5, 3)}, {"t": (range(1, 9), 3)}, "f")
    with pytest.raises(CheckpointError, match=r"expected \('1-8', 3\)"):
        check_shapes({"t": torch.zeros(9, 3)}, {"t": (range(1, 9), 3)}, "f")


def test_a_huge_file_is_refused_before_it_is_read(style_copy, monkeypatch):
    from models import checkpoint

    monkeypatch.setattr(checkpoint, "MAX_WEIGHTS_BYTES", 1000)
    with pytest.raises(CheckpointError, match="far larger than any model file"):
        load_style(style_copy)
