"""How surely a line ends where it stops, read alone: the chat model's probability of a line end (a newline, a
stop, a comma) right after the line's last word, with nothing before the line but the start of a reply.

In its song the model expects a newline after eight syllables whatever they say (the poem before has taught it
the length): "In the heart of the sea, a far" ends at better than e^-2 in its poem, at e^-7.4 alone. Read
alone, only sense keeps the phrase open ("a far" wants a noun), which is what a listener hears.
bench/text_quality.py counts hanging lines the same way (with float32 weights; this reads the runner's).

    ends = LineEnds(frozen_lm, tokenizer, line_end_ids)
    ends.logprobs(["The storm is a story, a true", "The sea is the only thing I know"])   # [-4.0, -0.4]
"""

from __future__ import annotations

import torch

from models.verse.lm_decoder import DecodeState, FrozenLM

CONTEXT = "<|im_start|>assistant\n"  # the start of a reply: no song before the line


class LineEnds:
    def __init__(self, lm: FrozenLM, tokenizer, line_ends: torch.Tensor) -> None:
        self.lm, self.tokenizer, self.line_ends = lm, tokenizer, line_ends
        self.context = tokenizer.encode(CONTEXT)
        self._state: DecodeState | None = None

    @torch.inference_mode()
    def logprobs(self, lines: list[str]) -> list[float]:
        """Each line's log-probability of ending after its last word (trailing punctuation taken off), in one
        batch: rows padded on the right, each read at its own last word."""
        if not lines:
            return []
        if self._state is None:
            self._state = self.lm.start(self.context[:-1])
        encoded = [
            self.tokenizer.encode(" ".join(line.split()).rstrip(",.;:!?"), allow_control=False) for line in lines
        ]
        ids = torch.zeros((len(encoded), 1 + max(len(e) for e in encoded)), dtype=torch.long)
        ids[:, 0] = self.context[-1]
        for row, tokens in enumerate(encoded):
            ids[row, 1 : len(tokens) + 1] = torch.tensor(tokens, dtype=torch.long)
        hidden = self.lm.layers(self.lm.embed(ids), self._state.position, 0, self.lm.n_layers, past=self._state)
        last = hidden[torch.arange(len(encoded)), torch.tensor([len(e) for e in encoded])]
        logprobs = torch.log_softmax(self.lm.logits(last), dim=-1)
        return torch.logsumexp(logprobs[:, self.line_ends], dim=-1).tolist()
