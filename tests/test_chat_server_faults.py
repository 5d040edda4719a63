"""The chat-server client against servers that stream forever, hang, send endless lines or malformed JSON.

Each server runs on 127.0.0.1; the limits are shortened so that every case ends in a second or two.
"""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from models.jobs import Progress, Result, Token, run_job
from models.text.sampling import SamplingSettings
from models.text.server import ServerBackend, ServerUnavailable, reply_or_fall_back
from models.text.server_http import ServerLimits
from tests.support.fake_server import fake_server, ollama_chunk, openai_chunk

QUICK = ServerLimits(
    connect_seconds=1.0, first_piece_seconds=1.0, silence_seconds=1.0, base_seconds=3.0, seconds_per_token=0.0
)
HI = [{"role": "user", "content": "hi"}]
OLLAMA = {"models": [{"name": "tiny"}]}


def _reply(url: str, limits: ServerLimits = QUICK, max_tokens: int = 256, api: str = "auto"):
    tokens: list[str] = []
    started = time.monotonic()
    reply = run_job(
        ServerBackend(url, limits=limits, api=api).reply(HI, SamplingSettings(max_new_tokens=max_tokens)),
        lambda e: tokens.append(e.text) if isinstance(e, Token) else None,
    )
    return reply, tokens, time.monotonic() - started


def _forever(chunk, pause: float = 0.001):
    def answer(handler, server):
        while not server.release.is_set() and server.write(handler, chunk("tok ")):
            time.sleep(pause)

    return answer


@pytest.mark.parametrize("api, chunk", [("ollama", ollama_chunk), ("openai", openai_chunk)])
def test_a_server_that_streams_forever_is_stopped_at_the_token_limit(api, chunk):
    gets = {"/api/tags": {"models": [{"name": "m"}]}} if api == "ollama" else {"/v1/models": {"data": [{"id": "m"}]}}
    with fake_server(_forever(chunk), gets) as (url, _):
        reply, tokens, _ = _reply(url, max_tokens=8)
    assert len(tokens) == 8 and reply.finish_reason == "length" and reply.text == "tok " * 8


def test_a_server_that_streams_forever_is_stopped_at_the_time_limit():
    empty = _forever(lambda text: ollama_chunk(""))  # pieces that carry no text never reach the token limit
    with fake_server(empty) as (url, _):
        started = time.monotonic()
        with pytest.raises(ServerUnavailable, match="after 3 s, the time limit.*built-in model"):
            _reply(url)
        assert time.monotonic() - started < 6


def test_a_slow_endless_answer_is_kept_up_to_the_time_limit():
    def every_half_second(handler, server):
        while server.write(handler, ollama_chunk("a ")) and not server.release.wait(0.5):
            pass

    with fake_server(every_half_second) as (url, _):
        reply, tokens, seconds = _reply(url, limits=ServerLimits(**(QUICK.__dict__ | {"base_seconds": 2.0})))
    assert 2 <= len(tokens) <= 6 and seconds < 4
    assert reply.finish_reason == "interrupted" and "time limit" in reply.settings["notice"]


def test_an_endless_line_is_refused_with_bounded_memory():
    def endless(handler, server):
        server.write(handler, b'data: {"choices": [{"delta": {"content": "')
        block = b"a" * 65536
        while server.sent < 200 << 20 and server.write(handler, block):
            pass

    with fake_server(endless, {"/v1/models": {"data": [{"id": "m"}]}}) as (url, server):
        tracemalloc.start()
        try:
            with pytest.raises(ServerUnavailable, match="line longer than 1 MB.*built-in model"):
                _reply(url)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert server.sent < 16 << 20  # stopped reading soon after the cap, not at the end of 200 MB
    assert peak < 8 << 20


def test_an_endless_answer_of_short_lines_is_capped():
    limits = ServerLimits(**(QUICK.__dict__ | {"max_response_bytes": 256 << 10, "base_seconds": 30.0}))
    with fake_server(_forever(lambda text: ollama_chunk(""), pause=0)) as (url, _):
        with pytest.raises(ServerUnavailable, match="sent more than 0.25 MB"):
            _reply(url, limits=limits)


