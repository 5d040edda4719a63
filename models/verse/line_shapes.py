"""A line's shape: its small words in order, its content words as slots. A song that says one shape line after line
has fallen into a template.

The winter night's last stanza of session 8 (bench/text_quality.py): "The star in the sky's a shadow / The ice in
the lake's a rainbow / The snowflakes in the snow's a snow / The frost on the hill's a low": each line copies the
one before with new nouns, which the 135M model finds ever likelier as the template repeats, and which the
openings' cost (first two words) does not hear. Two lines of one shape are a figure songwriters use ("And the
sunsets are pretty / And the stars are shining bright"); the third is a template, and pays.

    shape("The star in the sky's a shadow")        # ['the', '_', 'P', 'the', "_'s", 'a', '_']
    shape_cost("The ice in the lake's a rainbow", ["The star in the sky's a shadow"])   # 0.0: the first repeat

A template is also heard in how lines open, when the rest of each line differs: the open road of session 9 said
"The sun's on it, the stars are way / The wind's on it, the sky's on it / ..." in twelve lines, and the winter night
"To you, to me, I sing about / To me, to you, I write". Their first two words differ, so the openings' cost did not
hear them; their opening shape (the first three slots, the pronouns one slot) is one.

    opening_shape("The wind's on it, the sky's on it")     # ('the', "_'s", 'P')
    opening_shape("To me, to you, I write")                # ('P', 'PRON', 'P')

And in how they close: coming home of session 10 ended its last five lines "To my doorstep, to your view / To the
sun's rays, to your bed / The world is yours, to your side / The fire is lit, to your head / The moon's shining, to
your ride". Each line differs in its opening and its whole shape; its closing shape (the last three slots) is one.
Two lines in a row closing alike are a figure; a closing shape said in two of the song's last three lines is stale
for the next (`stale_closings`): bench/text_quality.py counts the lines that close in one. (Charging it in the search,
as an opening shape is, was tried in session 11 and did not move that song: its every candidate closed so.)

    closing_shape("The fire is lit, to your head")        # ('P', 'your', '_')
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from models.verse.line_form import FUNCTION_WORDS
from models.verse.pronounce import words_in

# off a line's rank (mean log-probability per token) for each recent line of its shape past the first, as
# lyrics.OPENING_COST is for openings said again
SHAPE_COST = 0.5
RECENT = 3  # the lines a shape is compared with: the template came in consecutive lines
ALIKE = 0.8  # shapes this similar (difflib's ratio) are one: "And me, to be with my mother / ... my father's ghost"
# prepositions are one slot: "The frost on the hill's" is the shape of "The star in the sky's"
PREPOSITIONS = set("in on at by for with from to of into onto upon under over through across along".split())


def shape(line: str) -> list[str]:
    """The line's small words (prepositions as "P"), its content words as "_" (a run of them as one, a noun's "'s"
    kept: "_'s")."""
    out: list[str] = []
    for word in words_in(line):
        slot = (
            "P" if word in PREPOSITIONS else word if word in FUNCTION_WORDS else "_'s" if word.endswith("'s") else "_"
        )
        if slot.startswith("_") and out and out[-1] == "_":
            out[-1] = slot
        else:
            out.append(slot)
    return out


# the pronouns, and their contractions ("I'm", "you're", "we'll"), are one slot: "I'm on it / You're on it" is one
# opening heard twice
PRONOUNS = set("i you he she it we they me him her us them".split())
OPENING_SLOTS = 3


def _slots(line: str) -> list[str]:
    """The line's shape (`shape`) with each pronoun, or a pronoun's contraction, as "PRON"."""
    out: list[str] = []
    for word in words_in(line):
        slot = "PRON" if word.split("'")[0] in PRONOUNS else shape(word)[0]
        if slot.startswith("_") and out and out[-1] == "_":
            out[-1] = slot
        else:
            out.append(slot)
    return out


def opening_shape(line: str) -> tuple[str, ...] | None:
    """The shape of the line's first OPENING_SLOTS slots, or None when it has fewer, or says fewer than two small
    words there (content words alone are no template: "Snow falls, bells ring")."""
    found = tuple(_slots(line)[:OPENING_SLOTS])
    if len(found) < OPENING_SLOTS or sum(not slot.startswith("_") for slot in found) < 2:
        return None
    return found


def closing_shape(line: str) -> tuple[str, ...] | None:
    """The shape of the line's last OPENING_SLOTS slots, or None as `opening_shape`."""
    found = tuple(_slots(line)[-OPENING_SLOTS:])
    if len(found) < OPENING_SLOTS or sum(not slot.startswith("_") for slot in found) < 2:
        return None
    return found


def stale_closings(lines: Sequence[str]) -> set[tuple[str, ...]]:
    """The closing shapes said in at least two of the song's last RECENT lines: a third line closing so makes a
    template (the template came in consecutive lines, or every other line in ABAB)."""
    found = [closing for closing in map(closing_shape, lines[-RECENT:]) if closing is not None]
    return {closing for closing in found if found.count(closing) >= 2}


def settles_opening(words: list[str]) -> tuple[str, ...] | None:
    """The opening shape of these words (a line being written, lower case) when its last word just settled it
    (the words before it had fewer than OPENING_SLOTS + 1 slots, these have more: the third slot can no longer
    grow), else None."""
    if len(_slots(" ".join(words))) <= OPENING_SLOTS or len(_slots(" ".join(words[:-1]))) > OPENING_SLOTS:
        return None
    return opening_shape(" ".join(words))


def has_a_shape(found: list[str]) -> bool:
    """Whether a shape says enough small words to be heard as one: "the _ is my _", not "_ the _"."""
    return len(found) >= 4 and sum(not slot.startswith("_") for slot in found) >= 2


def shape_cost(line: str, lines: Sequence[str]) -> float:
    """SHAPE_COST for each of the song's last RECENT lines of the line's shape, past the first."""
    found = shape(line)
    if not has_a_shape(found):
        return 0.0
    alike = sum(SequenceMatcher(None, found, shape(earlier)).ratio() >= ALIKE for earlier in lines[-RECENT:])
    return SHAPE_COST * max(0, alike - 1)
