"""Lines that are strings of nouns: no verb in them, nothing happens.

Kept to a count and a rhyme, the 135M model often strings noun phrases together: "In the night, in the spring /
... / In the dawn, in the day" (the rain), "A snowflake, in the sky's dream" (the winter night), "A song, a tale, to
die". Each phrase is likely and the line keeps its form, but read aloud it says nothing. A cost in the ranking did
not help (session 19: the candidates were all such strings); the line search pays instead, while a line has a
finished piece (a comma, a stop) and no verb yet (`string_of_nouns`, `LineForm.verbless_cost` in
models/verse/constrained.py), so that the beams that go on are those with a verb.

Which words are verbs: no tagger or word-class list ships here (see end_words.py), so the list is learned from
the verse corpus we ship (resources/text/fortune-lines.txt): words seen after a subject pronoun or a modal ("I
know", "you can see", "they never went"), at least twice, or once and once more after "to" when they come after
"to" and the subjects at least as often as after a determiner (so "write", "shine", "soar" are in, "heart" and
"home" are not); then their regular forms ("shines", "shining", "loved"). In a line, a word is a verb where it is
one of those and no determiner, preposition (nor "to": "A song, a tale, to die" says nothing happens) or adjective
stands before it ("the sun shines", not "my dreams"), the word after "I", "we", "they", "he", "she" (and "you",
"it" opening a piece: "they shine", "I soar"), an auxiliary or a pronoun's contraction ("I'll", "it's"), or a
noun's "'s" that reads as "is" ("the sea's my home", not "the night's shadow").

Of the 1,479 stored bench lines (bench/results, all sessions) 147 have two or more pieces and no verb by this test
(with "to X" a verb; session 19). Read aloud, 111 are wrong, 25 are fine (images and stock: "The stars above, the
snow below"), 8 doubtful, and 3 have a verb the list lacks ("The moon whispers, a gentle way").

    verbs_in("In the night, in the spring")         # []
    verbs_in("The sun shines, and the sea's cold")  # ['shines', "sea's"]
    string_of_nouns("In the moonlight,")            # True: a piece done, no verb yet
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from models.resources import resource
from models.verse.end_words import ADJECTIVES, DETERMINERS
from models.verse.line_shapes import PREPOSITIONS
from models.verse.pronounce import words_in

_BREAKS = re.compile(r"[,.;:!?()\"]|--")

# nats off a beam while its line is a string of nouns (`string_of_nouns`), given back when a verb comes: as much as
# a word pair said before (constrained.STALE_PENALTY); about 0.2 off a finished line's rank (mean per token)
VERBLESS_NATS = 2.0

SUBJECTS = frozenset("i you we they he she".split())
MODALS = frozenset(
    "can could will would shall should may might must don't didn't doesn't won't can't cannot couldn't wouldn't "
    "shouldn't i'll you'll we'll they'll he'll she'll it'll i'd you'd we'd they'd let's".split()
)
# words that may stand between a subject and its verb ("I never knew", "you just want")
BETWEEN = frozenset(
    "never just really still ever always only often sometimes once also then now not soon all both".split()
)
AUXILIARIES = frozenset(
    "is are am was were be been being will would can could shall should may might must do does did has have had let "
    "ain't isn't aren't wasn't weren't don't doesn't didn't won't can't cannot couldn't wouldn't shouldn't haven't "
    "hasn't hadn't".split()
)
# seen after a subject or a modal in the corpus, but not verbs ("you all", "we three", "you fool"-like slips)
NOT_VERBS = frozenset(
    "the a an and or but of to in on at by for with from is are was were be been am my your his her our their its "
    "this that these those me him us them it i you he she we they who what which where when why how so as if than "
    "no nor any some much more most very too here there one two three first own well sure better away down through "
    "again something nothing anyone another each old least insane crazy king citizens flowers mozart crown "
    "experience till back tonight forever everywhere dear".split()
)
# a pronoun's contraction holds its verb ("I'm", "it's", "they'll", "that's", "let's")
_CONTRACTED_VERB = re.compile(r"^(i|you|we|they|he|she|it|that|there|here|who|what|where|let)'(m|s|re|ll|ve|d)$")
# after a noun's "'s" these make it "is" ("the sea's my home", "the night's cold", "the heart's mine");
# -ing, -ed and -en words too ("the snow's falling", "the night's fallen")
_AFTER_IS = (
    DETERMINERS
    | PREPOSITIONS
    | ADJECTIVES
    | set("not so no all her him me you them us here there gone asleep awake alone away mine yours ours theirs".split())
    | set("done said begun got".split())
)
# a word after these is a noun or an adjective, not a verb ("my dreams", "the fall", "a gentle rain"); after "to"
# (a preposition) it is not the line's verb either: "A song, a tale, to die" tells of nothing happening
_NOUN_BEFORE = DETERMINERS | PREPOSITIONS | ADJECTIVES | set("her this that these those of some no".split())
# subjects that open a clause wherever they stand; "you" and "it" are objects too ("I'll hold you tight")
_ALWAYS_SUBJECTS = frozenset("i we they he she".split())
_CLAUSE_OPENERS = frozenset("and but when where as if that so while".split())


def _pieces(text: str) -> list[list[str]]:
    """The words of each piece of the text (between commas, stops, brackets and dashes), empty pieces left out."""
    return [found for found in (words_in(piece) for piece in _BREAKS.split(text)) if found]


@lru_cache(maxsize=1)
def corpus_verbs() -> frozenset[str]:
    """The verbs the verse corpus shows as verbs (see the module's doc), with their regular forms."""
    from models.verse.verse import read_corpus  # the corpus reader lives with the sentence VAE (torch)

    after_subject: Counter[str] = Counter()
    after_to: Counter[str] = Counter()
    after_determiner: Counter[str] = Counter()
    for line in read_corpus(resource("text", "fortune-lines.txt")):
        for found in _pieces(line):
            for index, (first, word) in enumerate(zip(found, found[1:], strict=False)):
                if first in DETERMINERS:
                    after_determiner[word] += 1
                if first == "to":
                    after_to[word] += 1
                if first in SUBJECTS or first in MODALS:
                    if word in BETWEEN and index + 2 < len(found):
                        word = found[index + 2]
                    after_subject[word] += 1
    base = {
        word
        for word, seen in after_subject.items()
        if seen >= 2 or seen + after_to[word] >= 2 and after_determiner[word] <= seen + after_to[word]
    }
    base = {word for word in base if word not in NOT_VERBS | BETWEEN and not word.endswith("ly") and "'" not in word}
    forms = set(base)
    for word in base:
        stem = word[:-1] if word.endswith("e") else word
        forms |= {word + "s", word + "es", word + "d", word + "ed", stem + "ing", stem + "ed"}
        forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}  # "running", "stopped"
        if word.endswith("y"):
            forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return frozenset(forms)


