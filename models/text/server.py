"""An optional chat backend: a local LLM server the user already runs (Ollama, or any OpenAI-compatible
server such as LM Studio or llama.cpp's), reached only at the address the user typed.

Nothing here ever contacts a default or remote address by itself: the URL comes from Preferences or
`--server`, redirects are refused (a server cannot send us elsewhere), and only http(s) is accepted.
Everything the server sends is treated as untrusted: waits are bounded (`ServerLimits`), lines and
answers are capped, and every field read from its JSON is checked before use.

`reply(...)` is a job with the same events as the built-in model's. When the server fails before the
first piece of an answer it raises `ServerUnavailable` (a JobError with a sentence) so the caller can
fall back to the built-in model (`reply_or_fall_back`); when it fails later, the part received is the
answer (finish reason "interrupted", the sentence in `settings["notice"]`).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from models.jobs import Event, JobError, Progress, Result, Token, check_cancelled
from models.text.chat import ChatReply
from models.text.sampling import SamplingSettings
from models.text.server_http import ServerFault, ServerLimits, ServerStream

MAX_LIST_BYTES = 1 << 20  # /api/tags and /v1/models: a list of model names
MAX_MODEL_NAME = 200
MAX_MODELS = 1000


class ServerUnavailable(JobError):
    """The server did not answer; the message says so and that the built-in model is used instead."""


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The URL without a trailing slash, or JobError when it is not an http(s) address with a host."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise JobError(
            f"“{url}” is not a server address. Type one like http://127.0.0.1:11434 (Ollama) or http://localhost:1234 (LM Studio)."
        )
    return url


class ServerBackend:
    """Chat through a server. `api` is "openai" (/v1/chat/completions) or "ollama" (/api/chat); "auto" asks the server."""

    def __init__(
        self,
        url: str,
        model: str | None = None,
        api: str = "auto",
        timeout: float | None = None,
        limits: ServerLimits | None = None,
    ) -> None:
        self.url = check_server_url(url)
        self.model = model
        self.api = api
        self.limits = limits or ServerLimits()
        if timeout is not None:
            self.limits = ServerLimits(**(asdict(self.limits) | {"connect_seconds": timeout}))

    def _unavailable(self, fault: ServerFault | str) -> ServerUnavailable:
        return ServerUnavailable(f"The chat server at {self.url} {fault}. Using the built-in model instead.")

    def _open(
        self,
        path: str,
        body: dict | None,
        total_seconds: float,
        first_byte_seconds: float,
        cancel: threading.Event | None = None,
    ) -> ServerStream:
        stream = ServerStream(
            self.url,
            "POST" if body is not None else "GET",
            path,
            body,
            first_byte_seconds=first_byte_seconds,
            silence_seconds=self.limits.silence_seconds if body is not None else self.limits.connect_seconds,
            total_seconds=total_seconds,
            limits=self.limits,
            cancel=cancel,
        )
        if stream.status != 200:
            stream.close()
            if 300 <= stream.status < 400:
                raise ServerFault(f"asked to be redirected (HTTP {stream.status}), which Atelier refuses")
            detail = _error_detail(stream.error_text)
            raise ServerFault(f"answered {path} with HTTP {stream.status}{f' ({detail})' if detail else ''}")
        return stream

    def _json(self, path: str) -> Any:
        seconds = self.limits.connect_seconds
        with self._open(path, None, total_seconds=3 * seconds, first_byte_seconds=seconds) as stream:
            return stream.json(MAX_LIST_BYTES)

    def _model_names(self, path: str, list_key: str, name_key: str) -> list[str]:
        payload = self._json(path)
        entries = payload.get(list_key) if isinstance(payload, dict) else None
        if not isinstance(entries, list):
            raise ServerFault(f"answered {path} with JSON that is not a list of models")
        return [
            entry[name_key]
            for entry in entries[:MAX_MODELS]
            if isinstance(entry, dict) and _is_model_name(entry.get(name_key))
        ]

    def detect(self) -> tuple[str, list[str]]:
        """("openai" or "ollama", model names) — also the check that the server is up."""
        if self.api in ("auto", "ollama"):
            try:
                names = self._model_names("/api/tags", "models", "name")
                self.api = "ollama"
                return "ollama", names
            except ServerFault as error:
                if self.api == "ollama":
                    raise self._unavailable(error) from None
        try:
            names = self._model_names("/v1/models", "data", "id")
        except ServerFault as error:
            raise self._unavailable(error) from None
        self.api = "openai"
        return "openai", names

    def reply(
        self,
        messages: Sequence[Mapping[str, str]],
        settings: SamplingSettings | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Event]:
        settings = (settings or SamplingSettings()).validated()
        api, names = self.detect()
        model = self.model or (names[0] if names else "default")
        yield Progress(None, f"Asking {model} at {self.url}")
        options: dict[str, Any] = {"temperature": settings.temperature, "top_p": settings.top_p}
        if settings.seed is not None:
            options["seed"] = settings.seed
        conversation = [{"role": m["role"], "content": m["content"]} for m in messages]
        if api == "ollama":
            body = {
                "model": model,
                "messages": conversation,
                "stream": True,
                "options": options | {"num_predict": settings.max_new_tokens},
            }
            path = "/api/chat"
        else:
            body = {
                "model": model,
                "messages": conversation,
                "stream": True,
                "max_tokens": settings.max_new_tokens,
            } | options
            path = "/v1/chat/completions"
        max_characters = settings.max_new_tokens * self.limits.max_characters_per_token
        start = time.perf_counter()
        first = None
        pieces: list[str] = []
        characters = 0
        finish = "end"
        notice = None
        try:
            stream = self._open(
                path, body, self.limits.answer_seconds(settings.max_new_tokens), self.limits.first_piece_seconds, cancel
            )
        except ServerFault as fault:
            raise self._unavailable(fault) from None
        with stream:
            try:
                for line in stream.lines():
                    check_cancelled(cancel)
                    piece = _read_piece(api, line)
                    if piece is None:
                        continue
                    text, done, length = piece
                    text = text[: max_characters - characters]
                    if text:
                        if first is None:
                            first = time.perf_counter() - start
                        pieces.append(text)
                        characters += len(text)
                        yield Token(text)
                    if length:
                        finish = "length"
                    if len(pieces) >= settings.max_new_tokens or characters >= max_characters:
                        finish = "length"  # the server ignored the limit it was given
                        break
                    if done:
                        break
            except ServerFault as fault:
                if not pieces:
                    raise self._unavailable(fault) from None
                finish = "interrupted"
                notice = f"The chat server at {self.url} {fault}; the part of the answer received is kept."
        seconds = time.perf_counter() - start
        yield Result(
            ChatReply(
                text="".join(pieces),
                token_ids=[],
                prompt_tokens=0,
                finish_reason=finish,
                seconds=seconds,
                first_token_seconds=first or seconds,
                seed=settings.seed if settings.seed is not None else -1,
                settings=asdict(settings)
                | {"server": self.url, "model": model, "api": api}
                | ({"notice": notice} if notice else {}),
                token_count=len(pieces),
            )
        )


def reply_or_fall_back(
    server_job: Iterator[Event], fall_back: Callable[[], Iterator[Event]], notify: Callable[[str], None]
) -> Iterator[Event]:
    """The server's answer; when the server fails before its first piece, say so and let the built-in model answer.

    A server that fails later ends its own answer with the part received (and a notice in the reply's
    settings), so the user never sees two answers spliced together.
    """
    try:
        yield from server_job
        return
    except ServerUnavailable as error:
        notify(str(error))
    yield from fall_back()


def _is_model_name(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_MODEL_NAME and value.isprintable()


def _error_detail(text: str) -> str:
    """The server's own error message from an error body, or ""."""
    try:
        return _error_message(json.loads(text))
    except ValueError:
        return ""


