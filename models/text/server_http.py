"""Bounded HTTP for the chat-server client: every wait has a time limit, every line and response a size cap.

A server the user points Atelier at may be slow, hung, broken or hostile. The request runs on a
helper thread that hands the bytes over through a small queue, so the caller can stop waiting at any
moment (Stop, a silent server, the overall deadline) without being stuck inside a blocking read, and
at most a few reads are ever held in memory. Redirects are never followed and no proxy is used: the
only address contacted is the one the user typed.
"""

from __future__ import annotations

import http.client
import json
import queue
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from models.jobs import JobCancelled

READ_SIZE = 64 * 1024
QUEUED_READS = 8  # at most 8 x 64 KiB waiting between the reading thread and the caller


@dataclass(frozen=True)
class ServerLimits:
    """How long to wait and how much to accept. The defaults suit a local server on a slow computer."""

    connect_seconds: float = 3.0  # to connect, and for the short metadata requests
    first_piece_seconds: float = 30.0  # a server may load its model before the first piece of an answer
    silence_seconds: float = 15.0  # between pieces, once the answer has started
    base_seconds: float = 30.0  # the whole answer may take this long ...
    seconds_per_token: float = 1.0  # ... plus this much for each token asked for
    most_seconds: float = 600.0  # and never longer than this
    max_line_bytes: int = 1 << 20
    max_response_bytes: int = 16 << 20
    max_characters_per_token: int = 64  # a token is a few characters; this bounds a server that sends huge pieces

    def answer_seconds(self, max_tokens: int) -> float:
        return min(self.most_seconds, self.base_seconds + self.seconds_per_token * max_tokens)


class ServerFault(Exception):
    """The server misbehaved; the message completes "The chat server at URL ..." (e.g. "sent nothing for 15 s")."""


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if not parts.hostname:  # check_server_url refuses such an address before it gets here
        raise ValueError(f"{url!r} names no host")
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _megabytes(count: int) -> str:
    return f"{count / (1 << 20):g} MB"


class ServerStream:
    """One request to the server; its response is read on a helper thread and handed over in pieces.

    Use as a context manager (closing stops the helper thread and the connection), then read
    `status`, and `lines()` or `json()`. Every wait checks `cancel` ten times a second.
    """

    def __init__(
        self,
        base_url: str,
        method: str,
        path: str,
        body: dict | None,
        *,
        first_byte_seconds: float,
        silence_seconds: float,
        total_seconds: float,
        limits: ServerLimits,
        cancel: threading.Event | None = None,
    ) -> None:
        self._limits = limits
        self._silence = silence_seconds
        self._cancel = cancel
        self._stop = threading.Event()
        self._pieces: queue.Queue = queue.Queue(maxsize=QUEUED_READS)
        prefix = urlsplit(base_url).path
        # the helper thread's own timeout only cleans up after an abandoned request: the caller's waits decide
        self._connection = _connection(base_url, timeout=total_seconds + 5)
        data = None if body is None else json.dumps(body).encode("utf-8")
        self._deadline = time.monotonic() + total_seconds
        self._total_seconds = total_seconds
        self._thread = threading.Thread(
            target=self._read, args=(method, prefix + path, data), daemon=True, name="atelier-chat-server"
        )
        self._first_byte_seconds = first_byte_seconds
        self._thread.start()
        try:
            kind, value = self._next(first_byte_seconds)
        except BaseException:
            self.close()
            raise
        if kind == "error":
            self.close()
            raise ServerFault(f"is not answering ({_reason(value)})")
        if kind != "status":  # the thread sends the status first; anything else means it ended early
            self.close()
            raise ServerFault("closed the connection without answering")
        self.status, self.error_text = value

    def _read(self, method: str, path: str, data: bytes | None) -> None:
        try:
            headers = {"Content-Type": "application/json", "Accept": "application/json"}
            self._connection.request(method, path, body=data, headers=headers)
            response = self._connection.getresponse()
            error_text = ""
            if response.status != 200:  # the body of an error is only read for its message
                error_text = response.read(4096).decode("utf-8", errors="replace")
            self._put(("status", (response.status, error_text)))
            if response.status != 200:
                return
            while not self._stop.is_set():
                data = response.read1(READ_SIZE)
                if not data:
                    break
                self._put(("data", data))
            self._put(("end", None))
        except Exception as error:  # noqa: BLE001 - any failure of the connection is reported to the caller
            self._put(("error", error))

    def _put(self, piece: tuple[str, Any]) -> None:
        while not self._stop.is_set():
            try:
                self._pieces.put(piece, timeout=0.1)
                return
            except queue.Full:
                continue

    def _next(self, patience: float) -> tuple[str, Any]:
        waiting_since = time.monotonic()
        while True:
            if self._cancel is not None and self._cancel.is_set():
                raise JobCancelled()
            now = time.monotonic()
            if now > self._deadline:
                raise ServerFault(f"was still answering after {self._total_seconds:.0f} s, the time limit")
            if now - waiting_since > patience:
                raise ServerFault(f"sent nothing for {patience:.0f} s")
            try:
                return self._pieces.get(timeout=0.1)
            except queue.Empty:
                continue

    def lines(self) -> Iterator[bytes]:
        """The response's lines (without the newline); ServerFault when a line or the whole is too long."""
        buffer = bytearray()
        received = 0
        while True:
            kind, value = self._next(self._silence if received else self._first_byte_seconds)
            if kind == "end":
                if buffer:
                    yield bytes(buffer)
                return
            if kind == "error":
                raise ServerFault(f"broke off the answer ({_reason(value)})")
            received += len(value)
            if received > self._limits.max_response_bytes:
                raise ServerFault(f"sent more than {_megabytes(self._limits.max_response_bytes)}")
            buffer += value
            start = 0
            while (end := buffer.find(b"\n", start)) >= 0:
                yield bytes(buffer[start:end])
                start = end + 1
            del buffer[:start]
            if len(buffer) > self._limits.max_line_bytes:
                raise ServerFault(f"sent a line longer than {_megabytes(self._limits.max_line_bytes)}")

    def json(self, max_bytes: int) -> Any:
        """The whole response as JSON; ServerFault when it is longer than `max_bytes` or not JSON."""
        body = bytearray()
        while True:
            kind, value = self._next(self._silence)
            if kind == "end":
                break
            if kind == "error":
                raise ServerFault(f"broke off the answer ({_reason(value)})")
            body += value
            if len(body) > max_bytes:
                raise ServerFault(f"sent more than {_megabytes(max_bytes)} where a short list was expected")
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            raise ServerFault("answered with something that is not JSON") from None

    def close(self) -> None:
        self._stop.set()
        sock = self._connection.sock
        if sock is not None:
            try:  # wakes the helper thread from a blocking read at once
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._connection.close()

    def __enter__(self) -> ServerStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason(error: BaseException) -> str:
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "it timed out"
    if isinstance(error, ConnectionRefusedError):
        return "nothing listens there"
    text = getattr(error, "strerror", None) or str(error) or "the connection failed"
    return text[:200]
