"""An English syllable splitter and counter (rules, no dictionary), for fitting lyrics to notes.

Vowel groups make syllables; a silent final "e", a silent "-ed" (not after t/d) and a silent "-es"
(not after s, x, z, ch, sh, g, c) do not; a consonant "-le" ending does ("ta-ble"). Between two
vowel groups a single consonant starts the next syllable, two letters that make one sound stay with
the syllable before ("weath-er", "to-geth-er", not "weat-her"), and any other cluster is split after
its first letter. Good for most words, wrong on some ("fire" counts one); tests pin what it does.
"""

from __future__ import annotations

import re

VOWELS = "aeiouy"
DIGRAPHS = {"th", "sh", "ch", "ph", "gh", "ck"}  # one consonant sound: not cut between its letters
_EXCEPTIONS = {
    "the": ["the"],
    "every": ["ev", "ery"],
    "everything": ["ev", "ery", "thing"],
    "business": ["busi", "ness"],
    "people": ["peo", "ple"],
    "poem": ["po", "em"],
    "poet": ["po", "et"],
    "quiet": ["qui", "et"],
    "being": ["be", "ing"],
    "science": ["sci", "ence"],
    "idea": ["i", "de", "a"],
    "area": ["ar", "e", "a"],
    "heaven": ["heav", "en"],
    "evening": ["eve", "ning"],
    "lion": ["li", "on"],
    "diamond": ["dia", "mond"],
    "violet": ["vio", "let"],
    "every-one": ["ev", "ery", "one"],
    "someone": ["some", "one"],
    "everyone": ["ev", "ery", "one"],
    "one": ["one"],
    "once": ["once"],
    "fire": ["fire"],
    "rhythm": ["rhy", "thm"],
    "hour": ["hour"],
    "our": ["our"],
    "flower": ["flow", "er"],
    "power": ["pow", "er"],
}


def _vowel_groups(word: str) -> list[tuple[int, int]]:
    groups = []
    i = 0
    while i < len(word):
        is_vowel = word[i] in VOWELS and not (word[i] == "y" and i == 0)
        if is_vowel:
            j = i
            while j + 1 < len(word) and word[j + 1] in VOWELS:
                j += 1
            groups.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return groups


def split_syllables(word: str) -> list[str]:
    """The syllables of one word, e.g. "melody" -> ["mel", "o", "dy"]; at least one piece for any letters."""
    clean = re.sub(r"[^a-z']", "", word.lower()).replace("'", "")
    if not clean:
        return []
    if clean in _EXCEPTIONS:
        return list(_EXCEPTIONS[clean])
    groups = _vowel_groups(clean)
    if len(groups) > 1:
        start, end = groups[-1]
        tail = clean[start:]
        before = clean[start - 1] if start > 0 else ""
        silent = (
            (tail == "e" and not (clean.endswith("le") and len(clean) > 2 and clean[-3] not in VOWELS))
            or (tail == "ed" and before not in "td")
            or (tail == "es" and before not in "sxzgc" and not clean.endswith(("ches", "shes")))
        )
        if silent and end == len(clean) - (len(tail) - 1):
            groups = groups[:-1]
    if not groups:
        return [clean]
    pieces = []
    cut = 0
    for index in range(len(groups) - 1):
        gap_start, gap_end = groups[index][1], groups[index + 1][0]
        consonants = gap_end - gap_start
        boundary = gap_start if consonants <= 1 else gap_start + 1
        if clean[gap_start:gap_end] in DIGRAPHS:
            boundary = gap_end  # "weath-er", "to-geth-er", "laugh-ing"
        if clean.endswith("le") and index == len(groups) - 2 and gap_end == len(clean) - 1 and consonants >= 1:
            boundary = max(gap_start, gap_end - 2)  # "ta-ble", "lit-tle"
        pieces.append(clean[cut:boundary])
        cut = boundary
    pieces.append(clean[cut:])
    return [p for p in pieces if p]


def count_syllables(text: str) -> int:
    return sum(len(split_syllables(word)) for word in re.findall(r"[A-Za-z']+", text))


def line_syllables(text: str) -> list[str]:
    """Every syllable of a line in order, hyphenated the way lyrics sit under notes ("mel-", "o-", "dy")."""
    out: list[str] = []
    for word in re.findall(r"[A-Za-z']+", text):
        pieces = split_syllables(word)
        out.extend(piece + "-" for piece in pieces[:-1])
        if pieces:
            out.append(pieces[-1])
    return out
