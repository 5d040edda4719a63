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
    assert cpu_wait.thread_times_ms() is None
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
    monkeypatch.setattr(cpu_wait, "thread_times_ms", lambda: (0.0, world["waited"]))
    monkeypatch.setattr(cpu_wait.OtherThreads, "wait_ms", lambda self: {})
    ticks = TickGaps()
    world["ms"] += 20
    gap, own = ticks.next()
    assert own == 20 and gap >= own


def gap_with(monkeypatch, gap_ms, on_cpu_ms, waited_ms, others_before, others_after):
    """The (gap, own) a made-up GUI thread measures: `gap_ms` long, `on_cpu_ms` of it running, `waited_ms` waiting
    for a CPU; the other threads' CPU waits so far (by native id) at its start and at its end."""
    world = {"ms": 0.0, "times": (50.0, 5.0), "others": others_before}
    monkeypatch.setattr(cpu_wait, "time", SimpleNamespace(monotonic=lambda: world["ms"] / 1000))
    monkeypatch.setattr(cpu_wait, "thread_times_ms", lambda: world["times"])
    monkeypatch.setattr(cpu_wait.OtherThreads, "wait_ms", lambda self: dict(world["others"]))
    ticks = TickGaps()
    world["ms"], world["times"], world["others"] = gap_ms, (50.0 + on_cpu_ms, 5.0 + waited_ms), others_after
    return ticks.next()


def test_a_thread_put_off_the_cpu_holding_the_lock_is_left_out_but_not_a_new_one(monkeypatch):
    # The GUI thread sleeps 40 ms on the interpreter lock while the worker holding it waits 30 ms for a CPU: 10 ms
    # are the app's. A thread that started during the gap has no count to compare with and is not left out.
    assert gap_with(monkeypatch, 40.0, 0.0, 0.0, {7: 100.0}, {7: 130.0, 8: 500.0}) == (40.0, 10.0)


def test_the_gui_threads_wait_for_a_cpu_and_a_workers_add_up(monkeypatch):
    # 20 ms waiting for a CPU, then 30 asleep on the lock of a worker that waited 25 ms for a CPU: 5 ms are the
    # app's (the larger wait alone left 25, which at load 24-30 took a render test past its 100 ms).
    assert gap_with(monkeypatch, 50.0, 0.0, 20.0, {7: 0.0}, {7: 25.0}) == (50.0, 5.0)


def test_another_threads_wait_never_takes_away_the_gui_threads_own_running(monkeypatch):
    # 120 ms running the app's code on the GUI thread is a stall however long a worker waited meanwhile (it read 0).
    assert gap_with(monkeypatch, 130.0, 120.0, 0.0, {7: 0.0}, {7: 130.0}) == (130.0, 120.0)


def test_the_other_threads_counts_are_read_for_every_live_thread_python_knows_of_or_not():
    import _thread
    import threading

    started, release = threading.Event(), threading.Event()
    worker = threading.Thread(target=lambda: (started.set(), release.wait()))
    worker.start()
    started.wait()
    # A thread Python's threading module does not list (as a tab's QThread worker is not).
    unlisted: dict[str, int] = {}
    unlisted_started, unlisted_done = threading.Event(), threading.Event()

    def unlisted_thread() -> None:
        unlisted["id"] = threading.get_native_id()
        unlisted_started.set()
        release.wait()
        unlisted_done.set()

    _thread.start_new_thread(unlisted_thread, ())
    unlisted_started.wait()
    assert unlisted["id"] not in {thread.native_id for thread in threading.enumerate()}
    try:
        others = cpu_wait.OtherThreads()
        waits = others.wait_ms()
    finally:
        release.set()
        worker.join()
        unlisted_done.wait()
    assert worker.native_id in waits and waits[worker.native_id] >= 0
    assert unlisted["id"] in waits
    assert threading.get_native_id() not in waits
    deadline = time.monotonic() + 5
    while unlisted["id"] in others.wait_ms() and time.monotonic() < deadline:
        time.sleep(0.01)  # the unlisted thread ends just after it says so
    assert worker.native_id not in others.wait_ms()  # its file closed once it has ended
    assert unlisted["id"] not in others.wait_ms()
