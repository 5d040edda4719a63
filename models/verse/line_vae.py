"""A sentence VAE whose decoder is the frozen chat model (after Optimus, Li et al. 2020).

An encoder maps a line to a Gaussian code; the code becomes a small memory (key/value slots) that the
chat model's top layers attend to while it writes the line. Only the encoder and the code-to-memory map
are trained; the chat model keeps its fluency. The encoder reads the chat model's own hidden states of
the line at the first memory layer (the frozen lower layers are the encoder's trunk), so a training set
is read by the lower layers once and cached (`line_features`). It reads the line's input embeddings too
(their mean: which words, before any layer has mixed them), and the code names the line's words outright
through a word bias, trained with a bag-of-words loss (line_vae_training.py).

    vae = LineVAE.load()                               # resources/text/line-vae.safetensors
    codes = vae.encode(["The sea is calm tonight."])    # (1, latent) means
    vae.decode(codes, temperature=0.0)                  # -> ["The sea is calm tonight."]-ish
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn

from models.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from models.verse.end_words import needs_a_word_after
from models.verse.lm_decoder import DecodeState, FrozenLM, RowsState
from models.verse.pronounce import words_in
from models.verse.word_join import Spelling

KIND = "line-vae"
PREAMBLE = "<|im_start|>user\nWrite one line of verse.<|im_end|>\n<|im_start|>assistant\n"
END = "<|im_end|>"


@dataclass(frozen=True)
class LineVAEConfig:
    dim: int = 576  # the chat model's width
    kv_dim: int = 192  # its key/value width (kv heads x head dim)
    head_dim: int = 64
    memory_layers: int = 8  # the top layers that attend to the memory (and the encoder reads below them)
    slots: int = 4  # key/value slots per memory layer
    latent: int = 32
    hidden: int = 512
    memory_hidden: int = 512  # the code-to-memory map's width: its output layer is this x the memory's size
    word_bias: bool = False  # the code also adds a bias to the chat model's word scores (see `LineCoder.words`)
    reads_embeddings: bool = False  # the encoder also reads the mean of the line's input embeddings


class LineCoder(nn.Module):
    """The trained part: line features -> (mu, logvar); code -> memory slots for the top layers."""

    def __init__(self, config: LineVAEConfig) -> None:
        super().__init__()
        self.config = config
        self.norm = nn.LayerNorm(2 * config.dim)
        # The layer-24 states name few of a line's words (a 32-number probe read from them finds 11% of a held-out
        # line's content words, from the input embeddings' mean 20%; bench/line_code_words.py): read both.
        self.embedding_norm = nn.LayerNorm(config.dim) if config.reads_embeddings else None
        inputs = (3 if config.reads_embeddings else 2) * config.dim
        self.encoder = nn.Sequential(
            nn.Linear(inputs, config.hidden), nn.GELU(), nn.Linear(config.hidden, 2 * config.latent)
        )
        out = config.memory_layers * 2 * config.slots * config.kv_dim
        self.to_memory = nn.Sequential(
            nn.Linear(config.latent, config.memory_hidden), nn.GELU(), nn.Linear(config.memory_hidden, out)
        )
        last = cast(nn.Linear, self.to_memory[2])
        nn.init.normal_(last.weight, std=0.02)
        nn.init.zeros_(last.bias)
        # The code's words: a vector in the chat model's output space whose scores (its dot product with each
        # word's embedding) are added to every position's. The memory steers what the model attends to; this
        # names the words outright, and a word unseen in training still has its embedding to be pointed at.
        self.words: nn.Sequential | None = None
        if config.word_bias:
            self.words = nn.Sequential(
                nn.Linear(config.latent, config.hidden), nn.GELU(), nn.Linear(config.hidden, config.dim)
            )
            nn.init.zeros_(cast(nn.Linear, self.words[2]).weight)
            nn.init.zeros_(cast(nn.Linear, self.words[2]).bias)

    def encode(
        self, features: torch.Tensor, lengths: torch.Tensor, embedded: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """features (batch, tokens, dim) right-padded: mean over the line and its last token's state; with
        `reads_embeddings`, `embedded` (batch, tokens, dim), the line's input embeddings padded alike: their mean."""
        steps = torch.arange(features.shape[1], device=features.device)
        valid = (steps.unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(-1).to(features.dtype)
        count = lengths.clamp_min(1).unsqueeze(1).to(features.dtype)
        mean = (features * valid).sum(1) / count
        last = features[torch.arange(features.shape[0]), (lengths - 1).clamp_min(0)]
        inputs = self.norm(torch.cat([mean, last], dim=-1))
        if self.embedding_norm is not None:
            if embedded is None:
                raise ValueError("this line coder reads the line's input embeddings: pass `embedded`")
            words = (embedded[:, : features.shape[1]].to(features.dtype) * valid).sum(1) / count
            inputs = torch.cat([inputs, self.embedding_norm(words)], dim=-1)
        mu, logvar = self.encoder(inputs).chunk(2, dim=-1)
        return mu, logvar.clamp(-8.0, 4.0)

    def memory(self, z: torch.Tensor) -> torch.Tensor:
        """(batch, memory layers, 2, kv heads, slots, head dim) keys and values."""
        c = self.config
        heads = c.kv_dim // c.head_dim
        m = self.to_memory(z).view(z.shape[0], c.memory_layers, 2, c.slots, heads, c.head_dim)
        return m.transpose(3, 4)

    def word_scores(self, z: torch.Tensor, embeddings: torch.Tensor) -> torch.Tensor | None:
        """(batch, words) added to the chat model's scores of the words whose embeddings are given; None
        without a word bias."""
        return None if self.words is None else F.linear(self.words(z), embeddings)


class LineVAE:
    """The trained coder with the frozen chat model it steers: lines to codes and codes to lines."""

    def __init__(
        self,
        coder: LineCoder,
        lm: FrozenLM,
        tokenizer,
        metadata: dict | None = None,
        vocabulary: torch.Tensor | None = None,
    ) -> None:
        self.coder = coder.eval()
        # The words it was trained to choose among (its softmax ran over the corpus's tokens): decoding keeps
        # to them, so a strong steer cannot reach tokens it never learned to hold back ("FF%||FF", "linewidth").
        self.vocabulary = vocabulary
        self._outside: torch.Tensor | None = None
        self.lm = lm
        self.tokenizer = tokenizer
        self.metadata = metadata or {}
        self.preamble = tokenizer.encode(PREAMBLE)
        self.end_id = tokenizer.token_to_id[END]
        self._preamble_state: DecodeState | None = None

    @property
    def latent_size(self) -> int:
        return self.coder.config.latent

    @property
    def first_memory_layer(self) -> int:
        return self.lm.n_layers - self.coder.config.memory_layers

    # -- lines to codes ---------------------------------------------------------------------------
    def preamble_state(self) -> DecodeState:
        """Every layer's keys/values for the preamble but its last token (which, like the line, sees the memory)."""
        if self._preamble_state is None:
            self._preamble_state = self.lm.start(self.preamble[:-1])
        return self._preamble_state

    def tokens(self, line: str) -> list[int]:
        return self.tokenizer.encode(" ".join(line.split()), allow_control=False)[:48] or [self.end_id]

    @torch.inference_mode()
    def lower_states(self, lines: list[list[int]]) -> torch.Tensor:
        """The frozen lower layers' hidden states of the preamble's last token and each line's tokens."""
        state = self.preamble_state()
        width = max(len(ids) for ids in lines)
        ids = torch.full((len(lines), width + 1), self.end_id, dtype=torch.long)
        ids[:, 0] = self.preamble[-1]
        for row, line in enumerate(lines):
            ids[row, 1 : len(line) + 1] = torch.tensor(line)
        return self.lm.layers(self.lm.embed(ids), state.position, 0, self.first_memory_layer, past=state)

    def line_features(self, lines: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """The lower layers' states of each line's tokens (what the encoder reads), and the lines' lengths."""
        return self.lower_states(lines)[:, 1:].float(), torch.tensor([len(line) for line in lines])

    @torch.no_grad()
    def line_embeddings(self, lines: list[list[int]]) -> torch.Tensor:
        """(batch, tokens, dim): each line's input embeddings, right-padded (the encoder reads their mean)."""
        ids = torch.full((len(lines), max(len(ids) for ids in lines)), self.end_id, dtype=torch.long)
        for row, line in enumerate(lines):
            ids[row, : len(line)] = torch.tensor(line)
        return self.lm.embed(ids).float()

    def encode(self, lines: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and log-variance of each line's code."""
        ids = [self.tokens(line) for line in lines]
        features, lengths = self.line_features(ids)
        embedded = self.line_embeddings(ids) if self.coder.config.reads_embeddings else None
        with torch.no_grad():
            return self.coder.encode(features, lengths, embedded)

    @torch.inference_mode()
    def nll(self, lines: list[str], z: torch.Tensor) -> torch.Tensor:
        """Each line's negative log-likelihood in nats (its end included) under the chat model steered by
        its code in `z`: how well a code explains a line (its own code against another's: what it carries)."""
        ids = [self.tokens(line) for line in lines]
        state = self.preamble_state()
        top = self.lm.layers(
            self.lower_states(ids), state.position, self.first_memory_layer, self.lm.n_layers, self.memory(z), state
        )
        targets = torch.full(top.shape[:2], -100, dtype=torch.long)
        for row, line in enumerate(ids):
            targets[row, : len(line) + 1] = torch.tensor([*line, self.end_id])
        logits = self.lm.logits(top) + self.word_bias(z).unsqueeze(1)
        return F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=-100, reduction="none").sum(1)

    @torch.no_grad()
    def memory(self, z: torch.Tensor) -> torch.Tensor:
        return self.coder.memory(z.float()).to(self.lm.runner.dtype)

    @torch.no_grad()
    def word_vector(self, z: torch.Tensor) -> torch.Tensor | None:
        """(batch, dim): the code's words as a vector in the chat model's output space (None without a word bias)."""
        return None if self.coder.words is None else self.coder.words(z.float())

    def scores(self, vector: torch.Tensor | None, rows: int) -> torch.Tensor:
        """(rows, vocabulary) added to the chat model's scores: each word's embedding dotted with the vector."""
        if vector is None:
            return torch.zeros((rows, self.lm.config.vocab_size))
        return self.lm.runner.lm_head(vector.to(self.lm.runner.dtype)).float()

    def word_bias(self, z: torch.Tensor) -> torch.Tensor:
        """(batch, vocabulary) added to the chat model's scores at every position (zeros without a word bias)."""
        return self.scores(self.word_vector(z), z.shape[0])

    # -- codes to lines ---------------------------------------------------------------------------
    def outside(self) -> torch.Tensor:
        """(vocabulary,) 0 for the words decoding may choose, -inf for the others (all 0 without a vocabulary)."""
        if self._outside is None:
            self._outside = torch.zeros(self.lm.config.vocab_size)
            if self.vocabulary is not None:
                self._outside.fill_(float("-inf"))
                self._outside[self.vocabulary.long()] = 0.0
        return self._outside

    def begin(self, z: torch.Tensor) -> tuple[RowsState, torch.Tensor, torch.Tensor]:
        """Start decoding one line per code: (state, memory, logits of each line's first token, bias unadded)."""
        memory = self.memory(z)
        state = self.lm.rows(self.preamble_state())
        logits = self.lm.step(state, torch.full((z.shape[0],), self.preamble[-1]), memory)
        return state, memory, logits

    @torch.inference_mode()
    def decode(
        self,
        z: torch.Tensor,
        temperature: float = 0.0,
        generator: torch.Generator | None = None,
        max_tokens: int = 24,  # the training lines have at most 18 tokens
        spend: bool = True,
        word_weight: float = 1.0,
        known_words: bool = True,
    ) -> list[str]:
        """One line per code: greedy at temperature 0, else sampled (top-p 0.9), the code's word bias
        weighted by `word_weight` (as trained: 1.0; the bench tries others).

        With `spend`, a word once said loses the favour of the code's word bias, and so do its near kin
        ("ocean" / "oceans"): the word vector's component along the said word's embedding is taken out. The
        bias is a bag of words, the same at every position; kept whole, it says "night's night's night".
        With `known_words`, word pieces join only into words the dictionary or the corpus knows (word_join.py)."""
        state, memory, logits = self.begin(z)
        vector = self.word_vector(z)
        if vector is not None:
            vector = vector * word_weight
        bias = self.scores(vector, z.shape[0]) + self.outside()
        logits = logits + bias
        batch = z.shape[0]
        produced: list[list[int]] = [[] for _ in range(batch)]
        done = torch.zeros(batch, dtype=torch.bool)
        spelling = Spelling.shared(self.tokenizer) if known_words else None
        for _ in range(max_tokens):
            for row, ids in enumerate(produced):
                logits[row, list(repeating(ids))] = float("-inf")
            if spelling is None:
                chosen = sample_rows(logits, temperature, generator)
            else:
                chosen = spelling.choose(logits, produced, lambda scores: sample_rows(scores, temperature, generator))
            for row, token in enumerate(chosen.tolist()):
                if not done[row]:
                    if token == self.end_id or token in self.tokenizer.control_ids:
                        done[row] = True
                    else:
                        produced[row].append(token)
            if bool(done.all()):
                break
            if spend and vector is not None:
                said = F.normalize(self.lm.runner.embed(chosen).float(), dim=-1)
                vector = vector - (vector * said).sum(-1, keepdim=True).clamp_min(0.0) * said
                bias = self.scores(vector, z.shape[0]) + self.outside()
            logits = self.lm.step(state, chosen, memory) + bias
        return [" ".join(self.tokenizer.decode(ids, skip_control=True).split()) for ids in produced]

    # -- the VAE's powers ---------------------------------------------------------------------------
    def sample(self, n: int, seed: int = 0, temperature: float = 0.0) -> list[str]:
        """New lines from codes drawn from the prior N(0, I)."""
        generator = torch.Generator().manual_seed(seed)
        return self.decode(torch.randn((n, self.latent_size), generator=generator), temperature, generator)

    def blend(self, first: str, second: str, steps: int = 5) -> list[str]:
        """Lines along the straight path from the first line's code to the second's (ends included)."""
        mu, _ = self.encode([first, second])
        weights = torch.linspace(0, 1, steps).unsqueeze(1)
        return self.decode((1 - weights) * mu[0] + weights * mu[1])

    def riff(self, line: str, n: int = 5, spread: float = 0.6, seed: int = 0) -> list[str]:
        """Variations: codes near the line's own, decoded; the line itself and repeats left out, and lines cut
        off on a word that needs the next ("I heard a knock as the") only where too few others came."""
        generator = torch.Generator().manual_seed(seed)
        mu, _ = self.encode([line])
        codes = mu + spread * torch.randn((3 * n, self.latent_size), generator=generator)
        seen, out = {" ".join(line.lower().split())}, []
        for text in self.decode(codes, 0.0):
            key = " ".join(text.lower().split())
            if text and key not in seen:
                seen.add(key)
                out.append(text)
        return sorted(out, key=lambda text: needs_a_word_after(words_in(text)))[:n]  # stable: else in order

    def direction(self, away_from: list[str], towards: list[str]) -> torch.Tensor:
        """A direction in code space: the mean code of `towards` minus that of `away_from`."""
        return self.encode(towards)[0].mean(0) - self.encode(away_from)[0].mean(0)

    def move(self, line: str, direction: torch.Tensor, amounts: tuple[float, ...] = (0.5, 1.0, 1.5)) -> list[str]:
        """The line decoded from its code moved along `direction` by each amount."""
        mu, _ = self.encode([line])
        return self.decode(torch.stack([mu[0] + a * direction for a in amounts]))

    # -- save / load -----------------------------------------------------------------------------
    def save(self, path: str | os.PathLike, training: dict | None = None) -> Path:
        tensors = {name: t.half() for name, t in self.coder.state_dict().items()}  # float16: half the bytes
        if self.vocabulary is not None:
            tensors["vocabulary"] = self.vocabulary.int()
        return save_checkpoint(
            path,
            tensors,
            kind=KIND,
            hyperparameters=asdict(self.coder.config),
            training=training or {},
            extra={"preamble": PREAMBLE, "decoder": "SmolLM2-135M-Instruct (frozen)"},
        )

    @classmethod
    def load(cls, path: str | os.PathLike, lm: FrozenLM, tokenizer) -> LineVAE:
        """A saved line VAE. An older checkpoint lacks the newer settings and reads as it was trained (their
        defaults are the older behaviour); one this version cannot build says so."""
        checkpoint = load_checkpoint(path, kind=KIND)
        known = set(LineVAEConfig.__dataclass_fields__)
        unknown = sorted(set(checkpoint.hyperparameters) - known)
        if unknown:
            raise CheckpointError(
                f"{path} is a line VAE from a newer version of Atelier (settings {', '.join(unknown)} are "
                "unknown here): update Atelier, or use the line VAE this version ships."
            )
        coder = LineCoder(LineVAEConfig(**checkpoint.hyperparameters))
        tensors = dict(checkpoint.tensors)
        vocabulary = tensors.pop("vocabulary", None)
        try:
            coder.load_state_dict({name: t.float() for name, t in tensors.items()})
        except RuntimeError as error:
            raise CheckpointError(
                f"{path} does not hold the weights its own settings describe (missing, extra or misshapen "
                f"tensors): it is damaged or was not written by Atelier. ({str(error).splitlines()[0]})"
            ) from error
        return cls(coder, lm, tokenizer, checkpoint.metadata, vocabulary)


def repeating(ids: list[int], n: int = 3, span: int = 4) -> set[int]:
    """Tokens that would say again an n-gram the line has said, or say a run of up to `span` tokens twice
    in a row: a strongly steered model, decoded greedily, can loop ("extinction extinction extinction ...",
    "This is This is", "plagiarism, plagiarism plagiarism plagiarism": a one-token word after a comma is no
    n-gram said before). A word said twice in a row is rare in verse and a loop in a decoded line; the cost is
    a repeated digit ("1999": digits are one token each), which these lines do not use."""
    banned = set()
    if len(ids) >= n - 1:
        tail = tuple(ids[len(ids) - n + 1 :])
        banned |= {ids[i + n - 1] for i in range(len(ids) - n + 1) if tuple(ids[i : i + n - 1]) == tail}
    for length in range(1, span + 1):
        start = len(ids) - 2 * length + 1  # where a first copy of the run would begin
        if start >= 0 and ids[start + length :] == ids[start : start + length - 1]:
            banned.add(ids[start + length - 1])  # the token that would complete the second copy
    return banned


def sample_rows(logits: torch.Tensor, temperature: float, generator: torch.Generator | None, top_p: float = 0.9):
    """One token per row: argmax at temperature 0, else nucleus sampling."""
    if temperature <= 0:
        return logits.argmax(-1)
    probabilities = torch.softmax(logits.float() / temperature, dim=-1)
    sorted_p, order = torch.sort(probabilities, descending=True, dim=-1)
    before = torch.cumsum(sorted_p, dim=-1) - sorted_p
    sorted_p = sorted_p.masked_fill(before >= top_p, 0.0)
    choice = torch.multinomial(sorted_p, 1, generator=generator)
    return order.gather(-1, choice).squeeze(-1)
