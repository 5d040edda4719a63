"""Words with a form: the pronouncing dictionary, lines that keep a syllable count and a rhyme (written by
the real chat model under constraints), lyric events in exported MIDI, the song folder, help answers."""

from __future__ import annotations

from dataclasses import replace

import pretty_midi
import pytest
from PIL import Image

from models.assistant.requests import parse_request
from models.verse.beam import Beam, Ranked
from models.verse.constrained import FormWriter
from models.verse.line_form import LineForm, normalise
from models.verse.lyrics import LyricLine, lyric_sheet, lyrics_midi, melody_phrases, strong_beat, syllable_pieces
from models.verse.pronounce import Pronouncing, words_in
from models.verse.titles import dominant_colours, subject_words, title_case

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def words():
    return Pronouncing.shared()


@pytest.fixture(scope="module")
def forms(words):
    from models.text.chat import shared_chat_model

    return FormWriter(shared_chat_model("cpu"), words, beams=4, expand=16)


@pytest.fixture(scope="module")
def tune():
    from models.music.generate import generate
    from models.music.request import MelodyRequest

    return generate(MelodyRequest(style="scottish", key="D", mode="minor", bars=4, tempo=90, seed=2))[0]


def test_dictionary_counts_stress_and_rhyme(words):
    assert words.syllables("melody") == 3 and words.stresses("melody") == ["100"]
    assert words.syllables("fire") in words.syllable_options("fire") and {1, 2} <= words.syllable_options("fire")
    assert words.rhymes("sea", "free") and words.rhymes("night", "light")
    assert not words.rhymes("tale", "tail")  # one sound said twice
    assert not words.rhymes("sea", "sea") and not words.rhymes("sea", "moon")
    assert words.syllables("zorblax") >= 1  # not in the dictionary: counted by rule


def test_an_identical_rhyme_is_no_rhyme(words):
    # the stressed syllable must start differently: the same syllable said twice is no rhyme to a songwriter
    for first, second in [("night", "tonight"), ("light", "delight"), ("night", "midnight"), ("ever", "forever")]:
        assert not words.rhymes(first, second) and not words.rhymes(second, first), (first, second)
        assert second not in words.rhyming_words(first)
    for first, second in [("bright", "right"), ("play", "lay"), ("day", "away"), ("fire", "desire")]:
        assert words.rhymes(first, second), (first, second)


def test_the_wind_rhymes_as_the_wind_blows(words):
    """ "Ain't no rest for the wind / I'll hold you in my mind" (the README song of session 8): the dictionary also
    says "wind" as the verb (W AY N D); a song means the noun, and rhymes by it. Heteronyms sung both ways keep both."""
    assert not words.rhymes("wind", "mind") and "mind" not in words.rhyming_words("wind")
    assert words.rhymes("wind", "sinned") and words.rhymes("mind", "find")
    assert words.rhymes("tear", "fear") and words.rhymes("tear", "care")


def test_syllable_pieces_follow_the_dictionary(words):
    text = "Every melody remembered"
    pieces = syllable_pieces(text, words)
    assert len(pieces) == words.line_syllables(text) == 3 + 3 + 3
    assert "".join(p.rstrip("-") for p in pieces) == text.replace(" ", "")


@pytest.mark.parametrize(("syllables", "rhyme"), [(6, "day"), (7, None)])
def test_a_written_line_keeps_its_syllables_and_rhyme(forms, words, syllables, rhyme):
    from models.text.chat import format_chat

    prompt = forms.tokenizer.encode(format_chat([{"role": "user", "content": "Write a song about the sea."}]))
    line = forms.line(LineForm(syllables=syllables, rhyme_with=rhyme), prompt, seed=1)
    assert line, "the search found no line"
    assert words.line_syllables(line) == syllables, line
    if rhyme:
        assert words.rhymes(words_in(line)[-1], rhyme), line


def test_a_line_is_dictionary_words_and_does_not_stop_on_a_word_asking_for_more(forms):
    form = LineForm(syllables=6, end_avoid={"tomorrow"})
    assert forms._finish_word(form, Beam([1], " Remnall", 0.0, 0, "Remnall")) is None  # made up
    assert forms._finish_word(form, Beam([1], " you's", 0.0, 0, "you's")) is None
    assert forms._finish_word(form, Beam([1], " night's", 0.0, 0, "night's")) == (1, ["night's"])
    assert not forms._may_end(form, 6, ["the", "wind", "is", "the", "only"], "the wind is the only")
    assert not forms._may_end(form, 6, ["i", "will", "see", "you", "will"], "i will see you will")
    assert not forms._may_end(form, 6, ["you", "are", "mine", "now", "i'm"], "you are mine now i'm")
    assert not forms._may_end(form, 6, ["for", "you", "my", "soul", "is"], "for you my soul is")
    assert not forms._may_end(form, 6, ["in", "my", "arms", "we"], "in my arms we")
    assert not forms._may_end(form, 6, ["a", "night", "of", "snow", "i"], "a night of snow i")  # a rhyme on "i"
    assert not forms._may_end(form, 6, ["i", "will", "see", "tomorrow"], "i will see tomorrow")  # an earlier end
    assert forms._may_end(form, 6, ["i", "will", "see", "today"], "i will see today")


def test_a_song_does_not_say_its_lines_again(words):
    from models.text.chat import shared_chat_model
    from models.verse.lyrics import SongWriter

    writer = SongWriter(shared_chat_model("cpu"), words, beams=4)
    forms = [LineForm(syllables=6), LineForm(syllables=6)]
    first = writer.write("Write a song about the sea.", forms, "AA", seed=3)
    again = writer.write("Write a song about the sea.", forms, "AA", seed=3)  # same seed, same writer
    song = first + again
    assert all(song) and len({" ".join(words_in(line)) for line in song}) == 4, song  # not the same lines again
    assert len({words_in(line)[-1] for line in song}) == 4, song  # nor the same last word


def test_stress_falls_on_strong_beats(words):
    from models.verse.stress import stress_fits

    # strong beats on syllables 1, 3, 5: "beautiful" (100) may start on a strong beat, never on a weak one
    strong = [True, False, True, False, True, False]
    assert stress_fits(words, strong, "beautiful", 0)
    assert not stress_fits(words, strong, "beautiful", 1)
    assert stress_fits(words, strong, "the", 1)  # one syllable: anywhere


def test_exported_midi_carries_one_lyric_per_note(tune, tmp_path, words):
    phrases = melody_phrases(tune)
    lines = [LyricLine(f"line {i}", [f"s{i}-{k}" for k in range(len(notes))]) for i, notes in enumerate(phrases)]
    path = tmp_path / "song.mid"
    lyrics_midi(tune, lines).write(str(path))
    back = pretty_midi.PrettyMIDI(str(path))
    onsets = sorted(round(n.start, 2) for n in back.instruments[0].notes)
    assert len(back.lyrics) == sum(len(p) for p in phrases) == len(onsets)
    assert [round(lyric.time, 2) for lyric in back.lyrics] == pytest.approx(onsets, abs=0.02)
    assert back.lyrics[0].text.strip() == "s0-0"
    sheet = lyric_sheet("Title", lines)
    assert sheet.startswith("Title") and "line 0" in sheet


