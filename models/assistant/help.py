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
