"""The optional server backend against small OpenAI-compatible and Ollama servers started on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from models.jobs import JobCancelled, JobError, Result, Token, run_job
from models.text.sampling import SamplingSettings
from models.text.server import ServerBackend, ServerUnavailable, check_server_url, is_loopback

WORDS = ["Hello", " from", " the", " little", " server", "."]


def make_handler(api: str, seen: list):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output clean
            pass

        def handle(self):
            # The stop test hangs up mid-answer, as the app does: the fake stops writing, as a real server would,
            # rather than print a traceback (which, outside a test's capture, lands in the CI log under two workers).
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - http.server's naming
            if api == "ollama" and self.path == "/api/tags":
                self._json(200, {"models": [{"name": "tiny:latest"}]})
            elif api == "openai" and self.path == "/v1/models":
                self._json(200, {"object": "list", "data": [{"id": "tiny-model"}]})
            elif self.path == "/redirect/v1/models":
                self.send_response(302)
                self.send_header("Location", "http://example.com/v1/models")
                self.end_headers()
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, body))
            self.send_response(200)
            self.end_headers()
            count = min(len(WORDS), body.get("max_tokens") or body.get("options", {}).get("num_predict", 99))
            for i, word in enumerate(WORDS[:count]):
                last = i == count - 1
                if api == "openai":
                    chunk = {
                        "choices": [
                            {
                                "delta": {"content": word},
                                "finish_reason": ("length" if count < len(WORDS) else "stop") if last else None,
                            }
                        ]
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                else:
                    chunk = {"message": {"role": "assistant", "content": word}, "done": False}
                    self.wfile.write((json.dumps(chunk) + "\n").encode())
                self.wfile.flush()
            if api == "openai":
                self.wfile.write(b"data: [DONE]\n\n")
            else:
                self.wfile.write(
                    (json.dumps({"message": {"content": ""}, "done": True, "done_reason": "stop"}) + "\n").encode()
                )

    return Handler


@pytest.fixture(params=["openai", "ollama"])
def server(request):
    seen: list = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(request.param, seen))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", request.param, seen
    httpd.shutdown()
    httpd.server_close()


def test_streams_a_reply_from_the_server(server):
    url, api, seen = server
    backend = ServerBackend(url)
    tokens = []
    reply = run_job(
        backend.reply([{"role": "user", "content": "hi"}], SamplingSettings(temperature=0.5, seed=3)),
        lambda e: tokens.append(e.text) if isinstance(e, Token) else None,
    )
    assert tokens == WORDS and reply.text == "Hello from the little server."
    assert backend.api == api and reply.settings["model"] in ("tiny-model", "tiny:latest")
    assert reply.token_count == len(WORDS) and reply.tokens_per_second > 0
    path, body = seen[-1]
    assert path == ("/v1/chat/completions" if api == "openai" else "/api/chat")
    assert body["messages"] == [{"role": "user", "content": "hi"}] and body["stream"] is True
    assert (body.get("seed") or body.get("options", {}).get("seed")) == 3


def test_max_length_is_passed_to_the_server(server):
    url, api, _ = server
    reply = run_job(ServerBackend(url).reply([{"role": "user", "content": "hi"}], SamplingSettings(max_new_tokens=2)))
    assert reply.text == "Hello from"


def test_stop_takes_effect_between_pieces(server):
    url, _, _ = server
    cancel = threading.Event()
    seen = []
    with pytest.raises(JobCancelled):
        for event in ServerBackend(url).reply([{"role": "user", "content": "hi"}], cancel=cancel):
            if isinstance(event, Token):
                seen.append(event.text)
                cancel.set()
            assert not isinstance(event, Result)
    assert seen == ["Hello"]


def test_a_server_that_is_down_is_reported_for_fallback():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ServerUnavailable, match="not answering.*built-in model"):
        run_job(ServerBackend(f"http://127.0.0.1:{port}", timeout=1.0).reply([{"role": "user", "content": "hi"}]))


def test_redirects_and_bad_addresses_are_refused(server):
    url, _, _ = server
    with pytest.raises(ServerUnavailable):
        ServerBackend(url + "/redirect", api="openai").detect()
    for bad in ("ftp://127.0.0.1", "127.0.0.1:11434", "http://", "file:///etc/passwd"):
        with pytest.raises(JobError):
            check_server_url(bad)
    assert (
        is_loopback("http://127.0.0.1:11434")
        and is_loopback("http://localhost:1234")
        and is_loopback("http://[::1]:8080")
    )
    assert not is_loopback("http://192.168.1.20:11434")
