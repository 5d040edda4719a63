"""Data-parallel training across processes: the same training job runs unchanged under `torchrun`.

Under `torchrun --nproc_per_node N` (which sets WORLD_SIZE, RANK and LOCAL_RANK) each process trains
on its own batches and DistributedDataParallel averages the gradients: NCCL between GPUs, gloo
between CPU processes. Process 0 alone writes checkpoints and reports previews. Outside torchrun
everything here is a no-op.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import NoReturn

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


@dataclass(frozen=True)
class DistributedContext:
    rank: int = 0
    world: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.world > 1


def in_torchrun() -> bool:
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def init_from_environment(device: torch.device) -> DistributedContext:
    """Join the process group that torchrun describes in the environment; single-process otherwise."""
    if not in_torchrun():
        return DistributedContext(device=device)
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return DistributedContext(rank=dist.get_rank(), world=dist.get_world_size(), device=device)


def wrap(module: nn.Module, context: DistributedContext) -> nn.Module:
    if not context.active:
        return module
    device_ids = [context.device.index] if context.device.type == "cuda" else None
    return DistributedDataParallel(module, device_ids=device_ids)


def all_agree(flag: bool, context: DistributedContext) -> bool:
    """True only when every process says True (so all stop at the same step)."""
    if not context.active:
        return flag
    value = torch.tensor(
        [1 if flag else 0], dtype=torch.int32, device=context.device if context.device.type == "cuda" else "cpu"
    )
    dist.all_reduce(value, op=dist.ReduceOp.MIN)
    return bool(value.item())


def barrier(context: DistributedContext) -> None:
    if context.active:
        dist.barrier()


def leave_process(code: int) -> NoReturn:
    """End a torchrun worker once its work is written, without the interpreter's shutdown.

    Gloo's threads outlive the job (DistributedDataParallel keeps the group alive even past
    `destroy_process_group`), and one that frees the last collective's tensors takes the GIL; if the
    interpreter is being torn down at that moment the thread is unwound from native code and the
    process aborts ("terminate called without an active exception") after its work was done.
    """
    if dist.is_initialized():
        dist.destroy_process_group()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
