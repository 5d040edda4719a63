"""Word pairs English does not allow, heard as a line's words are finished.

The chat model, steered to a count and a rhyme, writes a verb where a verb already stands: "The road's ain't no
place" ("'s" is "is"), "you've always know" (after "have" a verb takes its past participle: "known"). Both came in
the long songs of session 8 (bench/text_quality.py) and sound wrong to anyone who reads them aloud. The pronouncing
dictionary has no parts of speech, so the rules name the few closed classes they need:

- a contracted verb or auxiliary ("it's", "you're", "I'm", "we'll", "I'd", "we've", "the road's") is not followed
  by a finite verb of the same closed class ("is", "ain't", "can", "will"...), nor is such a verb itself ("The stars
  are ain't there", session 20's winter night), adverbs between or not ("The storms, they're just ain't true",
  session 23's Chat demo);
- after "have", "has", "had" or "'ve", with only adverbs between ("always", "never"), a verb whose past participle
  differs from its plain form must take the participle ("known", "gone", "seen", "been"...); so must one whose
  simple past differs from it, after those and after "be", "is", "was", "'m"... ("I'll never be forgot");
- a subject pronoun takes no plain "be" ("it be", "we never be": the lyrics of session 9) unless a modal, "to" or a
  verb like "let" stands before it ("could it be", "let it be", "to see it be"); "you" may be an object before an
  order ("I need you, be mine"), and is left out;
- an article or a possessive ("the", "a", "my", "their"...) is followed by a noun or an adjective, never by "be",
  "is" or an auxiliary ("Where the be", session 20's demo song, forced in for a rhyme on "sea"). Auxiliaries that
  are also nouns ("the will", "the sea's might", "a can") are left out.
- "be" and its finite forms are not followed by "be" ("Where the wind is be", session 21's open road) nor, with a
  contracted "'m" or "'re", by a verb's plain form ("The fire will be burn", "I'm forget": `PLAIN_AFTER_BE`);
- "it's" is "it is", never "its": no preposition comes before it ("To the end of it's nose", session 21);
- a noun's "'s" is not followed by the same noun ("The door's door", "In the dark moon's moon") nor by a second
  noun's "'s" ("A winter's night's evening's white", "In the night's evening's rain": session 21's winter night).

    breaks_word_order(["the", "road's"], "ain't")             # True
    breaks_word_order(["you've", "always"], "know")           # True
    breaks_word_order(["you've", "always"], "known")          # False
    breaks_word_order(["where", "the"], "be")                 # True
    breaks_word_order(["will", "be"], "burn")                 # True
    breaks_word_order(["of"], "it's")                         # True
"""

from __future__ import annotations

from models.verse.end_words import DETERMINERS, is_possessive
from models.verse.line_shapes import PREPOSITIONS

# finite verbs: one of them after a contracted "is", "are", "am", "will", "would", "have" says the verb twice
FINITE = set(
    "is are am was were ain't isn't aren't wasn't weren't will won't would wouldn't can can't could couldn't "
    "shall should shouldn't must does doesn't did didn't".split()
)
# "the king's will": after a noun's "'s" these may be a noun
_NOUN_AFTER_POSSESSIVE = {"will", "must"}
_CONTRACTIONS = ("'s", "'re", "'m", "'ll", "'ve", "'d")
PERFECT = {"have", "has", "had", "haven't", "hasn't", "hadn't"}
# what may stand between "have" and its participle
ADVERBS = set("always never ever just already all only not so long since once truly really surely".split())
# verbs whose plain form is not their past participle ("know" / "known"): after "have" the plain form is wrong
PLAIN_NOT_PARTICIPLE = set(
    "know go see take give be do write ride fly grow blow throw fall sing ring swim drink begin break choose speak "
    "wake forget forgive hide drive eat steal freeze rise arise shake bite tear wear swear draw show sink shrink "
    "get forbid am is are was were".split()
)


