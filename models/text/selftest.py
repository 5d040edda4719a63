"""`atelier self-test` checks for the Chat engines: the conversation model and the sentence VAE, run for real."""

from __future__ import annotations

import time


def self_test() -> str:
    """Load the chat model, generate a few greedy tokens, then load the text VAE and write a line."""
    return f"{check_chat_model()}; {check_text_vae()}"


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


def check_text_vae() -> str:
    from models.text.verse import VerseWriter

    writer = VerseWriter.load()
    lines = writer.lines_near("the sea at night", n=1, seed=0)
    if not lines:
        raise RuntimeError("the text VAE wrote nothing")
    return f"text VAE: {lines[0]!r}"
