"""A line's shape: its small words in order, its content words as slots. A song that says one shape line after line
has fallen into a template.

The winter night's last stanza of session 8 (bench/text_quality.py): "The star in the sky's a shadow / The ice in
the lake's a rainbow / The snowflakes in the snow's a snow / The frost on the hill's a low": each line copies the
one before with new nouns, which the 135M model finds ever likelier as the template repeats, and which the
openings' cost (first two words) does not hear. Two lines of one shape are a figure songwriters use ("And the
sunsets are pretty / And the stars are shining bright"); the third is a template, and pays.

    shape("The star in the sky's a shadow")        # ['the', '_', 'P', 'the', "_'s", 'a', '_']
    shape_cost("The ice in the lake's a rainbow", ["The star in the sky's a shadow"])   # 0.0: the first repeat
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
