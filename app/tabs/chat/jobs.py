"""The Chat tab's jobs, on its worker: the conversation model's streamed replies and the verse writer.

Both models load once, on first use, and stay in the worker's cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.worker import JobContext
from models.jobs import JobError, Progress, Result


def _chat_model(context: JobContext, device_setting: str):
    model = context.cache.get("chat_model")
    if model is None:
        from models.device import pick_device
        from models.text.chat import ChatModel

        choice = pick_device(setting=device_setting)
        model = ChatModel.load(device=choice.device)
        context.cache["chat_model"] = model
    return model


def _verse_writer(context: JobContext):
    writer = context.cache.get("verse_writer")
    if writer is None:
        from models.text.verse import VerseWriter

        writer = VerseWriter.load()
        context.cache["verse_writer"] = writer
    return writer


def reply(messages: Sequence[dict[str, str]], settings: Any, device_setting: str, server_url: str = ""):
    """Stream the assistant's answer: Token events, then Result(ChatReply).

    With a server address set, the server answers; when it is down, the user is told and the
    built-in model answers instead.
    """

    def job(context: JobContext):
        if server_url:
            from models.text.server import ServerBackend, ServerUnavailable

            try:
                yield from ServerBackend(server_url).reply(list(messages), settings, context.cancel)
                return
            except ServerUnavailable as error:
                context.notify(str(error))
        if "chat_model" not in context.cache:
            yield Progress(None, "loading the assistant (first message only)")
        model = _chat_model(context, device_setting)
        yield from model.reply(list(messages), settings, context.cancel)

    return job


def write_verse(request: Any, melody: Any = None, painting_subject: str | None = None, seed: int = 0):
    """Lines, blends, riffs, similar lines, titles or lyrics from the text VAE, as Markdown-ish text."""

    def job(context: JobContext):
        if "verse_writer" not in context.cache:
            yield Progress(None, "loading the verse writer")
        writer = _verse_writer(context)
        yield Result(verse_answer(writer, request, melody, painting_subject, seed))

    return job


def verse_answer(writer: Any, request: Any, melody: Any, painting_subject: str | None, seed: int) -> str:
    kind, params = request.kind, request.params
    if kind == "lines":
        return "\n".join(writer.lines_near(params["theme"], n=params["n"], seed=seed))
    if kind == "riff":
        return "\n".join(writer.riff(params["line"], n=params["n"], seed=seed))
    if kind == "blend":
        return "\n".join(writer.blend(params["first"], params["second"], steps=params["steps"]))
    if kind == "similar":
        return "\n".join(f"{line}  ({score:.2f})" for line, score in writer.similar(params["line"], k=params["n"]))
    if kind == "titles":
        theme = params.get("theme") or painting_subject or "a song of the sea"
        return "\n".join(f"{i + 1}. {title}" for i, title in enumerate(writer.titles(theme, n=params["n"], seed=seed)))
    if kind == "lyrics":
        from models.text.verse import phrase_note_counts

        if melody is None:
            raise JobError("There is no melody in this conversation yet: ask for one first "
                           "(for example “compose a gentle Scottish air”), then ask for its lyrics.")
        lines = writer.lyrics_for_phrases(phrase_note_counts(melody), theme=params.get("theme"), seed=seed)
        return "\n".join(f"{line.text}\n    {' '.join(line.syllables)}" for line in lines if line.text)
    raise JobError(f"I cannot write “{kind}” yet.")
