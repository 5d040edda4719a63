"""The app's own Adam: torch.optim.Adam's numbers to the bit, without torch.optim's import of torch._dynamo."""

from __future__ import annotations

import sys
from unittest import mock

import pytest
import torch

from models.adam import Adam


def _run(make_optimiser, steps: int = 12) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    params = [
        torch.randn(5, 7, generator=generator).requires_grad_(),
        torch.randn(3, generator=generator).requires_grad_(),
    ]
    optimiser = make_optimiser([{"params": [params[0]], "lr": 0.05}, {"params": [params[1]], "lr": 0.3}])
    for step in range(steps):
        loss = (params[0].sin() * 3).pow(2).sum()
        if step % 3 != 1:  # a parameter with no gradient on some steps keeps its own step count
            loss = loss + (params[1] - 0.5).abs().sum() * 1.7
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
    return [param.detach() for param in params]


def test_the_same_numbers_as_torch_optim_adam():
    ours = _run(lambda groups: Adam(groups, betas=(0.9, 0.99)))
    theirs = _run(lambda groups: torch.optim.Adam(groups, betas=(0.9, 0.99)))
    for mine, reference in zip(ours, theirs, strict=True):
        assert torch.equal(mine, reference)


def test_it_needs_no_torch_dynamo():
    # torch.optim imports torch._dynamo on first use (+92 MB resident for the rest of the session); with the
    # module marked missing, torch.optim.Adam raises ImportError while this Adam runs
    with mock.patch.dict(sys.modules, {"torch._dynamo": None}):
        _run(lambda groups: Adam(groups, betas=(0.9, 0.99)), steps=2)
        with pytest.raises(ImportError):
            _run(lambda groups: torch.optim.Adam(groups, betas=(0.9, 0.99)), steps=2)
