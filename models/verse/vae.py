"""A sentence VAE (Bowman et al. 2016): a GRU encoder to a Gaussian latent code, a GRU decoder that
reads the code at every step. Trained with KL annealing and word dropout so the decoder cannot
ignore the code (a collapsed model, KL near zero, writes the same line whatever the code).

`train_text_vae(lines, ...)` is a job (Progress with the KL logged, Result(TextVAE)); `TextVAE`
encodes lines to codes and decodes codes to lines, and saves/loads through models.checkpoint.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from models.checkpoint import load_checkpoint, save_checkpoint
from models.jobs import Event, Progress, Result, check_cancelled

KIND = "text-vae"
PAD, UNK, BOS, EOS = 0, 1, 2, 3
SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]
_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*|[.,;:!?]")


def words_of(line: str) -> list[str]:
    return _WORD.findall(line.lower().replace("`", "'"))


def join_words(words: Sequence[str]) -> str:
    text = ""
    for word in words:
        if word in ".,;:!?" or not text:
            text += word
        else:
            text += " " + word
    text = re.sub(r"\bi\b", "I", text)
    return text[:1].upper() + text[1:]


class Vocabulary:
    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def build(cls, lines: Sequence[str], min_count: int = 2, max_size: int = 6000) -> Vocabulary:
        counts = Counter(w for line in lines for w in words_of(line))
        common = [w for w, n in counts.most_common(max_size) if n >= min_count]
        return cls(SPECIALS + sorted(common))

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, line: str) -> list[int]:
        return [self.index.get(w, UNK) for w in words_of(line)]

    def decode(self, ids: Sequence[int]) -> str:
        return join_words([self.words[i] for i in ids if i > EOS])


@dataclass(frozen=True)
class VAEConfig:
    vocab_size: int
    embed: int = 128
    hidden: int = 256
    latent: int = 32
    max_words: int = 20


class SentenceVAE(nn.Module):
    def __init__(self, config: VAEConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed, padding_idx=PAD)
        self.encoder = nn.GRU(config.embed, config.hidden, batch_first=True, bidirectional=True)
        self.to_mu = nn.Linear(2 * config.hidden, config.latent)
        self.to_logvar = nn.Linear(2 * config.hidden, config.latent)
        self.latent_to_hidden = nn.Linear(config.latent, config.hidden)
        self.decoder = nn.GRU(config.embed + config.latent, config.hidden, batch_first=True)
        self.output = nn.Linear(config.hidden, config.vocab_size)

    def encode(self, tokens: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        packed = nn.utils.rnn.pack_padded_sequence(
            self.embedding(tokens), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        _, hidden = self.encoder(packed)
        summary = torch.cat([hidden[0], hidden[1]], dim=-1)
        return self.to_mu(summary), self.to_logvar(summary)

    def decode_logits(self, z: torch.Tensor, inputs: torch.Tensor) -> torch.Tensor:
        hidden = torch.tanh(self.latent_to_hidden(z)).unsqueeze(0)
        steps = inputs.shape[1]
        x = torch.cat([self.embedding(inputs), z.unsqueeze(1).expand(-1, steps, -1)], dim=-1)
        out, _ = self.decoder(x, hidden)
        return self.output(out)

    @torch.no_grad()
    def generate(
        self,
        z: torch.Tensor,
        temperature: float = 0.0,
        generator: torch.Generator | None = None,
        banned: Sequence[int] = (UNK,),
    ) -> list[list[int]]:
        """Decode each code to word ids (greedy at temperature 0, else sampled), stopping at <eos>."""
        batch = z.shape[0]
        hidden = torch.tanh(self.latent_to_hidden(z)).unsqueeze(0)
        token = torch.full((batch, 1), BOS, dtype=torch.long, device=z.device)
        result: list[list[int]] = [[] for _ in range(batch)]
        done = torch.zeros(batch, dtype=torch.bool)
        for _ in range(self.config.max_words + 1):
            x = torch.cat([self.embedding(token), z.unsqueeze(1)], dim=-1)
            out, hidden = self.decoder(x, hidden)
            logits = self.output(out[:, -1]).float()
            for b in banned:
                logits[:, b] = float("-inf")
            if temperature > 0:
                probabilities = torch.softmax(logits / temperature, dim=-1).cpu()
                chosen = torch.multinomial(probabilities, 1, generator=generator).squeeze(1)
            else:
                chosen = logits.argmax(-1).cpu()
            for i, t in enumerate(chosen.tolist()):
                if not done[i]:
                    if t == EOS:
                        done[i] = True
                    else:
                        result[i].append(t)
            if bool(done.all()):
                break
            token = chosen.view(batch, 1).to(z.device)
        return result


def batch_tensors(
    encoded: Sequence[Sequence[int]], max_words: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Encoder input and lengths, decoder input (<bos> + words) and decoder target (words + <eos>), padded."""
    rows = [list(e[:max_words]) or [UNK] for e in encoded]
    width = max(len(r) for r in rows) + 1
    source = torch.full((len(rows), width - 1), PAD, dtype=torch.long)
    inputs = torch.full((len(rows), width), PAD, dtype=torch.long)
    targets = torch.full((len(rows), width), PAD, dtype=torch.long)
    lengths = torch.tensor([len(r) for r in rows])
    for i, r in enumerate(rows):
        words = torch.tensor(r, dtype=torch.long)
        source[i, : len(r)] = words
        inputs[i, 0] = BOS
        inputs[i, 1 : len(r) + 1] = words
        targets[i, : len(r)] = words
        targets[i, len(r)] = EOS
    return source, lengths, inputs, targets


