"""The UI-stall measure tells a sleep of the GUI thread from a wait on a worker's lock while a worker waits for a CPU."""

import threading
import time

import pytest

from app import cpu_wait
from tests.support import lock_waits
from tests.support.event_loop import event_loop_gaps


@pytest.fixture
def a_worker_always_waiting_for_a_cpu(monkeypatch):
    watch = lock_waits.LockWaits()
    watch.stop()
    if not watch.watching:
        pytest.skip("the watch reads Linux's /proc/<pid>/task/<tid>/syscall (x86_64 or arm64), here not readable")
    # Made up: another thread of the process waited 200 ms more for a CPU by every tick, as on a loaded machine.
    waited = iter(range(0, 10**9, 200))
    monkeypatch.setattr(cpu_wait.OtherThreads, "wait_ms", lambda self: {1: float(next(waited))})


def test_a_sleep_of_the_gui_thread_is_a_stall_while_a_worker_waits_for_a_cpu(qtbot, a_worker_always_waiting_for_a_cpu):
    with event_loop_gaps() as gaps:
        qtbot.wait(30)
        time.sleep(0.15)  # the app's own: a sleep, not a lock
        qtbot.wait(30)
    assert max(gaps) >= 140


def test_a_wait_on_a_workers_lock_is_still_left_out(qtbot, a_worker_always_waiting_for_a_cpu):
    lock = threading.Lock()
    lock.acquire()
    with event_loop_gaps() as gaps:
        qtbot.wait(30)
        threading.Timer(0.15, lock.release).start()
        lock.acquire()  # held by a worker that (made up) waited for a CPU meanwhile
        qtbot.wait(30)
    assert max(gaps) < 100
