"""What the Chat tab writes with the sentence VAE: lines near a theme, blends of two lines, riffs on a
line, similar lines from the corpus, short titles, and lyrics fitted to a melody (one syllable per note).

    writer = VerseWriter.load()                     # the shipped checkpoint and corpus
    writer.lines_near("the stormy sea", n=5, seed=1)
    writer.lyrics_for_phrases([8, 6, 8, 6], theme="a harbour at night", seed=3)
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch

from models.resources import resource
from models.verse.syllables import count_syllables, line_syllables, split_syllables
from models.verse.vae import TextVAE, words_of

RESOURCES = resource("text")
DEFAULT_CHECKPOINT = RESOURCES / "text-vae.safetensors"
DEFAULT_CORPUS = RESOURCES / "fortune-lines.txt"


def read_corpus(path: str | os.PathLike) -> list[str]:
    """The lines of a corpus file (one per line; `#` starts a comment line)."""
    text = Path(path).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass
class LyricLine:
    text: str
    syllables: list[str]  # one per note, hyphenated inside words ("mel-", "o-", "dy")


@dataclass
class VerseWriter:
    vae: TextVAE
    corpus: list[str] = field(default_factory=list)
    _corpus_codes: torch.Tensor | None = None
    _corpus_keys: set[str] | None = None

    @classmethod
    def load(cls, checkpoint: str | os.PathLike | None = None, corpus: str | os.PathLike | None = None) -> VerseWriter:
        vae = TextVAE.load(checkpoint or DEFAULT_CHECKPOINT)
        lines = read_corpus(corpus or DEFAULT_CORPUS)
        return cls(vae, lines)

    # -- helpers ---------------------------------------------------------------------------------
    def _code(self, line: str) -> torch.Tensor:
        mu, _ = self.vae.encode([line])
        return mu[0]

    def _decode_unique(
        self,
        codes: torch.Tensor,
        n: int,
        exclude: Sequence[str] = (),
        temperature: float = 0.0,
        generator: torch.Generator | None = None,
    ) -> list[str]:
        seen = {normalise(e) for e in exclude}
        out = []
        for line in self.vae.decode(codes, temperature, generator):
            key = normalise(line)
            if len(words_of(line)) < 2 or key in seen:
                continue
            seen.add(key)
            out.append(line)
            if len(out) == n:
                break
        return out

    def is_copy(self, line: str) -> bool:
        """Whether `line` is (up to case and punctuation) a line of the training corpus."""
        if self._corpus_keys is None:
            self._corpus_keys = {normalise(c) for c in self.corpus}
        return normalise(line) in self._corpus_keys

    # -- what the chat offers -----------------------------------------------------------------
    def lines_near(self, theme: str, n: int = 5, spread: float = 0.8, seed: int = 0) -> list[str]:
        """`n` new lines whose codes lie around the theme's code."""
        generator = torch.Generator().manual_seed(seed)
        centre = self._code(theme)
        codes = centre + spread * torch.randn((n * 6, centre.numel()), generator=generator)
        return self._decode_unique(codes, n, exclude=[theme])

    def riff(self, line: str, n: int = 5, seed: int = 0) -> list[str]:
        """Variations on a line: close to its code, sampled a little."""
        generator = torch.Generator().manual_seed(seed)
        centre = self._code(line)
        codes = centre + 0.5 * torch.randn((n * 6, centre.numel()), generator=generator)
        return self._decode_unique(codes, n, exclude=[line], temperature=0.6, generator=generator)

    def blend(self, first: str, second: str, steps: int = 5) -> list[str]:
        """Lines along the straight path from the first line's code to the second's (ends included)."""
        a, b = self._code(first), self._code(second)
        weights = torch.linspace(0, 1, steps).unsqueeze(1)
        codes = (1 - weights) * a + weights * b
        return self.vae.decode(codes)

    def similar(self, line: str, k: int = 5) -> list[tuple[str, float]]:
        """The corpus lines whose codes are nearest (cosine) to the line's code."""
        if self._corpus_codes is None:
            chunks = [self.vae.encode(self.corpus[i : i + 512])[0] for i in range(0, len(self.corpus), 512)]
            self._corpus_codes = torch.nn.functional.normalize(torch.cat(chunks), dim=1)
        query = torch.nn.functional.normalize(self._code(line), dim=0)
        scores = self._corpus_codes @ query
        best = torch.topk(scores, min(k + 1, len(self.corpus)))
        out = [(self.corpus[i], float(s)) for s, i in zip(best.values.tolist(), best.indices.tolist(), strict=True)]
        return [(text, score) for text, score in out if normalise(text) != normalise(line)][:k]

    def titles(self, theme: str, n: int = 5, seed: int = 0) -> list[str]:
        """Short titles (2 to 6 words) near the theme, in title case without end punctuation."""
        generator = torch.Generator().manual_seed(seed)
        centre = self._code(theme)
        codes = centre + 0.9 * torch.randn((n * 12, centre.numel()), generator=generator)
        out, seen = [], set()
        for line in self.vae.decode(codes, 0.7, generator):
            words = re.sub(r"[.,;:!?]", " ", line).split()
            if not words:
                continue
            title = " ".join(w if w.isupper() else w.capitalize() for w in words[:6])
            if len(title.split()) >= 2 and title.lower() not in seen:
                seen.add(title.lower())
                out.append(title)
            if len(out) == n:
                break
        return out

    def lyrics_for_phrases(
        self, note_counts: Sequence[int], theme: str | None = None, seed: int = 0, candidates: int = 48
    ) -> list[LyricLine]:
        """One line per phrase with exactly as many syllables as the phrase has notes."""
        generator = torch.Generator().manual_seed(seed)
        centre = self._code(theme) if theme else torch.zeros(self.vae.latent_size)
        used: set[str] = set()
        lines = []
        for target in note_counts:
            if target <= 0:
                lines.append(LyricLine("", []))
                continue
            codes = centre + 0.9 * torch.randn((candidates, centre.numel()), generator=generator)
            pool = [c for c in self.vae.decode(codes, 0.8, generator) if words_of(c)]
            text = _fit_syllables(pool, target, used)
            used.add(normalise(text))
            syllables = line_syllables(text)
            lines.append(LyricLine(text, syllables))
        return lines


