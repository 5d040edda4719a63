"""The Chat tab's jobs: the conversation model's streamed replies (loaded once, kept in the worker's cache),
verse from the text VAE, and paintings for chat requests (run on the Paint tab's worker)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.worker import JobContext
from models.jobs import Progress, Result


def _chat_model(context: JobContext, device_setting: str):
    model = context.cache.get("chat_model")
    if model is None:
        from models.device import pick_device
        from models.text.chat import ChatModel

        choice = pick_device(setting=device_setting)
        model = ChatModel.load(device=choice.device)
        context.cache["chat_model"] = model
    return model


def reply(messages: Sequence[dict[str, str]], settings: Any, device_setting: str, server_url: str = ""):
    """Stream the assistant's answer: Token events, then Result(ChatReply).

    With a server address set, the server answers; when it fails before answering, the user is told
    and the built-in model answers instead; when it fails mid-answer, the part received is the answer.
    """

    def built_in(context: JobContext):
        if "chat_model" not in context.cache:
            yield Progress(None, "loading the assistant (first message only)")
        model = _chat_model(context, device_setting)
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


def write_verse(request: Any, context: Any, seed: int = 0):
    """Lines, blends, riffs, similar lines, titles or lyrics from the text VAE (the engine's `carry_out`)."""

    def job(job_context: JobContext):
        from models.assistant.creative import carry_out

        yield Progress(None, "writing")
        for event in carry_out(request, context, seed=seed, cancel=job_context.cancel):
            if isinstance(event, Result):
                yield Result(event.value.text.split("\n", 1)[-1])

    return job


def paint_request(params: dict, seed: int, device_setting: str):
    """A painting from scratch for a chat request, mood applied (the engine's `make_painting`), on the Paint worker."""

    def job(context: JobContext):
        import numpy as np

        from app.tabs.paint.jobs import Painting
        from models.assistant.creative import make_painting
        from models.device import pick_device

        yield Progress(None, "painting")
        image, title = make_painting(params, seed=seed, device=pick_device(setting=device_setting).device,
                                     cancel=context.cancel)
        pixels = np.asarray(image.convert("RGB"))
        recipe = {"engine": "paint", "from_scratch": True, "style": params.get("style") or title, "seed": seed,
                  "size": [image.width, image.height], **params}
        yield Result(Painting(pixels, pixels, recipe, extras={"title": title}))

    return job
