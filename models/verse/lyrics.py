"""Songs, poems and haiku with their forms kept, written by the chat model under constraints.

Lyrics fit a melody: one line per phrase, one syllable per note, stressed syllables on strong beats
where the pronouncing dictionary knows the word, an optional rhyme scheme (AABB, ABAB). Poems keep a
syllable count and rhyme; haiku count 5-7-5. Each line is written in the context of the lines before
it (the model sees the song so far), so the verse holds together.

    writer = SongWriter(chat_model)
    writer.lyrics([LineForm(8), LineForm(6), ...], topic="coming home", scheme="ABAB", seed=1)
    lyrics_midi(melody, lines).write("song.mid")     # lyric events on the melody's notes
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from models.text.chat import format_chat
from models.verse.beam import Ranked
from models.verse.constrained import FormWriter
from models.verse.line_form import (
    DANGLING_FLOOR,
    FUNCTION_WORDS,
    HANG_COST,
    LineForm,
    normalise,
    rhyme_group,
    word_pairs,
)
from models.verse.line_shapes import opening_shape, shape_cost
from models.verse.pronounce import Pronouncing, words_in
from models.verse.small_words import empty_piece_cost
from models.verse.syllables import split_syllables
from models.verse.titles import subject_words
from models.verse.verbs import VERBLESS_NATS

SYSTEM = "You are a songwriter. You write short, plain, singable lines that make sense."
# A worked example (written for Atelier) shows the model the register: plain words, one line per row.
EXAMPLE_REQUEST = "Write a song about a winter morning."
EXAMPLE_SONG = (
    "The frost is white upon the hill,\nThe kettle sings, the house is still,\n"
    "I hold your hand against the cold,\nAnd every word we say is gold."
)
RECENT_LINES = 48  # the writer's last lines that a new song does not say again
WIDE_RHYME_FLOOR = -12.0  # the wider search's rhyming words may be rarer (log-probability) than the first's
PAIR_TRIES = 3  # first lines (different last words) tried with a partner while the pairs found hang
# off a line's rank (mean log-probability per token) for each time its opening was said before in the song,
# past the first: long songs opened six lines with "In the end," and nine with "Ain't"
OPENING_COST = 0.5
# a word said in this many lines of the song is worn (`LineForm.worn`): the winter night said "night's" in seven
# of its last eight lines ("A night's evening, in a way / ... / The night's nighttime, in the dawn's eye")
WORN_LINES = 3
MOOD_TOPICS = {"minor": "longing for someone far away", "dorian": "an old story by the sea"}


# a rhymed pair tried by `SongWriter._pair`: its key (hanging lines, less the pair's fluency), both lines, the
# partner's form and the song with the first line
_Pair = tuple[tuple[int, float], list[Ranked], LineForm, list[str]]


@dataclass
class LyricLine:
    text: str
    syllables: list[str]  # one per note, hyphenated inside words ("mel-", "o-", "dy")


def said(lines: Sequence[str]) -> set[str]:
    """The words these lines said: a topic word once said is favoured no more ("The sea is my..." on every
    line), and its word pairs count as said like any other."""
    return {word for line in lines for word in words_in(line)}


def openings(line: str) -> set[str]:
    """How a line opens, as a listener hears it come back: its first two words, and its first word alone when
    that is not a common word ("Ain't no place...", "Ain't nothing we...")."""
    found = words_in(line)
    return {" ".join(found[:2])} | ({found[0]} if found[0] not in FUNCTION_WORDS else set()) if found else set()


def opening_cost(line: str, said_openings: Counter[str], said_shapes: Counter[tuple[str, ...]] | None = None) -> float:
    """OPENING_COST for each earlier line of the song that opened the same way, past the first: by its words
    (`openings`) or by its opening shape (`said_shapes`, line_shapes.opening_shape: "The sun's on it / The wind's
    on it", "To you, to me / To me, to you")."""
    times = max((said_openings[key] for key in openings(line)), default=0)
    found = opening_shape(line)
    if said_shapes is not None and found is not None:
        times = max(times, said_shapes[found])
    return OPENING_COST * max(0, times - 1)


def said_openings(lines: Sequence[str]) -> Counter[str]:
    return Counter(key for line in lines for key in openings(line))


def said_shapes(lines: Sequence[str]) -> Counter[tuple[str, ...]]:
    """How many of these lines opened in each opening shape (line_shapes.opening_shape)."""
    return Counter(found for found in map(opening_shape, lines) if found is not None)


def topic_for_mode(mode: str) -> str:
    return MOOD_TOPICS.get(mode, "a bright day with friends")


def syllable_pieces(text: str, words: Pronouncing) -> list[str]:
    """The line cut into sung syllables, as many per word as the dictionary counts."""
    out: list[str] = []
    for word in re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)*", text):
        count = words.syllables(word)
        pieces = split_syllables(word) or [word]
        pieces = [p for p in pieces if p]
        while len(pieces) > count:  # the rules heard more syllables than the dictionary: join the last two
            pieces[-2:] = [pieces[-2] + pieces[-1]]
        while len(pieces) < count:  # fewer: split the longest piece
            longest = max(range(len(pieces)), key=lambda i: len(pieces[i]))
            piece = pieces[longest]
            cut = max(1, len(piece) // 2)
            pieces[longest : longest + 1] = [piece[:cut], piece[cut:] or piece]
        # keep the word's own letters and case
        position, cased = 0, []
        for piece in pieces:
            cased.append(word[position : position + len(piece)] or piece)
            position += len(piece)
        cased[-1] += word[position:]
        out.extend(p + "-" for p in cased[:-1])
        out.append(cased[-1])
    return out


class SongWriter:
    def __init__(self, chat_model, words: Pronouncing | None = None, beams: int = 5) -> None:
        self.model = chat_model
        self.words = words or Pronouncing.shared()
        self.forms = FormWriter(chat_model, self.words, beams=beams)
        self.wide = {"beams": 2 * beams, "expand": 64}  # the wider searches' beams and tokens tried per beam
        # the lines this writer wrote last: a new song does not say them again ("The wind whispers secrets
        # in my ear" in every song), nor near copies (the overlap rule)
        self.recent: list[str] = []

    def _prompt(self, request: str, lines: Sequence[str]) -> list[int]:
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": EXAMPLE_REQUEST},
            {"role": "assistant", "content": EXAMPLE_SONG},
            {"role": "user", "content": request},
        ]
        text = format_chat(messages) + "".join(line + "\n" for line in lines)
        return self.model.tokenizer.encode(text)

    def _ranked(self, form, prompt: list[int], lines: Sequence[str], seed: int, **search) -> list[Ranked]:
        """The form's lines in the song so far (`lines`), most fluent first, each less the cost of its opening
        said before in the song (`opening_cost`), of a template's shape (`shape_cost`) and of its pieces made only
        of small words ("You are me", `empty_piece_cost`); `search` as `FormWriter.ranked` takes it (variety=,
        beams=)."""
        said, shapes = said_openings(lines), said_shapes(lines)
        found = self.forms.ranked(form, prompt, seed=seed, **search)
        out = [
            line._replace(
                score=line.score
                - opening_cost(line.text, said, shapes)
                - shape_cost(line.text, lines)
                - empty_piece_cost(line.text)
            )
            for line in found
        ]
        return sorted(out, key=lambda line: -line.score)

    def _stale_openers(self, lines: Sequence[str]) -> set[int]:
        """The first tokens of openings said twice already (no space before them: a line's first token): made
        much less likely there (`LineForm.openers`), so that the candidates do not all open the same way again."""
        keys = [key for key, times in said_openings(lines).items() if times >= 2]
        return {self.model.tokenizer.encode(key.split()[0].capitalize(), allow_control=False)[0] for key in keys}

    def _repeated_tokens(self, lines: Sequence[str], times: int = 1) -> set[int]:
        """The tokens that start the content words said in at least `times` of these lines (by token: "night's"
        and "night" start alike, and the listener hears one word)."""
        counts: Counter[int] = Counter()
        for line in lines:
            counts.update({token for word in set(words_in(line)) - FUNCTION_WORDS for token in self._starts(word)})
        return {token for token, n in counts.items() if n >= times}

    def _starts(self, word: str) -> set[int]:
        """The first token of the word as the model may write it: " sea", " Sea", "Sea"."""
        encode = self.model.tokenizer.encode
        return {
            encode(variant, allow_control=False)[0]
            for variant in (" " + word, " " + word.capitalize(), word.capitalize())
        }

    def write(
        self,
        request: str,
        forms: Sequence[LineForm],
        scheme: str | None = None,
        seed: int = 0,
        previous: Sequence[str] = (),
        topic: str | None = None,
    ) -> list[str]:
        """One line per form, each in the context of those before it (`previous` lines first, not returned);
        `scheme` like "AABB" or "ABAB" (each stanza its own rhymes); `topic` ("the sea") favours its words."""
        return list(self.each_line(request, forms, scheme, seed, previous, topic))

    def each_line(
        self,
        request: str,
        forms: Sequence[LineForm],
        scheme: str | None = None,
        seed: int = 0,
        previous: Sequence[str] = (),
        topic: str | None = None,
    ) -> Iterator[str]:
        """`write`'s lines one at a time, as each is written: a caller shows them and may stop between lines
        (a rhymed pair's two lines come together when its first line was chosen with its partner)."""
        lines: list[str] = list(previous)
        all_forms: list[LineForm | None] = [*([None] * len(lines)), *forms]
        groups = [rhyme_group(scheme, index, len(all_forms)) for index in range(len(all_forms))]
        ends: dict[str, str] = {}
        spares: dict[str, Ranked] = {}  # ABAB: a partner found when its pair's first line was chosen
        on_topic = subject_words(topic) if topic else set()
        index = len(lines)
        while index < len(all_forms):
            group = groups[index]
            rhyme_with = ends.get(group) if group else None
            needs_partner = bool(group and rhyme_with is None and group in groups[index + 1 :])
            form = self._form(all_forms[index], lines, rhyme_with, needs_partner, on_topic - said(lines))
            prompt = self._prompt(request, lines)
            written = None
            if needs_partner:
                partner = groups.index(group, index + 1)
                written = self._pair(request, form, all_forms[partner], lines, on_topic - said(lines), seed, index)
                if written and partner > index + 1:  # ABAB: the partner comes after other lines; keep it spare
                    if len(written) == 2:
                        spares[str(group)] = written[1]
                    written = written[:1]
            spare = spares.pop(str(group), None) if rhyme_with else None
            texts = (
                [line.text for line in written] if written else [self._search(form, prompt, seed, index, spare, lines)]
            )
            for line in texts:
                lines.append(line)
                self.recent = [*self.recent, line][-RECENT_LINES:]
                found, its_group = words_in(line), groups[index]
                if its_group and found and its_group not in ends:
                    ends[its_group] = found[-1]
                index += 1
                yield line

    def _form(self, form, lines: list[str], rhyme_with: str | None, needs_partner: bool, topic: set[str]):
        """The line's form in the song so far: its rhyme, and not an earlier line of this song, of the worked
        example or of the writer's recent songs again, and better not their word pairs ("in my arms")."""
        said = [*lines, *EXAMPLE_SONG.splitlines(), *self.recent]
        rhymed = bool(rhyme_with or needs_partner)
        return replace(
            form,
            rhyme_with=rhyme_with or form.rhyme_with,
            rhyme_source=form.rhyme_source or needs_partner,
            avoid=form.avoid | {normalise(line) for line in said},
            penalise=form.penalise | self._repeated_tokens(lines),
            worn=form.worn | self._repeated_tokens(lines, WORN_LINES),
            openers=form.openers | self._stale_openers(lines),
            end_avoid=form.end_avoid | {words_in(line)[-1] for line in lines if words_in(line)},
            topic=form.topic | topic,
            stale=form.stale | word_pairs(said),
            stale_openings=form.stale_openings | {found for found, n in said_shapes(lines).items() if n >= 2},
            # a rhyme comes before a whole thought: the floor on rhymed lines cost four 16-line songs 8 of 32
            # pairs (4 with a last search without it, and its forced rhymes hung: "I'll make my be"); there it is
            # a cost, so that of the rhyming lines found the one that finishes its phrase wins
            end_floor=DANGLING_FLOOR if form.syllables is not None and not rhymed else None,
            hang_cost=HANG_COST if form.syllables is not None and rhymed else 0.0,
            # a sung line that strings nouns ("In the dawn, in the day") loses its place in the search to one with a
            # verb; not a haiku's (unrhymed) lines, where one image a line is the form ("A winter night, in the cold")
            verbless_cost=VERBLESS_NATS if form.syllables is not None and rhymed else 0.0,
        )

    def _pair(
        self, request: str, form, partner, lines: list[str], topic: set[str], seed: int, index: int
    ) -> list[Ranked] | None:
        """A rhymed pair planned on both lines' ends. Of the first line's best candidates (different last words,
        so different rhyme sounds; from a wider search too when the plain one finds none, or only lines that
        hang), each is tried with its partner written right after it (a plain search); the first pair where
        neither line hangs is kept, else, after PAIR_TRIES first lines, the pair with fewer hanging lines, then the
        more fluent ("That's the sound of a storm, a long" hangs because no partner of a better first line was
        tried). When the kept pair's first line hangs, the wider search's first lines that do not hang are tried
        too; when its partner hangs, the partner is searched wider. Both lines; or the best first line alone (its
        partner then takes the wider searches); None when the first line needs them too. In ABAB the partner
        comes two lines later: it is written there again, and this one is its spare."""
        prompt = self._prompt(request, lines)
        ranked = self._ranked(form, prompt, lines, seed * 101 + index)
        widened = not ranked or ranked[0].hangs
        if widened:  # the plain search often finds no first line at all (an 8-syllable one ending on a word with
            # rhymes), or only lines that hang: the wider one's join them
            wider = self._ranked(form, prompt, lines, seed, variety=0.3, **self.wide)
            ranked = sorted({line.text: line for line in [*wider, *ranked]}.values(), key=lambda line: -line.score)
        tried: list[str] = []
        best = self._pairs_tried(request, ranked, partner, lines, topic, seed, index, tried)
        if best is not None and best[1][0].hangs and not widened:  # every pair tried hangs, the kept one in its
            # first line ("The night is dark, the stars are bright light", a rhyme glued on): first lines that do
            # not hang from the wider search, with their partners
            wider = self._ranked(form, prompt, lines, seed, variety=0.3, **self.wide)
            whole = [line for line in wider if not line.hangs]
            best = self._pairs_tried(request, whole, partner, lines, topic, seed, index, tried, best)
        if best is not None and best[1][1].hangs:  # every pair tried hangs: the kept pair's partner takes the wider
            # search too, as a line at its own place does (`_search`): "She is the one I can never do"
            (first, partner), second_form, with_first = best[1], best[2], best[3]
            prompt = self._prompt(request, with_first)
            wider = self._ranked(second_form, prompt, with_first, seed * 101 + index + 1, **self.wide)
            if wider and (wider[0].hangs, -wider[0].score) < (partner.hangs, -partner.score):
                return [first, wider[0]]
        if best is not None:
            return best[1]
        return ranked[:1] or None

    def _pairs_tried(
        self,
        request: str,
        ranked: list[Ranked],
        partner,
        lines: list[str],
        topic: set[str],
        seed: int,
        index: int,
        tried: list[str],
        best: _Pair | None = None,
    ) -> _Pair | None:
        """`_pair`'s trials: up to PAIR_TRIES first lines of `ranked` whose last words are not in `tried` (added to
        it), each with its partner written right after it; the best pair (fewer hanging lines, then the more
        fluent) of these and `best`, stopping at the first where neither line hangs."""
        count = 0
        for first in ranked:
            last = words_in(first.text)[-1]
            if last in tried:
                continue
            tried.append(last)
            count += 1
            with_first = [*lines, first.text]
            second_form = self._form(partner, with_first, last, False, topic - said([first.text]))
            found = self._ranked(second_form, self._prompt(request, with_first), with_first, seed * 101 + index + 1)
            if found:
                key = (first.hangs + found[0].hangs, -(first.score + found[0].score))
                if best is None or key < best[0]:
                    best = (key, [first, found[0]], second_form, with_first)
                if not key[0]:
                    break
            if count == PAIR_TRIES:
                break
        return best

    def _search(
        self, form, prompt: list[int], seed: int, index: int, spare: Ranked | None = None, lines: Sequence[str] = ()
    ) -> str:
        """The line, by searches ever wider and looser; an empty line when all of them fail. A rhymed line whose
        best candidates all hang takes a wider search first, and the better of the two (fewer hanging, then
        more fluent). `spare`: a rhyming line written earlier for this place (ABAB), taken before a rarer rhyme
        is forced in, or before a line that hangs when it does not."""
        wide = self.wide
        rhymed = bool(form.rhyme_with or form.rhyme_source)
        found = self._ranked(form, prompt, lines, seed * 101 + index)
        best = found[0] if found else None
        if best is not None and best.hangs and rhymed:
            wider = self._ranked(form, prompt, lines, seed * 101 + index, **wide)
            if wider and (wider[0].hangs, -wider[0].score) < (best.hangs, -best.score):
                best = wider[0]
        # the spare was written before the lines between it and its place: it must keep the form as it is now
        # (not the line before it in other words: "A night's evening, in a way / A night's evening, in the still")
        if spare is not None and self.forms.may_end_with(form, spare.text):
            if best is None or best.hangs and not spare.hangs:
                best = spare
        line = best.text if best is not None else None
        if line is None and rhymed:  # wider, and rarer rhymes may be forced in
            line = self.forms.line(form, prompt, seed=seed, variety=0.3, rhyme_floor=WIDE_RHYME_FLOOR, **wide)
        unrhymed = replace(form, rhyme_with=None, rhyme_source=False)
        if line is None and rhymed:
            line = self.forms.line(unrhymed, prompt, seed=seed)
        if line is None:  # a wider, noisier search that may share half its words with an earlier line
            line = self.forms.line(replace(unrhymed, overlap=0.5), prompt, seed=seed, variety=1.0, **wide)
        if line is None:  # then only the exact earlier lines barred, any end, or give up (an empty line says so)
            plain = replace(unrhymed, overlap=1.0, penalise=set(), worn=set(), end_floor=None)
            line = self.forms.line(plain, prompt, seed=seed, variety=0.0, **wide)
        return line or ""

    def lyrics(
        self,
        forms: Sequence[LineForm],
        topic: str,
        scheme: str | None = None,
        seed: int = 0,
    ) -> list[LyricLine]:
        lines = self.write(f"Write a song about {topic}.", forms, scheme, seed, topic=topic)
        return [LyricLine(text, syllable_pieces(text, self.words)) for text in lines]

    def poem(self, topic: str, lines: int = 4, syllables: int = 8, scheme: str = "AABB", seed: int = 0) -> list[str]:
        forms = [LineForm(syllables=syllables) for _ in range(lines)]
        return self.write(f"Write a short poem about {topic}.", forms, scheme, seed, topic=topic)

    def haiku(self, topic: str, seed: int = 0) -> list[str]:
        forms = [LineForm(syllables=5), LineForm(syllables=7), LineForm(syllables=5)]
        return self.write(f"Write a haiku about {topic}.", forms, None, seed, topic=topic)