# simple pasts that are not the participle ("forgot" / "forgotten"): wrong after "have" or "be" ("rose" is a colour)
PAST_NOT_PARTICIPLE = set(
    "forgot knew went saw took gave wrote rode flew grew blew threw fell sang rang swam drank began broke chose spoke "
    "woke drove ate stole froze shook tore wore swore drew sank shrank did".split()
)
BE = set("be been being am is are was were".split())


# a plain "be" after one of these needs what comes before them: "could it be", "let it be", "to see it be"
# ("you" may be an object before an order: "I need you, be mine")
SUBJECTS = set("i he she it we they".split())
BEFORE_SUBJECT_BE = set(
    "will would shall should can could may might must let make made see saw watch help have to let's bid".split()
)

# a noun or an adjective follows these, so none of NOT_AFTER_DETERMINER: end_words' determiners but those that
# also stand alone ("his is the voice", "each is a star", "another is")
NOUN_FOLLOWS = DETERMINERS - {"his", "each", "another"}
NOT_AFTER_DETERMINER = set(
    "be am is are was were been ain't isn't aren't wasn't weren't don't doesn't didn't won't wouldn't can't "
    "couldn't shouldn't shall would should could".split()
)


# verbs' plain forms that never follow "be" or "is": the verse corpus's verbs (models/verse/verbs.py) that it shows
# after "to" but never after a determiner (not also nouns: "be home", "be love") nor after "be", less the
# adjectives and those whose participle is the plain form ("to be read", "be let", "be overcome")
PLAIN_VERBS = set(
    "accept ask avoid bathe bear believe bend bind bite bother build burn care chew collect come communicate compare "
    "create cry defend deserve destroy die dine divide dread drive drop earn ease eat endure enjoy escape exist fade "
    "fear feel fetch find follow give go grow handle hang have hear hold keep kick kill know laugh lay learn leave "
    "lose make meet melt mention mix mourn pay perceive perform plant please pray prove push realize recall remember "
    "remain repeat retain roam save see seem send serve shine sit soar speak spend stay stick stop survive suspect "
    "take tell think throw tread treat trifle understand undo wake wash wear weep write".split()
)
_BE_FORMS = set("be been being is are am was were".split())
# plain forms that never follow "be", "is", "'m" or "'re": those above, and those whose participle differs ("But
# that's what I'm forget", session 22's ten topics), but "fall" ("it is fall": the season)
PLAIN_AFTER_BE = PLAIN_VERBS | PLAIN_NOT_PARTICIPLE - BE - {"fall"}


def breaks_word_order(words: list[str], word: str) -> bool:
    """Whether `word` may not follow these words (lower case, as `words_in` gives them)."""
    if not words:
        return False
    before = words[-1]
    if word == "be" and (before in _BE_FORMS or before.endswith(("'s", "'re", "'m")) and before != "let's"):
        return True  # "where the wind is be" ("let's be friends" is whole)
    if (before in _BE_FORMS or before.endswith(("'m", "'re"))) and word in PLAIN_AFTER_BE:  # "I'm forget"
        return True
    if word == "it's" and before in PREPOSITIONS:  # "to the end of it's nose"
        return True
    if is_possessive(before) and (word in (before[:-2], before[:-2] + "s") or is_possessive(word)):  # "the door's door"
        return True
    if before in NOUN_FOLLOWS and word in NOT_AFTER_DETERMINER:  # "where the be"
        return True
    index = len(words) - 1
    while index > 0 and words[index] in ADVERBS:
        index -= 1
    head = words[index]  # the word before, or the one before its adverbs ("they're just ain't true")
    if head in FINITE and word in FINITE:  # "the stars are ain't there"
        return True
    if head.endswith(_CONTRACTIONS) and word in FINITE:
        return not (head.endswith("'s") and word in _NOUN_AFTER_POSSESSIVE)
    if word not in PLAIN_NOT_PARTICIPLE and word not in PAST_NOT_PARTICIPLE:
        return False
    if word == "be" and head in SUBJECTS:  # "it be", "we never be"
        return index == 0 or words[index - 1] not in BEFORE_SUBJECT_BE
    if head in PERFECT or head.endswith("'ve"):
        return True
    return word in PAST_NOT_PARTICIPLE and (head in BE or head.endswith(("'m", "'re")))
