"""What a line must be, and the words the rules about lines use.

A `LineForm` says what one line must keep: its syllables (and which fall on strong beats), its word count,
a rhyme, a subject word, what it may not repeat or end on, and how surely it must end where it stops.
`FormWriter` (models/verse/constrained.py) writes lines that keep one; the song, poem and title writers
build the forms. The small helpers on lines live here too: a line's words as a key (`normalise`), its word
pairs (what makes one song sound like the last), a line's rhyme group in a scheme, and a tidy line.

    LineForm(syllables=8, rhyme_with="sea", strong=[True, False] * 4)
    rhyme_group("ABAB", 6)          # "1A": the second stanza's A rhyme
    rhyme_group("AABB", 6, count=7)  # "1A": a last line whose partner never comes rhymes with the one before
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from models.verse.pronounce import Pronouncing, words_in

# A sung line may not stop where the model gives its end (a stop, a comma, the line end) less than e^-2 = 14%:
# "The storm is a story, a true" (e^-3.1), "A smile on my lips, a be" (e^-5.7), "I'll stay with no" (e^-2.01),
# "In the waves, a lone" (e^-2.1); whole lines scored e^-1.84 ("...and I'll not go") to e^-0.01 (49 lines read).
DANGLING_FLOOR = -2.0
# On a rhymed line the floor is soft: a refusal cost four 16-line songs 8 of 32 rhymes, so a line's rank (its mean
# log-probability per token) loses this much for each nat its end falls short of the floor, and the rhyming lines
# that finish their phrase win. Four 16-line songs: 26 of 64 lines hang (31 before), 9 badly (10), rhyme 31 of 32;
# 2 nats off the line's sum instead (about 0.2 per token) rhymed only 27 of 32 and hung 16 badly.
HANG_COST = 0.5
FUNCTION_WORDS = set(
    "the a an and or but of to in on at by for with from is are was be i you he she it we they my your his her "
    "our their me that this as so all no not oh".split()
)
# in the dictionary, but salad in a line ("I'll hold you in my arms, I's")
NOT_WORDS = {"i's", "you's", "me's", "we's"}
# English no one speaks any more: a songwriter does not reach for it to make a rhyme or a count ("I'll be with ye",
# "I'm in the morn"); the model takes it from the old verse it has read when the form leaves it few words
OLD_WORDS = set(
    "ye thee thou thy thine hath doth dost shalt ere ne'er oft morn nay yea tis twas whence thence hither thither "
    "yon yonder wherefore naught aught anon betwixt unto".split()
)


@dataclass
class LineForm:
    syllables: int | None = None  # exact count, or None (then `words` bounds the line)
    words: tuple[int, int] = (1, 14)
    rhyme_with: str | None = None  # end on a word that rhymes with this one
    rhyme_source: bool = False  # end on a word the dictionary can rhyme (the first line of a pair)
    strong: list[bool] | None = None  # per syllable: a strong beat (stressed syllables belong there)
    include_any: set[str] = field(default_factory=set)  # at least one of these words (lower case)
    avoid: set[str] = field(default_factory=set)  # normalised lines not to repeat
    penalise: set[int] = field(default_factory=set)  # tokens to make less likely (earlier lines' words)
    worn: set[int] = field(default_factory=set)  # tokens of words said in many lines: less likely still
    openers: set[int] = field(default_factory=set)  # first tokens made much less likely (openings said often)
    overlap: float = 1 / 3  # the most of its content words a line may share with one earlier line
    end_avoid: set[str] = field(default_factory=set)  # words it may not end on (earlier lines' last words)
    topic: set[str] = field(default_factory=set)  # words on the topic: favoured, and never stale
    stale: set[tuple[str, str]] = field(default_factory=set)  # word pairs said already (see `word_pairs`)
    # opening shapes said often in the song (line_shapes.opening_shape): a line costs more once it opens so again
    stale_openings: set[tuple[str, ...]] = field(default_factory=set)
    end_floor: float | None = None  # the least log-probability of the line's end where it stops (None: any)
    hang_cost: float = 0.0  # off a line's rank per nat its end's log-probability falls below DANGLING_FLOOR
    # nats off a beam while its line has a finished piece and no verb (verbs.string_of_nouns: "In the night, in the")
    verbless_cost: float = 0.0
    # a caller's rule on the words so far (finished: the whole line), checked as each word is finished, so that
    # the search looks elsewhere instead of returning lines the caller would throw away (titles: a famous one)
    refuse: Callable[[list[str], bool], bool] | None = None


def word_pairs(lines) -> set[tuple[str, str]]:
    """The word pairs of these lines that carry a content word ("my arms", "the only", "i know"): said
    again in a song, they are what makes it sound like the last one."""
    pairs = set()
    for line in lines:
        found = words_in(line)
        pairs |= {p for p in zip(found, found[1:], strict=False) if not set(p) <= FUNCTION_WORDS}
    return pairs


def rhyme_group(scheme: str | None, index: int, count: int | None = None) -> str | None:
    """The rhyme a line belongs to: its letter in the scheme, new in each stanza (AABB over eight lines
    rhymes AABB CCDD, not four lines on one sound). The last of `count` lines, where the lines stop before its
    partner (seven lines of AABB: a tune's closing bar sung as the end of the line before), rhymes with the line
    before it: a closing triplet, where an unpaired last line under "rhymed AABB" reads as a line forgotten."""
    if not scheme:
        return None
    place = index % len(scheme)
    letter = scheme[place]
    cut_off = letter not in scheme[:place] and letter in scheme[place + 1 :]
    if count is not None and index == count - 1 and index > 0 and cut_off:
        return rhyme_group(scheme, index - 1)
    return f"{index // len(scheme)}{letter}"


def unrhymed_pairs(lines: Sequence[str], scheme: str | None, words: Pronouncing) -> list[tuple[int, int]]:
    """The pairs of lines (indices) that the scheme rhymes and the dictionary does not: each later line of a rhyme
    group against the group's first line. The search falls back to an unrhymed line when no rhyming one fits
    ("I'll be with them. / You're the only one left to come"), and the answer has to say so."""
    first: dict[str, int] = {}
    out = []
    for index, line in enumerate(lines):
        group = rhyme_group(scheme, index, len(lines))
        if group is None:
            continue
        if group not in first:
            first[group] = index
            continue
        ends = [words_in(lines[first[group]])[-1:], words_in(line)[-1:]]
        if not all(ends) or not words.rhymes(ends[0][0], ends[1][0]):
            out.append((first[group], index))
    return out


def normalise(line: str) -> str:
    return " ".join(words_in(line))


def tidy(text: str) -> str:
    """One space between words, no stray comma at the ends, a capital to start, and "I" as a capital (the model
    copies a lower-case "i" it was once given: "In the darkness, i'll die")."""
    text = _PRONOUN_I.sub("I", " ".join(text.split()).strip(" ,;"))
    return text[:1].upper() + text[1:] if text else text


_PRONOUN_I = re.compile(r"\bi\b")  # "i", and the "i" of "i'll", "i'm"
