"""Pieces of a line made only of small words: they say nothing.

The 135M model, kept to a count and a rhyme, falls back on phrases of pronouns and particles: "You are me. You are
the divine / The god of the gods. You are me" (the open road, session 17), "In the darkness, it is me, I bow", "To
be me, to be me, and the sea", "To me, they're mine to you". Each such piece is likely to the model (every word in
it is common) and fills syllables without meaning. Read aloud, 58 of the 63 stored bench lines (bench/results, all
sessions) that hold a piece of two or more small words between commas or stops are wrong; the five that are not
are stock ("For you, for me, and all the rest", "You are with me. You are the king"). docs/chat-engine.md
(session 18) measures the cost on the writer.

A pronoun's contraction is as small ("I'll be me", "You're on it, you'll never get away", "it's me", "they'll be
me"): of the 52 more stored lines it flags, 48 are wrong read aloud; the 4 that are not are stock ("You're with me,
in my soul tonight", "That's me, I'll never forget it").

    empty_pieces("In the darkness, it is me, I bow")     # ['it is me']
    empty_pieces("I'm on it, I'll be on it till dawn")   # ["I'm on it"]
    empty_pieces("To be the first, I'll not be the last")  # []: "first" says something
"""

from __future__ import annotations

import re

from models.verse.line_form import FUNCTION_WORDS
from models.verse.pronounce import words_in

# off a line's rank (mean log-probability per token) for each such piece: as much as a rhyme glued on
# (glued_rhymes.GLUED_RHYME_NATS x HANG_COST), a fault heard as often
EMPTY_PIECE_COST = 1.0
# one small word alone is a call ("Oh, the sea") or a tail the glued-rhyme reading hears ("..., no")
SHORTEST_PIECE = 2
_BREAKS = re.compile(r"[,.;:!?]|--")
# "i'll", "you're", "it's", "that's": a pronoun and its verb, both small words
_CONTRACTION = re.compile(r"^(i|you|he|she|it|we|they|that)'(ll|m|re|ve|d|s)$")


def _small(word: str) -> bool:
    return word in FUNCTION_WORDS or bool(_CONTRACTION.match(word))


def empty_pieces(line: str) -> list[str]:
    """The line's pieces (between commas and stops) of at least SHORTEST_PIECE words, all of them small words
    (line_form.FUNCTION_WORDS: articles, pronouns, "is", "to", ...; and pronouns' contractions)."""
    pieces = [piece.strip() for piece in _BREAKS.split(line)]
    return [piece for piece in pieces if len(words_in(piece)) >= SHORTEST_PIECE and all(map(_small, words_in(piece)))]


def empty_piece_cost(line: str) -> float:
    """EMPTY_PIECE_COST for each piece of the line made only of small words."""
    return EMPTY_PIECE_COST * len(empty_pieces(line))
