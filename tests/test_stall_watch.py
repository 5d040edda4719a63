"""The soak's stall watch (app/stall_watch.py) keeps a long stall with the GUI thread's stack while it lasted."""

from __future__ import annotations

import gc
import threading
import time

from app.stall_watch import StallWatch


def _busy_in_the_app(watch: StallWatch) -> None:
    watch.sample()  # the watch thread's step, taken here while this function is on the GUI thread's stack


def test_a_stall_is_kept_with_the_line_the_gui_thread_was_on():
    watch = StallWatch(threshold_ms=100)
    watch._last_tick = time.monotonic() - 1  # the timer is a second overdue
    _busy_in_the_app(watch)
    watch.tick(gap_ms=1000, own_ms=900, action="surprise_me")
    [stall] = watch.stalls
    assert stall["action"] == "surprise_me" and stall["own_ms"] == 900 and stall["samples"] == 1
    assert "_busy_in_the_app" in stall["gui_thread"][0]["stack"]
    assert "test_stall_watch.py" in stall["gui_thread"][0]["stack"]
    assert 0 <= stall["gui_cpu_ms"] <= stall["process_cpu_ms"]  # the process's CPU counts the GUI thread's


def _waiting_in_the_app(watch: StallWatch) -> None:
    reader = threading.Thread(target=watch.sample)  # as the watch thread reads it, while this waits
    reader.start()
    reader.join()


def test_the_watch_reads_the_gui_threads_stack_from_its_own_thread():
    watch = StallWatch(threshold_ms=100)
    watch._last_tick = time.monotonic() - 1
    _waiting_in_the_app(watch)
    watch.tick(gap_ms=1000, own_ms=900, action="render")
    [stall] = watch.stalls
    assert "_waiting_in_the_app" in stall["gui_thread"][0]["stack"]


def test_short_gaps_start_up_and_timely_ticks_are_not_kept():
    watch = StallWatch(threshold_ms=100)
    watch.sample()  # not overdue: nothing read
    watch.tick(gap_ms=1000, own_ms=900, action="render")
    watch._last_tick = time.monotonic() - 1
    watch.sample()
    watch.tick(gap_ms=50, own_ms=50, action="render")  # under the threshold
    watch._last_tick = time.monotonic() - 1
    watch.sample()
    watch.tick(gap_ms=1000, own_ms=900, action=None)  # while the app starts
    assert watch.stalls == []


def _make_cyclic_garbage(count: int = 20_000) -> None:
    for _ in range(count):
        cycle: list = []
        cycle.append(cycle)


def test_only_the_longest_are_kept_longest_first_with_their_garbage_collections():
    watch = StallWatch(threshold_ms=100, keep=2)
    watch.start()
    try:
        for own in (300, 100, 500, 200):
            watch._last_tick = time.monotonic() - 1
            watch.sample()
            _make_cyclic_garbage()  # a collection long enough to be counted at 0.1 ms (an empty one may round to 0)
            gc.collect()
            watch.tick(gap_ms=own + 50, own_ms=own, action=f"action {own}")
    finally:
        watch.stop()
    assert [stall["own_ms"] for stall in watch.stalls] == [500, 300]
    assert all(stall["garbage_collection_ms"] > 0 for stall in watch.stalls)


def test_a_gap_counts_as_the_apps_own_where_the_process_ran_through_half_of_it():
    watch = StallWatch(threshold_ms=100)
    watch.tick(gap_ms=5000, own_ms=4000, action="render")  # the process ran a few ms in 5 s: the machine's
    busy_until = time.process_time() + 0.03
    while time.process_time() < busy_until:  # 30 ms of CPU...
        pass
    watch.tick(gap_ms=40, own_ms=40, action="render")  # ... in a 40-ms gap: the app's
    assert watch.largest_with_the_process_running_ms == {"render": 40}