def test_strong_beats_are_downbeats_and_half_bars(tune):
    bar = tune.meter.bar_ticks
    assert strong_beat(tune.meter, 0) and strong_beat(tune.meter, bar // 2) and strong_beat(tune.meter, bar)
    assert not strong_beat(tune.meter, tune.meter.beat_ticks)


def test_song_sketch_saves_one_folder(tmp_path, monkeypatch, tune):
    from models.assistant import creative, song, writing
    from models.jobs import run_job

    lines = [LyricLine("the sea is wide", ["the", "sea", "is", "wide"])]
    monkeypatch.setattr(writing, "lyrics_for", lambda melody, theme, scheme, seed, cancel=None: (lines, theme, ""))
    monkeypatch.setattr(creative, "make_melody", lambda params: tune)
    monkeypatch.setattr(song, "cover_painting", lambda *args, **kw: (Image.new("RGB", (64, 64), "navy"), "Hokusai"))
    request = parse_request("write a song about the sea in D minor")
    assert request.kind == "song" and request.params["key"] == "D" and request.params["mode"] == "minor"
    answer = run_job(song.write_song(request.params, seed=4, out=tmp_path))
    folder = answer.value.folder
    assert sorted(p.name for p in folder.iterdir()) == ["cover.png", "lyrics.txt", "song.mid", "song.wav"]
    assert pretty_midi.PrettyMIDI(str(folder / "song.mid")).lyrics
    assert "the sea is wide" in (folder / "lyrics.txt").read_text()
    # the note on what was made stands apart from the lyrics (it read as the song's last line in the chat)
    assert answer.text.startswith("the sea is wide\n\n“")


@pytest.mark.parametrize("message", ["what can you do?", "help", "Help!", "make something", "who are you"])
def test_help_names_the_tabs_with_examples(message):
    from models.assistant.help import HELP_TEXT

    assert parse_request(message).kind == "help"
    assert all(tab in HELP_TEXT for tab in ("Paint", "Compose", "Chat"))
    assert HELP_TEXT.count('"') >= 6  # example requests, quoted


@pytest.mark.parametrize(
    ("message", "kind", "key", "value"),
    [
        ("write a haiku about autumn", "haiku", "theme", "autumn"),
        ("write a poem about coming home", "poem", "scheme", "AABB"),
        ("lyrics about coming home for my last melody, abab", "lyrics", "scheme", "ABAB"),
        ("lyrics about coming home, ABAB", "lyrics", "theme", "coming home"),  # not "coming home, abab"
        ("write a poem about the sea, rhymed abab", "poem", "theme", "the sea"),
        ("five titles for a painting of a stormy sea", "titles", "theme", "a stormy sea"),
        ("hello there", "chat", None, None),
    ],
)
def test_requests_for_forms(message, kind, key, value):
    request = parse_request(message)
    assert request.kind == kind
    if key:
        assert request.params[key] == value


def test_titles_know_colours_and_subjects():
    image = Image.new("RGB", (40, 40), (24, 34, 90))
    image.paste((236, 216, 60), (0, 0, 40, 10))
    assert dominant_colours(image, n=2) == ["navy", "yellow"]
    assert {"ocean", "waves", "storm", "stormy"} <= subject_words("a stormy sea")
    assert title_case("the storm of the sea") == "The Storm of the Sea"


class FakeServer:
    """Answers each request with the next of its lines, as a local LLM server's reply job would."""

    def __init__(self, answers: list[str]) -> None:
        self.answers, self.asked = list(answers), []

    def reply(self, messages, settings, cancel=None):
        from types import SimpleNamespace

        from models.jobs import Result

        self.asked.append(messages[-1]["content"])
        yield Result(SimpleNamespace(text=self.answers.pop(0) if self.answers else ""))


def test_server_lines_are_checked_and_the_form_enforced(words):
    from models.assistant.server_verse import server_lines

    server = FakeServer(
        [
            "Here is a line:\nThe sea is wide and free",  # 6 syllables: kept (the preamble line skipped)
            "A line that is far too long to sing here",  # fails 6 syllables, rhyme with free
            "The wind is cold",  # fails
            "I sail away with thee",  # 6 syllables, rhymes with free: kept
        ]
    )
    built_in = []

    def fallback(form, previous):
        built_in.append(form)
        return "fallback line"

    forms = [LineForm(syllables=6), LineForm(syllables=6), LineForm(syllables=5)]
    lines, from_server = server_lines(server, "Write a song about the sea.", forms, "AAB", fallback, words, tries=3)
    assert lines[:2] == ["The sea is wide and free", "I sail away with thee"]
    assert "rhymes with 'free'" in server.asked[1]
    assert from_server == 2 and lines[2] == "fallback line" and len(built_in) == 1  # the server ran dry


def test_each_stanza_has_its_own_rhymes(words):
    """AABB over six lines rhymes AABB CC: the fifth line starts a new rhyme, it does not have to rhyme
    with the first (which left the 135M model four lines on one sound and no rhyme at all for the last)."""
    from models.assistant.server_verse import server_lines

    song = [
        "The sea is wide and free",
        "I sail away with thee",
        "The wind is cold tonight",
        "The stars are burning bright",
        "I walk along the shore",
        "I hear the ocean roar",
    ]
    server = FakeServer(list(song))
    lines, from_server = server_lines(server, "Write a song.", [LineForm()] * 6, "AABB", None, words, tries=1)
    assert lines == song and from_server == 6
    assert "rhymes" not in server.asked[4] and "rhymes with 'shore'" in server.asked[5]


def test_a_last_line_whose_partner_never_comes_rhymes_with_the_line_before(words):
    """The Chat demo's lyrics: a tune of eight bars sung a line a bar, its closing bar the end of the seventh line,
    made seven lines "rhymed AABB" whose last rhymed with nothing. A last line cut off from its partner closes on a
    triplet with the pair before it; a line the scheme leaves unrhymed (AABA's B) stays so."""
    from models.assistant.server_verse import server_lines
    from models.verse.line_form import rhyme_group, unrhymed_pairs

    assert rhyme_group("AABB", 6, count=7) == rhyme_group("AABB", 5) == "1A"
    assert rhyme_group("AABB", 6) == rhyme_group("AABB", 6, count=8) == "1B"
    assert rhyme_group("ABAB", 4, count=5) == "0B" and rhyme_group("AABA", 2, count=3) == "0B"
    song = [
        "The wind howls in the night",
        "A stormy harbour, ain't right",
        "It's a storm on the sea",
        "And I'll hold you, I'm free",
        "You're my home, I'll never leave you",
        "You're my boat, I'll always sail through",
        "The storms, they're a part of me, they'll stay",
    ]
    assert unrhymed_pairs(song, "AABB", words) == [(4, 6)]
    server = FakeServer(list(song))
    lines, from_server = server_lines(
        server, "Write a song.", [LineForm()] * 7, "AABB", lambda form, previous: "fallback", words, tries=1
    )
    assert "rhymes with 'you'" in server.asked[6] and from_server == 6 and lines[6] == "fallback"  # "stay" refused


def test_an_answer_says_which_lines_could_not_be_rhymed(monkeypatch, words):
    """The README song's "I'll be with them / You're the only one left to come" counted as a rhyme by "them"'s weak
    form (DH AH0 M), and where no rhyming line fits the search falls back to an unrhymed one while the request
    line still says "rhymed AABB". A line's last word rhymes as it is sung, stressed, and the answer names the
    pairs that do not rhyme."""
    from models.assistant import creative, writing

    assert not words.rhymes("them", "come") and words.rhymes("them", "gem") and not words.rhymes("for", "her")
    assert words.rhymes("to", "blue") and words.rhymes("you", "blue")

    song = [
        "A stormy harbour waits for me",
        "I hear the calling of the sea",
        "I hold you in my arms, I'll be with them.",
        "You're the only one left to come",
        "To the edge of the waves, I'll take you",
        "To the shore of the stormy blue",
    ]
    monkeypatch.setattr(writing, "_write_lines", lambda *args: (list(song), ""))
    answer = [event for event in creative.carry_out(parse_request("lyrics about the harbour"))][-1].value
    assert "Lines 3 and 4 (“them” / “come”) do not rhyme" in answer.text
    assert "Lines 1 and 2" not in answer.text and "5 and 6" not in answer.text
    assert writing.rhyme_note(song, "ABAB") == (  # 1/3 "me"/"them", 2/4 "sea"/"come"; "you" / "blue" rhyme
        "(Lines 1 and 3 (“me” / “them”) and 2 and 4 (“sea” / “come”) do not rhyme: no rhyming line that fits was "
        "found.)"
    )
    assert writing.rhyme_note(song, None) == "" and writing.rhyme_note(song[:1], "AABB") == ""
    assert "an empty line" in writing.rhyme_note([*song[:3], ""], "AABB")


def test_a_word_pair_said_before_costs_the_line_unless_it_is_on_the_topic():
    from models.verse.constrained import FormWriter
    from models.verse.line_form import word_pairs

    stale = word_pairs(["I hold you in my arms", "The sea is the only thing I know"])
    assert {("my", "arms"), ("the", "only"), ("i", "know"), ("the", "sea")} <= stale
    assert ("in", "my") not in stale  # function words only: every line says them
    form = LineForm(stale=stale, topic={"sea"})
    assert FormWriter._stale_cost(form, None, ["still", "in", "my", "arms"]) > 0
    assert FormWriter._stale_cost(form, None, ["down", "to", "the", "sea"]) == 0  # the topic may come back
    assert FormWriter._stale_cost(form, None, ["my", "heart"]) == 0


class ScriptedForms:
    """A stand-in for the FormWriter (no model): first lines end on "strand" or "shore", only "shore" has a
    plain partner; it records each form it is asked for."""

    def __init__(self, model, words, beams):
        self.beams, self.asked = beams, []
        self.rule = FormWriter.__new__(FormWriter)  # the real end rules, for a spare kept for its place
        self.rule.words = words
        self.may_end_with = self.rule.may_end_with

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.asked.append(form)
        if form.rhyme_source:
            return [Ranked("The sea runs up the strand", -1.0), Ranked("I walk along the shore", -1.2)]
        line = self.line(form, prompt)
        return [Ranked(line, -1.0)] if line else []

    def line(self, form, prompt, seed=0, variety=0.6, **search):
        if form.rhyme_source:
            return self.ranked(form, prompt)[0][0]
        self.asked.append(form)
        if form.rhyme_with:
            return "I hear the ocean roar" if form.rhyme_with == "shore" else None
        return "A line that does not rhyme"


@pytest.fixture
def scripted_writer(monkeypatch, words):
    from types import SimpleNamespace

    from models.verse import lyrics

    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", ScriptedForms)
    return lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)


def test_a_pairs_first_line_is_chosen_with_its_partner(scripted_writer):
    """When no plain line rhymes with the best first line ("strand"), the next best first line whose partner
    does rhyme is taken, before a rare rhyme is forced in or the pair is left unrhymed."""
    assert scripted_writer.write("Write a song.", [LineForm(), LineForm()], "AA") == [
        "I walk along the shore",
        "I hear the ocean roar",
    ]


def test_a_topic_word_once_said_is_favoured_no_more(scripted_writer):
    """ "The sea is my home / The sea is my song / The sea is my..." came from favouring "sea" on every line."""
    scripted_writer.write("Write a song about the sea.", [LineForm(), LineForm()], "AA", topic="the sea")
    first, *later = scripted_writer.forms.asked
    assert {"sea", "ocean", "shore"} <= first.topic
    partner = later[-1]
    assert partner.rhyme_with == "shore" and "shore" not in partner.topic and "sea" in partner.topic


