"""A line the verse writer gives up on is written again, and an answer never shows a blank line in silence.

Session 14, used as a new user would: Regenerate on a haiku answered "A haiku about “the seasons”: 5, 7 and 5
syllables." above two lines (/work/helpers/firsthour/shots/A4_chat_regenerated.png); the writer had returned an
empty third line (2 of 12 seeds in one process). The writer here is a stand-in: what these tests check is what
write_lines does with an empty line, not the chat model's decoding (seconds a line).
"""

from __future__ import annotations

import pytest

from models.assistant import writing
from models.verse.line_form import LineForm

FORMS = [LineForm(syllables=5), LineForm(syllables=7), LineForm(syllables=5)]


class Writer:
    def __init__(self, first: list[str], again: list[str]) -> None:
        self.first, self.again = first, again  # the whole poem, then each line asked again in turn
        self.asked: list[tuple[list[str], int]] = []  # (the lines before it, seed) of each line asked again
        self.words = None

    def write(self, request, forms, scheme, seed, previous=(), topic=None):
        if len(forms) == len(FORMS):
            return list(self.first)
        self.asked.append((list(previous), seed))
        return [self.again.pop(0)]

    def each_line(self, request, forms, scheme, seed, previous=(), topic=None):
        yield from self.write(request, forms, scheme, seed, previous, topic)


@pytest.fixture
def writer(monkeypatch):
    def make(first, again):
        made = Writer(first, again)
        monkeypatch.setattr(writing, "song_writer", lambda: made)
        return made

    return make


def test_an_empty_line_is_written_again_after_fewer_lines_until_one_fits(writer):
    fake = writer(["In the dawn, the snow", "Frozen, I am the season", ""], ["", "", "The winter, the spring"])
    lines, note = writing.write_lines("Write a haiku about the seasons.", FORMS, None, 11, topic="the seasons")
    assert lines == ["In the dawn, the snow", "Frozen, I am the season", "The winter, the spring"] and note == ""
    assert [before for before, _ in fake.asked] == [lines[:2], lines[1:2], []]
    assert len({seed for _, seed in fake.asked} | {11}) == 4  # another seed each time


def test_a_line_still_empty_is_named_in_the_note(writer):
    writer(["", "Frozen, I am the season", ""], [""] * 6)
    lines, note = writing.write_lines("Write a haiku about the seasons.", FORMS, None, 11)
    assert lines[0] == lines[2] == ""
    assert note == "(No lines that fit were found for lines 1 and 3.)"


def test_a_whole_poem_asks_nothing_again(writer):
    fake = writer(["In spring, the sun shines", "In summer, the moon is bright", "In autumn, the leaves"], [])
    lines, note = writing.write_lines("Write a haiku about the seasons.", FORMS, None, 0)
    assert fake.asked == [] and note == "" and len(lines) == 3
