"""The words a line cannot stop on: each needs a word after it.

The chat model's probability of a line's end hears most lines cut off ("a story, a true" ends at e^-4 read
alone) but not all: in a poem it expects the line to end after the usual syllables whatever they say, and it
hears an adjective after "a" as a word a phrase may end on. "A stormy sea, a long" (the README song) ends at
better than e^-2 in its song and alone; after "There was" "a long" ends at e^-1.7, likelier than "a tale"
(e^-3.1) or "the night" (e^-3.9); of 31 adjectives and 34 nouns read so, the two sets overlap from e^-6 to e^-1.
The pronouncing dictionary has no parts of speech, and no tagger or word-class list ships in a package here,
so the rule is English grammar written down, class by class:

- a closed class ends no line: articles and possessive determiners (a noun must follow), prepositions that never
  stand as an adverb ("of", "from", "into"), conjunctions, auxiliaries, the pronouns that start a clause
  ("we", "they"), and words that need more ("only", "every", "than");
- a word with a contraction on its end needs the verb or noun it leads to ("it's", "you're", "I'll", "we'd",
  "the storm's");
- an adjective right after a determiner needs its noun ("a long", "a far", "a lone", "the only", "my gentle"),
  and so does a determiner followed by a word that is never a noun ("it's my how", "the only ever", "the day's me").
  Adjectives are an open class: `ADJECTIVES` holds the ones these songs and poems use (read off the benches'
  lines and the verse corpus), not every one; after "the" or a possessive some stand for a noun ("into the
  dark", "the deep", "on my own"), and those may end there.

    needs_a_word_after(["a", "stormy", "sea", "a", "long"])     # True
    needs_a_word_after(["into", "the", "dark"])                  # False
"""

from __future__ import annotations

import re

CLOSED_CLASS_ENDS = set(
    # articles, possessive determiners, determiners that always take a noun
    "a an the my your our their its whose every each "
    # prepositions that never stand alone as an adverb ("carry on", "the shore below" may end a line)
    "of to in on by with for at from into onto upon unto than toward towards among amongst until despite via "
    # conjunctions that open a clause
    "and or nor but if when because although whether unless "
    # auxiliaries and clause-opening pronouns (cut off: "in my arms, we", "my soul is")
    "will would shall should can could must does has we they he she i as "
    # words that ask for more ("The wind is the only", "I will always")
    "only very".split()
)
# a contraction on a word's end: a verb or a noun must follow ("it's", "you're", "I'll", "we'd", "storm's")
_CONTRACTED = re.compile(r".'(s|re|ll|d|ve|m)$")
# determiners after which an adjective still needs its noun
# ("her" is left out: it is also the object of a verb, "kept her warm")
DETERMINERS = set("a an the my your his our their its every each another".split())
ADJECTIVES = set(
    "long far lone true whole mere sheer gentle lonely golden silent endless empty bright dark deep cold blue wild "
    "new old great big small tiny vast sweet soft warm quiet strange distant tender bitter broken hidden ancient "
    "lost free brave young open final certain single special perfect beautiful wonderful pale silver crimson grey "
    "gray green red black white stormy starry frozen icy misty rolling restless weary faithful sacred fading "
    "shining burning glowing raging eternal precious lovely lucky holy humble mighty noble proud simple steady "
    "tired troubled wicked worn hollow heavy bold clear crystal fine fragile grand happy hazy honest late early "
    "mad narrow rare rich sad same sharp short slow solemn still strong subtle sudden tall thin wide wise wet dry "
    "next own".split()
)
# words that are never the noun a determiner waits for: "it's my how", "the road is the only ever", "the day's me"
NEVER_NOUNS = set(
    "how why where when what who whom which ever never so too also just even yet again here there now then "
    "me him us them myself yourself himself herself ourselves themselves".split()
)
# adjectives that stand for a noun after "the" or a possessive: "into the dark", "the deep", "on my own"
NOMINAL = set(
    "dark deep cold blue wild lost free brave young old open quiet calm unknown same best last first green "
    "good great rich poor mighty proud weary sacred holy sweet own still".split()
)


# "is", "are", "am", "was", "were" end a line only where a clause that opened with one of these put the verb last:
# "where you are", "as it was", "here we are", "that's how it is"; else the line waits for what the subject is
# ("The days are", "With friends, we make it together. We are", riffs and songs of session 8)
COPULAS = set("is are am was were".split())
_VERB_LAST = set("where what who how as than here there wherever whatever whoever".split())
# adverbs that leave a copula waiting as much as it waited alone: "They're my friends, their love is never"
_COPULA_ADVERBS = set("never always ever just only so too very not".split())
# after a subject these wait for its verb ("I love you too" is whole: "you" is the object there)
_SUBJECT_ADVERBS = set("never always ever just".split())
_SUBJECTS = set("i you we they he she".split())
# after a determiner's noun these open a clause about it, which must come: "A storm on the shore where" (the README
# song, session 9); "tell me where" may end
_RELATIVES = set("where when which who whom whose".split())


def needs_a_word_after(words: list[str]) -> bool:
    """Whether a line of these words (lower case, as `words_in` gives them) stops on a word that needs the word
    after it: a closed-class word, a contraction, a copula whose clause did not put it last, or an adjective
    right after a determiner."""
    if not words:
        return False
    last = words[-1]
    if last in CLOSED_CLASS_ENDS or _CONTRACTED.search(last):
        return True
    if last in COPULAS:
        return not _VERB_LAST & set(words[-5:-1])
    if last in _COPULA_ADVERBS and len(words) > 1 and words[-2] in COPULAS:  # "their love is never"
        return True
    if last in _SUBJECT_ADVERBS and len(words) > 1 and words[-2] in _SUBJECTS:  # "You're mine, you never": no verb
        return True
    if last in _RELATIVES and len(words) > 2 and words[-3] in DETERMINERS:  # "A storm on the shore where"
        return True
    if last in NEVER_NOUNS and _waits_for_a_noun(words[:-1], last):
        return True
    if len(words) < 2 or last not in ADJECTIVES or words[-2] not in DETERMINERS:
        return False
    return words[-2] in ("a", "an", "every", "each", "another") or last not in NOMINAL


def _waits_for_a_noun(words: list[str], last: str) -> bool:
    """Whether these words end on a determiner with only adjectives (or "only", "very") after it, so that `last`
    comes where its noun should; or on a noun's "'s" before a pronoun or a question word ("the day's me": the
    "'s" may also be "is", and "the night's here" is whole)."""
    while words and (words[-1] in ADJECTIVES or words[-1] in ("only", "very")):
        words = words[:-1]
    if not words:
        return False
    if words[-1] in DETERMINERS:
        return True
    return is_possessive(words[-1]) and last in _NOT_AFTER_IS


def is_possessive(word: str) -> bool:
    """Whether a word's "'s" is a noun's ("the sea's"), not "is" or "us" after a pronoun ("it's", "let's")."""
    return word.endswith("'s") and word not in _NOT_POSSESSIVE


# "'s" as "is" or "us" after a pronoun: "it's me", "that's how", "let's go"
_NOT_POSSESSIVE = set("it's that's there's here's he's she's what's who's where's how's let's".split())
# what cannot follow a noun's "'s" read either way: "the day's me", "the storm's how"
_NOT_AFTER_IS = set("how why where when what who whom which me him us them".split())
