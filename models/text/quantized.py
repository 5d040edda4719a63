"""Weight-only quantized matrix products for the CPU runner ("int4" weights mode).

GGUF's Q4_1 stores each block of 32 weights as w = d * q + m with q in 0..15. torch's CPU int4
kernel computes w = (q - 8) * scale + zero per group of 32, so a Q4_1 matrix maps onto it with
scale = d and zero = m + 8 d (rounded to bfloat16, the kernel's activation type). The tied output
matrix (Q8_0 in the file) is re-quantized per row to int8. Both kernels read 4-8x fewer bytes than
float32, which is what decoding one token at a time is bound by.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from models.memory import give_back_freed_memory

Q4_1_BLOCK = 32
Q4_1_BYTES = 20  # float16 d, float16 m, 16 bytes of nibbles
Q8_0_BYTES = 34  # float16 scale, 32 int8 values


def unpack_q4_1(raw: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Q4_1 bytes (rows, blocks*20) -> codes (rows, cols) int32 in 0..15, d and m (rows, blocks) float32."""
    rows = raw.shape[0]
    blocks = raw.reshape(rows, -1, Q4_1_BYTES)
    n_blocks = blocks.shape[1]
    d = blocks[:, :, 0:2].copy().view(np.float16)[..., 0].astype(np.float32)
    m = blocks[:, :, 2:4].copy().view(np.float16)[..., 0].astype(np.float32)
    nibbles = blocks[:, :, 4:]
    # within a block, the low nibbles are elements 0..15 and the high nibbles 16..31
    codes = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).reshape(rows, n_blocks * Q4_1_BLOCK)
    return torch.from_numpy(codes.astype(np.int32)), torch.from_numpy(d), torch.from_numpy(m)


def dequantize_q4_1(codes: torch.Tensor, d: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    rows, cols = codes.shape
    blocks = codes.view(rows, cols // Q4_1_BLOCK, Q4_1_BLOCK).float()
    return (blocks * d.unsqueeze(-1) + m.unsqueeze(-1)).view(rows, cols)


def int4_kernel_available() -> bool:
    ops = torch.ops.aten
    return hasattr(ops, "_weight_int4pack_mm_for_cpu") and hasattr(ops, "_convert_weight_to_int4pack_for_cpu")


class Int4Linear:
    """y = x W^T with W kept as packed Q4_1 codes; x is cast to bfloat16 for the kernel, y back to x's type."""

    def __init__(self, codes: torch.Tensor, d: torch.Tensor, m: torch.Tensor) -> None:
        self.out_features, self.in_features = codes.shape
        self.packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes.to(torch.int32).contiguous(), 1)
        scales_and_zeros = torch.stack([d.t(), (m + 8 * d).t()], dim=-1)  # (groups, out, 2)
        self.scales_and_zeros = scales_and_zeros.to(torch.bfloat16).contiguous()

    def __call__(self, x: torch.Tensor, cast_back: bool = True) -> torch.Tensor:
        """`cast_back=False` leaves y in bfloat16 (for a sum with x, which promotes it exactly)."""
        y = torch.ops.aten._weight_int4pack_mm_for_cpu(
            x.to(torch.bfloat16), self.packed, Q4_1_BLOCK, self.scales_and_zeros
        )
        return y.to(x.dtype) if cast_back else y


class Q8Rows:
    """A matrix left in the file as GGUF Q8_0 blocks (float16 scale + 32 int8 values): rows are decoded when
    asked for, exactly as the file's float32 values. The embedding stays memory-mapped this way, and the file's
    pages are let go once the rows are read: each row mapped in a large piece of the file around it (10 MB
    after a one-line answer), and a long conversation would have mapped it all (30 MB)."""

    def __init__(self, blocks: np.ndarray, drop_pages: Callable[[], None] | None = None) -> None:
        self.blocks = blocks  # (rows, blocks * 34) uint8, usually a view of the mapped file
        self.drop_pages = drop_pages or (lambda: None)  # after rows are read (one madvise call, microseconds)

    @property
    def shape(self) -> tuple[int, int]:
        return self.blocks.shape[0], self.blocks.shape[1] // Q8_0_BYTES * Q4_1_BLOCK

    def rows(self, ids: torch.Tensor) -> torch.Tensor:
        index = ids.reshape(-1).cpu().numpy()
        raw = self.blocks[index].reshape(len(index), -1, Q8_0_BYTES)  # a copy: the file's pages can go
        self.drop_pages()
        scales = torch.from_numpy(raw[:, :, 0:2].copy().view(np.float16).astype(np.float32))
        values = torch.from_numpy(raw[:, :, 2:].copy().view(np.int8)).float()
        return (values * scales).reshape(*ids.shape, self.shape[1])

    def dense(self) -> torch.Tensor:
        return self.rows(torch.arange(self.blocks.shape[0]))


class Int8Linear:
    """y = x W^T with W re-quantized to int8 with one scale per output row."""

    def __init__(self, weight: torch.Tensor | Q8Rows, chunk: int = 1024) -> None:
        # row blocks at a time: a float32 copy of a 49,152-row output matrix would double the load's peak
        rows = weight.shape[0]
        self.weight = torch.empty(weight.shape, dtype=torch.int8)
        scales = torch.empty(rows)
        for first in range(0, rows, chunk):
            end = min(first + chunk, rows)
            if isinstance(weight, Q8Rows):
                block = weight.rows(torch.arange(first, end))
            else:
                block = weight[first:end].to(torch.float32, copy=True)  # scaled in place below: never the caller's
            scale = block.abs().amax(dim=1).clamp_min(1e-12) / 127.0
            # in place, into a slice: the same numbers at half the cost (the first message waits for this)
            self.weight[first:end] = block.div_(scale.unsqueeze(1)).round_().clamp_(-127, 127)
            scales[first:end] = scale
            del block, scale
            give_back_freed_memory()  # the row block just scaled; an all-float32 copy would double the peak
        self.scale = scales.to(torch.bfloat16)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten._weight_int8pack_mm(x.to(torch.bfloat16), self.weight, self.scale).to(x.dtype)


class DenseLinear:
    def __init__(self, weight: torch.Tensor) -> None:
        self.weight = weight

    def __call__(self, x: torch.Tensor, cast_back: bool = True) -> torch.Tensor:
        return F.linear(x, self.weight)  # already in x's type
