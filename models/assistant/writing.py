"""The words the assistant writes: lyrics fitted to a melody, titles, poems, haiku, and the line VAE's
lines, blends and riffs. Each function returns (text for the conversation, value, extra params)."""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Any

import torch

from models.jobs import Progress, check_cancelled
from models.verse.line_form import LineForm, unrhymed_pairs
from models.verse.lyrics import SongWriter, phrase_forms, topic_for_mode
from models.verse.pronounce import Pronouncing, words_in

_cache: dict[str, Any] = {}


def chat_model():
    """The conversation model the verse writers steer (the process's shared one: loaded once)."""
    from models.device import pick_device
    from models.text.chat import shared_chat_model

    return shared_chat_model(pick_device().device)


def loading_chat_model(cancel: threading.Event | None = None) -> Generator[Progress, None, Any]:
    """`chat_model` as a job's step: progress while it loads, and a stop between its layers once `cancel` is set (the
    first lyrics of a session said "Writing" through the whole load, which nothing could stop)."""
    from models.device import pick_device
    from models.text.chat import loading_shared_chat_model

    return (yield from loading_shared_chat_model(pick_device().device, cancel=cancel))


def song_writer() -> SongWriter:
    if "songs" not in _cache:
        _cache["songs"] = SongWriter(chat_model())
    return _cache["songs"]


def title_writer():
    from models.verse.titles import TitleWriter

    if "titles" not in _cache:
        _cache["titles"] = TitleWriter(chat_model(), song_writer().words)
    return _cache["titles"]


def line_vae():
    """The line VAE (its decoder is the chat model), or None when its checkpoint is not shipped."""
    from models.resources import resource

    if "line_vae" not in _cache:
        path = resource("text", "line-vae.safetensors")
        _cache["line_vae"] = None
        if path.is_file():
            from models.verse.line_vae import LineVAE
            from models.verse.lm_decoder import FrozenLM

            model = chat_model()
            _cache["line_vae"] = LineVAE.load(path, FrozenLM(model.runner), model.tokenizer)
    return _cache["line_vae"]


def blend(first: str, second: str, steps: int) -> list[str]:
    """From the first line to the second through codes between theirs. The line VAE writes fluent lines
    but does not give a line back word for word (its code carries a few nats), so the ends are the
    lines as typed and only the points between are decoded; without it, the GRU VAE blends."""
    vae = line_vae()
    if vae is None:
        return [_shown(text) for text in verse_writer().blend(first, second, steps=steps)]
    return [first, *(_shown(text) for text in vae.blend(first, second, steps)[1:-1]), second]


def riff(line: str, n: int, seed: int) -> list[str]:
    vae = line_vae()
    lines = vae.riff(line, n=n, seed=seed) if vae is not None else verse_writer().riff(line, n=n, seed=seed)
    return [_shown(text) for text in lines]


def _shown(line: str) -> str:
    """A decoded line as the chat shows it: the VAEs learned from fortune lines, many of them the first half of a
    sentence, and end a line on a comma or a semicolon ("The night is waiting,"); shown alone it reads as cut off."""
    return line.rstrip(",;: ") or line


def verse_writer():
    """The sentence VAE's writer (blends, riffs, similar lines)."""
    from models.verse.verse import VerseWriter

    if "vae" not in _cache:
        _cache["vae"] = VerseWriter.load()
    return _cache["vae"]


def write_lines(
    request: str, forms, scheme: str | None, seed: int, server_url: str | None = None, topic: str | None = None,
    cancel: threading.Event | None = None,
) -> tuple[list, str]:
    """Lines in the given forms, and a note for the answer. With a server address the server writes
    and the dictionary checks each line; a line that breaks its form is written by the built-in writer.
    The note says which lines the scheme rhymes and the words do not (see `rhyme_note`)."""
    lines, note = _write_lines(request, forms, scheme, seed, server_url, topic, cancel)
    lines, missing = _fill_empty_lines(list(lines), request, forms, seed, topic)
    return lines, " ".join(part for part in (note, missing, rhyme_note(lines, scheme)) if part)


def _fill_empty_lines(lines: list[str], request: str, forms, seed: int, topic: str | None) -> tuple[list[str], str]:
    """Write again a line the writer gave up on (an empty line): with another seed after the lines before it, then
    after the one line before it, then on its own; a line still empty is named in the note. (Session 14: 2 of 12
    haiku about "the seasons", seeds 0-11 in one process, ended in an empty line under "5, 7 and 5 syllables"; the
    same line with another seed after the same two lines was found in one process and not in another: the writer
    bars its recent lines.) The line written again is not held to the rhyme scheme: the rhyme note says so when
    its pair does not rhyme."""
    empty = []
    for index, line in enumerate(lines):
        for attempt, before in enumerate((lines[:index], lines[max(index - 1, 0) : index], []), start=1):
            if line.strip():
                break
            written = song_writer().write(request, [forms[index]], None, seed + 7919 * attempt, previous=before,
                                          topic=topic)
            line = written[0] if written else ""
        lines[index] = line
        if not line.strip():
            empty.append(str(index + 1))
    if not empty:
        return lines, ""
    named = empty[0] if len(empty) == 1 else ", ".join(empty[:-1]) + " and " + empty[-1]
    return lines, f"(No line that fits was found for line {named}.)" if len(empty) == 1 else \
        f"(No lines that fit were found for lines {named}.)"