def is_held_out(line: str, every: int = 20) -> bool:
    """A fixed 1-in-`every` split by content, so training and the benchmark agree on the held-out lines."""
    return zlib.crc32(line.strip().lower().encode("utf-8")) % every == 0


def vae_loss(
    model: SentenceVAE,
    source,
    lengths,
    inputs,
    targets,
    word_dropout: float,
    generator: torch.Generator | None = None,
    free_bits: float = 0.0,
):
    """Reconstruction (summed per sentence), KL per sentence, and the KL term to optimise, averaged over the batch.

    With `free_bits` > 0 each latent dimension's batch-mean KL counts as at least that many nats
    (Kingma et al. 2016), so the optimiser gains nothing by closing the code below it.
    """
    mu, logvar = model.encode(source, lengths)
    noise = torch.randn(mu.shape, generator=generator).to(mu.device) if generator is not None else torch.randn_like(mu)
    z = mu + noise * torch.exp(0.5 * logvar)
    if word_dropout > 0:
        drop = torch.rand(inputs.shape, generator=generator).to(inputs.device) < word_dropout
        drop &= (inputs != BOS) & (inputs != PAD)
        inputs = inputs.masked_fill(drop, UNK)
    logits = model.decode_logits(z, inputs)
    reconstruction = (
        F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=PAD, reduction="sum") / source.shape[0]
    )
    kl_per_dimension = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).mean(dim=0)
    kl = kl_per_dimension.sum()
    kl_term = kl_per_dimension.clamp_min(free_bits).sum() if free_bits > 0 else kl
    return reconstruction, kl, kl_term


def kl_weight(step: int, total_steps: int, warmup_fraction: float = 0.4) -> float:
    """Logistic KL annealing from ~0 to 1 over the first `warmup_fraction` of training."""
    middle = total_steps * warmup_fraction / 2
    steepness = 10.0 / max(total_steps * warmup_fraction, 1)
    return float(1.0 / (1.0 + math.exp(-steepness * (step - middle))))


