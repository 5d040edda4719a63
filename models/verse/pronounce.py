"""Syllables, stress and rhyme from the CMU Pronouncing Dictionary (resources/text/pronouncing.txt.gz,
built by build_scripts/build_pronouncing.py; BSD licence). Words it does not know fall back to the
rule-based splitter in `syllables.py` (no stress, no rhyme).

    words = Pronouncing.shared()
    words.syllables("melody")          # 3
    words.stresses("melody")           # ["100"]  (1 primary, 2 secondary, 0 unstressed, per syllable)
    words.rhymes("sea", "free")        # True
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from models.resources import resource
from models.verse.syllables import split_syllables

DICTIONARY = "pronouncing.txt.gz"

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")


def words_in(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def _pronunciation(field: str) -> tuple[str, str, str]:
    """"stress:rhyme:onset" -> (stress digits, rhyme, phones before the rhyme)."""
    stress, rhyme, onset = field.split(":", 2)
    return stress, rhyme, onset


class Pronouncing:
    def __init__(self, entries: dict[str, list[tuple[str, str, str]]]) -> None:
        self.entries = entries  # word -> [(stress digits, rhyme, phones before the rhyme)] per pronunciation
        self._by_rhyme: dict[str, list[str]] | None = None
        self._common: set[str] | None = None

    @property
    def common(self) -> set[str]:
        """Words seen at least twice in the shipped verse corpus: what a rhyme may be chosen from
        (the dictionary also knows "e", "ee" and 120,000 names)."""
        if self._common is None:
            from collections import Counter

            from models.verse.verse import read_corpus

            counts = Counter(w for line in read_corpus(resource("text", "fortune-lines.txt")) for w in words_in(line))
            self._common = {w for w, n in counts.items() if n >= 2 and w in self.entries}
        return self._common

    @classmethod
    def load(cls, path: str | Path | None = None) -> Pronouncing:
        text = gzip.decompress(Path(path or resource("text", DICTIONARY)).read_bytes()).decode("utf-8")
        entries: dict[str, list[tuple[str, str, str]]] = {}
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            word, *fields = line.split("\t")
            entries[word] = [_pronunciation(field) for field in fields]
        return cls(entries)

    @staticmethod
    @lru_cache(maxsize=1)
    def shared() -> Pronouncing:
        return Pronouncing.load()

    def knows(self, word: str) -> bool:
        return word.lower() in self.entries

    def stresses(self, word: str) -> list[str]:
        """Stress digits per pronunciation; empty when the dictionary does not know the word."""
        return [stress for stress, *_ in self.entries.get(word.lower(), [])]

    def syllables(self, word: str) -> int:
        """Syllables of the first pronunciation, else by rule (at least 1 for any letters)."""
        known = self.entries.get(word.lower())
        if known:
            return max(1, len(known[0][0]))
        return max(1, len(split_syllables(word))) if re.search("[A-Za-z]", word) else 0

    def syllable_options(self, word: str) -> set[int]:
        """Every syllable count the word is said with ("every": 2 or 3; "fire": 1 or 2)."""
        known = self.entries.get(word.lower())
        if known:
            return {max(1, len(stress)) for stress, *_ in known}
        return {self.syllables(word)}

    def line_syllables(self, text: str) -> int:
        return sum(self.syllables(w) for w in words_in(text))

    def rhyme(self, word: str) -> str | None:
        known = self.entries.get(word.lower())
        return known[0][1] if known else None  # the first pronunciation's rhyme part

    def rhymes(self, first: str, second: str) -> bool:
        """Two words whose rhyme parts (last stressed vowel on) agree and whose sounds before it differ
        ("sea"/"free" rhyme; "tale"/"tail" are one sound said twice)."""
        a, b = first.lower(), second.lower()
        if a == b or a not in self.entries or b not in self.entries:
            return False
        ours = {(r, o) for _, r, o in self.entries[a]}
        return any(r == mine and o != onset for _, r, o in self.entries[b] for mine, onset in ours)

    def rhyming_words(self, word: str) -> list[str]:
        """Every known word that rhymes with `word` (not itself)."""
        if self._by_rhyme is None:
            index: dict[str, list[str]] = {}
            for entry, fields in self.entries.items():
                for _, rhyme, _ in fields:
                    index.setdefault(rhyme, []).append(entry)
            self._by_rhyme = index
        found: list[str] = []
        for _, rhyme, _ in self.entries.get(word.lower(), []):
            found += [w for w in self._by_rhyme.get(rhyme, []) if w not in found and self.rhymes(word, w)]
        return found


def line_end_word(text: str) -> str | None:
    words = words_in(text)
    return words[-1] if words else None
