"""How long the calling thread has waited, ready to run, for a CPU (Linux's per-thread scheduler count).

On a shared machine a gap in the GUI thread's event loop is partly other processes' doing: the thread was
ready but no core was free. Measures of the app's own stalls (the soak run, the UI tests) leave that out.

The GUI thread also waits for the interpreter lock, and a worker holding the lock can be put off the CPU with it
(at load 12 on two cores `test_ui_never_stalls_while_composing_and_rendering` failed once in five runs): the GUI
thread then sleeps on the lock, which its own count does not show. So a gap leaves out the longest CPU wait of the
thread or of any other Python thread (the ones that can hold the lock) over the gap. A worker that holds the lock
while it runs is not waiting for a CPU, and still counts as the app's stall.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from pathlib import Path

SCHEDSTAT = Path("/proc/thread-self/schedstat")  # on-CPU ns, runqueue-wait ns, timeslices
TASKS = Path("/proc/self/task")  # each thread's own schedstat, by its native id


def runqueue_wait_ms() -> float:
    """Milliseconds this thread has spent runnable but not running since it started (0 where Linux does not say)."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


class OtherPythonThreads:
    """The CPU waiting so far (ms) of each other live Python thread, by native id; none where Linux does not say.

    Read every tick of a 10 ms timer, so each thread's count file is kept open and read again in one call (opening
    them each time took 0.4 ms of the GUI thread's 10 at load 12); a file is closed when its thread is gone."""

    def __init__(self) -> None:
        self._files: dict[int, int] = {}
        weakref.finalize(self, _close_all, self._files)

    def wait_ms(self) -> dict[int, float]:
        me = threading.get_native_id()
        alive = {thread.native_id for thread in threading.enumerate()} - {None, me}
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


def _clock_and_wait() -> tuple[float, float]:
    """The clock (ms) and the CPU waiting so far, read with no wait between them.

    A thread put off the CPU between the two reads would have that wait subtracted from a gap that does not hold
    it (at load 8 a 20 ms sleep measured 8.5 ms). The count only grows when the thread gets a CPU back, so an
    unchanged count on both sides of the clock read means no wait came between."""
    waited = runqueue_wait_ms()
    while True:
        now = time.monotonic() * 1000
        again = runqueue_wait_ms()
        if again == waited:
            return now, waited
        waited = again


class TickGaps:
    """The time between successive calls on one thread (ms): by the clock, and less CPU waiting (the thread's own,
    or another Python thread's if that was longer: see the module's docstring).

    Made and called on the thread it measures (the count is per thread), e.g. from a timer's ticks.
    """

    def __init__(self) -> None:
        self._other_threads = OtherPythonThreads()
        self._last = _clock_and_wait()
        self._others = self._other_threads.wait_ms()

    def next(self) -> tuple[float, float]:
        """(gap, own gap) since the previous call, or since the object was made."""
        now, waited = _clock_and_wait()
        others = self._other_threads.wait_ms()
        others_waited = max((ms - self._others[tid] for tid, ms in others.items() if tid in self._others), default=0.0)
        gap = now - self._last[0]
        own = max(0.0, gap - max(waited - self._last[1], others_waited))
        self._last, self._others = (now, waited), others
        return gap, own