class PlannedForms(ScriptedForms):
    """A stand-in for ABAB: a line rhyming with "shore" is found right after its first line but not two lines
    later (the line between leads elsewhere), where only a forced rare rhyme would come; "strand" has none."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        if form.rhyme_source:
            firsts = ("The sea runs up the strand", "I walk along the shore", "The gulls are crying high")
            return [Ranked(t, -1.0) for t in firsts if normalise(t) not in form.avoid]
        line = self.line(form, prompt, **search)
        return [Ranked(line, -1.0)] if line else []

    def line(self, form, prompt, seed=0, variety=0.6, **search):
        if form.rhyme_source:
            return self.ranked(form, prompt)[0][0]
        if form.rhyme_with == "shore" and "rhyme_floor" in search:
            return "Forevermore and more"
        if form.rhyme_with == "shore":
            return "I hear the ocean roar" if len(form.end_avoid) == 1 else None
        return {"high": "Above the clouds they fly", None: "A line that does not rhyme"}.get(form.rhyme_with)


def test_abab_pairs_are_planned_too(monkeypatch, words):
    """A 16-line sea song rhymed 6 of its 8 pairs: an ABAB pair's first line was never chosen with its partner
    (two lines later). Now it is, and the partner found then is taken before a rare rhyme is forced in."""
    from types import SimpleNamespace

    from models.verse import lyrics

    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", PlannedForms)
    writer = lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)
    assert writer.write("Write a song.", [LineForm()] * 4, "ABAB") == [
        "I walk along the shore",
        "The gulls are crying high",
        "I hear the ocean roar",
        "Above the clouds they fly",
    ]


class RhymesOnlyDangling(ScriptedForms):
    """A stand-in where the only line rhyming with "shore" stops mid-thought (no dangling-end floor asked)."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        line = self.line(form, prompt, **search)
        return [Ranked(line, -1.0)] if line else []

    def line(self, form, prompt, seed=0, variety=0.6, **search):
        self.asked.append(form)
        if form.rhyme_source:
            return "I walk along the shore"
        if form.rhyme_with == "shore":
            return "The waves and then the more" if form.end_floor is None else None
        return "A line that does not rhyme"


def test_a_rhyme_comes_before_a_whole_thought(monkeypatch, words):
    """With the dangling-end rule four 16-line songs rhymed 24 of 32 pairs (32 before it): a line that must
    rhyme is not held to it (unrhymed lines are)."""
    from types import SimpleNamespace

    from models.verse import lyrics

    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", RhymesOnlyDangling)
    writer = lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)
    lines = writer.write("Write a song.", [LineForm(syllables=6)] * 3, "AAB")
    assert lines == ["I walk along the shore", "The waves and then the more", "A line that does not rhyme"]
    assert writer.forms.asked[-1].end_floor is not None  # the unrhymed third line keeps the rule


def test_a_sung_line_does_not_stop_mid_thought(words):
    """ "The storm is a story, a true", "A smile on my lips, a be": the model gave the line's end e^-3 and e^-6
    there. A sung line (a floor set) may not stop where its end is that unlikely; a title has no floor."""
    import torch

    from models.verse.line_form import DANGLING_FLOOR

    writer = FormWriter.__new__(FormWriter)
    writer.words, writer.end_ids = words, {0}
    writer.pieces = ["\n", ",", " a", " true", " tale", "aming"]
    writer.line_ends, writer.word_goes_on = torch.tensor([0, 1]), torch.tensor([5])
    sung = LineForm(syllables=7, end_floor=DANGLING_FLOOR)
    dangling = Beam(
        [2, 3], " The storm is a story, a true", -9.0, 7, "", ["the", "storm", "is", "a", "story", "a", "true"]
    )
    wants_more = torch.log(torch.tensor([0.02, 0.01, 0.02, 0.02, 0.9, 0.03]))
    assert writer._stops_short(sung, dangling, wants_more, wants_more)
    assert writer._expand(sung, replace(dangling, must_end=True), 0, float(wants_more[0]), True) is None
    assert not writer._stops_short(LineForm(words=(2, 8)), dangling, wants_more, wants_more)  # a title: no floor
    ends = torch.log(torch.tensor([0.6, 0.2, 0.05, 0.05, 0.05, 0.05]))
    assert not writer._stops_short(sung, dangling, ends, ends)


def test_a_rhymed_line_that_hangs_badly_alone_is_refused():
    """ "The moon is a mirror, meets" (its end read alone e^-6.9) won its place in the coming-home song of session 9:
    it paid for hanging, and no other line rhymed. A rhymed line whose end alone is below e^BADLY_HANGING is
    refused, so that the search tries another pair or a rarer rhyme; one that hangs a little pays as before."""
    from types import SimpleNamespace

    from models.verse.constrained import BADLY_HANGING
    from models.verse.line_form import DANGLING_FLOOR, HANG_COST

    alone = {"The moon is a mirror, meets": -6.9, "The lights are on in the streets": -2.5, "I walk the streets": -0.3}
    writer = FormWriter.__new__(FormWriter)
    writer.ends_alone = SimpleNamespace(logprobs=lambda lines: [alone[line] for line in lines])
    found = [Ranked(text, -1.0 - 0.1 * n) for n, text in enumerate(alone)]
    ranked = writer._read_alone(LineForm(syllables=7, rhyme_with="beats", hang_cost=HANG_COST), found)
    assert [line.text for line in ranked] == ["I walk the streets", "The lights are on in the streets"]
    assert ranked[1].hang == pytest.approx(HANG_COST * (DANGLING_FLOOR + 2.5)) and not ranked[0].hangs
    assert alone["The moon is a mirror, meets"] < BADLY_HANGING < alone["The lights are on in the streets"]


def test_a_rhymed_line_that_hangs_pays_for_it(monkeypatch, words):
    """ "The storm is a story, a true" rhymes: refusing it cost the rhyme (24 of 32 pairs), so a rhymed line pays
    instead, HANG_COST off its rank per nat its end falls below e^-2, and a rhyming line that finishes its phrase
    wins."""
    from types import SimpleNamespace

    import torch

    from models.verse import lyrics
    from models.verse.line_form import DANGLING_FLOOR, HANG_COST

    writer = FormWriter.__new__(FormWriter)
    writer.words, writer.end_ids, writer.newline = words, {0}, 0
    writer.pieces = ["\n", ",", " a", " true", " tale", "aming"]
    writer.line_ends = torch.tensor([0, 1])
    rhymed = LineForm(syllables=7, rhyme_with="blue", hang_cost=HANG_COST)
    wants_more = torch.log(torch.tensor([0.02, 0.01, 0.02, 0.02, 0.9, 0.03]))  # the end: e^-3.5
    ends = torch.log(torch.tensor([0.6, 0.2, 0.05, 0.05, 0.05, 0.05]))
    assert writer._hang_cost(rhymed, wants_more) == pytest.approx(
        HANG_COST * (DANGLING_FLOOR - float(wants_more[:2].logsumexp(0)))
    )
    assert writer._hang_cost(rhymed, ends) == 0.0
    assert writer._hang_cost(LineForm(syllables=7), wants_more) == 0.0  # no cost asked: none paid
    true = Beam(
        [2, 3], " The storm is a story, a true", -9.0, 7, "", ["the", "storm", "is", "a", "story", "a", "true"], True
    )
    kind, done = writer._expand(rhymed, true, 0, float(wants_more[0]), False, writer._hang_cost(rhymed, wants_more))
    assert kind == "done" and done.score == pytest.approx(-9.0 + float(wants_more[0]))
    assert done.hang == writer._hang_cost(rhymed, wants_more) > 0  # taken off its rank (mean per token)
    # the songwriter asks it of rhymed lines, and keeps the hard floor for the rest
    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", RhymesOnlyDangling)
    songs = lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)
    songs.write("Write a song.", [LineForm(syllables=6)] * 3, "AAB")
    first, second, third = songs.forms.asked[0], songs.forms.asked[1], songs.forms.asked[-1]
    assert first.rhyme_source and first.hang_cost == HANG_COST and first.end_floor is None
    assert second.rhyme_with == "shore" and second.hang_cost == HANG_COST and second.end_floor is None
    assert third.hang_cost == 0.0 and third.end_floor == DANGLING_FLOOR


def test_a_forced_rhyme_does_not_say_a_word_of_its_line_again(words):
    """ "To the stars, I'll sail sail": a rhyme forced in at the line's end skipped the rule that a content word
    is said once in a line."""
    import torch

    writer = FormWriter.__new__(FormWriter)
    writer.words, writer._rhyme_cache = words, {"tale": [("sail", 5, 1), ("mail", 6, 1)]}
    form = LineForm(syllables=6, rhyme_with="tale")
    beam = Beam([1, 2, 3, 4], " To the stars, I'll sail", -4.0, 4, "sail", ["to", "the", "stars", "i'll"])
    ends = writer._rhyme_endings(form, beam, torch.full((8,), -1.0))
    assert [b.text for b in ends] == [" To the stars, I'll sail mail"]


def test_a_line_does_not_stop_on_a_word_that_needs_the_next(words):
    """ "A stormy sea, a long" (the README song): the model gives its end better than e^-2, in the song and
    alone, so only grammar hears it: an adjective right after "a", an article, a preposition, a contraction.
    A rhyme forced in at the line's end keeps the rule too."""
    import torch

    from models.assistant.server_verse import keeps_form
    from models.verse.end_words import needs_a_word_after

    for cut_off in ("A stormy sea, a long", "In the heart of the sea, a far", "The wind is the only", "A storm's"):
        assert needs_a_word_after(words_in(cut_off)), cut_off
    for whole in ("I walk into the dark", "A song that lasts so long", "I'll find my way on my own", "Hold each other"):
        assert not needs_a_word_after(words_in(whole)), whole
    # a determiner's noun never came; a riff of the line VAE cut off on "as"
    for cut_off in ("The road is the only ever", "The sea is my love, it's my how", "Till the day's me", "As free as"):
        assert needs_a_word_after(words_in(cut_off)), cut_off
    for whole in ("It's me", "That's how", "The night's here", "My only one", "I'll see you again"):
        assert not needs_a_word_after(words_in(whole)), whole
    writer = FormWriter.__new__(FormWriter)
    writer.words, writer._rhyme_cache = words, {"song": [("long", 5, 1), ("throng", 6, 1)]}
    form = LineForm(syllables=6, rhyme_with="song")
    assert not writer._may_end(form, 6, words_in("A stormy sea, a long"), " A stormy sea, a long")
    beam = Beam([1, 2, 3, 4], " A stormy sea, a", -4.0, 5, "", ["a", "stormy", "sea", "a"])
    ends = writer._rhyme_endings(form, beam, torch.full((8,), -1.0))
    assert [b.text for b in ends] == [" A stormy sea, a throng"]
    assert not keeps_form("A stormy sea, a long", LineForm(syllables=6), words)  # a server's line, checked
    assert keeps_form("A stormy sea, a throng", LineForm(syllables=6, rhyme_with="song"), words)


