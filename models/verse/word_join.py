"""Which word pieces the line VAE's decoder may join: only into known words. Steered hard by a code, the chat
model can join pieces into words no one knows (" seab" + "aby" -> "seababy", " whis" + "pled" -> "whispled").
A word may be spelled only on the way to a word the pronouncing dictionary or the verse corpus knows, and may
end only where it is one.

    spelling = Spelling.shared(tokenizer)
    spelling.allows("whis", token)      # False for "pled", True for "per" (whisper)
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from functools import lru_cache

import torch


class Spelling:
    def __init__(self, words: Iterable[str], tokenizer) -> None:
        self.words = sorted({w.lower() for w in words})
        self.known = set(self.words)
        self.tokenizer = tokenizer
        self._pieces: dict[int, str] = {}

    @staticmethod
    @lru_cache(maxsize=2)
    def shared(tokenizer) -> Spelling:
        """The dictionary's words (125,000, names included) and every word of the shipped verse corpus."""
        from models.resources import resource
        from models.verse.pronounce import Pronouncing, words_in
        from models.verse.verse import read_corpus

        corpus = {w for line in read_corpus(resource("text", "fortune-lines.txt")) for w in words_in(line)}
        return Spelling(set(Pronouncing.shared().entries) | corpus, tokenizer)

    def piece(self, token: int) -> str:
        if token not in self._pieces:
            text = self.tokenizer.token_bytes(token).decode("utf-8", errors="replace")
            self._pieces[token] = text.lower().replace("’", "'")
        return self._pieces[token]

    def finished(self, word: str) -> bool:
        """Whether `word` is known (or nothing), quotes around it and a possessive "'s" aside."""
        word = word.strip("'")
        return not word or word in self.known or (word.endswith("'s") and word[:-2] in self.known)

    def begun(self, prefix: str) -> bool:
        """Whether some known word begins with `prefix` (or it is one, quotes and "'s" aside)."""
        prefix = prefix.lstrip("'")
        at = bisect.bisect_left(self.words, prefix)
        return self.finished(prefix) or (at < len(self.words) and self.words[at].startswith(prefix))

    def allows(self, partial: str, token: int) -> bool:
        """Whether `token` may follow a line whose last word so far is `partial` ("" after a space or a mark):
        each word the token finishes is known, and the word it leaves open begins a known word."""
        if token in self.tokenizer.control_ids:  # the line's end
            return self.finished(partial)
        word = partial
        for char in self.piece(token):
            if char.isalpha() or (char == "'" and word):
                word += char
            else:
                if not self.finished(word):
                    return False
                word = ""
        return not word or self.begun(word)

    def partial(self, ids: list[int]) -> str:
        """The line's last word so far ("" after a space or a mark)."""
        text = self.tokenizer.decode(ids, skip_control=True).lower().replace("’", "'")
        word = text[len(text.rstrip("abcdefghijklmnopqrstuvwxyz'")) :]
        return word if word.strip("'") else ""

    def choose(self, logits: torch.Tensor, lines: list[list[int]], pick: Callable[[torch.Tensor], torch.Tensor]):
        """One token per row by `pick` (argmax, or a sampler) among those that spell known words: the best
        candidates are barred first (`bar`); a sampled token from further down that is barred is drawn again."""
        self.bar(logits, lines)
        chosen = pick(logits)
        for _ in range(8):
            wrong = [row for row, ids in enumerate(lines) if not self.allows(self.partial(ids), int(chosen[row]))]
            if not wrong:
                break
            logits[wrong, chosen[wrong]] = float("-inf")
            chosen[wrong] = pick(logits[wrong])
        return chosen

    def bar(self, logits: torch.Tensor, lines: list[list[int]], candidates: int = 32) -> None:
        """Sets to -inf, in place, each row's scores of the tokens among its `candidates` best that would spell
        an unknown word (greedy decoding and top-p sampling choose among these). Should all be barred, the next
        16x as many are looked at; should all of those be barred too, none is (the row must say something)."""
        for row, ids in enumerate(lines):
            partial = self.partial(ids)
            for width in (candidates, 16 * candidates):  # wider only when all the best would be barred
                top = logits[row].topk(min(width, logits.shape[1])).indices.tolist()
                barred = [t for t in top if not self.allows(partial, t)]
                if len(barred) < len(top):
                    logits[row, barred] = float("-inf")
                    break