def test_a_server_that_sends_headers_then_hangs_times_out_and_falls_back():
    with fake_server(lambda handler, server: server.hang()) as (url, _):
        started = time.monotonic()
        notices: list[str] = []
        events = list(
            reply_or_fall_back(
                ServerBackend(url, limits=QUICK).reply(HI),
                lambda: iter([Token("built-in"), Result("built-in answer")]),
                notices.append,
            )
        )
        assert time.monotonic() - started < 4
    assert events[-1] == Result("built-in answer") and Token("built-in") in events
    assert notices and "sent nothing for 1 s" in notices[0] and "built-in model" in notices[0]


def test_a_server_that_hangs_mid_answer_keeps_the_part_received():
    def two_then_hang(handler, server):
        server.write(handler, ollama_chunk("Hello"))
        server.write(handler, ollama_chunk(" there"))
        server.hang()

    with fake_server(two_then_hang) as (url, _):
        notices: list[str] = []
        events = list(reply_or_fall_back(ServerBackend(url, limits=QUICK).reply(HI), lambda: iter([]), notices.append))
    reply = events[-1].value
    assert [e.text for e in events if isinstance(e, Token)] == ["Hello", " there"]
    assert reply.text == "Hello there" and reply.finish_reason == "interrupted" and not notices
    assert "sent nothing for 1 s" in reply.settings["notice"] and "kept" in reply.settings["notice"]


def test_a_hanging_server_is_stopped_at_once():
    import threading

    cancel = threading.Event()
    with fake_server(lambda handler, server: server.hang()) as (url, _):
        job = ServerBackend(url, limits=ServerLimits(first_piece_seconds=60)).reply(HI, cancel=cancel)
        assert isinstance(next(job), Progress)
        threading.Timer(0.3, cancel.set).start()
        started = time.monotonic()
        from models.jobs import JobCancelled

        with pytest.raises(JobCancelled):
            next(job)
        assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "tags",
    [[{"name": "x"}], "models", 7, {"models": "x"}, {"models": [1, None, {"name": 5}, {"name": "ok"}]}],
)
def test_model_lists_of_the_wrong_shape_are_refused_or_filtered(tags):
    with fake_server(gets={"/api/tags": tags}) as (url, _):
        backend = ServerBackend(url, limits=QUICK)
        if isinstance(tags, dict) and isinstance(tags.get("models"), list):
            assert backend.detect() == ("ollama", ["ok"])
        else:  # not Ollama's shape, and no /v1/models either
            with pytest.raises(ServerUnavailable, match="HTTP 404|not a list of models"):
                backend.detect()


@pytest.mark.parametrize("api", ["ollama", "openai"])
def test_stream_chunks_of_the_wrong_shape_carry_nothing(api):
    bad = [
        [1, 2],
        "text",
        3,
        None,
        {"message": 5},
        {"message": {"content": 7}},
        {"choices": "x"},
        {"choices": []},
        {"choices": [5]},
        {"choices": [{"delta": 5}]},
        {"choices": [{"delta": {"content": [1]}}]},
        {"done": "yes"},
        {"choices": [{"finish_reason": 3}]},
    ]

    def answer(handler, server):
        for chunk in bad:
            line = json.dumps(chunk)
            server.write(handler, (f"data: {line}\n" if api == "openai" else line + "\n").encode())
        chunk = ollama_chunk if api == "ollama" else openai_chunk
        server.write(handler, chunk("fine"))
        server.write(handler, ollama_chunk("", done=True) if api == "ollama" else b"data: [DONE]\n")

    gets = {"/api/tags": OLLAMA} if api == "ollama" else {"/v1/models": {"data": [{"id": "m"}]}}
    with fake_server(answer, gets) as (url, _):
        reply, tokens, _ = _reply(url, api=api)
    assert tokens == ["fine"] and reply.finish_reason == "end"


def test_an_error_reported_by_the_server_is_said():
    with fake_server(lambda h, s: s.write(h, b'{"error": "model \\"tiny\\" not found"}\n')) as (url, _):
        with pytest.raises(ServerUnavailable, match='reported an error \\(model "tiny" not found\\)'):
            _reply(url)
