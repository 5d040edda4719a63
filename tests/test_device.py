"""Device choice: auto, overrides, words a user understands, and the GPU out-of-memory fall-back."""

from __future__ import annotations

import pytest
import torch

from models import device as device_module
from models.device import describe, pick_device, resolve_choice, with_cpu_fallback


def test_cpu_is_described_with_threads_and_reason(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    text = describe(torch.device("cpu"))
    assert text.startswith("CPU, ") and "thread" in text
    assert ("no CUDA" in text) or ("no NVIDIA GPU" in text)


def test_auto_picks_cpu_without_gpu(monkeypatch):
    monkeypatch.delenv("ATELIER_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device_module, "mps_available", lambda: False)
    choice = pick_device()
    assert choice.device.type == "cpu" and choice.notice == ""


def test_missing_cuda_falls_back_with_a_notice(monkeypatch):
    monkeypatch.delenv("ATELIER_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    choice = pick_device(setting="cuda")
    assert choice.device.type == "cpu"
    assert "CUDA was chosen" in choice.notice


def test_unknown_choice_uses_cpu_and_says_so(monkeypatch):
    monkeypatch.delenv("ATELIER_DEVICE", raising=False)
    choice = pick_device("tpu")
    assert choice.device.type == "cpu" and "Unknown device" in choice.notice


def test_command_line_beats_environment_beats_setting(monkeypatch):
    monkeypatch.setenv("ATELIER_DEVICE", "mps")
    assert resolve_choice("cpu", "cuda") == "cpu"
    assert resolve_choice(None, "cuda") == "mps"
    monkeypatch.delenv("ATELIER_DEVICE")
    assert resolve_choice(None, "cuda") == "cuda"
    assert resolve_choice(None, None) == "auto"


def test_out_of_memory_on_gpu_reruns_on_cpu_with_notice():
    notices = []
    calls = []

    def work(device):
        calls.append(device.type)
        if device.type == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB")
        return "done"

    original = torch.cuda.empty_cache
    torch.cuda.empty_cache = lambda: None
    try:
        assert with_cpu_fallback(work, torch.device("cuda"), notices.append) == "done"
    finally:
        torch.cuda.empty_cache = original
    assert calls == ["cuda", "cpu"]
    assert notices and "ran out of memory" in notices[0]


def test_other_errors_are_not_swallowed():
    def work(device):
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        with_cpu_fallback(work, torch.device("cuda"), print)


@pytest.mark.gpu
def test_cuda_is_picked_and_named_when_present(monkeypatch):
    monkeypatch.delenv("ATELIER_DEVICE", raising=False)
    choice = pick_device("auto")
    assert choice.device.type == "cuda"
    assert "CUDA" in choice.description
