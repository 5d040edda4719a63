"""`atelier self-test` check for the conversation model, run for real."""

from __future__ import annotations

import time


def check_chat_model() -> str:
    from models.jobs import run_job
    from models.text.chat import ChatModel
    from models.text.sampling import SamplingSettings

    start = time.perf_counter()
    model = ChatModel.load(max_context=256, weights="int4")
    reply = run_job(
        model.reply([{"role": "user", "content": "Say hello."}], SamplingSettings(temperature=0, max_new_tokens=8))
    )
    if not reply.token_ids:
        raise RuntimeError("the chat model produced no tokens")
    return f"{model.name} ({model.runner.weights}): {len(reply.token_ids)} tokens in {time.perf_counter() - start:.1f} s ({reply.text.strip()[:40]!r})"