# -- melodies ------------------------------------------------------------------------------------


def strong_beat(meter, onset: int) -> bool:
    """The downbeat, and the middle of the bar in even metres (beat 3 of 4/4, beat 2 of 6/8)."""
    position = onset % meter.bar_ticks
    if position == 0:
        return True
    beats = meter.bar_ticks // meter.beat_ticks
    return beats % 2 == 0 and position == meter.bar_ticks // 2


SHORTEST_LINE = 3  # notes


def phrase_bars(melody) -> int:
    """Two bars a line, or one when two bars hold more notes than a sung line takes (about 12)."""
    notes = melody.notes()
    pairs = max(1, -(-melody.bars // 2))
    return 1 if len(notes) / pairs > 12 else 2


def melody_phrases(melody, bars_per_phrase: int | None = None) -> list[list]:
    """The melody's notes grouped into phrases of whole bars (empty phrases dropped); a phrase of fewer than
    SHORTEST_LINE notes is sung as the end of the line before it: a tune closing on the tonic held a whole bar
    made a line of one note, sung 'Lad'."""
    span = melody.meter.bar_ticks * (bars_per_phrase or phrase_bars(melody))
    groups: dict[int, list] = {}
    for note in melody.notes():
        groups.setdefault(note.onset // span, []).append(note)
    phrases = [groups[k] for k in sorted(groups)]
    for index in range(len(phrases) - 1, 0, -1):
        if len(phrases[index]) < SHORTEST_LINE:
            phrases[index - 1] += phrases.pop(index)
    return phrases


def phrase_forms(melody, bars_per_phrase: int | None = None) -> list[LineForm]:
    """One line form per phrase: as many syllables as notes, strong beats marked."""
    return [
        LineForm(syllables=len(notes), words=(1, 20), strong=[strong_beat(melody.meter, n.onset) for n in notes])
        for notes in melody_phrases(melody, bars_per_phrase)
    ]


def lyrics_midi(melody, lines: Sequence[LyricLine], bars_per_phrase: int | None = None):
    """The melody as MIDI with one lyric event per note (the syllable sung on it), as karaoke files carry."""
    import pretty_midi

    midi = melody.to_pretty_midi()
    for notes, line in zip(melody_phrases(melody, bars_per_phrase), lines, strict=False):
        for note, syllable in zip(notes, line.syllables, strict=False):
            start = max(0.0, melody.seconds(note.onset) + note.offset_ms / 1000.0)
            midi.lyrics.append(pretty_midi.Lyric(syllable if syllable.endswith("-") else syllable + " ", start))
    return midi


def lyric_sheet(title: str, lines: Sequence[LyricLine]) -> str:
    """A text sheet: each line, then its syllables as they fall on the notes."""
    body = "\n\n".join(f"{line.text}\n  {' '.join(line.syllables)}" for line in lines)
    return f"{title}\n\n{body}\n"