def _error_message(payload: object) -> str:
    """The text of {"error": "..."} (Ollama) or {"error": {"message": "..."}} (OpenAI), or ""."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        error = error.get("message")
    return error[:200] if isinstance(error, str) else ""


def _read_piece(api: str, line: bytes) -> tuple[str, bool, bool] | None:
    """(text, done, stopped for length) from one streamed line, or None for a line that carries nothing.

    Every field is checked: a chunk that is not an object, or has fields of the wrong type, carries nothing.
    An error the server reports mid-answer is a ServerFault.
    """
    text_line = line.decode("utf-8", errors="replace").strip()
    if api == "openai":
        if not text_line.startswith("data:"):
            return None
        text_line = text_line[5:].strip()
        if text_line == "[DONE]":
            return "", True, False
    try:
        chunk = json.loads(text_line)
    except ValueError:
        return None
    if not isinstance(chunk, dict):
        return None
    detail = _error_message(chunk)
    if detail:
        raise ServerFault(f"reported an error ({detail})")
    if api == "ollama":
        message = chunk.get("message")
        text = message.get("content") if isinstance(message, dict) else None
        done = chunk.get("done") is True
        return (text if isinstance(text, str) else ""), done, done and chunk.get("done_reason") == "length"
    choices = chunk.get("choices")
    choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
    delta = choice.get("delta")
    text = delta.get("content") if isinstance(delta, dict) else None
    reason = choice.get("finish_reason")
    return (text if isinstance(text, str) else ""), isinstance(reason, str), reason == "length"
