"""Carry out a parsed creative request with the real engines: a painting (models.paint), a melody
(models.music), or lines, titles and lyrics from the sentence VAE. Used by the CLI and the Chat tab.

`carry_out(request, context, out_dir=..., seed=...)` is a job: it yields Token events with the
answer's text (first the sentence saying what was understood), Preview(image or melody), Progress (a song
sketch's steps), and Result(CreativeAnswer). When an engine is missing it says so in the answer; it never fakes a result.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from models.assistant.requests import CreativeRequest
from models.jobs import Event, JobError, Preview, Result, Token, check_cancelled


@dataclass
class CreativeContext:
    """What earlier turns made, so "lyrics for my last melody" and "titles for this painting" work."""

    last_melody: dict | None = None  # the melody request's params (seeded: regenerating gives the same tune)
    last_painting: dict | None = None  # the painting request's params
    last_painting_file: Path | None = None  # where it was saved, for its colours
    # The Melody selected in the Compose tab: "my last melody" to someone who composed there, not in the chat.
    # The conversation's own melody comes first (it is what the chat last made).
    composed_melody: Any = None
    # "painting" or "melody": which of the two the conversation made last, for "five titles for it".
    last_made: str | None = None


@dataclass
class CreativeAnswer:
    kind: str
    text: str
    files: list[Path] = field(default_factory=list)
    value: Any = None  # the PIL image, the Melody, or the list of lines
    params: dict = field(default_factory=dict)  # what to store with the message to redo it


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "untitled"


def _unique(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def make_painting(recipe, device: torch.device | str | None = None, cancel: threading.Event | None = None):
    """The painting a chat request asks for, through the Paint tab's own path (`painting.paint_job`): the
    scene its subject describes, painted in the style. (image, style title, the scene, the recipe as made)."""
    from models.paint.painting import paint_job
    from models.paint.scratch import scene_and_painting, subject_for
    from models.paint.style import find_style, list_shipped_styles, load_style

    installed = list_shipped_styles()
    name = recipe.style or (next(iter(installed)) if installed else None)
    if name is None:
        raise JobError("Painting is not available yet: no painting styles are installed.")
    path = find_style(name)
    style = load_style(path, device=device or "cpu")
    made = recipe.replace(
        style=style.name,
        checkpoint_hash=style.checkpoint_hash,
        style_path=str(path),
        subject=subject_for(style.name, recipe.subject, recipe.seed),
    )
    scene, image = scene_and_painting(paint_job(made, style, device=device, cancel=cancel))
    return image, style.title, scene, made.replace(size=image.size)


def make_melody(params: dict):
    """The melody a chat request asks for: its parameters are a `MelodyRequest`'s fields (one variation)."""
    from models.music.generate import generate
    from models.music.request import MelodyRequest

    try:
        return generate(MelodyRequest.from_json({**params, "variations": 1}))[0]
    except ValueError as error:
        raise JobError(f"I could not write that melody: {error}.") from error


# A topic or a quoted line is a phrase: the verse model reads it as its prompt for every line it writes, so a
# pasted page would take minutes per line. Longer ones are refused with a sentence before anything is written.
MAX_TOPIC_CHARACTERS = 120
WORDS_READ = {"theme": "topic", "line": "line", "first": "line", "second": "line"}
# The requests whose words the conversation model writes (the verse writers steer it): loaded first, with progress.
WRITTEN_BY_THE_CHAT_MODEL = {"song", "lyrics", "titles", "poem", "haiku", "lines", "blend", "riff"}


def _check_lengths(params: dict) -> None:
    for key, what in WORDS_READ.items():
        words = params.get(key)
        if isinstance(words, str) and len(words) > MAX_TOPIC_CHARACTERS:
            raise JobError(
                f"The {what} is too long ({len(words):,} characters; at most {MAX_TOPIC_CHARACTERS}): "
                "say it in a few words."
            )


NO_MELODY = "no melody in this conversation or the Compose tab yet"


