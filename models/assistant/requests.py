"""Recognise creative requests in a chat message, deterministically, from tables.

"paint a stormy harbour like Turner" -> a painting request (style, subject, render parameters);
"compose a sad Irish tune in D minor, 16 bars" -> a melody request (style, key, mode, bars, ...);
"lyrics for my last melody", "five titles for this painting", "write lines about the sea",
"blend 'A' and 'B'", "riff on 'A'", "lines like 'A'" -> the text VAE. Anything else is conversation.
Each request carries `understood`, one sentence saying what was understood, so the user can correct it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from models.assistant.help import FORMS, form_named, is_help, is_unclear
from models.music.request import usual_tempo

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "sixteen": 16,
    "twenty": 20,
    "twenty-four": 24,
    "thirty-two": 32,
    "a couple of": 2,
    "a few": 3,
}
_NUMBER = r"(\d+|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"

# painter words -> shipped style name
PAINTERS = [
    (r"van gogh|gogh|vincent|starry night|sunflowers", "van-gogh", "Van Gogh"),
    (r"turner", "turner", "Turner"),
    (r"hokusai|great wave|ukiyo-?e|woodblock", "hokusai", "Hokusai"),
    (r"munch|the scream|scream", "munch", "Munch"),
    (r"picabia", "picabia", "Picabia"),
    (r"matisse", "matisse", "Matisse"),
]

# words that change how strongly the style paints -> (changes to the painting parameters, words for the user);
# the scene's light and weather come from the subject's own mood words (models/paint/scene/words.py)
PAINT_TOUCH = [
    (r"vivid|bold|vibrant|intense|fiery", {"palette": 1.0, "strength": 1.0}, "full painter's palette, bold strokes"),
    (r"subtle|faint|light touch", {"palette": 0.3, "strength": 0.6}, "a light touch of the style"),
]

MELODY_STYLES = [
    (r"irish|celtic|jig|reel|hornpipe", "irish", "Irish"),
    (r"scottish|scots|highland|strathspey|slow air", "scottish", "Scottish"),
    (r"fiddle|old-?time|bluegrass|american|appalachian", "fiddle", "fiddle"),
    (r"bach|chorale|baroque|hymn", "bach", "Bach chorale"),
]

# mood word -> (changes to the melody parameters, words for the user)
MUSIC_MOODS = [
    (
        r"sad|melanchol(y|ic)|mournful|sorrowful|lament|gloomy|lonely|dark",
        {"mode": "minor", "tempo_scale": 0.8, "note_length": 4.0},
        "minor mode, slower, longer notes",
    ),
    (r"happy|joyful|cheerful|bright|sunny", {"mode": "major", "tempo_scale": 1.1}, "major mode, a little faster"),
    (r"lively|dance|energetic|fast|quick|upbeat", {"tempo_scale": 1.25}, "faster"),
    (
        r"calm|gentle|peaceful|slow|lullaby|soft|tender",
        {"tempo_scale": 0.8, "temperature": 0.8, "note_length": 3.0},
        "slower, smoother, longer notes",
    ),
    (r"mysterious|haunting|eerie|ancient|modal", {"mode": "dorian"}, "dorian mode"),
    (r"wild|adventurous|surprising|experimental|strange", {"temperature": 1.3}, "more adventurous"),
    (r"simple|plain|predictable", {"temperature": 0.7}, "plainer lines"),
]
MODES = ("major", "minor", "dorian", "mixolydian", "lydian", "phrygian", "aeolian", "ionian", "locrian")
METER_WORDS = [(r"waltz", "3/4"), (r"\bjig\b", "6/8"), (r"\breel\b|\bhornpipe\b|\bmarch\b", "4/4")]
# "for piano", "on the violin": the General MIDI instrument the melody is played on (flute when none is named).
# "fiddle" names a style; "on the fiddle" is its instrument too.
INSTRUMENTS = [
    (r"(?:grand |acoustic )?piano", 0, "piano"),
    (r"harpsichord", 6, "harpsichord"),
    (r"(?:church |pipe )?organ", 19, "organ"),
    (r"accordion", 21, "accordion"),
    (r"(?:acoustic |classical |nylon )?guitar", 24, "guitar"),
    (r"violin|fiddle", 40, "violin"),
    (r"viola", 41, "viola"),
    (r"cello", 42, "cello"),
    (r"harp", 46, "harp"),
    (r"strings|string quartet", 48, "strings"),
    (r"choir|voices", 52, "choir"),
    (r"trumpet", 56, "trumpet"),
    (r"trombone", 57, "trombone"),
    (r"(?:french )?horn", 60, "horn"),
    (r"(?:alto |tenor )?sax(?:ophone)?", 65, "saxophone"),
    (r"oboe", 68, "oboe"),
    (r"bassoon", 70, "bassoon"),
    (r"clarinet", 71, "clarinet"),
    (r"flute", 73, "flute"),
    (r"recorder", 74, "recorder"),
    (r"(?:tin )?whistle", 78, "whistle"),
    (r"banjo", 105, "banjo"),
    (r"bagpipes?", 109, "bagpipes"),
]
_INSTRUMENT_NAMES = "|".join(f"(?:{pattern})" for pattern, _, _ in INSTRUMENTS)
_INSTRUMENT = re.compile(rf"\b(?:for|on|with)\s+(?:an? |the |solo )?(?P<name>{_INSTRUMENT_NAMES})\b"
                         rf"|\b(?P<before>{_INSTRUMENT_NAMES})\s+(?:tune|melody|piece|solo|air)\b")


@dataclass
class CreativeRequest:
    # painting, melody, song, lyrics, titles, poem, haiku, lines, blend, riff, similar, play, again, change, help, chat
    kind: str
    params: dict = field(default_factory=dict)
    moods: list[str] = field(default_factory=list)
    understood: str = ""


def _number(text: str) -> int | None:
    text = text.lower().strip()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text)


def _quoted(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r"[\"“]([^\"”]+)[\"”]|(?<![A-Za-z])'([^']+)'(?![A-Za-z])", text)]


def _moods(text: str, table) -> tuple[dict, list[str], list[str]]:
    changes: dict = {}
    found, effects = [], []
    for pattern, change, words in table:
        match = re.search(rf"\b({pattern})\b", text)
        if match:
            found.append(match.group(0))
            effects.append(words)
            for key, value in change.items():
                if key.endswith("_scale"):
                    changes[key] = changes.get(key, 1.0) * value
                elif key in ("mode",):
                    changes.setdefault(key, value)
                elif key in ("palette", "strength", "temperature"):
                    changes[key] = value
                else:
                    changes[key] = changes.get(key, 0.0) + value
    return changes, found, effects


def _count(text: str, nouns: str, default: int) -> int:
    match = re.search(rf"\b{_NUMBER}\s+(?:\w+\s+)?(?:{nouns})\b", text)
    value = _number(match.group(1)) if match else None
    return max(1, min(value or default, 20))


# how a message names its rhyme scheme ("..., ABAB", "rhymed aabb", "no rhyme"): not part of the topic
RHYME_WORDS = re.compile(
    r",?\s*\b(?:(?:rhymed|rhyming|in|as)\s+)?(?:abab|aabb)\b"
    r"|,?\s*\b(?:no rhymes?|unrhymed|without rhym\w*|free verse|don't rhyme)\b"
)


# A picture asked for a piece of music ("a cover for this song", "make a picture for my tune") is a painting.
_PICTURE_FOR_MUSIC = re.compile(
    r"\b(picture|painting|cover|artwork|image|illustration|drawing)\b.*\bfor\b.*\b(song|melody|tune|music)\b"
)

# Titles asked for a song are titles, not a new song: "three titles for a song about leaving home", "a song title
# about rain", "what should I call this painting?".
_TITLES = re.compile(r"\btitles?\b|\bname (for|this)\b|\bwhat (should|shall|could|can|do) (i|we) (call|name)\b")
_TITLES_FOR_SONG = re.compile(r"\btitles?\b.*\bsong\b|\bsong titles?\b")

# The chat cannot see a photo: "turn this photo into a Munch painting" painted a made-up landscape. Say where to.
_OWN_PICTURE = re.compile(
    r"\b(this|my|our) (own )?(photo|photograph|snapshot|selfie|picture|image|sketch|drawing)\b"
    r".*\b(into|in|as|like)\b.*\b(painting|style|van gogh|gogh|turner|hokusai|munch)\b"
    r"|\b(turn|make|render|convert|transform) (this|my|our) (own )?(photo|photograph|snapshot|selfie|picture|image)\b"
)
OWN_PICTURE_HELP = (
    "I cannot see pictures in the chat. To paint your own photo or sketch: open it in the Paint tab (File ▸ Open "
    "image…, Ctrl+O, or drop the file on the canvas), pick the painter, and press Render (Ctrl+Enter)."
)

# "another one", "again": what the conversation asked to be made last, made again with a new seed (the chat model
# answered "another one" with talk). "make it sadder" changes it first (follow_up.py).
_MAKE_AGAIN = re.compile(
    r"^(?:(?:ok|okay|great|nice|cool|thanks|please|now|and)[,!.]* )*"
    r"(?:again|once more|one more(?: time)?|try again|do it again|(?:make |give me |write |paint |do )?another(?: one)?"
    r"|(?:make |give me )?(?:another|a new|a different) (?:one|version|take)|(?:make |write |paint |compose )?(?:it|that) again)"
    r"(?: please)?[.!?]*$"
)
NOTHING_TO_MAKE_AGAIN = (
    "There is nothing to make again yet in this conversation: ask for a painting, a melody, lyrics or a poem first "
    "(“paint a stormy harbour like Turner”), then “another one” or “make it calmer”."
)


def last_creative_message(user_messages: list[str]) -> str | None:
    """What the user's messages so far ask to be made: the last that asked for something, changed by the follow-ups
    after it ("make it sadder", then "like Hokusai"). "another one" makes it again; None when nothing was asked."""
    from models.assistant.follow_up import changed_message  # here: follow_up reads this module's tables

    current = None
    for text in user_messages:
        request = parse_request(text)
        if request.kind == "change":
            current = changed_message(current, request.params["change"]) if current is not None else None
        elif request.kind not in ("chat", "help", "again", "play"):
            current = text
    return current


_PLAY_AGAIN = re.compile(
    r"^(?:(?:can|could|would|will) you |please |now )?(?:play|hear|listen to)(?: me)? "
    r"(?:it|that|this(?: one)?|(?:the|that|this|my)(?: last| new)? (?:melody|tune|song|one))\b(?: again)?(?: please)?[.!?]*$"
)


def asks_to_play_again(text: str) -> bool:
    """"play it", "play the melody", "can you play my last tune?": the melody already made, not a new one ("play the
    melody" wrote a new Irish tune, "can you play it?" went to the chat model). "play me a sad tune" still composes."""
    return bool(_PLAY_AGAIN.match(text))


def parse_request(message: str) -> CreativeRequest:
    """What the message asks for, with parameters; kind "chat" when it is not a creative request."""
    text = " ".join(message.lower().split())
    if is_help(message):
        return CreativeRequest("help", {}, [], "What I can do:")
    if is_unclear(message):
        return CreativeRequest("help", {"unclear": True}, [], "I am not sure what to make from that. What I can do:")
    if asks_about_a_form(text) and (form := form_named(text)) is not None:
        return CreativeRequest("help", {"form": form}, [], FORMS[form][1])  # answered here: see FORMS
    if re.search(r"\bhaiku\b", text) and not asks_about_a_form(text):
        theme = _about(text) or "the seasons"
        return CreativeRequest("haiku", {"theme": theme}, [], f"A haiku about “{theme}”: 5, 7 and 5 syllables.")
    if re.search(r"\bpoem\b|\bquatrain\b|\brhym(e|ing) (lines|verse)\b", text) and not asks_about_a_form(text):
        theme = _about(RHYME_WORDS.sub("", text)) or "the sea"
        scheme: str | None = "ABAB" if re.search(r"\babab\b", text) else "AABB"
        return CreativeRequest(
            "poem",
            {"theme": theme, "scheme": scheme, "lines": 4, "syllables": 8},
            [],
            f"A four-line poem about “{theme}”, eight syllables a line, rhymed {scheme}.",
        )
    if asks_to_play_again(text):
        return CreativeRequest("play", {}, [], "Play the last melody.")
    if _MAKE_AGAIN.match(text):
        return CreativeRequest("again", {}, [], "Again, with a new seed.")
    from models.assistant.follow_up import follow_up_change  # here: follow_up reads this module's tables

    if change := follow_up_change(text):  # "make it sadder", "like Hokusai": the last request, changed
        return CreativeRequest("change", {"change": change}, [], f"The last request, {change}.")
    if _OWN_PICTURE.search(text):
        return CreativeRequest("help", {"own_picture": True}, [], "Your own picture is painted in the Paint tab.")
    if _PICTURE_FOR_MUSIC.search(text) and not asks_about(text):  # "make a picture for my song" wrote a new song
        return _painting_request(text)
    if _TITLES_FOR_SONG.search(text):
        return _titles_request(text, message)
    if re.search(r"\b(write|make|compose|create|give me)\b.*\b(song|lullaby about)\b", text) and not re.search(
            r"\blyrics?\b", text):
        # a sung tune: a Scottish air unless a style is named (reels and jigs have too many notes to sing)
        named = any(re.search(rf"\b({pattern})\b", text) for pattern, _, _ in MELODY_STYLES)
        melody = _melody_request(text if named else text + " scottish")
        if not re.search(rf"\b{_NUMBER}[\s-]+(?:bars?|measures?)\b", text):
            melody.params["bars"] = 16
            melody.understood = melody.understood.replace(", 8 bars of", ", 16 bars of")
        called = re.search(r"\b(?:called|titled|named)\s+[\"“']?(.+?)[\"”']?[.!?]*$", text)
        theme = _about(text) or (called.group(1) if called else None) or "the open road"
        params = dict(melody.params) | {"theme": theme}
        return CreativeRequest(
            "song",
            params,
            melody.moods,
            f"A song sketch about “{theme}”: {melody.understood[:-1]}, lyrics fitted to it, and a cover painting.",
        )
    lyrics = r"\blyrics?\b|\bchorus\b|\brefrain\b|\bwords (for|to) (my|the|this|a) (melody|tune|song)\b|\bsing(able)? words\b"
    if re.search(lyrics, text) and not asks_about_a_form(text):
        return _lyrics_request(text, message)
    if _TITLES.search(text):
        return _titles_request(text, message)
    if re.search(r"\b(blend|mix|cross)\b", text) and len(_quoted(message)) >= 2:
        first, second = _quoted(message)[:2]
        return CreativeRequest(
            "blend",
            {"first": first, "second": second, "steps": 5},
            [],
            f"Blending “{first}” into “{second}” in 5 steps.",
        )
    if re.search(r"\b(riff|variations?|vary|rework)\b", text) and _quoted(message):
        line = _quoted(message)[0]
        n = _count(text, "variations?|riffs?|versions?|lines?", 5)
        return CreativeRequest("riff", {"line": line, "n": n}, [], f"{n} riffs on “{line}”.")
    if re.search(r"\b(similar|lines like|like the line)\b", text) and _quoted(message):
        line = _quoted(message)[0]
        return CreativeRequest("similar", {"line": line, "n": 5}, [], f"Lines from the collection close to “{line}”.")
    painting_words = r"\b(paint|painting|picture|draw|sketch|canvas|landscape|portrait|image|illustration|artwork)\b"
    if re.search(painting_words, text) and not asks_about(text):
        return _painting_request(text)
    music_words = (r"\b(compose|melody|tune|song|jig|reel|hornpipe|chorale|waltz|music|lullaby|slow air)\b"
                   r"|^play (me )?(something|anything)\b")
    if (
        re.search(music_words, text)
        and re.search(r"\b(compose|write|make|create|play|give|generate|new|a|an)\b", text)
        and not asks_about(text)
    ):
        return _melody_request(text)
    if re.search(r"\b(write|give me|make)\b.*\b(lines?|verses?|poem|couplet)\b", text) and not asks_about_a_form(text):
        about = re.search(r"\b(?:about|on|of)\s+(.+?)[.?!]*$", text)
        subject = _without_courtesy(about.group(1)) if about else "life"
        n = _count(text, "lines?|verses?", 4)
        return CreativeRequest("lines", {"theme": subject, "n": n}, [], f"{n} lines near the theme “{subject}”.")
    return CreativeRequest("chat", {}, [], "")


# A question about painting or music is talk, not a request to make one: "Tell me about colour in painting."
_QUESTION = re.compile(
    r"^(tell me|explain|describe|teach me|what|what's|how|why|who|when|where|which|is|are|does|do|did|should)\b"
    r"|\b(what|who|how|why) (is|was|are|were|did|do|does|makes|made)\b|\b(tell me about|tips (on|for)|advice on)\b"
)
# ...unless it asks for one all the same: "Can you paint me a harbour?", "Do a painting of a cat".
_ASKS_TO_MAKE = re.compile(
    r"\b(can|could|would|will) you (please )?(paint|draw|sketch|make|create|render|compose|write|play|give)\b"
    r"|^do (me )?(a|an|some)\b"
)


def asks_about(text: str) -> bool:
    """True for a question about painting or music ("how do I paint clouds?"), false for a request to make one."""
    return bool(_QUESTION.search(text)) and not _ASKS_TO_MAKE.search(text)


# A question about a verse form is answered, not acted on: "What is a haiku?" wrote one (session 14). Only a message
# that opens as a question counts, so "write a haiku about what is lost" is still a request, and so are "tell me
# a haiku" and "how about a haiku?".
_OPENS_AS_QUESTION = re.compile(
    r"^(tell me about|explain|describe|what|what's|how(?! about)|why|who|when|where|which|is|are|does|do|did|should)\b"
)


def asks_about_a_form(text: str) -> bool:
    """True for "what is a haiku?" or "how do I write a poem?", false for "can you write me a haiku?"."""
    return bool(_OPENS_AS_QUESTION.match(text)) and not _ASKS_TO_MAKE.search(text)


def _about(text: str) -> str | None:
    """The topic after "about" (up to a key, a style or the end): "a song about the sea in D minor" -> "the sea";
    "how about a haiku?" and "what about a song?" offer the thing, they name no topic."""
    match = re.search(r"(?<!how )(?<!what )\babout\s+(.+?)(?:\s+(?:in [a-g]\b|in the style|like|with|,).*)?[.?!]*$", text)
    return _without_courtesy(match.group(1)) if match else None


def _without_courtesy(topic: str) -> str:
    """The topic less a courtesy at its end: "a haiku about autumn please" wrote a haiku about "autumn please"."""
    return _POLITE_END.sub("", topic).strip(" .!?")


_POLITE_END = re.compile(r"(?:[\s,]+(?:please|thanks|thank you|for me|if you can|if you could|if you would|if you don't mind))+[\s.!?]*$")


def _painting_request(text: str) -> CreativeRequest:
    from models.paint.scene.words import left_out, mood_effect, read_subject

    style, painter = None, None
    for pattern, name, title in PAINTERS:
        if re.search(rf"\b({pattern})\b", text):
            style, painter = name, title
            break
    changes, touches, touch_effects = _moods(text, PAINT_TOUCH)
    params: dict[str, Any] = {"style": style, "strength": 1.0, "palette": 0.6, **changes}
    if _PICTURE_FOR_MUSIC.search(text):  # "a cover for my song about the sea": the song's topic, not the cover
        params["subject"] = _about(text) or "a landscape"
    else:
        subject = re.search(
            r"\b(?:paint|draw|sketch|(?:picture|painting|image|illustration|drawing) of)\s+(?:me\s+)?(?:(?:a|an|the|some)\b)?\s*(.+?)(?:\s+(?:like|in the style of|by|as|after)\b.*)?$",
            text,
        )
        named = subject.group(1) if subject else ""
        named = re.sub(r"^(?:picture|painting|image|sketch|drawing) of (?:(?:a|an|the)\s+)?", "", named)
        named = re.sub(r",?\s*\b(?:in\s+)?(?:the\s+)?(?:[\w-]+\s+){1,2}style\b.*$", "", named)  # "..., Van Gogh style"
        params["subject"] = named.strip(" .!?,") or "a landscape"
    params["size"] = (768, 512)
    # What the scene composer will read in the subject: its moods (light, weather) and the things it names.
    reading = read_subject(params["subject"])
    moods = [reading.words[mood] for mood in reading.moods] + touches
    effects = [mood_effect(mood, reading.elements) for mood in reading.moods] + touch_effects
    who = painter or "No painter named, so the first style in the list"
    understood = f"{who}, {', '.join(moods)}: {'; '.join(effects)}" if moods else f"{who}: the painter's own palette"
    things = f" ({', '.join(sorted(reading.elements))})" if reading.elements else ""
    return CreativeRequest(
        "painting", params, moods, f"{understood} — painting {params['subject']}{things}.{left_out(params['subject'])}"
    )


def _melody_request(text: str) -> CreativeRequest:
    style, style_title = "irish", "Irish"
    for pattern, name, title in MELODY_STYLES:
        if re.search(rf"\b({pattern})\b", text):
            style, style_title = name, title
            break
    changes, moods, effects = _moods(text, MUSIC_MOODS)
    key, mode = "D" if style in ("irish", "scottish", "fiddle") else "C", "major"
    key_match = re.search(
        r"\b(?:in|key of)\s+([a-g])(\s*(?:#|♯|b|♭|sharp|flat))?(?:\s+(" + "|".join(MODES) + r"))?\b", text
    )
    if not key_match:
        key_match = re.search(r"\b([a-g])(\s*(?:#|♯|♭|sharp|flat))?\s+(" + "|".join(MODES) + r")\b", text)
    mode_named = False
    if key_match and not (
        key_match.group(1) == "a"
        and not key_match.group(2)
        and not key_match.group(3)
        and not re.search(r"\b(in|key of) a\b(?!\s+(sad|happy|\w+ (tune|melody)))", text)
    ):
        accidental = (key_match.group(2) or "").strip()
        key = key_match.group(1).upper() + {"#": "#", "♯": "#", "sharp": "#", "b": "b", "♭": "b", "flat": "b"}.get(
            accidental, ""
        )
        if key_match.group(3):
            mode, mode_named = key_match.group(3), True
    if not mode_named:
        alone = re.search(r"\b(" + "|".join(MODES) + r")\b", text)
        if alone:
            mode, mode_named = alone.group(1), True
        elif "mode" in changes:
            mode = changes["mode"]
    bars_match = re.search(rf"\b{_NUMBER}[\s-]+(?:bars?|measures?)\b", text)
    bars = _number(bars_match.group(1)) if bars_match else 8
    bars = max(1, min(bars or 8, 256))
    meter = "4/4" if style != "bach" else "4/4"
    for pattern, value in METER_WORDS:
        if re.search(pattern, text):
            meter = value
            break
    meter_match = re.search(r"\b(\d{1,2})/(1|2|4|8|16)\b", text)
    if meter_match:
        meter = meter_match.group(0)
    tempo_match = re.search(r"\b(\d{2,3})\s*(?:bpm|beats per minute)\b|\btempo\s+(?:of\s+)?(\d{2,3})\b", text)
    base_tempo = usual_tempo(style)
    tempo = (
        float(tempo_match.group(1) or tempo_match.group(2))
        if tempo_match
        else round(base_tempo * changes.get("tempo_scale", 1.0))
    )
    params = {
        "style": style,
        "key": key,
        "mode": mode,
        "meter": meter,
        "bars": bars,
        "tempo": float(tempo),
        "temperature": changes.get("temperature", 1.0),
        "seed": 0,
        "variations": 1,
    }
    if changes.get("note_length"):
        params["note_length"] = changes["note_length"]  # a sad or calm tune: a reel's eighths were a reel at 88 bpm
    if re.search(r"\b(?:with|and|plus) (?:the |some )?(?:chords|harmony|accompaniment)\b|\bharmoni[sz]ed\b", text):
        params["harmonize"] = True  # "a tune in F minor with chords" came without them
    if mode_named and changes.get("mode", mode) != mode:  # "a happy tune in F# minor" is minor: not "major mode"
        effects = [re.sub(rf"{changes['mode']} mode(, )?", "", effect) or "as asked" for effect in effects]
    played_on = ""
    instrument_match = _INSTRUMENT.search(text)
    if instrument_match:  # "a slow waltz in E minor for piano" was played on the flute
        program, played_on = next((program, name) for pattern, program, name in INSTRUMENTS
                                  if re.fullmatch(pattern, instrument_match.group("name") or
                                                  instrument_match.group("before")))
        params["program"] = program
        played_on = f", on {played_on}"
    mood_part = f"; {', '.join(moods)}: {'; '.join(effects)}" if moods else ""
    chords = ", with chords" if params.get("harmonize") else ""
    understood = f"{style_title} tune in {key} {mode}, {bars} bars of {meter}, {tempo:g} bpm{played_on}{chords}{mood_part}."
    return CreativeRequest("melody", params, moods, understood)


def _lyrics_request(text: str, message: str) -> CreativeRequest:
    theme = re.search(
        r"\b(?:about|on the theme of|on)\s+(.+?)(?:\s+(?:for|to) (?:my|the|this|a) (?:last |latest )?(?:melody|tune|song)\b.*)?[.?!]*$",
        RHYME_WORDS.sub("", text),  # "about coming home, ABAB": the topic is "coming home"
    )
    subject = _without_courtesy(theme.group(1)) if theme else None
    target = (
        "the last melody" if re.search(r"\b(my|the|this) (last |latest )?(melody|tune|song)\b", text) else "a melody"
    )
    scheme: str | None = "ABAB" if re.search(r"\babab\b", text) else "AABB"
    if re.search(r"\b(no rhymes?|unrhymed|without rhym\w*|free verse|don't rhyme)\b", text):
        scheme = None
    params = {"theme": subject, "melody": "last" if target == "the last melody" else None, "scheme": scheme}
    about = f" about “{subject}”" if subject else ""
    rhyme = f", rhymed {scheme}" if scheme else ", unrhymed"
    return CreativeRequest(
        "lyrics", params, [], f"Lyrics{about} for {target}{rhyme}."  # the answer says how lines fit the notes
    )


def _titles_request(text: str, message: str) -> CreativeRequest:
    n = _count(text, "titles?|names?", 5)
    what = (
        "painting"
        if re.search(r"\b(painting|picture|image)\b", text)
        else "melody"
        if re.search(r"\b(melody|tune|song)\b", text)
        else None
    )
    theme = re.search(r"\b(?:about|(?:painting|picture|image|song|tune|melody) of)\s+(.+?)[.?!]*$", text) or re.search(
        r"\b(?:for a|for an)\s+(.+?)[.?!]*$", text
    )
    subject = _without_courtesy(theme.group(1)) if theme else None
    if subject and re.fullmatch(r"(painting|picture|image|melody|tune|song)", subject):
        subject = None
    if what and re.search(r"\b(this|my|the last|my last|that) (painting|picture|image|melody|tune|song)\b", text):
        subject = None  # the one made earlier in the conversation
    params = {"n": n, "for": what, "theme": subject}
    if subject:
        noun = re.search(r"\b(painting|picture|image|melody|tune|song)\b", text)
        target = f"a {noun.group(1)} about “{subject}”" if noun else f"“{subject}”"
    else:
        target = f"this {what}" if what else "the conversation"
    return CreativeRequest("titles", params, [], f"{n} titles for {target}.")
