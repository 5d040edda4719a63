"""Stressed syllables on strong beats: whether a word may sit where a melody puts it.

A melody's strong beats (the downbeat, and mid-bar in even metres: `lyrics.strong_beat`) want stressed
syllables. A word of two or more syllables whose main stress would fall on a weak beat while one of its
unstressed syllables takes a strong one is sung wrong ("beau-TI-ful"); one-syllable words and words the
pronouncing dictionary does not know go anywhere.

    stress_fits(words, [True, False, True, False], "beautiful", 0)    # True: BEAU-ti-FUL
    stress_fits(words, [True, False, True, False], "beautiful", 1)    # False
"""

from __future__ import annotations

from models.verse.pronounce import Pronouncing


def stress_fits(words: Pronouncing, strong: list[bool] | None, word: str, start: int) -> bool:
    """Whether `word` may sit at syllables [start, start + n) of a line whose syllables fall on `strong` beats
    (None: no melody, anything fits). Any of the word's pronunciations may fit."""
    if not strong or not words.knows(word):
        return True
    count = words.syllables(word)
    if count < 2:
        return True
    for stress in words.stresses(word):
        if len(stress) != count:
            continue
        beats = strong[start : start + count]
        if len(beats) < count:
            return True
        stressed = [i for i, s in enumerate(stress) if s == "1"]
        unstressed = [i for i, s in enumerate(stress) if s == "0"]
        # the main stress may not fall on a weak beat while an unstressed syllable takes a strong one
        if not (stressed and not beats[stressed[0]] and any(beats[i] for i in unstressed)):
            return True
    return False
