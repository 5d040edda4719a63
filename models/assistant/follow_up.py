"""Follow-ups that change the conversation's last request: "make it sadder", "faster", "like Hokusai", "in G minor",
"longer". The earlier message is rewritten with the change and read again as any request is, so the answer says what
it understood, and the old words the change replaces (a painter, a key, an opposite mood) are taken out first.
"""

from __future__ import annotations

import re

from models.assistant.requests import MODES, PAINTERS, parse_request

COMPARATIVES = {
    "sadder": "sad",
    "happier": "happy",
    "faster": "fast",
    "quicker": "quick",
    "slower": "slow",
    "calmer": "calm",
    "gentler": "gentle",
    "softer": "soft",
    "darker": "dark",
    "brighter": "bright",
    "livelier": "lively",
    "wilder": "wild",
    "simpler": "simple",
    "stormier": "stormy",
    "mistier": "misty",
    "sunnier": "sunny",
}
# A mood word replaces the earlier words of its families: "make it happier" after "a sad tune" is not "sad happy".
FAMILIES = [
    {"sad", "happy", "joyful", "cheerful", "melancholy", "mournful", "gloomy", "lonely", "bright", "sunny", "dark"},
    {"fast", "quick", "lively", "upbeat", "energetic", "slow", "calm", "gentle", "peaceful", "soft", "tender"},
    {"stormy", "storm", "calm", "misty", "foggy", "sunny", "quiet", "serene", "wild"},
    {"simple", "plain", "wild", "adventurous", "strange"},
]
MOOD_WORDS = set(COMPARATIVES.values()).union(*FAMILIES) | {"mysterious", "haunting", "eerie"}
_PAINTER = "|".join(pattern for pattern, _, _ in PAINTERS)
_KEY = rf"\b(?:in|key of)\s+[a-g](?:\s*(?:#|♯|♭|sharp|flat|b\b))?(?:\s+(?:{'|'.join(MODES)}))?\b"
_FOLLOW_UP = re.compile(
    r"^(?:(?:ok|okay|now|and|great|nice|please|hmm|thanks)[,!.]* )*(?:(?:can|could|would) you )?"
    r"(?:(?:make|do|try|paint|play|write|compose) (?:it|that|this|one)(?: again)?|now|but|again but|same but)?\s*"
    r"(?:a (?:bit|little|lot) |much |even |more )?(?P<change>.+?)(?: please| instead| this time)?[.!?]*$"
)


def follow_up_change(text: str) -> str | None:
    """The change a message asks of the last request ("sadder", "like hokusai", "in g minor", "longer"), or None
    when it is not such a follow-up ("make it rhyme", "thanks")."""
    text = " ".join(text.lower().split())
    match = _FOLLOW_UP.match(text)
    if match is None:
        return None
    change = match.group("change")
    led = change != text.rstrip(".!?")  # "make it sad", "more happy": a bare "sad" is talk
    words = set(re.findall(r"[a-z]+", change))
    if re.fullmatch(rf"(?:(?:like|in the style of|as|by|in)\s+)?(?:{_PAINTER})(?:'s)?(?:\s+style)?", change):
        return change
    if re.fullmatch(rf"{_KEY}|in (?:{'|'.join(MODES)})|(?:as )?a (?:waltz|jig|reel)|longer|shorter", change):
        return change
    if words and words <= (set(COMPARATIVES) | MOOD_WORDS | {"and", "more", "less", "a", "bit", "little", "lot"}):
        return change if words & set(COMPARATIVES) or (led and words & MOOD_WORDS) else None
    return None


def changed_message(earlier: str, change: str) -> str:
    """The earlier request with the change made: "paint a stormy harbour like Turner" + "like hokusai" ->
    "paint a stormy harbour like Hokusai"; "compose a sad jig" + "happier" -> "compose a happy jig". A change that
    does not fit the request (a painter for a tune, a key for a painting) leaves it as it was."""
    text = " ".join(earlier.split())
    music = parse_request(text).kind in ("melody", "song")
    for pattern, _, title in PAINTERS:
        if re.search(rf"\b({pattern})\b", change):
            if music:
                return text
            text = re.sub(rf",?\s*\b(?:(?:in the style of|like|by|after|as|in)\s+)?(?:{_PAINTER})(?:'s)?(?:\s+style)?\b",
                          "", text, flags=re.IGNORECASE)
            return f"{text} like {title}"
    key = re.search(_KEY, change)
    if not music and (key or re.fullmatch(rf"in (?:{'|'.join(MODES)})|longer|shorter|(?:as )?a (waltz|jig|reel)", change)):
        return text
    if key or re.fullmatch(rf"in (?:{'|'.join(MODES)})", change):
        text = re.sub(_KEY, "", text, flags=re.IGNORECASE)
        text = re.sub(rf"\b(?:{'|'.join(MODES)})\b", "", text, flags=re.IGNORECASE)
        return re.sub(r"\s+,", ",", " ".join(f"{text} {change}".split()))
    if change in ("longer", "shorter"):
        bars = re.search(r"\b(\d+)([\s-]+(?:bars?|measures?))\b", text, flags=re.IGNORECASE)
        now = int(bars.group(1)) if bars else (16 if re.search(r"\bsong\b", text, re.IGNORECASE) else 8)
        wanted = max(1, now * 2 if change == "longer" else now // 2)
        if bars:
            return text[: bars.start(1)] + str(wanted) + text[bars.end(1):]
        return f"{text}, {wanted} bars"
    if waltz := re.fullmatch(r"(?:as )?a (waltz|jig|reel)", change):
        return f"{text} as a {waltz.group(1)}"
    moods = [COMPARATIVES.get(word, word) for word in re.findall(r"[a-z]+", change)]
    moods = [word for word in moods if word in MOOD_WORDS]
    for mood in moods:
        for family in FAMILIES:
            if mood in family:
                text = re.sub(rf"\b(?:{'|'.join(family)})\b,?\s*", "", text, flags=re.IGNORECASE)
        if mood in FAMILIES[0]:  # a sad or happy tune picks its own mode: "in D minor" made happier is in D major
            text = re.sub(r"\s+\b(?:major|minor)\b", "", text, flags=re.IGNORECASE)
    # the mood before the thing asked for ("a sad jig", "a misty harbour"), where the subject and the style are read
    article = re.search(r"\b(paint|draw|sketch|compose|write|make|play|give)\b(?: me)?\s+(?:an?|the|some)\b\s*", text,
                        flags=re.IGNORECASE)
    if article is None:
        return f"{text} {' '.join(moods)}"
    lead = re.sub(r"\ban$", "a", article.group(0).rstrip()) + " "
    return text[: article.start()] + lead + " ".join(moods) + " " + text[article.end():]

