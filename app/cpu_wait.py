"""How long a thread has waited, ready to run, for a CPU (Linux's per-thread scheduler count), and what of a gap
between two of its timer ticks was the app's own doing.

On a shared machine a gap in the GUI thread's event loop is partly other processes' doing: the thread was
ready but no core was free. Measures of the app's own stalls (the soak run, the UI tests) leave that out.

The GUI thread also waits for the interpreter lock, and a worker holding the lock can be put off the CPU with it: the
GUI thread then sleeps on the lock, which its own count does not show. So the part of a gap the GUI thread slept (not
on a CPU, not waiting for one) is taken down by the longest CPU wait of any other thread of the process over the gap.
The two waits add up (the GUI waits for a CPU, then for the lock of a worker that waits for a CPU; at load 24-30
`test_ui_never_stalls_while_rendering` read 118 ms when the larger of the two was left out), and the other threads'
wait never takes away the GUI thread's own running time. Every thread of the process is read, not only those Python
knows of: a tab's worker is a QThread, missing from `threading.enumerate()` unless something on it asked for
`threading.current_thread()`. A worker that holds the lock while it runs still counts, and so does the GUI thread's
own work. What cannot be told apart here: a sleep on the GUI thread while a worker waits for a CPU reads as a wait on
the worker's lock, so under heavy load part of such a sleep is left out. A thread of this process cannot watch for it
(it needs the interpreter lock the preempted worker holds); tests/support/lock_waits.py watches from another process.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from pathlib import Path

SCHEDSTAT = Path("/proc/thread-self/schedstat")  # on-CPU ns, runqueue-wait ns, timeslices
TASKS = Path("/proc/self/task")  # each thread's own schedstat, by its native id


def thread_times_ms() -> tuple[float, float] | None:
    """This thread's time on a CPU and its time runnable but not running, in ms since it started (None where Linux
    does not say)."""
    try:
        on_cpu, waited = SCHEDSTAT.read_text().split()[:2]
        return int(on_cpu) / 1e6, int(waited) / 1e6
    except (OSError, ValueError):
        return None


class OtherThreads:
    """The CPU waiting so far (ms) of each other thread of this process, by native id; none where Linux does not say.

    Read every tick of a 10 ms timer, so each thread's count file is kept open and read again in one call (opening
    them each time took 0.4 ms of the GUI thread's 10 at load 12); a file is closed when its thread is gone."""

    def __init__(self) -> None:
        self._files: dict[int, int] = {}
        weakref.finalize(self, _close_all, self._files)

    def wait_ms(self) -> dict[int, float]:
        try:
            alive = {int(name) for name in os.listdir(TASKS)} - {threading.get_native_id()}
        except OSError:
            alive = set()
        for gone in set(self._files) - alive:
            os.close(self._files.pop(gone))
        waits = {}
        for native_id in alive:
            try:
                if native_id not in self._files:
                    self._files[native_id] = os.open(TASKS / str(native_id) / "schedstat", os.O_RDONLY)
                waits[native_id] = int(os.pread(self._files[native_id], 128, 0).split()[1]) / 1e6
            except (OSError, IndexError, ValueError):  # ended since, or no count kept
                continue
        return waits


def _close_all(files: dict[int, int]) -> None:
    for descriptor in files.values():
        os.close(descriptor)
    files.clear()


def _clock_and_times() -> tuple[float, tuple[float, float] | None]:
    """The clock (ms) and the thread's CPU and CPU-wait times so far, read with no wait between them.

    A thread put off the CPU between the two reads would have that wait subtracted from a gap that does not hold
    it (at load 8 a 20 ms sleep measured 8.5 ms). The wait only grows when the thread gets a CPU back, so an
    unchanged count on both sides of the clock read means no wait came between."""
    times = thread_times_ms()
    while True:
        now = time.monotonic() * 1000
        again = thread_times_ms()
        if again is None or times is None or again[1] == times[1]:
            return now, again
        times = again


class TickGaps:
    """The time between successive calls on one thread (ms): by the clock, and the app's own part of it (less the
    thread's CPU waiting, and its sleep less the longest CPU wait of another thread: see the module's docstring).

    Made and called on the thread it measures (the count is per thread), e.g. from a timer's ticks.
    """

    def __init__(self) -> None:
        self._other_threads = OtherThreads()
        self._last = _clock_and_times()
        self._others = self._other_threads.wait_ms()
        # The last gap's start by the clock (ms) and the part of its sleep left out as a wait on a worker's lock: a
        # watch from another process that sees what the thread slept in can give back what was not (tests/support).
        self.last_start_ms, self.last_lock_wait_ms = self._last[0], 0.0

    def next(self) -> tuple[float, float]:
        """(gap, own gap) since the previous call, or since the object was made."""
        now, times = _clock_and_times()
        others = self._other_threads.wait_ms()
        others_waited = max((ms - self._others[tid] for tid, ms in others.items() if tid in self._others), default=0.0)
        gap = now - self._last[0]
        own, self.last_start_ms, self.last_lock_wait_ms = gap, self._last[0], 0.0
        if times is not None and self._last[1] is not None:
            on_cpu, waited = times[0] - self._last[1][0], times[1] - self._last[1][1]
            self.last_lock_wait_ms = min(max(0.0, gap - on_cpu - waited), others_waited)
            own = max(0.0, gap - waited - self.last_lock_wait_ms)
        self._last, self._others = (now, times), others
        return gap, own