def test_a_verb_does_not_follow_a_verb_nor_have_a_plain_form(words):
    """ "The road's ain't no place", "the love you've always know" (the open road, session 8): a contracted verb
    followed by a finite one, and "have" followed by a verb's plain form where English takes its participle; "be"
    by "be" or a plain verb, "it's" after a preposition, a noun's "'s" by its noun or another "'s". A line
    is refused as the word is finished, and a rhyme forced in keeps the rule."""
    import torch

    from models.verse.word_order import breaks_word_order

    for words_so_far, word in ((["the", "road's"], "ain't"), (["you've", "always"], "know"), (["it's"], "is"),
                               (["i'll"], "can"), (["she", "has", "never"], "see"), (["we", "had"], "go"),
                               (["i'll", "never", "be"], "forgot"), (["you're"], "knew"), (["i've"], "went"),
                               (["it"], "be"), (["and", "we", "never"], "be"), (["the", "sea", "and", "it"], "be"),
                               (["where", "the"], "be"), (["a"], "is"), (["my"], "would"),
                               (["the", "stars", "are"], "ain't"), (["it", "is"], "can't"),
                               # session 21: "The fire will be burn", "Where the wind is be", "the end of it's nose",
                               # "The door's door", "A winter's night's evening's white"
                               (["the", "fire", "will", "be"], "burn"), (["the", "wind", "is"], "be"),
                               (["you're"], "be"), (["the", "end", "of"], "it's"), (["the", "door's"], "door"),
                               (["the", "moon's"], "moons"), (["a", "winter's", "night's"], "evening's"),
                               # session 22: "But that's what I'm forget"
                               (["what", "i'm"], "forget"), (["you're"], "know"), (["we", "are"], "sing"),
                               # session 23's Chat demo: "The storms on the shore, they're just ain't true"
                               (["they're", "just"], "ain't"), (["it", "is", "never"], "can"), (["i'm", "not"], "is")):
        assert breaks_word_order(words_so_far, word), (words_so_far, word)
    for words_so_far, word in ((["you've", "always"], "known"), (["it's"], "been"), (["the", "king's"], "will"),
                               (["i'll"], "know"), (["i", "have", "to"], "know"), (["we", "have"], "come"), ([], "is"),
                               (["i'll", "never", "be"], "forgotten"), (["i"], "forgot"), (["the", "sky", "was"], "rose"),
                               (["could", "it"], "be"), (["let", "it"], "be"), (["i", "need", "you"], "be"),
                               (["it", "will"], "be"), (["the"], "will"), (["the", "sea's"], "might"), (["his"], "is"),
                               (["let's"], "be"), (["i'll"], "be"), (["to", "be"], "free"), (["to", "be"], "read"),
                               (["it", "is"], "done"), (["it", "will", "be"], "home"), (["feels", "like"], "it's"),
                               (["the", "sea's"], "own"), (["a", "winter's"], "night"), (["it's"], "it"),
                               (["it", "is"], "fall"), (["the", "moon's"], "show"), (["the", "king's", "only"], "will"),
                               (["they're", "just"], "true"), (["i", "just"], "can't")):
        assert not breaks_word_order(words_so_far, word), (words_so_far, word)
    writer = FormWriter.__new__(FormWriter)
    writer.words, writer._rhyme_cache = words, {"snow": [("know", 5, 1), ("glow", 6, 1)]}
    form = LineForm(syllables=6, rhyme_with="snow")
    said = Beam([1, 2, 3], " The road's ain't", -3.0, 2, "ain't", ["the", "road's"])
    assert writer._finish_word(form, said) is None
    beam = Beam([1, 2, 3, 4], " The love you've always", -4.0, 5, "", ["the", "love", "you've", "always"])
    likely = torch.tensor([-9.0, -9.0, -9.0, -9.0, -9.0, -0.5, -3.0, -2.0])  # "know" likelier than "glow"
    assert [b.text for b in writer._rhyme_endings(form, beam, likely)] == [" The love you've always glow"]


def test_a_line_does_not_stop_on_a_copula_its_clause_did_not_put_last():
    """A riff and a song stopped on "are" ("The days are", "With friends, we make it together. We are"): "is", "are",
    "was"... end a line only after "where", "as", "who", "here" and the like ("where you are", "as it was"); and
    a clause about a noun must come once "where" or "which" opened it."""
    from models.verse.end_words import needs_a_word_after

    for cut_off in ("The days are", "With friends, we make it together. We are", "Their love is never", "You're mine, you never"):
        assert needs_a_word_after(words_in(cut_off)), cut_off
    assert needs_a_word_after(words_in("A storm on the shore where")) and not needs_a_word_after(words_in("Tell me where"))
    for whole in ("Stay as you are", "I know who you are", "Here we are", "That's how it is", "I love you too"):
        assert not needs_a_word_after(words_in(whole)), whole


def test_a_song_that_falls_into_a_template_pays_from_its_third_line():
    """The winter night's last stanza: "The star in the sky's a shadow / The ice in the lake's a rainbow / The
    snowflakes in the snow's a snow / The frost on the hill's a low". Two lines of one shape are a figure; from the
    third of the last lines on, a line of the same shape loses SHAPE_COST per line past the first."""
    from models.verse.line_shapes import SHAPE_COST, shape, shape_cost

    stanza = ["The winter moon's a power", "The star in the sky's a shadow", "The ice in the lake's a rainbow"]
    assert shape(stanza[1]) == shape("The frost on the hill's a low") == ["the", "_", "P", "the", "_'s", "a", "_"]
    assert shape_cost(stanza[2], stanza[:2]) == 0.0  # the first repeat: a figure
    assert shape_cost("The snowflakes in the snow's a snow", stanza) == SHAPE_COST
    assert shape_cost("The frost on the hill's a low", [*stanza[1:], "The snowflakes in the snow's a snow"]) == (
        2 * SHAPE_COST
    )
    family = ["To be with me, to be alone", "With me, to be with my brother", "And me, to be with my mother"]
    assert shape_cost("And me, to be with my father's ghost", family) == SHAPE_COST  # alike, not the same
    assert shape_cost("A cottage by the sea", stanza) == 0.0  # another shape
    assert shape_cost("I'll go", ["I'll sing", "I'll stay", "I'll go"]) == 0.0  # too few small words to be heard


def test_an_opening_shape_said_twice_costs_from_its_third_line():
    """The open road of session 9 said "The sun's on it / The wind's on it / The sky's on it" in twelve lines, the
    winter night "To you, to me, I sing / To me, to you, I write": first words that differ, one opening shape (its
    first three slots, pronouns one slot). From the third such line a line pays OPENING_COST per line past the first
    when ranked, and STALE_OPENING_PENALTY nats in the search once its words settle that shape."""
    from models.verse import lyrics
    from models.verse.constrained import STALE_OPENING_PENALTY
    from models.verse.line_shapes import opening_shape, settles_opening

    road = ["The sun's on it, the stars are way", "The wind's on it, the sky's on it"]
    assert opening_shape(road[0]) == opening_shape("The sky's on it, the sea's forever") == ("the", "_'s", "P")
    assert opening_shape("To you, to me, I sing about") == opening_shape("To me, to you, I write")
    assert opening_shape("I'm on it, I'll be there") == opening_shape("You're on it, you know") == ("PRON", "P", "PRON")
    assert opening_shape("Ain't no road you can't ride") is None  # one small word: the opening's words hear it
    assert opening_shape("The sea is wide") != opening_shape("The sea's a home")
    said, shapes = lyrics.said_openings(road), lyrics.said_shapes(road)
    assert lyrics.opening_cost("The sky's on it, the sea's forever", said, shapes) == lyrics.OPENING_COST
    assert lyrics.opening_cost("The sky's on it", said, lyrics.said_shapes(road[:1])) == 0.0  # a figure
    assert lyrics.opening_cost("Under the stars I roam", said, shapes) == 0.0
    words = ["the", "sky's", "on", "it", "the"]
    assert [settles_opening(words[:n]) for n in range(1, 6)] == [None, None, None, ("the", "_'s", "P"), None]
    form = LineForm(stale_openings={("the", "_'s", "P")})
    beam = Beam([1, 2, 3], " The sky's on", -3.0, 3, "it", ["the", "sky's", "on"])
    assert FormWriter._stale_cost(form, beam, ["the", "sky's", "on", "it"]) == STALE_OPENING_PENALTY
    assert FormWriter._stale_cost(LineForm(), beam, ["the", "sky's", "on", "it"]) == 0.0


def test_a_closing_shape_two_of_the_last_three_lines_said_is_stale():
    """Coming home of session 10 closed five lines ", to your X" ("To my doorstep, to your view / To the sun's rays, to
    your bed / The world is yours, to your side / ..."): first words and whole shapes differ, the closing shape (the
    last three slots) is one. The bench counts the lines that close in a shape two of the song's last three did."""
    from models.verse.line_shapes import closing_shape, stale_closings

    home = ["To the end of the road, it's lies", "To my doorstep, to your view", "To the sun's rays, to your bed"]
    assert closing_shape(home[1]) == closing_shape("The fire is lit, to your head") == ("P", "your", "_")
    assert closing_shape("Ain't no road you can't ride") is None  # one small word there: no shape to hear
    assert stale_closings(home) == {("P", "your", "_")}
    assert stale_closings(home[:2]) == set()  # two lines closing alike: a figure
    assert stale_closings([home[1], "I am home", "The door is wide", home[2]]) == set()  # not in the last three


