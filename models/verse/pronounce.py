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
    """ "stress:rhyme:onset" -> (stress digits, rhyme, phones before the rhyme)."""
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
        """Two words whose rhyme parts (last stressed vowel on) agree and whose stressed syllables start with
        different consonants: "sea"/"free", "bright"/"right" rhyme; "tale"/"tail", "night"/"tonight",
        "light"/"delight", "ever"/"forever" say one syllable twice (an identical rhyme, which songwriters
        do not count: the ear hears the same word)."""
        a, b = first.lower(), second.lower()
        if a == b or a not in self.entries or b not in self.entries:
            return False
        ours = {(r, stressed_onset(o)) for _, r, o in self.sung(a)}
        return any(r == mine and stressed_onset(o) != onset for _, r, o in self.sung(b) for mine, onset in ours)

    def sung(self, word: str) -> list[tuple[str, str, str]]:
        """The word's pronunciations as a line's last word is sung: stressed. The dictionary also gives 55 words a
        weak form with no stressed vowel ("them" DH AH0 M, "for" F ER0, "was" W AH0 Z), and by "them"'s weak form
        "I'll be with them / ... left to come" counted as a rhyme (the README song); a word said only weak (none
        of the common ones) keeps it. A heteronym a song all but always means in one sense rhymes by that sense
        only (`SUNG_SENSE`: "Ain't no rest for the wind / I'll hold you in my mind", the README song of session 8)."""
        known = self.entries.get(word.lower(), [])
        sense = SUNG_SENSE.get(word.lower())
        known = [entry for entry in known if sense is None or entry[1] == sense] or known
        return [entry for entry in known if entry[0].strip("0")] or known

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


# heteronyms whose other sense a song's line end all but never means: the rhyme part of the one it does ("the wind"
# blows; "roads that wind" is rare). "tears" at a line's end are wept ("A memory of laughter, tears / A home that never
# sleeps, no cares" rhymed by the tearing "tears", a poem of session 10); "live" ends a line as the verb ("the life we
# live", not "a live wire"); "a wound" is a hurt, "lead" is followed ("follow your lead"), "a dove" flies, "a
# minute" passes. "tear", "lives", "read", "close", "bow" are sung in both senses, and keep both.
SUNG_SENSE = {
    "wind": "IH N D",
    "winds": "IH N D Z",
    "tears": "IH R Z",
    "live": "IH V",
    "wound": "UW N D",
    "lead": "IY D",
    "dove": "AH V",
    "minute": "IH N AH T",
}

_VOWELS = set("AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split())
# the consonant clusters English may start a syllable with: the stressed syllable takes the longest of these at
# the end of the consonants before its vowel ("midnight": D N -> "N", so it says "night" again; "display": S P L)
_ONSETS = (
    {(c,) for c in "P B T D K G F V TH DH S Z SH ZH HH CH JH M N L R W Y".split()}
    | {(c, g) for c in "P B T D K G F TH SH".split() for g in "L R W Y".split()}
    | {("S", c) for c in "P T K M N L W F".split()}
    | {("S", c, g) for c in "P T K".split() for g in "L R W Y".split()}
)


def stressed_onset(before: str) -> tuple[str, ...]:
    """The consonants that start the stressed syllable, from the phones before a word's rhyme part
    ("T AH N" for "tonight" -> ("N",), the same as "night"'s; "" -> ())."""
    phones = before.split()
    start = len(phones)
    while start and phones[start - 1] not in _VOWELS:
        start -= 1
    cluster = tuple(phones[start:])
    return next((cluster[i:] for i in range(len(cluster)) if cluster[i:] in _ONSETS), ())


def line_end_word(text: str) -> str | None:
    words = words_in(text)
    return words[-1] if words else None
