"""What the assistant says about Atelier when asked "what can you do?", "help", or something it cannot
place: what each tab does, with requests that work as typed."""

from __future__ import annotations

import re

HELP_PATTERN = re.compile(
    r"^\s*(help|\?+|menu|commands|examples?)\s*[.!?]*\s*$"
    r"|\bwhat (can|do) you do\b|\bwhat are you (for|able to do)\b|\bhow (do|can|should) i use (you|this|atelier)\b"
    r"|\bwhat is atelier\b|\bwhat can i (ask|do|say)\b|\bwho are you\b|\bhow does this work\b",
    re.IGNORECASE,
)
UNCLEAR_PATTERN = re.compile(
    r"^\s*(make|create|do|generate|give me|show me|draw|write)( me)?( something| anything| stuff| it| some art)?"
    r"( (nice|cool|good|interesting|fun))?\s*[.!?]*\s*$",
    re.IGNORECASE,
)

HELP_TEXT = """I am Atelier's assistant. I run on this computer and hand work to the three tabs:

- **Paint** renders your sketch or photo in a painter's style (Van Gogh, Turner, Hokusai, Munch), or paints new pictures from scratch.
- **Compose** writes melodies in a style, key and length (Irish, Scottish, fiddle, Bach chorale), plays and exports them as MIDI or WAV.
- **Chat** (here) asks both of them for you and writes the words: lyrics fitted to a melody, titles for a painting, poems and haiku.

Try one of these:
- "paint a stormy harbour like Turner"
- "compose a sad Irish tune in D minor, 16 bars", then "lyrics for my last melody"
- "write a song about the sea in D minor" (melody, lyrics and a cover painting in one folder)
- "five titles for this painting", "write a haiku about autumn\""""


def is_help(message: str) -> bool:
    return bool(HELP_PATTERN.search(message))


def is_unclear(message: str) -> bool:
    return bool(UNCLEAR_PATTERN.match(message))


# The verse forms the assistant writes, explained when asked about ("What is a haiku?", "what's a quatrain?"). Asked
# as talk, the built-in chat model got them wrong at 3 seeds of 3 ("two lines of poetry", "three lines in 5
# syllables each"; session 14), so the answer is written here: (how the form is named, the sentence, how to ask).
FORMS = {
    "haiku": (
        r"\bhaikus?\b",
        "A haiku is a short poem from Japan that catches one moment, often of nature or a season: in English, three "
        "lines of 5, 7 and 5 syllables.",
        "Ask “write a haiku about the first snow” and I will write one.",
    ),
    "quatrain": (
        r"\bquatrains?\b",
        "A quatrain is a verse of four lines, often rhymed AABB (two couplets) or ABAB (alternate lines).",
        "Ask “write a poem about the sea, rhymed ABAB” and I will write one, eight syllables a line.",
    ),
}


def form_named(text: str) -> str | None:
    """The verse form a message names, of those in FORMS."""
    return next((form for form, (pattern, _, _) in FORMS.items() if re.search(pattern, text, re.IGNORECASE)), None)
