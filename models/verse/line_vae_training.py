"""The line VAE's training objective: reconstruction through the frozen chat model's top layers, the KL with
free bits, and the bag of words that makes the code name the line's words (build_scripts/train_line_vae.py)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from models.verse.line_vae import LineCoder
from models.verse.lm_decoder import DecodeState, FrozenLM


def kl_weight(step: int, autoencoder_steps: int, warmup_steps: int, final: float) -> float:
    """0 while the code learns to carry the line (the frozen model gives it nothing to lean on otherwise),
    then rising linearly to `final`. It goes by the step, which a resumed run keeps: no second warm-up."""
    return final * min(1.0, max(0, step - autoencoder_steps) / max(warmup_steps, 1))


def learning_rate(seconds: float, total_seconds: float, first: float, final: float, resumed_at: float = 0.0) -> float:
    """Falls linearly from `first` to `final` between `resumed_at` and `total_seconds` of training. A run
    resumed for longer passes the rate it had reached as `first` and the time it had trained as `resumed_at`,
    so the rate carries on falling from there instead of jumping back up to the start's."""
    span = max(total_seconds - resumed_at, 1e-9)
    return first + (final - first) * min(1.0, max(0.0, seconds - resumed_at) / span)


def kl_per_dimension(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(q(z|x) || N(0, I)) for each row and dimension, in nats."""
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp())


def training_loss(
    coder: LineCoder,
    lm: FrozenLM,
    features: torch.Tensor,
    lengths: torch.Tensor,
    start_features: torch.Tensor,
    targets: torch.Tensor,
    past: DecodeState,
    start_position: int,
    vocabulary: torch.Tensor,
    free_bits: float,
    generator: torch.Generator | None = None,
    embedded: torch.Tensor | None = None,
    bag_sharpness: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Reconstruction (summed per line), KL per line, the free-bits KL term and the bag-of-words loss, averaged
    over the batch.

    `features` (batch, tokens, dim): the lower layers' states of each line's tokens (cached); `embedded`: the
    line's input embeddings (for a coder that reads them); `start_features` (dim,): the lower layers' state of
    the preamble's last token; `targets` (batch, tokens + 1) in `vocabulary`'s indices, -100 past the end. The
    softmax runs over `vocabulary` (the corpus's tokens) only: the whole 49,152-row output matrix would cost as
    much as the top layers themselves.

    The bag of words (Zhao et al. 2017): the line's words from the code's word vector alone, one softmax over
    `vocabulary` of the word scores times `bag_sharpness` (a learned scale, so this loss sets the vector's
    direction and the reconstruction its length). It makes the code name the line's words outright; trained
    on the reconstruction alone, the code leans on the frozen model's likeliest path and names few of them.
    Zero without a word bias or without `bag_sharpness`.
    """
    mu, logvar = coder.encode(features, lengths, embedded)
    noise = torch.randn(mu.shape, generator=generator)
    z = mu + noise * torch.exp(0.5 * logvar)
    memory = coder.memory(z)
    batch = features.shape[0]
    x = torch.cat([start_features.view(1, 1, -1).expand(batch, 1, -1), features], dim=1)
    first = lm.n_layers - coder.config.memory_layers
    hidden = lm.layers(x, start_position, first, lm.n_layers, memory=memory, past=past)
    logits = lm.logits(hidden, vocabulary)
    words = coder.word_scores(z, lm.runner.lm_head.weight[vocabulary])
    bag = torch.zeros(())
    if words is not None:
        logits = logits + words.unsqueeze(1)
        if bag_sharpness is not None:
            bag = bag_of_words(words * bag_sharpness, targets, lengths)
    reconstruction = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=-100, reduction="sum") / batch
    per_dimension = kl_per_dimension(mu, logvar).mean(0)
    return reconstruction, per_dimension.sum(), per_dimension.clamp_min(free_bits).sum(), bag


def bag_of_words(scores: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Mean over lines of the summed negative log-probability of each distinct word of the line (not its end)
    under one softmax of `scores` (batch, words); `targets` (batch, positions) are word indices."""
    steps = torch.arange(targets.shape[1])
    said = (steps.unsqueeze(0) < lengths.unsqueeze(1)) & (targets >= 0)
    bag = torch.zeros_like(scores).scatter_add_(1, targets.clamp_min(0), said.to(scores.dtype)).clamp_max(1.0)
    return -(torch.log_softmax(scores, dim=-1) * bag).sum(1).mean()