def verbs_in(line: str) -> list[str]:
    """The line's words that are verbs (see the module's doc)."""
    verbs = corpus_verbs()
    out = []
    for found in _pieces(line):
        for index, word in enumerate(found):
            before = found[index - 1] if index else ""
            after = found[index + 1] if index + 1 < len(found) else ""
            subject_before = before in _ALWAYS_SUBJECTS or (
                before in ("you", "it") and (index == 1 or found[index - 2] in _CLAUSE_OPENERS)
            )
            if before == "to":  # "to be free", "to fly": an infinitive, not the line's verb
                continue
            if word in AUXILIARIES or _CONTRACTED_VERB.match(word):
                out.append(word)
            elif word.endswith("'s") and (not after or after in _AFTER_IS or after.endswith(("ing", "ed", "en"))):
                out.append(word)
            elif subject_before and word not in NOT_VERBS and word not in BETWEEN and not word.endswith("ly"):
                out.append(word)
            elif word in verbs and before not in _NOUN_BEFORE and not before.endswith("'s"):
                out.append(word)
    return out


_PIECE_DONE = re.compile(r"[A-Za-z'][^A-Za-z']*(?:[,.;:!?()\"]|--)")


@lru_cache(maxsize=8192)
def string_of_nouns(text: str) -> bool:
    """Whether the text (a line, or a line so far) has a finished piece (words, then a comma, a stop, a dash) and no
    verb: a line that goes on so has begun a string of nouns (the search asks this of every beam: cached)."""
    return bool(_PIECE_DONE.search(text)) and not verbs_in(text)
