"""The Chat tab's jobs: the conversation model's streamed replies (loaded once, kept in the worker's cache),
and verse from the text VAE. Paintings and melodies for chat requests are the Paint and Compose tabs' own
jobs, asked for through app/tabs/studio.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from app.worker import JobContext
from models.jobs import Progress, Result


def _chat_model(context: JobContext):
    """A job's step that returns the chat model, loading it (with progress, stopped by a cancel) the first time."""
    from models.text.chat import loading_shared_chat_model

    if "chat_model" not in context.cache:
        # the process's one model: the verse writers (models.assistant.writing) steer this same one
        context.cache["chat_model"] = yield from loading_shared_chat_model(context.device, cancel=context.cancel)
    return context.cache["chat_model"]


def reply(messages: Sequence[dict[str, str]], settings: Any, server_url: str = ""):
    """Stream the assistant's answer: Token events, then Result(ChatReply).

    With a server address set, the server answers; when it fails before answering, the user is told
    and the built-in model answers instead; when it fails mid-answer, the part received is the answer.
    """

    def built_in(context: JobContext):
        model = yield from _chat_model(context)
        yield from model.reply(list(messages), settings, context.cancel)

    def job(context: JobContext):
        if not server_url:
            yield from built_in(context)
            return
        from models.text.server import ServerBackend, reply_or_fall_back

        server_job = ServerBackend(server_url).reply(list(messages), settings, context.cancel)
        for event in reply_or_fall_back(server_job, lambda: built_in(context), context.notify):
            if isinstance(event, Result) and event.value.settings.get("notice"):
                context.notify(event.value.settings["notice"])
            yield event

    return job


def write_verse(request: Any, context: Any, seed: int = 0, out_dir=None, server_url: str = ""):
    """Lyrics, titles, poems, haiku, lines, blends, riffs, help, or a song sketch saved in `out_dir`
    (the engine's `carry_out`); with a server address, the server writes and the form is checked.
    Result(CreativeAnswer) without what was understood (the tab shows it already). A song's
    cover is left to the Paint tab (the answer's params hold its recipe)."""

    def job(job_context: JobContext):
        from models.assistant.creative import carry_out

        yield Progress(None, "writing")
        events = carry_out(request, context, out_dir=out_dir, seed=seed, cancel=job_context.cancel,
                           server_url=server_url or None, paint_cover=False)
        for event in events:
            if isinstance(event, Progress):  # a song sketch's steps ("Writing: the lyrics, 16 lines..."), not "writing"
                yield event
            elif isinstance(event, Result):
                text = event.value.text  # a song's answer starts with its lyrics, not with the understood line
                if text.startswith(request.understood):
                    text = text[len(request.understood) :].lstrip("\n")
                yield Result(replace(event.value, text=text))

    return job
