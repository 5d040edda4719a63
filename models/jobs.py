"""The engine job protocol: long work is a generator that yields events and honours a cancel flag.

A job is any generator that yields `Progress`, `Token` or `Preview` events while it works and
finally yields one `Result`. It calls `check_cancelled(cancel)` between steps; when the caller
sets the `threading.Event`, the job raises `JobCancelled` at the next step and leaves nothing
half-written. The CLI, the tests, the benchmarks and the Qt workers all drive the same generator.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """How far the job is: `fraction` in [0, 1] (None when unknown) and a short message."""

    fraction: float | None
    message: str
    preview: Any = None
    loss: float | None = None  # an optimising job's objective at this step, for tests and benches: not shown


@dataclass(frozen=True)
class Token:
    """A piece of streamed text (chat answers, generated lines)."""

    text: str


@dataclass(frozen=True)
class Preview:
    """A partial result worth showing before the job ends (an image, a melody so far)."""

    value: Any


@dataclass(frozen=True)
class Result:
    """The job's answer; the last event a job yields."""

    value: Any


Event = Progress | Token | Preview | Result
Job = Generator[Event, None, None] | Iterator[Event]


class JobCancelled(Exception):
    """Raised inside a job when its cancel flag is set; the job stops at a clean point."""


class JobError(Exception):
    """A failure whose message is already a sentence for the user: what happened, what to do."""


def check_cancelled(cancel: threading.Event | None) -> None:
    """Stop the job here if the caller asked for it."""
    if cancel is not None and cancel.is_set():
        raise JobCancelled()


def run_job(job: Job, on_event: Callable[[Event], None] | None = None) -> Any:
    """Drive a job to its end and return its result value.

    Every event before the result is handed to `on_event`. A job that ends without a
    `Result` is a programming error and raises `RuntimeError`.
    """
    for event in job:
        if isinstance(event, Result):
            return event.value
        if on_event is not None:
            on_event(event)
    raise RuntimeError("the job ended without a result")


def steps_result(steps: Generator[Any, None, T]) -> T:
    """What a generator of steps returns (a model it loaded), run to its end with what it yields left aside: the
    same loading, with or without a job around it to report progress and stop it."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