def test_a_heteronym_rhymes_by_the_sense_a_song_means(words):
    """ "A memory of laughter, tears / A home that never sleeps, no cares" (a poem of session 10) rhymed by the tearing
    "tears" (T EH R Z); a song's "tears" are wept. "live" ends a line as the verb, "lead" as followed, "a dove" flies.
    "tear" and "lives" are sung both ways, and keep both."""
    assert not words.rhymes("tears", "cares") and words.rhymes("tears", "fears")
    assert not words.rhymes("live", "five") and words.rhymes("live", "give")
    assert not words.rhymes("lead", "bed") and words.rhymes("lead", "need")
    assert not words.rhymes("dove", "stove") and words.rhymes("dove", "love")
    assert not words.rhymes("wound", "sound") and words.rhymes("wound", "tuned")
    assert words.rhymes("lives", "gives") and words.rhymes("lives", "knives")


def test_an_old_word_is_not_chosen_when_another_fits(words):
    """ "I hold you in my arms, I'll be with ye": the model reaches for English no one speaks when the form leaves
    it few words. A rhyme forced in takes the likeliest word the listener speaks, and no line says an old word."""
    import torch

    writer = FormWriter.__new__(FormWriter)
    writer.words, writer._rhyme_cache = words, {"sea": [("ye", 5, 1), ("thee", 6, 1), ("me", 7, 1)]}
    form = LineForm(syllables=5, rhyme_with="sea")
    beam = Beam([1, 2, 3, 4], " I'll stay here with", -3.0, 3, "with", ["i'll", "stay", "here"])
    likely = torch.tensor([-9.0, -9.0, -9.0, -9.0, -9.0, -0.5, -0.7, -2.0])  # "ye" and "thee" likelier than "me"
    assert [b.text for b in writer._rhyme_endings(form, beam, likely)] == [" I'll stay here with me"]
    said = Beam([1, 2, 3], " I'll be with ye", -3.0, 3, "ye", ["i'll", "be", "with"])
    assert writer._finish_word(form, said) is None
    assert writer._finish_word(form, replace(said, text=" I'll be with you", partial="you")) == (
        4,
        ["i'll", "be", "with", "you"],
    )


def test_a_rhyme_glued_onto_a_whole_phrase_is_heard():
    """ "I'm the one you need to know, brother": the model would have ended the line after "know" and finds "brother"
    unlikely there; "I will not rest till I am whole": the rhyme the sentence was waiting for."""
    from models.verse.glued_rhymes import glued_on

    pieces = ["\n", ",", " know", " brother", " I", " am", " whole", "ly"]
    # per token: its log-probability in the song, and a line end's in its place
    brother = [4, 2, 1, 3, 0]  # " I know, brother\n"
    assert glued_on(pieces, brother, [-1.0, -2.0, -0.5, -6.7, -0.1], [-9.0, -6.0, -0.2, -3.0, -0.1])
    assert not glued_on(pieces, brother, [-1.0, -2.0, -0.5, -2.0, -0.1], [-9.0, -6.0, -0.2, -3.0, -0.1])  # likely
    whole = [4, 5, 6, 0]  # " I am whole\n": the end before "whole" was unlikely
    assert not glued_on(pieces, whole, [-1.0, -2.0, -7.6, -0.5], [-9.0, -6.0, -6.0, -0.5])
    wholly = [4, 5, 6, 7, 0]  # a word of two tokens counts whole: " whole" + "ly"
    assert glued_on(pieces, wholly, [-1.0, -2.0, -3.0, -2.0, -0.5], [-9.0, -6.0, -1.0, -8.0, -0.5])
    assert not glued_on(pieces, [3, 0], [-9.0, -0.1], [-9.0, -0.1])  # one word: nothing before it


def test_a_rhyme_glued_on_as_a_clause_after_the_comma_is_heard():
    """ "I'll hold you close, I'm sold": the line could have ended at its comma, and "sold" is far less likely after
    "I'm" than any word the sentence wanted; the end right before "sold" is unlikely, so the one-word test misses it.
    A whole tail with a rare word ("I'll be fine", e^-7.2) stays, and so does a rare last word after no comma."""
    from models.verse.glued_rhymes import glued_on

    pieces = ["\n", ",", " close", " I'm", " sold", " fine", " I"]
    sold = [6, 2, 1, 3, 4, 0]  # " I close, I'm sold\n"
    ends = [-9.0, -3.0, -0.3, -2.5, -6.0, -0.1]  # a line end in each token's place: at the comma likely, after "I'm" not
    assert glued_on(pieces, sold, [-1.0, -2.0, -0.5, -1.0, -9.0, -0.1], ends)
    fine = [6, 2, 1, 3, 5, 0]
    assert not glued_on(pieces, fine, [-1.0, -2.0, -0.5, -1.0, -7.2, -0.1], ends)
    no_comma = [6, 2, 3, 4, 0]  # " I close I'm sold\n"
    assert not glued_on(pieces, no_comma, [-1.0, -2.0, -1.0, -9.0, -0.1], [-9.0, -3.0, -2.5, -6.0, -0.1])


def test_one_list_of_common_words_and_words_worn_by_the_song(words):
    """The song writer's repeated-word penalty and its openings read one list of common words (line_form's: two
    lists of one idea before, and "me", "so", "all" were penalised as content words); a word said in three lines
    of the song is worn ("A night's evening, in a way / A night's evening, in the still / ...") and a spare written
    before the lines between it and its place keeps the overlap rule with them."""
    from types import SimpleNamespace

    from models.verse import line_form, lyrics

    assert not hasattr(lyrics, "COMMON_WORDS") and lyrics.FUNCTION_WORDS is line_form.FUNCTION_WORDS
    tokenizer = SimpleNamespace(
        encode=lambda text, allow_control=True: [sum(map(ord, text.strip().lower().split("'")[0]))]
    )
    writer = lyrics.SongWriter.__new__(lyrics.SongWriter)
    writer.model = SimpleNamespace(tokenizer=tokenizer)
    assert writer._repeated_tokens(["So all of me"]) == set()
    lines = ["A night's evening, in a way", "The winter night is cold", "A night of snow", "The snow is white"]
    night, snow = tokenizer.encode("night"), tokenizer.encode("snow")  # "night's" starts as "night" does
    assert set(night) <= writer._repeated_tokens(lines, lyrics.WORN_LINES)
    assert not set(snow) & writer._repeated_tokens(lines, lyrics.WORN_LINES)  # said in two lines only
    forms = FormWriter.__new__(FormWriter)
    forms.words = words
    form = LineForm(avoid={normalise(lines[0])})
    assert not forms.may_end_with(form, "A night's evening, in the still")
    assert forms.may_end_with(form, "The moon is on the hill")


class HangingPartners(ScriptedForms):
    """A stand-in where the best first line's only partner hangs ("strand": "And in my hand, a"), the second best
    first line's does not ("shore": "I hear the ocean roar"); a line at the partner's own place (ABAB) hangs
    unless the search is widened (`beams=`, when `widening_helps`)."""

    widening_helps = True

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.asked.append((form, search))
        if form.rhyme_source:
            firsts = ("The sea runs up the strand", "I walk along the shore", "The gulls are crying high")
            return [Ranked(t, -1.0 - i / 10) for i, t in enumerate(firsts) if normalise(t) not in form.avoid]
        if form.rhyme_with == "strand":
            return [Ranked("And in my hand, a", -1.5, 1.5)]
        if form.rhyme_with == "shore" and len(form.end_avoid) == 1:  # right after its first line
            return [Ranked("I hear the ocean roar", -1.4)]
        if form.rhyme_with == "shore":  # two lines later
            widened = "beams" in search and self.widening_helps
            return (
                [Ranked("I hear the breakers roar", -1.5)] if widened else [Ranked("The waves and then the", -1.6, 2.0)]
            )
        if form.rhyme_with == "high":
            return [Ranked("Above the clouds they fly", -1.2)]
        return [Ranked("A line that does not rhyme", -1.0)]


def _song_writer(monkeypatch, words, forms=HangingPartners):
    """A SongWriter whose lines come from the scripted `forms` (a ScriptedForms), each token a line's length."""
    from types import SimpleNamespace

    from models.verse import lyrics

    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", forms)
    return lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)


def test_a_rhymed_pair_is_planned_on_both_lines_ends(monkeypatch, words):
    """ "That's the sound of a storm, a long": the first line was kept as soon as its partner rhymed, however
    the partner ended. Now a pair that hangs sends the writer to the next first line (another rhyme sound),
    and the pair where neither line hangs wins over a more fluent first line."""
    writer = _song_writer(monkeypatch, words)
    assert writer.write("Write a song.", [LineForm(syllables=6)] * 2, "AA") == [
        "I walk along the shore",
        "I hear the ocean roar",
    ]
    partners = [form.rhyme_with for form, _ in writer.forms.asked if form.rhyme_with]
    assert partners == ["strand", "shore"]  # stops at the first pair that does not hang


def test_a_rhymed_line_whose_best_hangs_is_searched_wider(monkeypatch, words):
    """ABAB: the partner is written again at its place, where its best line hangs ("The waves and then the"): a
    wider search finds one that does not (and only then is the search widened); failing that, the partner
    found when the pair was planned (the spare) comes before a line that hangs."""
    writer = _song_writer(monkeypatch, words)
    lines = writer.write("Write a song.", [LineForm(syllables=6)] * 4, "ABAB")
    assert lines[0] == "I walk along the shore" and lines[2] == "I hear the breakers roar"
    assert [form.rhyme_with for form, search in writer.forms.asked if "beams" in search] == ["shore"]
    monkeypatch.setattr(HangingPartners, "widening_helps", False)
    writer = _song_writer(monkeypatch, words)
    assert writer.write("Write a song.", [LineForm(syllables=6)] * 4, "ABAB")[2] == "I hear the ocean roar"


