"""Adam, written out for the app's own optimisation loops (Best quality's strokes).

Constructing `torch.optim.Adam` imports `torch._dynamo` (torch.optim's methods are wrapped to keep the
compiler out), about 800 modules: the app's resident size rose by about 90 MB the first time Best quality
reached its optimiser, and stayed there. This is the same update as torch's single-tensor path on the CPU
(no weight decay, no amsgrad), step for step in the same operations, so the numbers are the same to the bit
(tests/test_adam.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


class Adam:
    """`groups`: dicts with "params" (tensors that require grad) and "lr", as torch.optim's param groups."""

    def __init__(self, groups: Iterable[dict], betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        self.groups = [(list(group["params"]), float(group["lr"])) for group in groups]
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.state: dict[int, tuple[torch.Tensor, torch.Tensor, list[int]]] = {}  # moments and step count

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Gradients are set to None (torch's default; the only way here)."""
        for params, _ in self.groups:
            for param in params:
                param.grad = None

    @torch.no_grad()
    def step(self) -> None:
        beta1, beta2 = self.beta1, self.beta2
        for params, lr in self.groups:
            for param in params:
                if param.grad is None:
                    continue
                if id(param) not in self.state:
                    zeros = torch.zeros_like(param, memory_format=torch.preserve_format)
                    self.state[id(param)] = (zeros, zeros.clone(), [0])
                exp_avg, exp_avg_sq, count = self.state[id(param)]
                count[0] += 1
                grad = param.grad
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                step = float(count[0])  # torch counts in a float32 tensor and reads it back: exact integers
                step_size = lr / (1 - beta1**step)
                denom = (exp_avg_sq.sqrt() / (1 - beta2**step) ** 0.5).add_(self.eps)
                param.addcdiv_(exp_avg, denom, value=-step_size)