def phrase_note_counts(melody, bars_per_phrase: int = 2) -> list[int]:
    """Notes per phrase of a melody (anything with `.notes()` and `.meter.bar_ticks`), phrases of whole bars."""
    span = melody.meter.bar_ticks * bars_per_phrase
    counts: dict[int, int] = {}
    for note in melody.notes():
        counts[note.onset // span] = counts.get(note.onset // span, 0) + 1
    if not counts:
        return []
    return [counts.get(i, 0) for i in range(max(counts) + 1)]


def normalise(line: str) -> str:
    return " ".join(w for w in words_of(line) if w not in ".,;:!?")


def _prefix_with_syllables(line: str, target: int) -> str | None:
    words = line.split()
    total = 0
    for index, word in enumerate(words):
        total += len(split_syllables(word))
        if total == target:
            return " ".join(words[: index + 1]).rstrip(",;:")
        if total > target:
            return None
    return None


def _fit_syllables(pool: list[str], target: int, used: set[str]) -> str:
    """A whole candidate with exactly `target` syllables, else the shortest cut of one, else joined
    candidates, else a candidate cut short and filled with "la" (as singers do)."""
    fresh = [p for p in pool if normalise(p) not in used] or pool
    exact = [p for p in fresh if count_syllables(p) == target]
    if exact:
        return exact[0]
    for p in sorted(fresh, key=count_syllables):
        cut = _prefix_with_syllables(p, target)
        if cut:
            return cut
    for i, first in enumerate(fresh):
        for second in fresh[i + 1 :]:
            joined = first.rstrip(".!?") + ", " + second[:1].lower() + second[1:]
            cut = _prefix_with_syllables(joined, target)
            if cut:
                return cut
    base = _prefix_with_syllables(fresh[0], min(target, count_syllables(fresh[0]))) if fresh else ""
    base = base or ""
    missing = target - count_syllables(base)
    return (base + " " + " ".join(["la"] * missing)).strip()
