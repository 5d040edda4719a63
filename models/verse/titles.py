"""Titles for a painting from what it is: its subject, its style, its dominant colours named in words,
and the user's topic. The chat model writes them under a form: two to six words, at least one of them
the subject (or a near word for it) or one of the painting's colours, never ending on "and" or "the".

    dominant_colours(image)                             # ["grey", "dark blue", "white"]
    TitleWriter(chat_model).titles("a stormy sea", style="Turner", colours=["grey", "blue"], n=5)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from models.text.chat import format_chat
from models.verse.constrained import FormWriter
from models.verse.line_form import LineForm, normalise
from models.verse.lm_decoder import DecodeState, FrozenLM
from models.verse.pronounce import Pronouncing, words_in
from models.verse.verbs import corpus_verbs

# Named colours (sRGB), plain words a reader knows; the nearest names a painting's main colours.
COLOUR_NAMES = {
    "black": (20, 20, 22),
    "charcoal": (54, 54, 58),
    "grey": (128, 128, 128),
    "silver": (192, 192, 196),
    "white": (240, 240, 236),
    "ivory": (236, 228, 200),
    "cream": (240, 224, 176),
    "sand": (200, 176, 128),
    "ochre": (204, 136, 34),
    "gold": (220, 176, 40),
    "yellow": (236, 216, 60),
    "orange": (236, 128, 32),
    "rust": (168, 72, 32),
    "brown": (110, 70, 40),
    "red": (200, 40, 36),
    "crimson": (150, 20, 40),
    "pink": (236, 150, 170),
    "rose": (200, 100, 120),
    "purple": (110, 50, 130),
    "violet": (140, 110, 200),
    "navy": (24, 34, 90),
    "blue": (50, 90, 190),
    "sky blue": (130, 180, 230),
    "teal": (30, 120, 120),
    "turquoise": (60, 190, 190),
    "green": (50, 140, 60),
    "olive": (110, 110, 40),
    "sea green": (70, 140, 110),
    "dark green": (24, 70, 40),
}
# Near words for common subjects: a title may name the subject another way and still be about it.
NEAR_WORDS = {
    "sea": {"ocean", "waves", "wave", "tide", "shore", "sea", "seas", "surf", "deep", "water", "waters"},
    "storm": {"storm", "stormy", "tempest", "gale", "thunder", "squall", "storms"},
    "harbour": {"harbour", "harbor", "port", "quay", "dock", "boats", "boat", "ships", "ship", "pier"},
    "night": {"night", "midnight", "dark", "darkness", "moon", "moonlight", "stars", "evening"},
    "forest": {"forest", "woods", "wood", "trees", "tree", "grove", "pines"},
    "mountain": {"mountain", "mountains", "peak", "peaks", "hill", "hills", "summit"},
    "city": {"city", "town", "streets", "street", "roofs", "houses"},
    "garden": {"garden", "gardens", "flowers", "flower", "roses", "blossom"},
    "river": {"river", "stream", "brook", "water", "banks", "current"},
    "sky": {"sky", "skies", "clouds", "cloud", "heaven", "heavens"},
    "sunset": {"sunset", "dusk", "evening", "twilight", "sundown", "sun"},
    "field": {"field", "fields", "meadow", "meadows", "wheat", "pasture"},
    "portrait": {"portrait", "face", "figure", "woman", "man", "girl", "boy"},
    "landscape": {"landscape", "land", "country", "countryside", "view", "hills", "valley"},
    "home": {"home", "homeward", "house", "door", "hearth", "return", "returning", "back"},
    "winter": {"winter", "snow", "frost", "ice", "cold", "wintry", "snowflake", "snowflakes"},
    # "the open road" had only "open" and "road": once one title said them, the searches ended on the model's own
    # titles that name neither ("The City of Angels", "The Red Door") and five titles came back three or four
    "road": {"road", "roads", "highway", "street", "path", "lane", "trail", "journey", "miles", "horizon", "wheels"},
}


@dataclass(frozen=True)
class TitlePass:
    """How much one pass of the title search asks of a new title."""

    tries: int  # searches, as a multiple of the titles asked
    penalise: bool  # earlier titles' words made less likely
    strict: bool  # no title's content words may hold another's (else: only not the same words again)
    overlap: float  # the share of an earlier title's words a new one may repeat
    favour: str  # the subject's words made more likely: "" none, "unsaid" those no title has said yet, "all"
    search: dict[str, int] = field(default_factory=dict)  # wider beams for the last pass


# Each pass asks less of a new title, so that the number asked gets written: first its words unlike every
# other title's, then only not the same words again ("A Mountain Village" = "The Mountain Village") with up
# to 2/3 of an earlier title's, then, with a wider search, any of them; the relaxed passes favour the
# subject's words not said yet (the model's own likeliest titles may not name it, and for "a mountain village"
# it says "Mountain Village" again and again unless "peak" or "hill" is favoured over the words said). The last
# favours all of them again: for "a mountain village" the model would rather write "The City of Ember Tokyo
# Japan" than "peak" or "summit", and every search of that pass came back empty (14 of 15 titles).
PASSES = (
    TitlePass(tries=2, penalise=True, strict=True, overlap=1 / 3, favour=""),
    TitlePass(tries=1, penalise=True, strict=False, overlap=2 / 3, favour="unsaid"),
    TitlePass(tries=1, penalise=False, strict=False, overlap=1.0, favour="all", search={"beams": 12, "expand": 48}),
)
STOP = {"a", "an", "the", "of", "in", "on", "at", "with", "and", "by", "for", "to", "some", "me", "my", "this", "that"}
# Famous titles: the model knows them and borrows them ("The Starry Night" for any night sky, "The Road Not Taken"
# for the open road). The paintings the styles learn from (resources/paint/art/README.md), other paintings everyone
# knows, and the songs and poems a melody's or a lyric's title would borrow from.
FAMOUS_TITLES = tuple(
    title.strip()
    for title in """The Starry Night; The Great Wave off Kanagawa; The Great Wave; The Scream; The Shipwreck;
    The Wreck of a Transport Ship; The Church at Auvers; Cafe Terrace at Night; Portrait of Pere Tanguy;
    The Night Cafe; Hospital Corridor at Saint Remy; The Painter on the Road to Tarascon; Udnie; Woman with a Hat;
    The Langlois Bridge at Arles; The Harvest; Village Street in Auvers; Bedroom in Arles; Ejiri in Suruga Province;
    The Kazusa Sea Route; Sunset across the Ryogoku Bridge; Poppies; The Shipwreck of the Minotaur;
    Starry Night over the Rhone; Sunflowers; Irises; Wheatfield with Crows; The Bedroom; The Potato Eaters;
    Almond Blossom; Water Lilies; Impression, Sunrise; The Kiss; Mona Lisa; The Last Supper; The Night Watch;
    Girl with a Pearl Earring; The Birth of Venus; The Persistence of Memory; Guernica; The Fighting Temeraire;
    Rain, Steam and Speed; Slave Ship; The Hay Wain; Wanderer above the Sea of Fog; Nighthawks; American Gothic;
    Red Mount Fuji; Fine Wind, Clear Morning; Thirty-Six Views of Mount Fuji; Liberty Leading the People;
    The Raft of the Medusa;
    The Road Not Taken; Stopping by Woods on a Snowy Evening; Do Not Go Gentle into That Good Night; The Raven;
    Ode to a Nightingale; I Wandered Lonely as a Cloud; The Waste Land; The Tyger; Stairway to Heaven;
    Bohemian Rhapsody; Bridge over Troubled Water; The Sound of Silence; Hotel California; Like a Rolling Stone;
    Let It Be; Yesterday; Imagine; Hallelujah; The Long and Winding Road; Take Me Home, Country Roads;
    Fly Me to the Moon; What a Wonderful World; Here Comes the Sun; Purple Rain; Thunder Road; Road to Nowhere;
    Highway to Hell; Candle in the Wind; Somewhere over the Rainbow; Unchained Melody""".split(";")
)
# Words that speak of the painting instead of naming it ("A Mountain Village in the Style" from the prompt's
# "in the style of Hokusai", "The Stormy Sea a Masterful Rendition"), and painters' names ("The Starry Night by
# Rembrandt", "The Harbour at Night by Vincent"): a title is neither. "by" too: barred names, the model made one
# up ("The Stormy Sea by Jasper Barnett", "The Harbour at Night by Remarks"); "painted" ("Portrait of a Starry
# Evening Painted").
NOT_IN_TITLES = set(
    "by style styles art painting paintings painted painter artist artwork canvas rendition masterpiece masterful "
    "masterstroke masterwork depiction "
    "vincent katsushika edvard henri pablo claude salvador gustav wassily leonardo "
    "rembrandt vermeer monet manet renoir cezanne "
    "gauguin picasso dali vinci leonardo michelangelo raphael turner constable hokusai hiroshige gogh munch "
    "matisse klimt kandinsky picabia goya velazquez caravaggio botticelli degas pollock warhol hopper whistler "
    "friedrich seurat magritte chagall modigliani titian durer bruegel bosch".split()
)


# A word is a name when the chat model, reading it mid-sentence, would rather write it with a capital letter by
# more than this many nats: names the model made up or borrowed ("Portrait of a Starry Evening Amsterdam",
# "Sakura No Miyazaki Tokyo's...") came +2.9 (Jasper) to +10.7 (Venice); common words -7.5 (whispers) to +0.4
# (tempest). 37 words read; "Sakura" (+0.9) passes for a word.
NAME_MARGIN = 2.0
NAME_CONTEXT = "<|im_start|>assistant\nWe read a few lines about the"


class ProperNames:
    """Whether a word is a proper name ("amsterdam", "tokyo", "jasper"), by the chat model's own casing of it
    mid-sentence (see NAME_MARGIN); each word asked once."""

    def __init__(self, chat_model) -> None:
        self.model = chat_model
        self.read: tuple[FrozenLM, DecodeState, list[int]] | None = None  # the model and its context, read once
        self.known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        if word not in self.known:
            lower, capital = self._logprob(" " + word), self._logprob(" " + word.capitalize())
            self.known[word] = capital - lower > NAME_MARGIN
        return self.known[word]

    @torch.inference_mode()
    def _logprob(self, text: str) -> float:
        if self.read is None:
            lm, context = FrozenLM(self.model.runner), self.model.tokenizer.encode(NAME_CONTEXT)
            self.read = (lm, lm.start(context[:-1]), context)
        lm, state, context = self.read
        ids = self.model.tokenizer.encode(text, allow_control=False)
        x = lm.embed(torch.tensor([[context[-1], *ids]]))
        hidden = lm.layers(x, state.position, 0, lm.n_layers, past=state)
        logprobs = torch.log_softmax(lm.logits(hidden[0, :-1]), dim=-1)
        return float(logprobs[torch.arange(len(ids)), torch.tensor(ids)].sum())


def dominant_colours(image, n: int = 3, seed: int = 0) -> list[str]:
    """The painting's main colours, named, most area first (k-means on a small copy)."""
    from PIL import Image

    small = np.asarray(image.convert("RGB").resize((48, 48), Image.Resampling.BILINEAR), dtype=np.float32)
    pixels = small.reshape(-1, 3)
    rng = np.random.default_rng(seed)
    centres = pixels[rng.choice(len(pixels), 6, replace=False)]
    for _ in range(12):
        labels = np.argmin(((pixels[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        centres = np.stack([pixels[labels == k].mean(0) if (labels == k).any() else centres[k] for k in range(6)])
    shares = np.bincount(labels, minlength=6)
    names = np.array(list(COLOUR_NAMES.values()), dtype=np.float32)
    out: list[str] = []
    for k in np.argsort(-shares):
        name = list(COLOUR_NAMES)[int(np.argmin(((names - centres[k]) ** 2).sum(-1)))]
        if name not in out:
            out.append(name)
        if len(out) == n:
            break
    return out


def subject_words(subject: str) -> set[str]:
    """The subject's content words and their near words ("a stormy harbour" -> storm, harbour, port...)."""
    words = {w for w in words_in(subject) if w not in STOP}
    found = set(words)
    for word in words:
        for key, near in NEAR_WORDS.items():
            # "stormy" is "storm", "mountains" "mountain"; but "seasons" is not "sea" (a haiku about the seasons was
            # favoured towards "ocean" and "tide"), nor "port" "portrait"
            if word in near or (word.startswith(key) or key.startswith(word)) and abs(len(word) - len(key)) <= 2:
                found |= near
        if word.endswith("s"):
            found.add(word[:-1])
        else:
            found.add(word + "s")
    return found


def borrowed(title: str | list[str], finished: bool = True) -> bool:
    """Whether a title (its text, or its words so far) is a famous painting's ("Starry Night", "The Starry Night
    by Rembrandt"): it holds all of a famous title's content words (a one-word title, finished: is that word).
    Once true of a title's first words, it is true of every way to go on."""
    content = set(words_in(title) if isinstance(title, str) else title) - STOP
    for famous in FAMOUS_TITLES:
        theirs = set(words_in(famous)) - STOP
        if theirs <= content and (len(theirs) > 1 or finished and theirs == content):
            return True
    return False


def runs_on(words: list[str]) -> bool:
    """Whether a title runs on into a second one: "a" or "an" right after a noun ("The Open Road a Journey Through",
    "The Open Road a Bold Unadorned", "The Stormy Sea a Masterful Rendition"); after a verb it is the verb's object
    ("Catch a Falling Star"). The wide last pass wrote them once the frames it likes were one title ("The End of the
    Street / Highway / Road"). So does "the" after a noun past the title's first word ("The City of Emptiness the
    Mountains", the titles bench of session 20); after the first it names it ("Maelstrom the Unforgiving Tempest")."""
    return any(
        (word in ("a", "an") or word == "the" and index > 0) and before not in STOP and before not in corpus_verbs()
        for index, (before, word) in enumerate(zip(words, words[1:], strict=False))
    )


def title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "in", "on", "at", "by", "and", "to", "for", "with"}
    words = [w.strip(",.;:!?\"'") for w in text.split()]
    words = [w for w in words if w]
    return " ".join(
        w if (w.isupper() and len(w) > 1) else (w.lower() if i and w.lower() in small else w[:1].upper() + w[1:])
        for i, w in enumerate(words)
    )


def title_key(word: str) -> str:
    """A content word as two titles are compared: plurals and "'s" off, then its first five letters ("Seas" =
    "Sea", "tranquility" = "tranquillity"), so that "The Storm of the Sea" is not a new title after "The Storm
    of the Seas"."""
    word = word.removesuffix("'s")
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word[:5]


def _alike(title: list[str], earlier: list[str], strict: bool) -> bool:
    """Whether a title (its words, as `title_key` compares them) is too like an earlier one's. Strict, one's
    content words hold the other's; else the same content words. In every pass, one content word swapped in
    three or more is the same title ("Maelstrom the Unforgiving Tempest" after "Maelstrom the Unspeakable
    Tempest"), and so is one word swapped in the same frame: a modifier before the same head ("The Unshakeable
    Wave" after "The Unyielding Wave"), or the head itself ("The End of the Highway", "The End of the Road" after
    "The End of the Street": five titles for the open road read as three); otherwise, of two content words, one is
    half the title ("The Village on the Hill" after "A Mountain Village")."""
    content, earlier_content = set(title) - STOP, set(earlier) - STOP
    if len(content) == len(earlier_content) >= 3 and len(content - earlier_content) == 1:
        return True
    if len(title) == len(earlier) >= 3:
        if sum(a != b for a, b in zip(title, earlier, strict=True)) == 1:
            return True
    if strict:
        return content <= earlier_content or earlier_content <= content
    return content == earlier_content


class TitleWriter:
    def __init__(
        self, chat_model, words: Pronouncing | None = None, is_name: Callable[[str], bool] | None = None
    ) -> None:
        self.model = chat_model
        self.words = words or Pronouncing.shared()
        self.forms = FormWriter(chat_model, self.words, beams=6, expand=24)
        self.is_name = is_name or ProperNames(chat_model)

    def titles(
        self,
        subject: str,
        style: str | None = None,
        colours: list[str] | None = None,
        topic: str | None = None,
        n: int = 5,
        seed: int = 0,
    ) -> list[str]:
        """`n` distinct titles, each naming the subject (or a near word) or one of the colours; fewer only when
        every pass of the search (see PASSES) found nothing new."""
        colours = colours or []
        about = f"a painting of {subject}"
        if style:
            about += f" in the style of {style}"
        if colours:
            about += f", mostly {', '.join(colours[:-1]) + ' and ' + colours[-1] if len(colours) > 1 else colours[0]}"
        if topic and topic != subject:
            about += f", about {topic}"
        request = f"Give one short title for {about}. Reply with the title only."
        prompt = self.model.tokenizer.encode(format_chat([{"role": "user", "content": request}]), allow_control=True)
        allowed = subject_words(subject) | subject_words(topic or "") | {w for c in colours for w in c.split()}
        banned = set(words_in(style or ""))
        given = set(words_in(" ".join([subject, topic or "", *colours])))  # names the request gave may be said
        titles: list[str] = []
        used: list[list[str]] = []  # each title's words, as `title_key` compares them
        attempt = 0
        for search_pass in PASSES:

            def refuse(words: list[str], finished: bool, strict: bool = search_pass.strict) -> bool:
                """Not the painter's name, the style or a famous title; a new title says something new (how
                new: the pass decides). Inside the search, so that it looks for other titles."""
                # as the search goes, each word once; "Turner's" is Turner
                checked = {w.removesuffix("'s") for w in (words if finished else words[-1:])}
                # a title that runs on is refused once finished: refused as it is written, its beams' places went
                # to other run-on sentences ("The open road is the unforgivable")
                if checked & (banned | NOT_IN_TITLES) or borrowed(words, finished) or finished and runs_on(words):
                    return True
                # no place or person the request did not name ("...Starry Evening Amsterdam"); the verse corpus's
                # common words are not asked about
                if any(self.is_name(w) for w in checked - given - STOP - self.words.common):
                    return True
                keys = [title_key(w) for w in words]
                return finished and any(_alike(keys, u, strict) for u in used)

            for _ in range(search_pass.tries * n):
                if len(titles) >= n:
                    return titles
                said = {w for t in titles for w in words_in(t)}
                form = LineForm(
                    words=(2, 6),
                    include_any=allowed,
                    avoid={normalise(t) for t in titles},
                    overlap=search_pass.overlap,
                    topic={"": set(), "unsaid": allowed - said, "all": allowed}[search_pass.favour],
                    penalise=self._tokens(banned | (said - STOP if search_pass.penalise else set())),
                    refuse=refuse,
                )
                attempt += 1
                found = self.forms.ranked(form, prompt, seed=seed * 31 + attempt - 1, variety=1.0, **search_pass.search)
                if not found and search_pass.strict:  # no title at all: the strict rules ask too much here
                    break
                for text in (line.text for line in found):
                    if refuse(words_in(text), True):  # two found in one search may be alike
                        continue
                    titles.append(title_case(text))
                    used.append([title_key(w) for w in words_in(text)])
                    if len(titles) >= n:
                        return titles
        return titles  # fewer than asked only when every pass found nothing new

    def _tokens(self, words: set[str]) -> set[int]:
        encode = self.model.tokenizer.encode
        return {encode(v, allow_control=False)[0] for w in words for v in (" " + w, " " + w.capitalize())}
