"""A llama-architecture decoder (SmolLM2) in plain torch, built for one conversation at a time.

Weights come from `read_gguf` (float32, Q/K rows in Hugging Face order). The query/key/value and
the gate/up projections are fused into one matrix each, so a decoding step is five matrix products
per layer. The key/value cache grows up to `max_context` positions; `forward` appends to it from `start`
and returns logits for the last position (or all positions, for tests). With int4 weights a token's
numbers do not depend on how tokens are batched, so a conversation reuses all of its cached prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any

import torch
import torch.nn.functional as F

from models.memory import give_back_freed_memory
from models.text.gguf_file import GGUFModel, LlamaConfig
from models.text.quantized import (
    DenseLinear,
    Int4Linear,
    Int8Linear,
    Q8Rows,
    dequantize_q4_1,
    int4_kernel_available,
)


class LlamaRunner:
    def __init__(self, config: LlamaConfig, tensors: dict[str, torch.Tensor], **options: Any) -> None:
        """The runner built at once (`_build` names the options); `building` builds it a layer at a time."""
        for _ in self._build(config, tensors, **options):
            pass

    def _build(
        self,
        config: LlamaConfig,
        tensors: dict[str, torch.Tensor],
        device: torch.device | str = "cpu",
        dtype: torch.dtype = torch.float32,
        max_context: int = 2048,
        weights: str = "float32",
        q4_1: Mapping[str, tuple[torch.Tensor, torch.Tensor, torch.Tensor]] | None = None,
        q8_0: Mapping[str, Q8Rows] | None = None,
    ) -> Iterator[float]:
        """Yields the share built after the output matrix and after each layer. `weights`: "float32" (exact: dequantized once at load) or "int4" (the file's Q4_1 codes through
        torch's CPU int4 kernel, output matrix in int8; faster, bfloat16 activations in the products)."""
        self.config = config
        self.device = torch.device(device)
        self.dtype = dtype
        self.max_context = min(max_context, config.context_length)

        def put(t: torch.Tensor) -> torch.Tensor:
            return t.to(device=self.device, dtype=dtype).contiguous()

        if weights not in ("float32", "int4"):
            raise ValueError(f"unknown weights mode {weights!r}")
        if weights == "int4" and not (self.device.type == "cpu" and q4_1 and int4_kernel_available()):
            weights = "float32"  # the int4 kernel is CPU-only and needs the file's Q4_1 codes
        self.weights = weights
        q8_0 = q8_0 or {}

        def matrix(name: str) -> torch.Tensor | Q8Rows | None:
            if name in q8_0:
                return q8_0[name]
            return tensors.get(name)

        embedding = matrix("token_embd.weight")
        if embedding is None:
            raise ValueError("the model file has no token embedding")
        head = matrix("output.weight")
        if head is None:
            head = embedding  # SmolLM2 ties them
        self.lm_head: Int8Linear | DenseLinear
        if weights == "int4":
            # a compact read keeps the embedding as the file's int8 blocks (exact rows, a quarter of float32)
            self.embedding = embedding if isinstance(embedding, Q8Rows) else put(embedding)
            self.lm_head = Int8Linear(head)
        else:
            self.embedding = put(embedding.dense() if isinstance(embedding, Q8Rows) else embedding)
            self.lm_head = DenseLinear(self.embedding if head is embedding else put(_dense(head)))
        self.output_norm = put(tensors["output_norm.weight"])
        steps = config.n_layers + 1  # the output matrix (a second of work, re-quantized to int8), then each layer
        yield 1 / steps

        codes_of = q4_1 or {}  # the file's Q4_1 codes, by tensor name

        def linear(*names: str) -> DenseLinear | Int4Linear:
            if weights == "int4":
                codes, d, m = (torch.cat(parts) for parts in zip(*(codes_of[n] for n in names), strict=True))
                return Int4Linear(codes, d, m)
            # a file read without dense Q4_1 copies still works when the int4 kernel is unavailable
            dense = [tensors[n] if n in tensors else dequantize_q4_1(*codes_of[n]) for n in names]
            return DenseLinear(put(torch.cat(dense)))

        self.layers: list[dict[str, Any]] = []  # per layer: norm weights and the linear maps
        for i in range(config.n_layers):
            p = f"blk.{i}."
            self.layers.append(
                {
                    "attn_norm": put(tensors[p + "attn_norm.weight"]),
                    "qkv": linear(p + "attn_q.weight", p + "attn_k.weight", p + "attn_v.weight"),
                    "out": linear(p + "attn_output.weight"),
                    "ffn_norm": put(tensors[p + "ffn_norm.weight"]),
                    "gate_up": linear(p + "ffn_gate.weight", p + "ffn_up.weight"),
                    "down": linear(p + "ffn_down.weight"),
                }
            )
            give_back_freed_memory()  # the layer's unpacked codes, before the next layer's are made
            yield (1 + len(self.layers)) / steps
        hd = config.head_dim
        inv_freq = 1.0 / (config.rope_base ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
        angles = torch.outer(torch.arange(self.max_context, dtype=torch.float64), inv_freq)
        angles = torch.cat([angles, angles], dim=-1)
        self.cos = angles.cos().to(device=self.device, dtype=dtype)
        self.sin = angles.sin().to(device=self.device, dtype=dtype)
        # Rotating queries and keys together in four products: rotate_half's sign goes into sin (so a roll
        # replaces the slices, negation and concatenation) and the attention's 1/sqrt(head_dim) into the
        # queries' tables (a power of two for SmolLM2's 64: the same bits as scaling the scores).
        sign = torch.ones(hd, dtype=torch.float64)
        sign[: hd // 2] = -1
        self._signed_sin = (angles.sin() * sign).to(device=self.device, dtype=dtype)
        head_scale = [hd**-0.5] * config.n_heads + [1.0] * config.n_kv_heads
        self._head_scale = torch.tensor(head_scale, device=self.device, dtype=dtype).view(1, -1, 1)
        # The key/value cache grows with the conversation (doubling): 2,048 float32 positions would take
        # 94 MB that a short exchange never uses.
        self.k_cache = torch.zeros((config.n_layers, config.n_kv_heads, 0, hd), device=self.device, dtype=dtype)
        self.v_cache = torch.zeros_like(self.k_cache)
        self.cached_tokens: list[int] = []  # what the cache holds, so a conversation reuses its prefix
        # "Same seed, same answer" whatever the cache held before needs a reused prefix to hold the very bits
        # a fresh read would compute. With int4 weights every token's numbers are independent of how tokens
        # are batched (row-independent int4 products, attention one query at a time), so any cached prefix
        # is reused, the reply's own tokens included. Float32 products are not: there a token computed alone
        # (by `step`) or in a shorter batch differs in the last bits, so only whole prefill chunks are reused.
        self.reuses_any_prefix = weights == "int4"
        self._whole_chunks = (0, 0)  # (chunk size, tokens read in whole chunks of that size from position 0)

    @classmethod
    def from_gguf(cls, model: GGUFModel, **kwargs) -> LlamaRunner:
        return cls(model.config, model.tensors, q4_1=model.q4_1, q8_0=model.q8_0, **kwargs)

    @classmethod
    def building(cls, model: GGUFModel, **kwargs) -> Generator[float, None, LlamaRunner]:
        """`from_gguf` a layer at a time: yields the share built after each step (a loading job reports it and stops
        there when cancelled: building took 26 s on two busy cores, and Esc or closing the window waited for it all),
        returns the runner."""
        runner = cls.__new__(cls)
        yield from runner._build(model.config, model.tensors, q4_1=model.q4_1, q8_0=model.q8_0, **kwargs)
        return runner

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        if isinstance(self.embedding, Q8Rows):
            return self.embedding.rows(ids).to(self.dtype)
        return F.embedding(ids, self.embedding)

    def _reserve(self, end: int) -> None:
        capacity = self.k_cache.shape[2]
        if end <= capacity:
            return
        size = min(self.max_context, max(end, 2 * capacity, 64))
        grown = self.k_cache.new_zeros((*self.k_cache.shape[:2], size, self.k_cache.shape[3]))
        k, v = grown, grown.clone()
        k[:, :, :capacity] = self.k_cache
        v[:, :, :capacity] = self.v_cache
        self.k_cache, self.v_cache = k, v

    def _attend(self, q: torch.Tensor, layer: int, start: int) -> torch.Tensor:
        """Each query `q[i]` (heads, head_dim) at `start + i` attends to the cached keys and values at positions 0...start + i.

        One query at a time, with the same shapes whether it comes alone (decoding) or in a prompt: a
        query's numbers then do not depend on how the tokens were batched, so a cached prefix computes the
        same bits as a fresh read of the whole conversation (the int4 products are row-independent too).
        Grouped-query attention is two small batched matmuls per query; torch's CPU flash-attention kernel
        spends ~14 ms on a single query, this takes a few microseconds.
        """
        n, nh, hd = q.shape
        keys_t, values = self.k_cache[layer].transpose(1, 2), self.v_cache[layer]
        nkv = values.shape[0]
        group = nh // nkv
        out = q.new_empty((n, nh * hd))
        for i in range(n):
            length = start + i + 1
            query = q[i].view(nkv, group, hd)  # scaled by 1/sqrt(head_dim) with the rotation
            weights = torch.softmax(torch.bmm(query, keys_t.narrow(2, 0, length)), dim=-1)
            torch.bmm(weights, values.narrow(1, 0, length), out=out[i].view(nkv, group, hd))
        return out

    @torch.inference_mode()
    def forward(
        self,
        tokens: list[int] | torch.Tensor,
        start: int,
        all_logits: bool = False,
        between_layers: Callable[[], None] | None = None,
    ) -> torch.Tensor:
        """Run `tokens` at positions `start...`; the cache keeps them. Returns float32 logits.

        `between_layers` is called after each layer: the reply job's cancel check, which raises to stop. One pass over
        256 tokens took 67 s on two busy cores (load 14), so a check only between passes let Stop wait that long. A
        pass stopped half way leaves `cached_tokens` as it was: the positions it wrote are written again by the next."""
        c = self.config
        ids = torch.as_tensor(tokens, dtype=torch.long, device=self.device).reshape(-1)
        n = ids.numel()
        end = start + n
        if end > self.max_context:
            raise ValueError(f"{end} positions do not fit the {self.max_context}-position cache")
        hd, nh, nkv = c.head_dim, c.n_heads, c.n_kv_heads
        q_size, kv_size = nh * hd, nkv * hd
        cos = self.cos[start:end].unsqueeze(1) * self._head_scale  # (n, query and key heads, head_dim)
        sin = self._signed_sin[start:end].unsqueeze(1) * self._head_scale
        half = hd // 2
        self._reserve(end)
        x = self.embed(ids)
        eps = c.norm_eps
        for index, layer in enumerate(self.layers):
            h = F.rms_norm(x, (c.dim,), layer["attn_norm"], eps)
            qk, v = layer["qkv"](h).split((q_size + kv_size, kv_size), dim=1)
            qk = qk.view(n, nh + nkv, hd)
            qk = qk * cos + qk.roll(half, -1) * sin
            q, k = qk.split((nh, nkv), dim=1)
            self.k_cache[index].narrow(1, start, n).copy_(k.transpose(0, 1))
            self.v_cache[index].narrow(1, start, n).copy_(v.view(n, nkv, hd).transpose(0, 1))
            # the bfloat16 product is added to float32 x as it is (the same bits as casting it first)
            x = x + layer["out"](self._attend(q, index, start), cast_back=False)
            h = F.rms_norm(x, (c.dim,), layer["ffn_norm"], eps)
            gate, up = layer["gate_up"](h).split(c.ffn_dim, dim=1)
            x = x + layer["down"](F.silu(gate) * up, cast_back=False)
            if between_layers is not None:
                between_layers()
        if not all_logits:
            x = x[-1:]
        x = F.rms_norm(x, (c.dim,), self.output_norm, eps)
        logits = self.lm_head(x).float()
        return logits if all_logits else logits[0]

    def prefill(
        self,
        tokens: list[int],
        chunk: int = 256,
        between_chunks: Callable[[], None] | None = None,
        between_layers: Callable[[], None] | None = None,
    ) -> torch.Tensor:
        """Logits after `tokens`, reusing the cached prefix they share with what the cache holds (with float32
        weights, only the whole chunks of it: see `reuses_any_prefix`).

        A long prompt is read `chunk` tokens at a time and `between_chunks` is called between
        chunks (the reply job checks its cancel flag there, so Stop works while a long prompt is read).
        """
        if not tokens:
            raise ValueError("nothing to read")
        shared = 0
        for a, b in zip(self.cached_tokens, tokens[:-1], strict=False):
            if a != b:
                break
            shared += 1
        if self.reuses_any_prefix:
            position = shared
        else:
            chunk_size, whole = self._whole_chunks
            reusable = min(shared, whole, len(self.cached_tokens)) if chunk_size == chunk else 0
            position = reusable - reusable % chunk
        self.cached_tokens = list(tokens[:position])
        self._whole_chunks = (chunk, position)
        while True:
            end = min(position + chunk, len(tokens))
            logits = self.forward(tokens[position:end], position, between_layers=between_layers)
            self.cached_tokens = list(tokens[:end])
            if end - position == chunk:
                self._whole_chunks = (chunk, end)
            position = end
            if position == len(tokens):
                return logits
            if between_chunks is not None:
                between_chunks()

    def step(self, token: int, between_layers: Callable[[], None] | None = None) -> torch.Tensor:
        """Logits after appending one token to the cached sequence."""
        logits = self.forward([token], len(self.cached_tokens), between_layers=between_layers)
        self.cached_tokens.append(token)
        return logits


def _dense(matrix: torch.Tensor | Q8Rows) -> torch.Tensor:
    return matrix.dense() if isinstance(matrix, Q8Rows) else matrix
