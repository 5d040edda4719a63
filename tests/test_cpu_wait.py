"""The UI-stall measures leave out CPU waiting, and keep the thread's own time, sleeping included."""

import time
from types import SimpleNamespace

from app import cpu_wait
from app.cpu_wait import TickGaps


def test_a_sleep_is_the_threads_own_time_and_never_more_than_the_gap():
    ticks = TickGaps()
    time.sleep(0.02)
    gap, own = ticks.next()
    assert gap >= 19.5
    assert 19.5 <= own <= gap + 0.01  # sleeping is not waiting for a CPU; the wait only ever subtracts


def test_without_the_schedulers_count_the_whole_gap_is_measured(monkeypatch, tmp_path):
    monkeypatch.setattr(cpu_wait, "SCHEDSTAT", tmp_path / "absent")
    assert cpu_wait.runqueue_wait_ms() == 0.0
    ticks = TickGaps()
    time.sleep(0.01)
    gap, own = ticks.next()
    assert own == gap


def test_a_wait_between_reading_the_clock_and_the_count_is_not_taken_from_the_gap(monkeypatch):
    # A made-up thread: it sleeps 20 ms, then is put off the CPU for 10 ms right after the gap's end reads the
    # clock. The gap must keep its 20 ms of own time (read the clock, then the count, and it came out as 10).
    world = {"ms": 0.0, "waited": 0.0, "clock_reads": 0}

    def monotonic() -> float:
        world["clock_reads"] += 1
        now = world["ms"]
        if world["clock_reads"] == 2:
            world["ms"] += 10
            world["waited"] += 10
        return now / 1000

    monkeypatch.setattr(cpu_wait, "time", SimpleNamespace(monotonic=monotonic))
    monkeypatch.setattr(cpu_wait, "runqueue_wait_ms", lambda: world["waited"])
    ticks = TickGaps()
    world["ms"] += 20
    gap, own = ticks.next()
    assert own == 20 and gap >= own


def test_a_python_thread_put_off_the_cpu_holding_the_lock_is_left_out_but_not_a_new_one(monkeypatch):
    # The GUI thread sleeps 40 ms on the interpreter lock while the worker holding it waits 30 ms for a CPU: 10 ms
    # are the app's. A thread that started during the gap has no count to compare with and is not left out.
    world = {"ms": 0.0, "others": {7: 100.0}}
    monkeypatch.setattr(cpu_wait, "time", SimpleNamespace(monotonic=lambda: world["ms"] / 1000))
    monkeypatch.setattr(cpu_wait, "runqueue_wait_ms", lambda: 5.0)
    monkeypatch.setattr(cpu_wait.OtherPythonThreads, "wait_ms", lambda self: dict(world["others"]))
    ticks = TickGaps()
    world["ms"], world["others"] = 40.0, {7: 130.0, 8: 500.0}
    assert ticks.next() == (40.0, 10.0)


def test_the_other_threads_counts_are_read_for_live_python_threads_only():
    import threading

    started, release = threading.Event(), threading.Event()
    worker = threading.Thread(target=lambda: (started.set(), release.wait()))
    worker.start()
    started.wait()
    try:
        others = cpu_wait.OtherPythonThreads()
        waits = others.wait_ms()
    finally:
        release.set()
        worker.join()
    assert worker.native_id in waits and waits[worker.native_id] >= 0
    assert threading.get_native_id() not in waits
    assert worker.native_id not in others.wait_ms()  # its file closed once it has ended
