"""The chat model as a batched decoder that a learned memory can steer (the LM half of the line VAE).

It reads the loaded `LlamaRunner`'s weights (never copies them) and runs a batch of sequences at once.
The top layers may attend to a *memory*: a few key/value slots per layer computed from a latent code,
with no position (prefix tuning, as Optimus injects its code). Because only the top layers see the
memory, the lower layers' hidden states of a line do not depend on the code: training caches them once
and runs only the top layers (see `build_scripts/train_line_vae.py`).

    lm = FrozenLM(runner)
    rows = lm.rows(lm.start(preamble_ids))              # the fixed preamble, read once, shared by the rows
    logits = lm.step(rows, next_ids, memory)            # (rows, vocab) for one new token per row
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


@dataclass
class RowsState:
    """Rows decoding after one shared prefix: the prefix's keys and values once (batch 1), and per layer
    each row's own tokens, (rows, kv heads, own tokens, head dim)."""

    prefix: DecodeState
    keys: list[torch.Tensor | None]
    values: list[torch.Tensor | None]
    length: int = 0

    @property
    def position(self) -> int:
        return self.prefix.position + self.length


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
        # No layer has keys yet: None until the first step (`past.keys[index] is not None` checks it).
        return DecodeState([None] * self.n_layers, [None] * self.n_layers, 0)  # type: ignore[list-item]

    @torch.inference_mode()
    def start(self, preamble: list[int]) -> DecodeState:
        """Read the fixed preamble (no memory): its keys and values for every layer, batch 1."""
        state = self.empty_state()
        x = self.embed(torch.tensor([preamble]))
        self.layers(x, 0, 0, self.n_layers, keep=state)
        state.position = len(preamble)
        return state

    def rows(self, prefix: DecodeState) -> RowsState:
        """Rows that will each write their own continuation of one prefix (read once by `start`)."""
        return RowsState(prefix, [None] * self.n_layers, [None] * self.n_layers)

    @staticmethod
    def select(state: RowsState, rows: torch.Tensor) -> RowsState:
        """Keep (and reorder, duplicate) rows: beam search's bookkeeping. Only the rows' own tokens are
        copied; the shared prefix stays where it is."""
        keys = [k[rows] if k is not None else None for k in state.keys]
        values = [v[rows] if v is not None else None for v in state.values]
        return RowsState(state.prefix, keys, values, state.length)

    @torch.inference_mode()
    def step(self, state: RowsState, ids: torch.Tensor, memory: torch.Tensor | None = None) -> torch.Tensor:
        """Append one token per row (ids: (rows,)); logits (rows, vocab) for the next.

        `memory` (rows, memory layers, 2, kv heads, slots, head dim), as in `layers`. Attention is split in
        two: the shared prefix's keys are read once for all rows and heads of a group (one batched product,
        never copied per row), and each row's own few tokens (and memory slots) are read per row.
        """
        c = self.config
        rows = ids.numel()
        hd, nh, nkv = c.head_dim, c.n_heads, c.n_kv_heads
        group, q_size = nh // nkv, nh * hd
        position = state.position
        first_memory_layer = self.n_layers - (memory.shape[1] if memory is not None else 0)
        x = self.embed(ids.view(-1))
        for index in range(self.n_layers):
            layer = self.runner.layers[index]
            h = F.rms_norm(x, (c.dim,), layer["attn_norm"], c.norm_eps)
            qkv = layer["qkv"](h)
            q = self._rope(qkv[:, :q_size].view(rows, nh, 1, hd), position)
            k = self._rope(qkv[:, q_size : q_size + nkv * hd].view(rows, nkv, 1, hd), position)
            v = qkv[:, q_size + nkv * hd :].view(rows, nkv, 1, hd)
            earlier_k, earlier_v = state.keys[index], state.values[index]
            own_k = k if earlier_k is None else torch.cat([earlier_k, k], 2)
            own_v = v if earlier_v is None else torch.cat([earlier_v, v], 2)
            state.keys[index], state.values[index] = own_k, own_v
            if memory is not None and index >= first_memory_layer:
                slot = memory[:, index - first_memory_layer]
                own_k, own_v = torch.cat([slot[:, 0], own_k], 2), torch.cat([slot[:, 1], own_v], 2)
            prefix_k, prefix_v = state.prefix.keys[index][0], state.prefix.values[index][0]  # (kv heads, n, hd)
            q = q.view(rows, nkv, group, hd)
            # the prefix: (kv heads, rows x group, hd) @ (kv heads, hd, n), no copy of its keys per row
            q_by_head = q.transpose(0, 1).reshape(nkv, rows * group, hd)
            to_prefix = torch.bmm(q_by_head, prefix_k.transpose(1, 2)).view(nkv, rows, group, -1).transpose(0, 1)
            to_own = torch.matmul(q, own_k.transpose(2, 3))  # (rows, kv heads, group, own)
            weights = torch.softmax(torch.cat([to_prefix, to_own], -1) * hd**-0.5, dim=-1)
            split = prefix_k.shape[1]
            from_prefix = torch.bmm(weights[..., :split].transpose(0, 1).reshape(nkv, rows * group, split), prefix_v)
            from_own = torch.matmul(weights[..., split:], own_v)
            attended = from_prefix.view(nkv, rows, group, hd).transpose(0, 1) + from_own
            x = x + layer["out"](attended.reshape(rows, q_size))
            h = F.rms_norm(x, (c.dim,), layer["ffn_norm"], c.norm_eps)
            gate_up = layer["gate_up"](h)
            x = x + layer["down"](F.silu(gate_up[:, : c.ffn_dim]) * gate_up[:, c.ffn_dim :])
        state.length += 1
        return self.logits(x)