def rhyme_note(lines: list[str], scheme: str | None) -> str:
    """What the answer says when a pair asked to rhyme does not: where no rhyming line fits, the writer falls back
    to an unrhymed one, and the request line's "rhymed AABB" would say otherwise."""
    pairs = unrhymed_pairs(lines, scheme, Pronouncing.shared())
    if not pairs:
        return ""

    def last(index: int) -> str:
        found = words_in(lines[index])
        return f"“{found[-1]}”" if found else "an empty line"

    named = [f"{a + 1} and {b + 1} ({last(a)} / {last(b)})" for a, b in pairs]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"(Lines {listed} do not rhyme: no rhyming line that fits was found.)"


def _write_lines(
    request: str, forms, scheme: str | None, seed: int, server_url: str | None = None, topic: str | None = None,
    cancel: threading.Event | None = None,
) -> tuple[list, str]:
    writer = song_writer()
    if server_url:
        from models.assistant.server_verse import server_lines
        from models.text.server import ServerBackend, ServerUnavailable

        try:
            backend = ServerBackend(server_url)
            backend.detect()

            def fallback(form, previous):
                return (writer.write(request, [form], None, seed, previous=previous, topic=topic) or [""])[0]

            lines, kept = server_lines(backend, request, forms, scheme, fallback, writer.words, seed=seed)
            return (
                lines,
                f"({kept} of {len(lines)} lines from the server as written; the others broke the form and were rewritten here.)",
            )
        except ServerUnavailable as error:
            return writer.write(request, forms, scheme, seed, topic=topic), f"({error} The built-in model wrote these.)"
    return _until_cancelled(writer.each_line(request, forms, scheme, seed, topic=topic), cancel), ""


def _until_cancelled(lines: Iterator[str], cancel: threading.Event | None) -> list[str]:
    """The writer's lines, the cancel flag looked at after each: a 16-bar song's lyrics took 70 s on two busy cores,
    and Esc waited for all of them."""
    written = []
    for line in lines:
        check_cancelled(cancel)
        written.append(line)
    return written


def lyrics_for(melody, theme: str | None, scheme: str | None, seed: int, server_url: str | None = None,
               cancel: threading.Event | None = None):
    """Lines fitted to the melody's phrases, rhymed by `scheme`; (lines, topic, note)."""
    from models.verse.lyrics import LyricLine, syllable_pieces

    forms = phrase_forms(melody) if melody is not None else [LineForm(syllables=n) for n in (8, 6, 8, 6)]
    topic = theme or (topic_for_mode(melody.mode) if melody is not None else "a long journey home")
    texts, note = write_lines(f"Write a song about {topic}.", forms, scheme, seed, server_url, topic, cancel)
    words = Pronouncing.shared()
    return [LyricLine(text, syllable_pieces(text, words)) for text in texts], topic, note


def lyrics_text(lines, source: str, melody=None) -> str:
    from models.verse.lyrics import phrase_bars

    phrase = "bar" if melody is not None and phrase_bars(melody) == 1 else "two-bar phrase"
    body = "\n".join(line.text for line in lines)
    sung = "\n".join(" ".join(line.syllables) for line in lines)
    return f"One line per {phrase} of {source}, one syllable per note:\n\n{body}\n\nAs sung, note by note:\n{sung}"


def titles_for(subject: str, style: str | None, colours: list[str], topic: str | None, n: int, seed: int):
    return title_writer().titles(subject, style=style, colours=colours, topic=topic, n=n, seed=seed)


def poem(theme: str, scheme: str, lines: int, syllables: int, seed: int, server_url: str | None = None,
         cancel: threading.Event | None = None):
    forms = [LineForm(syllables=syllables) for _ in range(lines)]
    return write_lines(f"Write a short poem about {theme}.", forms, scheme, seed, server_url, theme, cancel)


def haiku(theme: str, seed: int, server_url: str | None = None, cancel: threading.Event | None = None):
    forms = [LineForm(syllables=5), LineForm(syllables=7), LineForm(syllables=5)]
    return write_lines(f"Write a haiku about {theme}.", forms, None, seed, server_url, theme, cancel)


def lines_about(theme: str, n: int, seed: int, cancel: threading.Event | None = None) -> list[str]:
    """`n` lines of 6 to 10 syllables about the theme, unrhymed, each after the ones before."""
    generator = torch.Generator().manual_seed(seed)
    counts = torch.randint(6, 11, (n,), generator=generator).tolist()
    forms = [LineForm(syllables=c) for c in counts]
    return _until_cancelled(song_writer().each_line(f"Write a few lines about {theme}.", forms, None, seed, topic=theme),
                            cancel)
