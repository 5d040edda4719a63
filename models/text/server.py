"""An optional chat backend: a local LLM server the user already runs (Ollama, or any OpenAI-compatible
server such as LM Studio or llama.cpp's), reached only at the address the user typed.

Nothing here ever contacts a default or remote address by itself: the URL comes from Preferences or
`--server`, redirects are refused (a server cannot send us elsewhere), and only http(s) is accepted.
`reply(...)` is a job with the same events as the built-in model's; when the server is down it raises
`ServerUnavailable` (a JobError with a sentence) so the caller can fall back to the built-in model.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from urllib.parse import urlsplit

from models.jobs import Event, JobError, Progress, Result, Token, check_cancelled
from models.text.chat import ChatReply
from models.text.sampling import SamplingSettings


class ServerUnavailable(JobError):
    """The server did not answer; the message says so and that the built-in model is used instead."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        raise urllib.error.HTTPError(req.full_url, code, f"refused a redirect to {newurl}", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirects, urllib.request.ProxyHandler({}))  # no proxies either


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

    def __init__(self, url: str, model: str | None = None, api: str = "auto", timeout: float = 3.0) -> None:
        self.url = check_server_url(url)
        self.model = model
        self.api = api
        self.timeout = timeout

    def _request(self, path: str, body: dict | None = None, timeout: float | None = None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            headers={"Content-Type": "application/json"},
            method="POST" if body is not None else "GET",
        )
        try:
            return _OPENER.open(request, timeout=timeout or self.timeout)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise ServerUnavailable(
                f"The chat server at {self.url} is not answering ({reason}). Using the built-in model instead."
            ) from error

    def _json(self, path: str) -> dict:
        with self._request(path) as response:
            try:
                return json.loads(response.read(1_000_000).decode("utf-8"))
            except ValueError as error:
                raise ServerUnavailable(
                    f"The server at {self.url} answered {path} with something that is not JSON. Using the built-in model instead."
                ) from error

    def detect(self) -> tuple[str, list[str]]:
        """("openai" or "ollama", model names) — also the check that the server is up."""
        if self.api in ("auto", "ollama"):
            try:
                names = [m.get("name", "") for m in self._json("/api/tags").get("models", [])]
                self.api = "ollama"
                return "ollama", names
            except ServerUnavailable:
                if self.api == "ollama":
                    raise
        names = [m.get("id", "") for m in self._json("/v1/models").get("data", [])]
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
        options = {"temperature": settings.temperature, "top_p": settings.top_p}
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
        start = time.perf_counter()
        first = None
        pieces: list[str] = []
        finish = "end"
        with self._request(path, body, timeout=max(self.timeout, 60.0)) as response:
            for raw in response:
                check_cancelled(cancel)
                line = raw.decode("utf-8", errors="replace").strip()
                if not line:
                    continue
                if api == "openai":
                    if not line.startswith("data:"):
                        continue
                    line = line[5:].strip()
                    if line == "[DONE]":
                        break
                try:
                    chunk = json.loads(line)
                except ValueError:
                    continue
                if api == "ollama":
                    text = chunk.get("message", {}).get("content", "")
                    done = bool(chunk.get("done"))
                    if done and chunk.get("done_reason") == "length":
                        finish = "length"
                else:
                    choice = (chunk.get("choices") or [{}])[0]
                    text = (choice.get("delta") or {}).get("content") or ""
                    done = choice.get("finish_reason") is not None
                    if choice.get("finish_reason") == "length":
                        finish = "length"
                if text:
                    if first is None:
                        first = time.perf_counter() - start
                    pieces.append(text)
                    yield Token(text)
                if done:
                    break
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
                settings=asdict(settings) | {"server": self.url, "model": model, "api": api},
                token_count=len(pieces),
            )
        )