class EveryPartnerHangs(ScriptedForms):
    """A stand-in where every first line's partner hangs in the plain search ("She is the one I can never do");
    a wider search (`beams=`) finds a partner for "true" that does not. It records each form and search."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.asked.append((form, search))
        if form.rhyme_source:
            firsts = ("Her waves are mine, it's true", "The sea is where I roam", "The gulls are crying high")
            return [Ranked(t, -1.0 - i / 10) for i, t in enumerate(firsts) if normalise(t) not in form.avoid]
        if form.rhyme_with == "true" and "beams" in search:
            return [Ranked("She is the one who sees me through", -1.8)]
        partners = {"true": "She is the one I can never do", "roam": "The shore of the home", "high": "To the sky"}
        return [Ranked(partners[form.rhyme_with], -1.5, 0.6)]


def test_a_pairs_partner_that_hangs_after_every_first_line_is_searched_wider(monkeypatch, words):
    """ "Her waves are my love, she is mine too / She is the one I can never do" (the bench's sea lyrics): all
    three first lines' partners hung, and the pair kept was the least bad. Its partner now takes the wider
    search too, as a line at its own place does, and its line there wins when it hangs less; a pair that does
    not hang is kept as it was found."""
    writer = _song_writer(monkeypatch, words, EveryPartnerHangs)
    assert writer.write("Write a song.", [LineForm(syllables=6)] * 2, "AA") == [
        "Her waves are mine, it's true",
        "She is the one who sees me through",
    ]
    widened = [form.rhyme_with for form, search in writer.forms.asked if "beams" in search]
    assert widened == ["true"]  # once, for the pair kept
    writer = _song_writer(monkeypatch, words)
    writer.write("Write a song.", [LineForm(syllables=6)] * 2, "AA")
    assert not [form for form, search in writer.forms.asked if "beams" in search]


class GluedFirstLine(ScriptedForms):
    """A stand-in for the bench's winter night: of the plain search's first lines, "burning" finds no partner, the
    partner of "midnight" hangs, and "bright light" (a rhyme glued on: it hangs) has a whole partner; the wider
    search (`beams=`) has a whole first line on "star", whose partner does not hang. It records each form and
    search."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.asked.append((form, search))
        if form.rhyme_source and "beams" in search:
            firsts = [Ranked("The night is dark, the moon's a cold star", -0.9)]
        elif form.rhyme_source:
            firsts = [
                Ranked("The night is dark, the stars are burning", -1.4),
                Ranked("The night is cold, the moon is midnight", -1.7),
                Ranked("The night is dark, the stars are bright light", -2.4, 1.0),
            ]
        else:
            partners = {
                "midnight": [Ranked("The stars are bright, the snow is snowed tight", -2.2, 1.0)],
                "light": [Ranked("The snow is cold, the moon is bright white", -1.2)],
                "star": [Ranked("The stars are in the sky, I am far", -1.6)],
            }
            return partners.get(form.rhyme_with, [])
        return [line for line in firsts if normalise(line.text) not in form.avoid]


def test_a_pairs_first_line_that_hangs_after_every_first_line_tried_is_searched_wider(monkeypatch, words):
    """ "The night is dark, the stars are bright light / The snow is cold, the moon is bright white" (the bench's
    winter night): every pair tried hung in one line, and the pair kept hung in its first. The wider search's
    first lines that do not hang are then tried with their partners, and a whole pair found so wins; the wider
    first-line search is asked once, and not at all when the kept pair's first line is whole."""
    writer = _song_writer(monkeypatch, words, GluedFirstLine)
    assert writer.write("Write a song.", [LineForm(syllables=10)] * 2, "AA") == [
        "The night is dark, the moon's a cold star",
        "The stars are in the sky, I am far",
    ]
    widened = [form.rhyme_source for form, search in writer.forms.asked if "beams" in search]
    assert widened == [True]  # the first line's wider search, once; the kept partner did not hang
    partners = [form.rhyme_with for form, _ in writer.forms.asked if form.rhyme_with]
    assert partners == ["burning", "midnight", "light", "star"]
    writer = _song_writer(monkeypatch, words)  # the first pair tried hangs in its partner only
    writer.write("Write a song.", [LineForm(syllables=6)] * 2, "AA")
    assert not [form for form, search in writer.forms.asked if "beams" in search]


class SameOpenings(ScriptedForms):
    """A stand-in whose most fluent line always opens "In the end," (the coming-home song said it six times);
    one opening "Then" comes a little after it. It records each form it is asked for."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.asked.append(form)
        ends = ("we stay", "we go", "we sing", "we rest", "we roam")
        lines = [Ranked(f"In the end, {w}", -1.0) for w in ends] + [Ranked(f"Then {w}", -1.3) for w in ends]
        return [line for line in lines if normalise(line.text) not in form.avoid]


def test_a_song_does_not_open_its_lines_the_same_way_again_and_again(monkeypatch, words):
    """Long songs opened six lines with "In the end," and nine with "Ain't": an opening said twice in the song
    costs each time it comes again, and its first token is made much less likely as the next lines' first token
    (`openers`, not the 1-nat `penalise` of words said before: "I'll" still opened eight lines with that)."""
    from types import SimpleNamespace

    from models.verse import lyrics

    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", SameOpenings)
    writer = lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)
    lines = writer.write("Write a song.", [LineForm()] * 5)
    assert [" ".join(words_in(line)[:2]) for line in lines] == ["in the", "in the", "then we", "then we", "in the"]
    assert [len("In") + 1 in form.openers for form in writer.forms.asked] == [False, False, True, True, True]
    assert lyrics.openings("Ain't no road you can't ride") == {"ain't no", "ain't"}
    assert lyrics.openings("In the dark") == {"in the"}  # common words alone are no opening


class EmptyPieces(ScriptedForms):
    """A stand-in whose most fluent lines hold a piece made only of small words ("You are me"), a little ahead of
    lines that say something."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        lines = ["You are me, you are my dew", "In the darkness, it is me, I bow", "The road runs on into the night"]
        return [Ranked(text, -1.0 - 0.2 * n) for n, text in enumerate(lines) if normalise(text) not in form.avoid]


def test_a_line_with_a_piece_made_only_of_small_words_pays(monkeypatch, words):
    """The open road of session 17: "You are me. You are the divine / The god of the gods. You are me"; 58 of the
    63 stored bench lines with a piece of small words only ("it is me", "To me,", "to be me") are wrong read aloud.
    Such a piece costs the line EMPTY_PIECE_COST, so a line that says something wins when it is near as fluent."""
    from types import SimpleNamespace

    from models.verse import lyrics
    from models.verse.small_words import EMPTY_PIECE_COST, empty_piece_cost, empty_pieces

    assert empty_pieces("You are me. You are the divine") == ["You are me"]
    assert empty_pieces("To me, to you, I'll never stop") == ["To me", "to you"]
    assert empty_pieces("In the darkness, it is me, I bow") == ["it is me"]
    assert empty_pieces("To be the first, I'll not be the last") == []  # "first" and "last" say something
    assert empty_pieces("Oh, the sea, I'll sail it, no") == []  # one small word alone: a call, or a tail
    assert empty_pieces("And that's why I'm here, I'll be there") == []
    assert empty_piece_cost("To me, to you, I'll never stop") == 2 * EMPTY_PIECE_COST
    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    monkeypatch.setattr(lyrics, "FormWriter", EmptyPieces)
    writer = lyrics.SongWriter(SimpleNamespace(tokenizer=tokenizer), words)
    assert writer.write("Write a song about the open road.", [LineForm()]) == ["The road runs on into the night"]


def test_a_pronouns_contraction_is_a_small_word():
    """The open road of session 19: "You're on it, you'll never get away. / You're on it, you'll always be there";
    the sea "I am the sea, I'm you"; "A fire, a light, I'll be me". A pronoun's contraction says as little as the
    pronoun and its verb apart ("you are me" paid)."""
    from models.verse.small_words import empty_pieces

    assert empty_pieces("You're on it, you'll never get away") == ["You're on it"]
    assert empty_pieces("A fire, a light, I'll be me") == ["I'll be me"]
    assert empty_pieces("I am the sea, I'm you") == ["I'm you"]
    assert empty_pieces("I'll hold you close, it's cold") == []  # "hold", "cold" say something


def test_a_beam_stringing_nouns_pays_until_a_verb_comes(words):
    """The rain of session 18 ("In the night, in the spring / ... / In the dawn, in the day") and the winter night of
    session 19 ("A snowflake, in the sky's dream"): a cost in the ranking had no line with a verb to choose, so the
    search pays instead, from the comma that ends a piece with no verb until a verb comes; "to X" is no verb."""
    from models.verse.verbs import string_of_nouns, verbs_in

    assert verbs_in("In the night, in the spring") == []
    assert verbs_in("A cold winter's light, a midnight moon") == []  # "'s" before a noun: whose, not "is"
    assert verbs_in("The sun shines, and the sea's cold") == ["shines", "sea's"]
    assert verbs_in("In my dreams, I soar") == ["soar"]  # "dreams" after "my" is a noun; after "I", a verb
    assert verbs_in("A song, a tale, to die") == [] and verbs_in("To be free, to be me") == []
    assert string_of_nouns("In the night,") and not string_of_nouns("In the night of spring")
    writer = FormWriter.__new__(FormWriter)
    writer.words, writer.end_ids = words, {0}
    writer.pieces = ["\n", " In", " the", " night", ",", " I", " soar", " in", " spring", "."]
    form = LineForm(verbless_cost=2.0)

    def write(tokens):
        beam = Beam([], "", 0.0)
        for token in tokens:
            kind, beam = writer._expand(form, beam, token, -1.0)
        return kind, beam

    assert write([1, 2, 3])[1].score == -3.0
    assert write([1, 2, 3, 4, 5])[1].score == -7.0  # the comma after "In the night" pays 2
    kind, sung = write([1, 2, 3, 4, 5, 6, 0])
    assert kind == "done" and sung.score == -7.0 and sung.owed == 0  # "I soar": given back
    kind, nouns = write([1, 2, 3, 4, 7, 2, 8, 0])
    assert kind == "done" and nouns.score == -10.0  # "In the night, in the spring" keeps it
    kind, image = write([1, 2, 3, 9, 0])
    assert kind == "done" and image.score == -5.0  # "In the night." is one piece: its stop is given back


class RankedTitles:
    """A stand-in for the FormWriter (no model): the same ranked titles for every search, less those the
    form's own end rule refuses (the same line again, too many words of an earlier title)."""

    def __init__(self, model, words, beams, expand):
        self.rule, self.searches = FormWriter.__new__(FormWriter), []

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.searches.append(search)
        titles = ("The Stormy Sea", "A Stormy Sea", "The Sea", "Stormy Sea at Dawn")
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_titles_are_written_to_the_number_asked(monkeypatch):
    """The full bench wrote 11 of the 15 titles asked: once a title said "sea", every later one naming the
    sea shared too many words with it. The strict passes come first; then the rules relax, but a title is
    never the same words again ("A Stormy Sea")."""
    from types import SimpleNamespace

    from models.verse import titles

    monkeypatch.setattr(titles, "FormWriter", RankedTitles)
    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    writer = titles.TitleWriter(SimpleNamespace(tokenizer=tokenizer), is_name=lambda word: False)
    written = writer.titles("a stormy sea", n=3)
    assert written == ["The Stormy Sea", "Stormy Sea at Dawn", "The Sea"]
    assert all(set(words_in(t)) & subject_words("a stormy sea") for t in written)
    assert writer.forms.searches[0] == {}  # the strict pass first; it gives way when a search finds nothing


class RoadTitles(RankedTitles):
    """The model's titles for the open road: one names it, the others name a road another way, or nothing of it."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        titles = ("The Open Road", "The Endless Highway", "The Long Journey", "The City of Angels", "Miles to Go")
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_five_titles_for_the_open_road(monkeypatch):
    """Five titles for a song about the open road came back three: every title must name the subject, and "open"
    and "road" were its only words, so once "The Open Road" was said the searches found nothing new ("The City of
    Angels"). The road has near words as the sea and the night have."""
    from types import SimpleNamespace

    from models.verse import titles

    monkeypatch.setattr(titles, "FormWriter", RoadTitles)
    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    writer = titles.TitleWriter(SimpleNamespace(tokenizer=tokenizer), is_name=lambda word: False)
    written = writer.titles("the open road", n=4)
    assert written == ["The Open Road", "The Endless Highway", "The Long Journey", "Miles to Go"]


def test_a_title_does_not_end_cut_off_mid_word(words):
    """ "The Sea of Tran": "tran" is in the dictionary, but the model would have gone on with "quility"."""
    import torch

    writer = FormWriter.__new__(FormWriter)
    writer.words, writer.end_ids = words, {0}
    writer.pieces = ["\n", " The", " Sea", " of", " Tran", "quility"]
    writer.word_goes_on = torch.tensor([5])
    form = LineForm(words=(2, 6))
    cut = Beam([1, 2, 3, 4], " The Sea of Tran", -4.0, 0, "Tran", ["the", "sea", "of"])
    goes_on = torch.log(torch.tensor([0.02, 0.01, 0.01, 0.01, 0.01, 0.94]))
    assert writer._cuts_a_word(cut, goes_on)
    assert writer._expand(form, cut, 0, float(goes_on[0]), writer._cuts_a_word(cut, goes_on)) is None
    whole = Beam([1, 2], " The Sea", -2.0, 0, "Sea", ["the"])
    ends = torch.log(torch.tensor([0.9, 0.02, 0.02, 0.02, 0.02, 0.02]))
    assert not writer._cuts_a_word(whole, ends)
    assert writer._expand(form, whole, 0, float(ends[0]), writer._cuts_a_word(whole, ends))[0] == "done"


class EmptyUntilFavoured(RankedTitles):
    """A stand-in whose searches find nothing until the subject's words are favoured ("a mountain village":
    the model never says mountain or village unasked)."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.searches.append(bool(form.topic))
        return super().ranked(form, prompt, seed, variety, **search) if form.topic else []


def _title_writer(monkeypatch, forms, names=()):
    """A title writer over a stand-in search (no model); `names`: the words its name check calls names."""
    from types import SimpleNamespace

    from models.verse import titles

    monkeypatch.setattr(titles, "FormWriter", forms)
    tokenizer = SimpleNamespace(encode=lambda text, allow_control=True: [len(text) + 1])
    return titles.TitleWriter(SimpleNamespace(tokenizer=tokenizer), is_name=lambda word: word in names)


def test_an_empty_strict_search_goes_straight_to_the_next_pass(monkeypatch):
    """Each empty strict search cost ~40 s of CPU, and 2n of them came before the subject was favoured."""
    writer = _title_writer(monkeypatch, EmptyUntilFavoured)
    assert len(writer.titles("a stormy sea", n=3)) == 3
    assert writer.forms.searches[:2] == [False, True]  # one empty strict search, then the favouring pass


class SameTitleAgain(RankedTitles):
    """A stand-in that says "The Mountain Village" unless asked for other words (as the model did)."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.searches.append(form)
        titles = ("A Mountain Village", "The Village on the Hill") if "hill" in form.topic else ("A Mountain Village",)
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_the_relaxed_passes_favour_the_subjects_words_not_said_yet(monkeypatch):
    """ "a mountain village" got 2 of 5 titles: favoured, "mountain" and "village" came back every time."""
    writer = _title_writer(monkeypatch, SameTitleAgain)
    assert writer.titles("a mountain village", n=2) == ["A Mountain Village", "The Village on the Hill"]
    favoured = [form.topic for form in writer.forms.searches if form.topic]
    assert {"hill", "peak"} <= favoured[0] and not {"mountain", "village"} & favoured[0]


class BorrowingTitles(RankedTitles):
    """A stand-in whose likeliest titles are a famous painting's, name a painter or say "in the style"."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.searches.append(form)
        titles = (
            "The Starry Night",
            "Starry Night by Rembrandt",
            "A Harbour in the Style",
            "Harbour Lights by Monet",
            "The Night Cafe at the Harbour",
            "Boats by the Quay",
            "Harbour Lights",
            "The Harbour at Midnight",
            "Lanterns on the Quay",
        )
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_titles_are_not_borrowed_nor_speak_of_the_style(monkeypatch, words):
    """Seen on the bench: "The Starry Night", "The Starry Night by Rembrandt", "A Mountain Village in the Style",
    and with names barred, made-up ones ("The Stormy Sea by Jasper Barnett"): no "by" in a title."""
    writer = _title_writer(monkeypatch, BorrowingTitles)
    written = writer.titles("a harbour at night", style="Van Gogh", n=3)
    assert written == ["Harbour Lights", "The Harbour at Midnight", "Lanterns on the Quay"]
    # the rules work inside the search, as each word is finished, so that it looks for other titles: a beam
    # that has said "The Starry Night" or "style" goes no further
    refuse = writer.forms.searches[0].refuse
    assert refuse(["the", "starry", "night"], False) and refuse(["a", "harbour", "in", "the", "style"], False)
    assert not refuse(["the", "starry"], False) and not refuse(["the", "harbour"], False)
    rule = FormWriter.__new__(FormWriter)
    rule.words = words
    beam = Beam([1, 2, 3], " The Starry Night", -3.0, 3, "Night", ["the", "starry"])
    assert rule._finish_word(writer.forms.searches[0], beam) is None


def test_the_paintings_the_styles_learn_from_are_famous_titles():
    """Every painting in resources/paint/art (the styles' sources, titles the model knows) is refused as a title."""
    import unicodedata
    from pathlib import Path

    from models.verse.titles import borrowed

    readme = Path(__file__).resolve().parents[1] / "resources/paint/art/README.md"
    rows = [line.split("|")[2] for line in readme.read_text(encoding="utf-8").splitlines() if ".jpg |" in line]
    paintings = {unicodedata.normalize("NFKD", row.split(",")[0]).encode("ascii", "ignore").decode() for row in rows}
    assert len(paintings) >= 12
    missing = [p for p in paintings if not borrowed(p)]
    assert not missing, f"add these paintings' titles to models/verse/titles.py FAMOUS_TITLES: {missing}"
    assert borrowed("Starry Night at the Harbour") and not borrowed("Night at the Harbour")
    assert borrowed("The Scream") and not borrowed("The Scream of the Gulls")  # one word: the title itself
    assert borrowed("The Road Not Taken") and borrowed("Road Not Taken") and not borrowed("The Open Road")  # a poem
    assert borrowed("Stairway to Heaven") and not borrowed("Heaven")  # a song; a word of it is not its title


class TwinTitles(RankedTitles):
    """A stand-in whose likeliest titles differ by a plural ("The Storm of the Seas" / "The Storm of the Sea")."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        titles = ("The Storm of the Seas", "The Storm of the Sea", "Stormy Waves at Dusk")
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_titles_that_differ_by_a_plural_are_one_title(monkeypatch):
    """The bench wrote "The Storm of the Seas" and "The Storm of the Sea" in one list of five."""
    from models.verse.titles import title_key

    writer = _title_writer(monkeypatch, TwinTitles)
    assert writer.titles("a stormy sea", n=2) == ["The Storm of the Seas", "Stormy Waves at Dusk"]
    assert title_key("seas") == title_key("sea") and title_key("turner's") == title_key("turner")
    assert title_key("glass") == "glass" and title_key("waves") == title_key("wave") != title_key("waters")


class NearTwinTitles(RankedTitles):
    """A stand-in whose likeliest titles differ by one word ("Maelstrom the Unspeakable Tempest" / "Maelstrom
    the Unforgiving Tempest"), and whose only others would be near twins of those too."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        titles = (
            "Maelstrom the Unspeakable Tempest",
            "Maelstrom the Unforgiving Tempest",
            "The Unforgiving Tempest of the Maelstrom",
            "Stormy Waves at Dawn",
            "Stormy Waves at Dusk",
            "The Stormy Sea",
            "The Sea at Dawn",
        )
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_titles_one_word_apart_are_one_title(monkeypatch):
    """The bench offered "Maelstrom the Unspeakable Tempest" and "Maelstrom the Unforgiving Tempest" in one list:
    a title one word away from an earlier one (of three or more) is not new in any pass; of two words, one
    swapped is a new title ("The Sea at Dawn" after "The Stormy Sea")."""
    writer = _title_writer(monkeypatch, NearTwinTitles)
    assert writer.titles("a stormy sea", n=4) == [
        "Maelstrom the Unspeakable Tempest",
        "Stormy Waves at Dawn",
        "The Stormy Sea",
        "The Sea at Dawn",
    ]


class TitlesWithNames(RankedTitles):
    """A stand-in whose likeliest titles name a city nobody asked for (as the bench's did)."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        self.searches.append(form)
        titles = ("Portrait of a Starry Evening Amsterdam", "Evening Harbour in Amsterdam", "Lanterns on the Quay")
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_titles_name_no_place_the_request_did_not(monkeypatch):
    """ "Portrait of a Starry Evening Amsterdam", "Sakura No Miyazaki Tokyo's Majestic Mountains": no names unasked;
    a name the request gave may be said."""
    writer = _title_writer(monkeypatch, TitlesWithNames, names={"amsterdam", "tokyo"})
    assert writer.titles("a harbour at night", n=1) == ["Lanterns on the Quay"]
    assert writer.forms.searches[0].refuse(["evening", "harbour", "in", "amsterdam"], False)
    assert writer.titles("a harbour in Amsterdam", n=1) == ["Portrait of a Starry Evening Amsterdam"]


def test_the_chat_model_writes_names_with_a_capital(forms):  # forms: the model, loaded once for the module
    """The name check is the model's own casing of a word mid-sentence (names +2.9 to +10.7 nats, common words at
    most +0.4)."""
    from models.text.chat import shared_chat_model
    from models.verse.titles import ProperNames

    is_name = ProperNames(shared_chat_model("cpu"))
    assert is_name("amsterdam") and is_name("vincent")
    assert not is_name("harbour") and not is_name("tempest")


class CityUnlessVillageFavoured(RankedTitles):
    """A stand-in that writes "The City of Ember" unless "village" is favoured, one title a search (as the model
    did for "a mountain village": it would not take "peak" or "summit" instead)."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        titles = ("The Mountain Village", "The Mountain Village at Dawn") if "village" in form.topic else ()
        found = [Ranked(t, -1.0) for t in (*titles, "The City of Ember") if self.rule._may_end(form, 0, words_in(t), t)]
        return found[:1]


def test_the_last_pass_favours_the_words_already_said(monkeypatch):
    """The bench's fifteenth title: every search for "a mountain village" came back empty once "mountain" and
    "village" had been said, as the passes favoured only the words not said yet."""
    writer = _title_writer(monkeypatch, CityUnlessVillageFavoured)
    assert writer.titles("a mountain village", n=2) == ["The Mountain Village", "The Mountain Village at Dawn"]


class SameShapeTitles(RankedTitles):
    """A stand-in whose likeliest titles are one word apart in the same words ("The Unyielding Wave" / "The
    Unshakeable Wave", as `atelier chat` wrote for a stormy sea; "The End of the Street" / "The End of the
    Highway" / "The End of the Road", five titles for the open road in session 19: here the sea's)."""

    def ranked(self, form, prompt, seed=0, variety=0.6, **search):
        titles = (
            "The Unyielding Wave",
            "The Unshakeable Wave",
            "The Unyielding Tide",
            "The Calm Wave at Dusk",
            "The End of the Shore",
            "The End of the Tide",
            "The End of the Sea",
            "Miles of Sea Ahead",
        )
        return [Ranked(t, -1.0) for t in titles if self.rule._may_end(form, 0, words_in(t), t)]


def test_titles_one_word_apart_in_the_same_shape_are_one_title(monkeypatch):
    """A word swapped in the same frame is not a new title: a modifier before the same head ("The Unshakeable
    Wave") or the head itself ("The Unyielding Tide", "The End of the Sea" after "The End of the Shore")."""
    writer = _title_writer(monkeypatch, SameShapeTitles)
    assert writer.titles("a stormy sea", n=4) == [
        "The Unyielding Wave",
        "The Calm Wave at Dusk",
        "The End of the Shore",
        "Miles of Sea Ahead",
    ]


def test_a_title_does_not_run_on_into_a_second():
    """The wide last pass's "The Open Road a Journey Through", "The Open Road a Bold Unadorned": "a" after a noun
    starts a second title; after a verb or a preposition it does not."""
    from models.verse.titles import runs_on

    assert runs_on(words_in("The Open Road a Journey Through"))
    assert not runs_on(words_in("Catch a Falling Star")) and not runs_on(words_in("The City of a Thousand Lights"))
    # "the" after a noun past the first word (the titles bench of session 20); after the first word it names it
    assert runs_on(words_in("The City of Emptiness the Mountains"))
    assert not runs_on(words_in("Maelstrom the Unforgiving Tempest")) and not runs_on(words_in("Beyond the Sea"))


def test_a_tidied_line_says_i_as_a_capital():
    """The long-songs bench wrote "A night of ice and snow, i", then "i'll" and "i'm" in every later line."""
    from models.verse.line_form import tidy

    assert tidy(" in the darkness,  i'll die ,") == "In the darkness, I'll die"
    assert tidy("i'm never icy, i said") == "I'm never icy, I said"


def test_a_beam_that_fills_its_count_on_a_word_no_line_ends_on_takes_no_place(words):
    """ "In the twilight, the", "The seasons, they are": five syllables on a word that cannot end a five-syllable line;
    it would take a place among the beams only to be refused at the next step."""
    writer = FormWriter.__new__(FormWriter)
    writer.words = words
    form = LineForm(syllables=5, end_avoid={"snow"})
    dead = [
        Beam([1, 2], " In the twilight, the", -5.0, 4, "the", ["in", "the", "twilight"]),
        Beam([1, 2], " The seasons, they are", -5.1, 4, "are", ["the", "seasons", "they"]),
        Beam([1, 2], " In the dawn, the snow", -5.2, 4, "snow", ["in", "the", "dawn", "the"]),  # an earlier end
    ]
    alive = [
        Beam([1, 2], " In the winter", -6.0, 3, "winter", ["in", "the"]),  # five once finished: may end
        Beam([1, 2], " The seasons", -6.5, 1, "seasons", ["the"]),  # three: words may follow
    ]
    rhyme = Beam([1, 2], " The seasons go", -7.0, 5, "", ["the", "seasons", "go"], must_end=True)
    kept = writer._keep(form, [(0, beam) for beam in [*dead, *alive, rhyme]], beams=2)
    assert [beam.text for _, beam in kept] == [" In the winter", " The seasons", " The seasons go"]


def test_a_short_line_is_found_where_the_likeliest_words_fill_its_count_too_soon(forms):
    """Session 14: 2 haiku of 12 about "the seasons" came back with an empty line. Replayed, the widest search's ten
    beams were all at five syllables on a word no line ends on ("In the twilight, the", "The seasons, they are",
    "In the winter, I"): the next step refused every one and no line was found. The same third line here, with this
    module's narrower search, found none before."""
    from models.text.chat import format_chat
    from models.verse.lyrics import EXAMPLE_REQUEST, EXAMPLE_SONG, SYSTEM

    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": EXAMPLE_REQUEST},
        {"role": "assistant", "content": EXAMPLE_SONG},
        {"role": "user", "content": "Write a haiku about the seasons."},
    ]
    prompt = forms.tokenizer.encode(format_chat(messages) + "In the dawn, the snow\nFrozen, I am the season\n")
    found = forms.ranked(LineForm(syllables=5, end_avoid={"snow", "season"}), prompt, seed=1, variety=0.0)
    assert found and all(words_in(line.text)[-1] not in {"snow", "season"} for line in found)


def test_the_seasons_are_not_the_sea():
    """ "seasons" starts with "sea": a haiku about the seasons was favoured towards "ocean" and "tide"."""
    assert not subject_words("the seasons") & {"ocean", "tide", "shore"}
    assert not subject_words("a port") & {"face", "woman"}  # nor is a port a portrait
    assert {"storm", "tempest"} <= subject_words("stormy weather") and "peak" in subject_words("the mountains")


def test_a_closing_note_held_a_whole_bar_ends_the_line_before_it():
    """A tune that closes on the tonic held a whole bar (session 17's endings) made a last line of one note: the song
    about the sea ended 'Are my home, I'm your friend / Lad'."""
    from models.music import tokens
    from models.music.constrained import Event
    from models.music.melody import Melody

    eighth, whole = tokens.DURATIONS.index(12), tokens.DURATIONS.index(96)
    tonic = tokens.pitch_to_symbol(62, 2, "major")[0]
    events = [Event(12 * i, tonic, eighth) for i in range(56)] + [Event(7 * 96, tonic, whole)]
    melody = Melody(events, 2, "major", tokens.Meter(4, 4), 8, 100.0)
    phrases = melody_phrases(melody)
    assert [len(p) for p in phrases] == [8] * 6 + [9]
