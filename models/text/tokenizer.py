"""The byte-level BPE tokenizer of a GGUF llama model (GPT-2 style, as SmolLM2 uses), read from its metadata.

Encoding: control tokens (`<|im_start|>` ...) are matched whole; other text is split into single
digits and GPT-2 word pieces (the "smollm" pre-tokenizer), each piece is mapped to printable
byte characters and merged by rank. Decoding is byte-exact; `StreamDecoder` holds back the bytes
of a character split across tokens so a streamed answer never shows half a character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import regex

# GPT-2's pattern, as llama.cpp uses it for the "smollm" pre-tokenizer after splitting off each digit.
_DIGIT = regex.compile(r"(\p{N})")
_WORD_PIECES = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

CONTROL_TOKEN_TYPE = 3


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from the 256 byte values to printable characters."""
    printable = (
        list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    )
    characters = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in characters), strict=True))


class BPETokenizer:
    def __init__(
        self,
        tokens: Sequence[str],
        merges: Iterable[str],
        token_types: Sequence[int] | None = None,
        bos_id: int | None = None,
        eos_id: int | None = None,
    ) -> None:
        self.tokens = list(tokens)
        self.token_to_id = {token: index for index, token in enumerate(self.tokens)}
        # keyed by the merge line itself ("left right"): tuples of two new strings per merge took 8 MB more
        self.merge_ranks: dict[str, int] = {}
        for rank, merge in enumerate(merges):
            self.merge_ranks[merge] = rank
        types = token_types or [1] * len(self.tokens)
        self.control_ids = {index for index, kind in enumerate(types) if kind == CONTROL_TOKEN_TYPE}
        self.control_tokens = {self.tokens[index]: index for index in self.control_ids}
        if self.control_tokens:
            alternatives = "|".join(regex.escape(t) for t in sorted(self.control_tokens, key=len, reverse=True))
            self._control_split = regex.compile(f"({alternatives})")
        else:
            self._control_split = None
        self.bos_id = bos_id
        self.eos_id = eos_id
        self._byte_to_char = bytes_to_unicode()
        self._char_to_byte = {char: byte for byte, char in self._byte_to_char.items()}
        self._cache: dict[str, list[int]] = {}

    @classmethod
    def from_gguf_metadata(cls, metadata: dict) -> BPETokenizer:
        return cls(
            metadata["tokenizer.ggml.tokens"],
            metadata["tokenizer.ggml.merges"],
            metadata.get("tokenizer.ggml.token_type"),
            metadata.get("tokenizer.ggml.bos_token_id"),
            metadata.get("tokenizer.ggml.eos_token_id"),
        )

    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def _bpe(self, piece: str) -> list[int]:
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        symbols = [self._byte_to_char[b] for b in piece.encode("utf-8")]
        while len(symbols) > 1:
            best_rank, best_index = None, -1
            for index in range(len(symbols) - 1):
                rank = self.merge_ranks.get(symbols[index] + " " + symbols[index + 1])
                if rank is not None and (best_rank is None or rank < best_rank):
                    best_rank, best_index = rank, index
            if best_rank is None:
                break
            pair = (symbols[best_index], symbols[best_index + 1])
            merged: list[str] = []
            index = 0
            while index < len(symbols):
                if index < len(symbols) - 1 and (symbols[index], symbols[index + 1]) == pair:
                    merged.append(symbols[index] + symbols[index + 1])
                    index += 2
                else:
                    merged.append(symbols[index])
                    index += 1
            symbols = merged
        ids = [self.token_to_id[symbol] for symbol in symbols]
        if len(self._cache) < 100_000:
            self._cache[piece] = ids
        return ids

    def _encode_plain(self, text: str) -> list[int]:
        ids: list[int] = []
        for chunk in _DIGIT.split(text):
            if not chunk:
                continue
            for piece in _WORD_PIECES.findall(chunk):
                ids.extend(self._bpe(piece))
        return ids

    def encode(self, text: str, allow_control: bool = True) -> list[int]:
        """Token ids of `text`. With `allow_control`, `<|im_start|>` and the like become their single id."""
        if not allow_control or self._control_split is None:
            return self._encode_plain(text)
        ids: list[int] = []
        for part in self._control_split.split(text):
            if not part:
                continue
            control = self.control_tokens.get(part)
            if control is not None:
                ids.append(control)
            else:
                ids.extend(self._encode_plain(part))
        return ids

    def token_bytes(self, token_id: int) -> bytes:
        token = self.tokens[token_id]
        if token_id in self.control_ids:
            return token.encode("utf-8")
        return bytes(self._char_to_byte[char] for char in token)

    def decode(self, ids: Iterable[int], skip_control: bool = False) -> str:
        data = b"".join(self.token_bytes(i) for i in ids if not (skip_control and i in self.control_ids))
        return data.decode("utf-8", errors="replace")


class StreamDecoder:
    """Turns token ids into text one token at a time, never splitting a UTF-8 character."""

    def __init__(self, tokenizer: BPETokenizer) -> None:
        self.tokenizer = tokenizer
        self._pending = b""

    def push(self, token_id: int) -> str:
        self._pending += self.tokenizer.token_bytes(token_id)
        # A UTF-8 character is at most 4 bytes: hold back an incomplete tail, give up after that.
        for cut in range(len(self._pending), max(len(self._pending) - 4, -1), -1):
            try:
                text = self._pending[:cut].decode("utf-8")
            except UnicodeDecodeError:
                continue
            self._pending = self._pending[cut:]
            if len(self._pending) >= 4:
                text += self._pending.decode("utf-8", errors="replace")
                self._pending = b""
            return text
        text = self._pending.decode("utf-8", errors="replace")
        self._pending = b""
        return text

    def flush(self) -> str:
        text = self._pending.decode("utf-8", errors="replace")
        self._pending = b""
        return text
