"""What a subject in words asks for: the elements of the scene and its moods (a table, not a model).

"a stormy harbour" -> elements {sea, harbour wall, boats}, moods [storm]. The composer places every
element the words name (a test holds it to that) and may add others to complete the picture.
Without a subject, a painter's own subjects are drawn from PAINTER_SUBJECTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Every element the composer can draw, far to near in no particular order.
ELEMENTS = (
    "sky", "clouds", "sun", "moon", "stars",
    "mountains", "hills", "sea", "waves", "lake", "river", "bridge", "harbour wall", "boats",
    "fields", "forest", "orchard", "trees", "cypresses", "village", "houses", "church", "lighthouse", "windmill", "road",
    "figures",
)  # fmt: skip

# word pattern -> elements it names
ELEMENT_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (r"harbou?rs?|ports?|quays?|docks?|piers?|marinas?|wharf", ("sea", "harbour wall", "boats")),
    (r"seas?|oceans?|seascapes?|shores?|coasts?|beach(es)?|bays?|fjords?|seaside|marine", ("sea",)),
    (r"waves?|surf|breakers?|swell|great wave", ("sea", "waves")),
    (r"boats?|ships?|sail(s|ing)?|sailboats?|yachts?|fishing|fleet|shipwrecks?|wrecks?|vessels?|junks?", ("boats",)),
    (r"rivers?|streams?|canals?|brooks?|rh[oô]ne|thames|seine", ("river",)),
    (r"bridges?", ("bridge",)),
    (r"lighthouses?|beacons?", ("sea", "lighthouse")),
    (r"windmills?|mills?", ("windmill",)),
    (r"cliffs?|headlands?|bluffs?|promontor(y|ies)|capes?", ("sea", "hills")),  # hills that end at the sea
    (r"lakes?|ponds?|lochs?|lagoons?|mere", ("lake",)),
    (
        r"(snow)?fields?|wheat|wheatfields?|meadows?|farmland|harvest|countryside|hay|grass|pastures?|crops?",
        ("fields",),
    ),
    (r"hills?|hillsides?|valleys?|downs|slopes?", ("hills",)),
    (r"mountains?|mounts?|peaks?|fuji|alps|volcano(es)?|summits?|ranges?", ("mountains",)),
    (r"cypress(es)?", ("cypresses",)),
    (r"trees?|oaks?|olives?|olive trees|woodland|park|garden|elms?|willows?|poplars?", ("trees",)),
    (r"orchards?|blossoms?|blossoming|cherry|apple trees?|almond", ("orchard",)),
    (r"forests?|woods|pines?|firs?", ("forest",)),
    (r"houses?|cottages?|farmhouses?|farms?|homes?|cabins?|barns?|huts?|cafe|caf[eé]", ("houses",)),
    (r"villages?|towns?|hamlets?|city|rooftops|streets?|auvers|arles", ("village",)),
    (r"church(es)?|chapels?|steeples?|cathedrals?|spires?|temples?|pagodas?", ("church",)),
    (r"roads?|paths?|lanes?|tracks?|avenues?|trails?", ("road",)),
    (
        r"figures?|people|persons?|man|woman|men|women|walkers?|peasants?|travell?ers?|wanderers?|painter|"
        r"fishermen|crowd|couple|child(ren)?|someone|pilgrims?|farmers?|sowers?|reapers?",
        ("figures",),
    ),
    (r"suns?|sunny|sunlit|sunlight|sunshine|sunset|sunrise", ("sun",)),
    (r"moons?|moonlit|moonlight|moonrise", ("moon",)),
    (r"stars?|starry|starlit", ("stars",)),
    (r"clouds?|cloudy|overcast", ("clouds",)),
]

# mood -> word pattern; moods set the light and colour (see light.py), some also bring sky elements. A feeling is read
# as the weather painters give it ("something sad" was painted as the default landscape): sorrow as mist, joy as
# summer light, fear and anger as a storm.
MOOD_WORDS: list[tuple[str, str]] = [
    (
        "storm",
        r"(snow)?storm(y|s)?|tempests?|gales?|thunder(storm)?s?|squalls?|rough|turbulent|wild|dramatic|shipwrecks?|wrecks?"
        r"|angry|furious|rage|fearful|frightening|scary|menacing",
    ),
    ("night", r"night|nights|nocturnal|nocturne|midnight|moonlit|moonlight|starry|starlit|dark"),
    ("dusk", r"dusk|evening|twilight|sunset|sundown|gloaming"),
    ("dawn", r"dawn|sunrise|daybreak|morning"),
    # One word with snow in it is winter too: "a snowfield" was read as nothing and painted as a green summer field.
    (
        "winter",
        r"winter|wintry|snow(y|s)?|snow(fields?|drifts?|bound|storms?|falls?|scapes?)|frozen|icy|frost(y)?|cold",
    ),
    ("spring", r"spring|springtime|blossoms?|blossoming|april"),
    ("autumn", r"autumn(al)?"),
    ("summer", r"summer|sunny|bright|hot|noon|midday|happy|cheerful|joyful|joyous|merry"),
    (
        "mist",
        r"mist(y|s)?|fog(gy)?|haz(e|y)|rain(s|y|ing)?|drizzl(e|y)|showers?|dreamy|sad|sadness|sorrow(ful)?|melanchol(y|ic)|lonely|wistful|mournful|gloomy|somber|sombre",
    ),
    ("calm", r"calm|quiet|serene|peaceful|tranquil|still|gentle|sleepy"),
]

# mood -> what it does to the scene, in words for the user (the chat says what it understood)
MOOD_EFFECTS = {
    "storm": "heavy clouds, rough water",
    "night": "a dark sky, lit windows",
    "dusk": "a warm glow along the horizon",
    "dawn": "pale warm light",
    "winter": "snow on the land",
    "spring": "fresh greens and blossom",
    "autumn": "autumn leaves",
    "summer": "bright summer light",
    "mist": "a pale, soft distance",
    "calm": "still water, few clouds",
}


def mood_effect(mood: str, elements: set[str]) -> str:
    """What a mood does to a scene of these elements, in words: a night's lit windows only where there are
    buildings (the chat promised them over an open sea, session 16)."""
    if mood == "night" and not elements & {"village", "houses", "church"}:
        return "a dark sky"
    return MOOD_EFFECTS[mood]


# Subjects the shipped painters painted: what "Surprise me" and a subject-less --from-scratch choose from.
PAINTER_SUBJECTS: dict[str, tuple[str, ...]] = {
    "van-gogh": (
        "a starry night over a village with a cypress",
        "a church in a village at dusk",
        "a road through wheat fields with a walker",
        "cypresses in a wheat field under a summer sun",
        "an orchard in spring",
        "a river with a bridge at night",
        "a quiet village at dusk",
        "houses among hills and trees",
        "windmills on a hill above the village",  # Montmartre's, painted in 1886-87
    ),
    "hokusai": (
        "a great wave with boats and a mountain",
        "a snowy mountain over a lake",
        "a bridge over a river with figures",
        "a village under a mountain",
        "boats on a calm sea with a mountain",
        "a road through the hills to a mountain",
    ),
    "munch": (
        "a road by a fjord at sunset with a figure",
        "a moonlit sea at night",
        "figures on a bridge at dusk",
        "houses by the sea at dusk",
        "trees on a hill at night",
    ),
    "turner": (
        "a stormy sea with boats",
        "a harbour at sunset",
        "a river with a bridge in the mist",
        "ships at sea at dusk",
        "a stormy harbour",
        "a lake and mountains in the mist",
        "a lighthouse in a storm",  # the Bell Rock Lighthouse, 1819
    ),
}
GENERIC_SUBJECTS = (
    "a village in the hills",
    "a harbour with boats",
    "a river with a bridge",
    "mountains over a lake",
    "a road through fields",
    "a church among trees",
    "a starry night over a village",
    "a stormy sea",
)


@dataclass
class SubjectReading:
    """What the words ask for: elements named (each must appear), moods, and the words themselves."""

    subject: str
    elements: set[str] = field(default_factory=set)
    moods: list[str] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)  # element or mood -> the word that named it
    wheat: bool = False  # fields of wheat rather than grass
    great_wave: bool = False
    one_mountain: bool = False  # "a mountain", "Fuji": one great peak rather than a range
    cliff: bool = False  # the shore a cliff: "on a cliff", "a headland"
    canal: bool = False  # the river a canal: straight and narrow


def read_subject(subject: str) -> SubjectReading:
    text = " ".join(subject.lower().split())
    reading = SubjectReading(subject=subject.strip())
    for pattern, elements in ELEMENT_WORDS:
        match = re.search(rf"\b({pattern})\b", text)
        if match:
            for element in elements:
                reading.elements.add(element)
                reading.words.setdefault(element, match.group(0))
    for mood, pattern in MOOD_WORDS:
        match = re.search(rf"\b({pattern})\b", text)
        if match:
            reading.moods.append(mood)
            reading.words.setdefault(mood, match.group(0))
    # A sun is named by "sunset" but a starry or moonlit night has none.
    if "night" in reading.moods and "sun" in reading.elements and not re.search(r"\bsuns?\b", text):
        reading.elements.discard("sun")
    reading.wheat = bool(re.search(r"\b(wheat|wheatfields?|harvest|hay|crops?|golden)\b", text))
    reading.one_mountain = bool(
        re.search(r"\b(a|one|the|single|snowy|great|lone) mountain\b|\bfuji\b|\bvolcano\b|\bpeak\b", text)
    )
    reading.great_wave = bool(re.search(r"\bgreat waves?\b|\bbig waves?\b|\bhuge waves?\b", text))
    reading.canal = bool(re.search(r"\bcanals?\b", text))
    reading.cliff = bool(re.search(r"\b(cliffs?|headlands?|bluffs?|promontor(y|ies)|capes?)\b", text))
    return reading


# Words a subject may hold that ask for nothing to be drawn: grammar, size and colour, and words for a picture as such.
# Any other word that names no element or mood is something the composer cannot draw ("a cat on a chair").
QUIET_WORDS = frozenset(
    """a an the some any this that these those my our your his her their its of on in at by with and or but under
    over above below near beside behind before into onto through across along among between from to for as up down out
    off around against beyond toward towards there here where when while all every each no not one two three four five
    six seven eight nine ten many few several lots lot more most very so too just only also again
    old new young little small big large tall tiny huge vast great grand long short wide narrow high low deep far
    distant nearby open empty full lone single lonely beautiful lovely pretty fine nice grand ancient simple strange
    quiet wild warm cool soft hard light dark pale bright deep rich vivid colourful colorful asleep awake alone afloat
    adrift aglow ablaze red orange yellow green
    blue purple violet pink brown white black grey gray golden gold silver
    cozy cosy busy abstract colours colors colour color
    picture painting image scene view landscape landscapes scenery vista nature place places day days time weather
    world somewhere something anything everything lots kind sort style sky skies water waters air""".split()
)


def unpainted_words(subject: str) -> list[str]:
    """The words of `subject` that name something the composer does not draw, in order, each once: "a lighthouse
    on a cliff at sunset" -> ["lighthouse", "cliff"]. Words that describe (-ing, -ly, -ed, -ful, -ous) are let be:
    the thing they describe is the word that matters."""
    original = " ".join(subject.split())
    text = original.lower()  # the same length: a match's place in one is its place in the other
    named = [(m.start(), m.end()) for pattern, _ in ELEMENT_WORDS for m in re.finditer(rf"\b({pattern})\b", text)]
    named += [(m.start(), m.end()) for _, pattern in MOOD_WORDS for m in re.finditer(rf"\b({pattern})\b", text)]
    unpainted: list[str] = []
    for match in re.finditer(r"[a-zà-ÿ]+(?:'[a-z]+)?", text):
        word = match.group(0)
        if any(start <= match.start() < end for start, end in named) or word in QUIET_WORDS or len(word) < 3:
            continue
        if re.search(r"(ing|ly|ed|ful|ous|'s)$", word):
            continue
        word = original[match.start() : match.end()]  # as written: "Venice"
        if word not in unpainted:
            unpainted.append(word)
    return unpainted


def left_out(subject: str) -> str:
    """What the composer will not draw of `subject`, in a sentence for the user ("" when it draws it all), said before
    the picture comes: "a cat on a chair" came back as a field with a tree, and the chat said "Here is cat on a chair".
    The words are quoted as written, not made plural or given an article ("Venice" is no "venices")."""
    missing = [f"“{word}”" for word in unpainted_words(subject)]
    if not missing:
        return ""
    listed = " or ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    if read_subject(subject).elements:
        return f" I can't draw {listed} yet, so the picture leaves {'them' if len(missing) > 1 else 'it'} out."
    return (
        f" I can't draw {listed} yet: I paint landscapes (skies, seas, hills, rivers, fields, trees, villages,"
        " lighthouses, windmills, boats, figures), so here is a landscape instead."
    )


def subjects_for(style_name: str) -> tuple[str, ...]:
    return PAINTER_SUBJECTS.get(style_name, GENERIC_SUBJECTS)