def as_understood(request: CreativeRequest, context: CreativeContext) -> CreativeRequest:
    """The request as it will be carried out here. The parser reads the message alone: "lyrics for my last
    melody" became "Lyrics for the last melody" above a verse that says there is none (session 14); with no
    melody anywhere the lyrics fit a common verse, and the line says so."""
    if request.kind == "lyrics" and context.last_melody is None and context.composed_melody is None:
        understood = re.sub(r" for (?:the last|a) melody(.*)\.$", rf" for a common 8-6-8-6 verse\1 ({NO_MELODY}).",
                            request.understood)
        return replace(request, understood=understood)
    if request.kind == "titles" and request.params.get("for") is None and not request.params.get("theme"):
        # "five titles for it": for what the conversation made last ("for the conversation" gave every one the
        # same default topic, session 15)
        n = request.params.get("n", 5)
        if context.last_made is not None:
            return replace(request, params=request.params | {"for": context.last_made},
                           understood=f"{n} titles for the last {context.last_made}.")
        return replace(request, understood=f"{n} titles for a quiet evening (nothing made in this conversation yet).")
    return request


def carry_out(
    request: CreativeRequest,
    context: CreativeContext | None = None,
    out_dir: str | Path | None = None,
    seed: int = 0,
    device: torch.device | str | None = None,
    cancel: threading.Event | None = None,
    server_url: str | None = None,
    paint_cover: bool = True,
) -> Iterator[Event]:
    """A job that fulfils `request`; files (PNG, MIDI) go to `out_dir` when it is given. With `server_url`
    (a local LLM server), lyrics, poems and haiku are written there and their form checked here."""
    context = context or CreativeContext()
    request = as_understood(request, context)
    out = Path(out_dir) if out_dir is not None else None
    _check_lengths(request.params)
    yield Token(request.understood + "\n")
    check_cancelled(cancel)
    kind = request.kind
    if kind == "play":  # the app's Chat tab plays (app/tabs/chat/creative.py); the command line has no sound
        text = "Playing is for the app's Chat tab; here, ask for a melody and play the MIDI file it writes (--out)."
        yield Token(text + "\n")
        yield Result(CreativeAnswer(kind, request.understood + "\n" + text, params={"seed": seed}))
        return
    if kind == "painting":
        from models.paint.recipe import PaintRecipe, save_png_with_recipe

        params = dict(request.params)
        try:
            recipe = PaintRecipe.for_request(params, seed)
        except ValueError as error:  # e.g. a subject longer than a recipe holds
            raise JobError(f"I cannot paint that: {error}.") from error
        try:
            image, title, _, recipe = make_painting(recipe, device=device, cancel=cancel)
        except JobError as error:
            yield Token(str(error) + "\n")
            yield Result(CreativeAnswer(kind, request.understood + "\n" + str(error), params=params))
            return
        yield Preview(image)
        files = []
        text = f"Here it is, in the style of {title} (seed {seed})."  # the subject, less its article, said above
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            path = save_png_with_recipe(image, _unique(out / f"painting-{_slug(params['subject'])}-{seed}.png"), recipe)
            files.append(Path(path))
            text += f" Saved as {Path(path).name}."
        yield Token(text + "\n")
        yield Result(CreativeAnswer(kind, request.understood + "\n" + text, files, image, params | {"seed": seed}))
        return
    if kind == "melody":
        params = dict(request.params) | {"seed": seed}
        melody = make_melody(params)
        yield Preview(melody)
        files = []
        article = "an" if str(params["bars"]).startswith(("8", "11", "18")) else "a"  # "an 8-bar tune"
        text = f"Here is {article} {params['bars']}-bar tune in {params['key']} {params['mode']} (seed {seed})."
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            path = _unique(out / f"melody-{params['style']}-{params['key'].lower()}-{params['mode']}-{seed}.mid")
            melody.to_pretty_midi().write(str(path))
            files.append(path)
            text += f" Saved as {path.name}."
        yield Token(text + "\n")
        yield Result(CreativeAnswer(kind, request.understood + "\n" + text, files, melody, params))
        return
    check_cancelled(cancel)
    params = dict(request.params)
    if kind == "help":
        from models.assistant.help import FORMS, HELP_TEXT

        # A question about a verse form is answered by what was understood (the form), then how to ask for one.
        from models.assistant.requests import OWN_PICTURE_HELP

        if params.get("own_picture"):
            text = OWN_PICTURE_HELP
        else:
            text = FORMS[params["form"]][2] if params.get("form") in FORMS else HELP_TEXT
        yield Token(text + "\n")
        yield Result(CreativeAnswer(kind, request.understood + "\n" + text, params=params))
        return
    if kind in WRITTEN_BY_THE_CHAT_MODEL and not server_url:
        from models.assistant import writing

        yield from writing.loading_chat_model(cancel)
    if kind == "song":
        from models.assistant.song import write_song

        yield from write_song(params, seed, out, device, cancel, paint_cover)
        return
    from models.assistant import writing

    value: Any
    if kind == "lyrics":
        if context.last_melody is not None:
            melody, source = make_melody(context.last_melody), "your last melody"
        elif context.composed_melody is not None:
            melody, source = context.composed_melody, "the melody selected in the Compose tab"
        else:
            melody = None
            source = "a common 8-6-8-6 verse"  # the line above says there is no melody
        theme = params.get("theme") or (context.last_painting or {}).get("subject")
        value, topic, note = writing.lyrics_for(melody, theme, params.get("scheme", "AABB"), seed, server_url, cancel)
        text = writing.lyrics_text(value, source, melody) + (f"\n{note}" if note else "")
        params |= {"topic": topic, "note_counts": [len(line.syllables) for line in value]}
    elif kind == "titles":
        value = _titles(params, context, seed)
        text = "\n".join(value)
        if len(value) < params.get("n", 5):  # the heading said how many were asked for
            text += (f"\n(Only {len(value)} came that are new: the others were too like these or a famous title.)"
                     if value else "\n(No title came that is new: every one was too like another or a famous title.)")
    elif kind in ("poem", "haiku"):
        if kind == "poem":
            value, note = writing.poem(
                params["theme"], params["scheme"], params["lines"], params["syllables"], seed, server_url, cancel
            )
        else:
            value, note = writing.haiku(params["theme"], seed, server_url, cancel)
        text = "\n".join(value) + (f"\n{note}" if note else "")
    elif kind == "lines":
        value = writing.lines_about(params["theme"], params.get("n", 4), seed, cancel)
        text = "\n".join(value)
    elif kind in ("blend", "riff", "similar"):
        if kind == "blend":
            value = writing.blend(params["first"], params["second"], params.get("steps", 5))
        elif kind == "riff":
            value = writing.riff(params["line"], params.get("n", 5), seed)
        else:
            value = [line for line, _ in writing.verse_writer().similar(params["line"], k=params.get("n", 5))]
        text = "\n".join(value)
    else:
        raise JobError(f"I do not know how to carry out a {kind!r} request.")
    yield Token(text + "\n")
    yield Result(CreativeAnswer(kind, request.understood + "\n" + text, value=value, params=params | {"seed": seed}))


def _titles(params: dict, context: CreativeContext, seed: int) -> list[str]:
    """Titles from what the painting is (subject, style, colours) or from the melody's mood."""
    from models.assistant import writing

    painting = context.last_painting or {}
    subject, style, colours = params.get("theme"), None, []
    if params.get("for") == "painting" and not subject and painting:
        subject = painting.get("subject")
        style = painting.get("style_title") or painting.get("style")
        if context.last_painting_file is not None and Path(context.last_painting_file).is_file():
            from PIL import Image

            from models.verse.titles import dominant_colours

            with Image.open(context.last_painting_file) as image:
                colours = dominant_colours(image, n=2)
    elif params.get("for") == "melody" and context.last_melody:
        from models.verse.lyrics import topic_for_mode

        subject = topic_for_mode(context.last_melody.get("mode", "major"))
    if style and style not in ("van-gogh", "turner", "hokusai", "munch"):
        style = None
    style = {"van-gogh": "Van Gogh"}.get(style, style.capitalize()) if style else None
    return writing.titles_for(subject or "a quiet evening", style, colours, None, params.get("n", 5), seed)
