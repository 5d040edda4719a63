"""The chat model as a batched decoder that a learned memory can steer (the LM half of the line VAE).

It reads the loaded `LlamaRunner`'s weights (never copies them) and runs a batch of sequences at once.
The top layers may attend to a *memory*: a few key/value slots per layer computed from a latent code,
with no position (prefix tuning, as Optimus injects its code). Because only the top layers see the
memory, the lower layers' hidden states of a line do not depend on the code: training caches them once
and runs only the top layers (see `build_scripts/train_line_vae.py`).

    lm = FrozenLM(runner)
    state = lm.start(preamble_ids, batch=8)             # the fixed preamble, read once, shared by the batch
    logits = lm.step(state, next_ids, memory)           # (8, vocab) for one new token per sequence
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from models.text.llama import LlamaRunner


@dataclass
class DecodeState:
    """Keys and values per layer, (batch, kv heads, positions, head dim), and the next position."""

    keys: list[torch.Tensor]
    values: list[torch.Tensor]
    position: int


class FrozenLM:
    def __init__(self, runner: LlamaRunner) -> None:
        self.runner = runner
        self.config = runner.config
        self.n_layers = runner.config.n_layers
        self.kv_dim = runner.config.n_kv_heads * runner.config.head_dim

    # -- pieces -------------------------------------------------------------------------------
    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.runner.embed(ids).to(self.runner.dtype)

    def _rope(self, x: torch.Tensor, start: int) -> torch.Tensor:
        n = x.shape[-2]
        cos = self.runner.cos[start : start + n]
        sin = self.runner.sin[start : start + n]
        half = x.shape[-1] // 2
        rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
        return x * cos + rotated * sin

    def layers(
        self,
        x: torch.Tensor,
        start: int,
        first: int,
        last: int,
        memory: torch.Tensor | None = None,
        past: DecodeState | None = None,
        keep: DecodeState | None = None,
    ) -> torch.Tensor:
        """Run layers [first, last) on x (batch, tokens, dim) at positions start...

        `memory` (batch, memory layers, 2, kv heads, slots, head dim) is attended by the top layers
        (the last `memory.shape[1]` of the model). `past` holds earlier positions' keys/values for
        these layers (batch 1 is broadcast); `keep`, when given, receives this call's keys/values.
        """
        c = self.config
        batch, n, _ = x.shape
        hd, nh, nkv = c.head_dim, c.n_heads, c.n_kv_heads
        q_size = nh * hd
        first_memory_layer = self.n_layers - (memory.shape[1] if memory is not None else 0)
        for index in range(first, last):
            layer = self.runner.layers[index]
            h = F.rms_norm(x, (c.dim,), layer["attn_norm"], c.norm_eps)
            qkv = layer["qkv"](h.reshape(batch * n, c.dim)).view(batch, n, -1)
            q = qkv[..., :q_size].view(batch, n, nh, hd).transpose(1, 2)
            k = qkv[..., q_size : q_size + nkv * hd].view(batch, n, nkv, hd).transpose(1, 2)
            v = qkv[..., q_size + nkv * hd :].view(batch, n, nkv, hd).transpose(1, 2)
            q, k = self._rope(q, start), self._rope(k, start)
            if keep is not None:
                keep.keys[index] = k.detach() if keep.keys[index] is None else torch.cat([keep.keys[index], k], 2)
                keep.values[index] = v.detach() if keep.values[index] is None else torch.cat([keep.values[index], v], 2)
                keys, values = keep.keys[index], keep.values[index]
                own_start = keys.shape[2] - n
            else:
                keys, values, own_start = k, v, 0
            parts_k, parts_v = [], []
            if memory is not None and index >= first_memory_layer:
                slot = memory[:, index - first_memory_layer]
                parts_k.append(slot[:, 0])
                parts_v.append(slot[:, 1])
            if past is not None and past.keys[index] is not None:
                parts_k.append(past.keys[index].expand(batch, -1, -1, -1))
                parts_v.append(past.values[index].expand(batch, -1, -1, -1))
            visible = sum(p.shape[2] for p in parts_k) + own_start
            keys = torch.cat(parts_k + [keys], dim=2) if parts_k else keys
            values = torch.cat(parts_v + [values], dim=2) if parts_v else values
            mask = torch.ones((n, keys.shape[2]), dtype=torch.bool, device=x.device)
            mask[:, visible:] = torch.ones((n, n), dtype=torch.bool, device=x.device).tril()
            group = nh // nkv
            attended = F.scaled_dot_product_attention(
                q, keys.repeat_interleave(group, dim=1), values.repeat_interleave(group, dim=1), attn_mask=mask
            )
            out = layer["out"](attended.transpose(1, 2).reshape(batch * n, q_size)).view(batch, n, c.dim)
            x = x + out
            h = F.rms_norm(x, (c.dim,), layer["ffn_norm"], c.norm_eps)
            gate_up = layer["gate_up"](h.reshape(batch * n, c.dim))
            down = layer["down"](F.silu(gate_up[:, : c.ffn_dim]) * gate_up[:, c.ffn_dim :])
            x = x + down.view(batch, n, c.dim)
        return x

    def logits(self, x: torch.Tensor, vocabulary: torch.Tensor | None = None) -> torch.Tensor:
        """Float32 logits over the whole vocabulary, or over `vocabulary` (ids) only: training's cheaper softmax."""
        x = F.rms_norm(x, (self.config.dim,), self.runner.output_norm, self.config.norm_eps)
        flat = x.reshape(-1, self.config.dim)
        if vocabulary is not None:
            weight = self.runner.lm_head.weight[vocabulary]
            out = F.linear(flat, weight)
        else:
            out = self.runner.lm_head(flat)
        return out.float().view(*x.shape[:-1], -1)

    # -- decoding -------------------------------------------------------------------------------
    def empty_state(self) -> DecodeState:
        return DecodeState([None] * self.n_layers, [None] * self.n_layers, 0)

    @torch.inference_mode()
    def start(self, preamble: list[int]) -> DecodeState:
        """Read the fixed preamble (no memory): its keys and values for every layer, batch 1."""
        state = self.empty_state()
        x = self.embed(torch.tensor([preamble]))
        self.layers(x, 0, 0, self.n_layers, keep=state)
        state.position = len(preamble)
        return state

    @staticmethod
    def expand(state: DecodeState, batch: int) -> DecodeState:
        return DecodeState(
            [k.expand(batch, -1, -1, -1).contiguous() for k in state.keys],
            [v.expand(batch, -1, -1, -1).contiguous() for v in state.values],
            state.position,
        )

    @staticmethod
    def select(state: DecodeState, rows: torch.Tensor) -> DecodeState:
        """Keep (and reorder, duplicate) batch rows: beam search's bookkeeping."""
        return DecodeState([k[rows] for k in state.keys], [v[rows] for v in state.values], state.position)

    @torch.inference_mode()
    def step(self, state: DecodeState, ids: torch.Tensor, memory: torch.Tensor | None = None) -> torch.Tensor:
        """Append one token per sequence (ids: (batch,)); logits (batch, vocab) for the next."""
        x = self.embed(ids.view(-1, 1))
        x = self.layers(x, state.position, 0, self.n_layers, memory=memory, keep=state)
        state.position += 1
        return self.logits(x)[:, -1]
