"""Which compute device the engines run on, and how to say it in words a user understands.

Auto picks CUDA, then Apple MPS, then the CPU. A choice made by the user wins when that device
exists, strongest first: `--device` on the command line, the `ATELIER_DEVICE` environment
variable, the Preferences setting. When the chosen device does not exist we use the CPU and say why.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import torch

CHOICES = ("auto", "cpu", "cuda", "mps")
ENVIRONMENT_VARIABLE = "ATELIER_DEVICE"

T = TypeVar("T")


@dataclass(frozen=True)
class DeviceChoice:
    device: torch.device
    description: str  # "NVIDIA RTX 4070 (CUDA 12.4)", "CPU, 2 threads — this torch build has no CUDA"
    notice: str = ""  # set when the user's choice could not be honoured


def cuda_unavailable_reason() -> str:
    if torch.version.cuda is None:
        return "this torch build has no CUDA"
    return "no NVIDIA GPU was found"


def mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> dict[str, bool]:
    """Each choice the user can make, and whether it works on this machine."""
    return {"auto": True, "cpu": True, "cuda": torch.cuda.is_available(), "mps": mps_available()}


def describe(device: torch.device) -> str:
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"{torch.cuda.get_device_name(index)} (CUDA {torch.version.cuda})"
    if device.type == "mps":
        return "Apple GPU (MPS)"
    threads = torch.get_num_threads()
    reason = cuda_unavailable_reason() if not torch.cuda.is_available() else "GPU not selected"
    return f"CPU, {threads} thread{'s' if threads != 1 else ''} — {reason}"


def resolve_choice(command_line: str | None = None, setting: str | None = None) -> str:
    """The choice in force: `--device`, else `ATELIER_DEVICE`, else the setting, else auto."""
    choice = command_line or os.environ.get(ENVIRONMENT_VARIABLE) or setting or "auto"
    return choice.strip().lower()


def pick_device(command_line: str | None = None, setting: str | None = None) -> DeviceChoice:
    """Pick the device for a choice such as "auto", "cpu", "cuda", "cuda:1" or "mps"."""
    choice = resolve_choice(command_line, setting)
    kind = choice.split(":")[0]
    if kind not in CHOICES:
        cpu = torch.device("cpu")
        return DeviceChoice(cpu, describe(cpu), f"Unknown device {choice!r}; using the CPU. Choose one of {', '.join(CHOICES)}.")
    available = available_devices()
    if kind == "auto":
        if available["cuda"]:
            device = torch.device("cuda")
        elif available["mps"]:
            device = torch.device("mps")
        else:
            device = torch.device("cpu")
        return DeviceChoice(device, describe(device))
    if not available[kind]:
        cpu = torch.device("cpu")
        why = cuda_unavailable_reason() if kind == "cuda" else "this machine has no Apple GPU"
        return DeviceChoice(cpu, describe(cpu), f"{kind.upper()} was chosen but {why}; using the CPU.")
    device = torch.device(choice)
    return DeviceChoice(device, describe(device))


def is_out_of_memory(error: BaseException) -> bool:
    if isinstance(error, torch.cuda.OutOfMemoryError):
        return True
    return isinstance(error, RuntimeError) and "out of memory" in str(error).lower()


def with_cpu_fallback(
    work: Callable[[torch.device], T],
    device: torch.device,
    notify: Callable[[str], None],
) -> T:
    """Run `work(device)`; if the GPU runs out of memory, tell the user and rerun on the CPU."""
    try:
        return work(device)
    except Exception as error:
        if device.type == "cpu" or not is_out_of_memory(error):
            raise
    if device.type == "cuda":
        torch.cuda.empty_cache()
    notify("The GPU ran out of memory; this job is running on the CPU instead (slower).")
    return work(torch.device("cpu"))


def device_report(command_line: str | None = None, setting: str | None = None) -> dict[str, object]:
    """Everything the app and `atelier info` show about the compute device, as plain data."""
    choice = pick_device(command_line, setting)
    return {
        "device": str(choice.device),
        "description": choice.description,
        "notice": choice.notice,
        "available": available_devices(),
        "torch_version": torch.__version__,
        "cuda_version": torch.version.cuda,
        "threads": torch.get_num_threads(),
    }
