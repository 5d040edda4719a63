"""A misbehaving chat server on 127.0.0.1 for tests: each test hands it the bytes to send (or to withhold)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OLLAMA_TAGS = {"models": [{"name": "tiny:latest"}]}


def ollama_chunk(text: str, done: bool = False) -> bytes:
    return (json.dumps({"message": {"role": "assistant", "content": text}, "done": done}) + "\n").encode()


def openai_chunk(text: str, finish: str | None = None) -> bytes:
    chunk = {"choices": [{"delta": {"content": text}, "finish_reason": finish}]}
    return f"data: {json.dumps(chunk)}\n\n".encode()


class FakeServer:
    """`answer(handler, server)` writes the streamed answer to /api/chat and /v1/chat/completions; GET paths answer
    from `gets` (a path -> JSON-able value, or -> a callable that writes the reply itself)."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler, FakeServer], None], gets: dict | None = None) -> None:
        self.answer = answer
        self.gets = {"/api/tags": OLLAMA_TAGS} if gets is None else gets
        self.release = threading.Event()  # set at the end: hanging handlers return
        self.sent = 0  # bytes of answer written so far
        self.requests: list[tuple[str, dict | None]] = []

    def write(self, handler: BaseHTTPRequestHandler, data: bytes) -> bool:
        """Send bytes of the answer; False once the client has gone."""
        try:
            handler.wfile.write(data)
            handler.wfile.flush()
        except OSError:
            return False
        self.sent += len(data)
        return True

    def hang(self, seconds: float = 60.0) -> None:
        self.release.wait(seconds)

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):  # noqa: N802 - http.server's naming
                server.requests.append((self.path, None))
                reply = server.gets.get(self.path)
                if callable(reply):
                    reply(self)
                    return
                data = json.dumps(reply if self.path in server.gets else {"error": "not found"}).encode()
                self.send_response(200 if self.path in server.gets else 404)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((self.path, body))
                self.send_response(200)
                self.end_headers()
                server.answer(self, server)

        return Handler


@contextmanager
def fake_server(
    answer: Callable[[BaseHTTPRequestHandler, FakeServer], None] | None = None, gets: dict | None = None
) -> Iterator[tuple[str, FakeServer]]:
    """A FakeServer listening on 127.0.0.1 (a free port); yields its URL and itself."""
    server = FakeServer(answer or (lambda handler, server: None), gets)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), server.handler_class())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", server
    finally:
        server.release.set()
        httpd.shutdown()
        httpd.server_close()
