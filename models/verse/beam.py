"""The records of the line search (models/verse/constrained.py): a beam (a line being written), a finished
line as ranked (its text, its rank, what its end cost), and the text of every token, decoded once.

    Ranked("I walk along the shore", -1.2, 0.0)    # an end the model expects: it costs nothing
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass
class Beam:
    tokens: list[int]
    text: str
    score: float
    done_syllables: int = 0
    partial: str = ""
    words: list[str] = field(default_factory=list)
    must_end: bool = False  # finished on a rhyming word: only the line end may follow
    hang: float = 0.0  # what its end costs the finished line's rank (see `FormWriter._hang_cost`)
    owed: float = 0.0  # what its words so far cost while they are a string of nouns (see `FormWriter._owed`)


class Ranked(NamedTuple):
    """A finished line: its text, its rank (mean log-probability per token, the topic's bonus, less `hang`),
    and `hang`, what its end cost: above 0 when the model, in the line's context, gives the line's end after
    its last word less than e^DANGLING_FLOOR ("The storm is a story, a true")."""

    text: str
    score: float
    hang: float = 0.0

    @property
    def hangs(self) -> bool:
        return self.hang > 0


_PIECES: dict[int, tuple[object, list[str]]] = {}


def token_pieces(tokenizer) -> list[str]:
    """Every token's text, decoded once per tokenizer (49,152 decodes take a few seconds)."""
    kept = _PIECES.get(id(tokenizer))
    if kept is None or kept[0] is not tokenizer:
        kept = (tokenizer, [tokenizer.decode([i]) for i in range(tokenizer.vocab_size)])
        _PIECES[id(tokenizer)] = kept
    return kept[1]