class TextVAE:
    """A trained sentence VAE with its vocabulary: lines to codes and back."""

    def __init__(self, model: SentenceVAE, vocabulary: Vocabulary, metadata: dict | None = None) -> None:
        self.model = model.eval()
        self.vocabulary = vocabulary
        self.metadata = metadata or {}

    @property
    def latent_size(self) -> int:
        return self.model.config.latent

    @torch.no_grad()
    def encode(self, lines: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of each line's code."""
        encoded = [self.vocabulary.encode(line) for line in lines]
        source, lengths, _, _ = batch_tensors(encoded, self.model.config.max_words)
        return self.model.encode(source, lengths)

    def decode(self, z: torch.Tensor, temperature: float = 0.0, generator: torch.Generator | None = None) -> list[str]:
        return [self.vocabulary.decode(ids) for ids in self.model.generate(z, temperature, generator)]

    def save(self, path: str | os.PathLike, training: dict | None = None) -> None:
        save_checkpoint(
            path,
            {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()},
            kind=KIND,
            hyperparameters=asdict(self.model.config),
            training=training or {},
            extra={"vocabulary": self.vocabulary.words},
        )

    @classmethod
    def load(cls, path: str | os.PathLike) -> TextVAE:
        checkpoint = load_checkpoint(path, kind=KIND)
        config = VAEConfig(**checkpoint.hyperparameters)
        model = SentenceVAE(config)
        model.load_state_dict(checkpoint.tensors)
        return cls(model, Vocabulary(checkpoint.metadata["vocabulary"]), checkpoint.metadata)


def train_text_vae(
    lines: Sequence[str],
    epochs: int = 30,
    batch_size: int = 64,
    learning_rate: float = 2e-3,
    word_dropout: float = 0.4,
    free_bits: float = 0.0,
    seed: int = 0,
    config: VAEConfig | None = None,
    min_count: int = 2,
    cancel: threading.Event | None = None,
) -> Iterator[Event]:
    """A job: train a TextVAE on `lines`. Progress messages carry the reconstruction loss and KL per sentence."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    vocabulary = Vocabulary.build(lines, min_count=min_count)
    config = config or VAEConfig(vocab_size=len(vocabulary))
    if config.vocab_size != len(vocabulary):
        config = VAEConfig(**(asdict(config) | {"vocab_size": len(vocabulary)}))
    encoded = [e for e in (vocabulary.encode(line) for line in lines) if e]
    model = SentenceVAE(config)
    optimiser = torch.optim.Adam(model.parameters(), lr=learning_rate)
    steps_per_epoch = max(1, math.ceil(len(encoded) / batch_size))
    total = epochs * steps_per_epoch
    step = 0
    history = []
    start = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(len(encoded), generator=generator).tolist()
        sums = {"reconstruction": 0.0, "kl": 0.0, "n": 0}
        model.train()
        for first in range(0, len(order), batch_size):
            check_cancelled(cancel)
            batch = [encoded[i] for i in order[first : first + batch_size]]
            source, lengths, inputs, targets = batch_tensors(batch, config.max_words)
            reconstruction, kl, kl_term = vae_loss(
                model, source, lengths, inputs, targets, word_dropout, generator, free_bits
            )
            weight = kl_weight(step, total)
            optimiser.zero_grad()
            (reconstruction + weight * kl_term).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            step += 1
            sums["reconstruction"] += reconstruction.item() * len(batch)
            sums["kl"] += kl.item() * len(batch)
            sums["n"] += len(batch)
        record = {
            "epoch": epoch + 1,
            "reconstruction": sums["reconstruction"] / sums["n"],
            "kl": sums["kl"] / sums["n"],
            "kl_weight": kl_weight(step, total),
            "seconds": time.perf_counter() - start,
        }
        history.append(record)
        yield Progress(
            (epoch + 1) / epochs,
            f"epoch {epoch + 1}/{epochs}: reconstruction {record['reconstruction']:.2f}, KL {record['kl']:.2f} nats/sentence (weight {record['kl_weight']:.2f})",
        )
    trained = TextVAE(model, vocabulary, {"history": history})
    yield Result(trained)
