"""Choosing the next token: greedy at temperature 0, otherwise temperature + top-p (nucleus) with a seeded generator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class SamplingSettings:
    temperature: float = 0.7  # 0 means greedy
    top_p: float = 0.9
    top_k: int = 0  # 0 means no top-k cut
    repetition_penalty: float = 1.1  # >1 discourages tokens already in the answer; 1 turns it off
    max_new_tokens: int = 256
    seed: int | None = None  # None: a fresh seed each time (the reply records which)

    def validated(self) -> SamplingSettings:
        if self.temperature < 0:
            raise ValueError("temperature must be 0 or more")
        if not 0 < self.top_p <= 1:
            raise ValueError("top-p must be in (0, 1]")
        if self.max_new_tokens < 1:
            raise ValueError("max length must be at least one token")
        if self.repetition_penalty <= 0:
            raise ValueError("repetition penalty must be positive")
        return self


PRESETS: dict[str, SamplingSettings] = {
    "precise": SamplingSettings(temperature=0.0, top_p=1.0, repetition_penalty=1.1),
    "balanced": SamplingSettings(temperature=0.7, top_p=0.9, repetition_penalty=1.1),
    "creative": SamplingSettings(temperature=1.0, top_p=0.95, repetition_penalty=1.05),
}


def apply_repetition_penalty(logits: torch.Tensor, previous: Sequence[int], penalty: float) -> torch.Tensor:
    """CTRL's penalty: divide positive logits (multiply negative ones) of tokens already produced."""
    if penalty == 1.0 or not previous:
        return logits
    index = torch.tensor(sorted(set(previous)), dtype=torch.long, device=logits.device)
    chosen = logits[index]
    logits = logits.clone()
    logits[index] = torch.where(chosen > 0, chosen / penalty, chosen * penalty)
    return logits


def choose_next_token(
    logits: torch.Tensor,
    settings: SamplingSettings,
    generator: torch.Generator | None = None,
    previous: Sequence[int] = (),
) -> int:
    """The next token id from one row of logits."""
    logits = apply_repetition_penalty(logits.float(), previous, settings.repetition_penalty)
    if settings.temperature == 0:
        return int(torch.argmax(logits))
    logits = logits / settings.temperature
    if settings.top_k > 0:
        kth = torch.topk(logits, min(settings.top_k, logits.numel())).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probabilities = torch.softmax(logits, dim=-1)
    if settings.top_p < 1.0:
        sorted_p, order = torch.sort(probabilities, descending=True)
        before = torch.cumsum(sorted_p, dim=-1) - sorted_p
        sorted_p = sorted_p.masked_fill(before >= settings.top_p, 0.0)  # keep the smallest set reaching top_p
        choice = torch.multinomial(sorted_p.cpu(), 1, generator=generator)
        return int(order[choice.to(order.device)])
    return int(torch.multinomial(probabilities.cpu(), 1, generator=generator))
