"""The UI-stall measures leave out CPU waiting, and keep the thread's own time, sleeping included."""

import time

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
