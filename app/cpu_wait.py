"""How long the calling thread has waited, ready to run, for a CPU (Linux's per-thread scheduler count).

On a shared machine a gap in the GUI thread's event loop is partly other processes' doing: the thread was
ready but no core was free. Measures of the app's own stalls (the soak run, the UI tests) leave that out.
"""

from __future__ import annotations

import time
from pathlib import Path

SCHEDSTAT = Path("/proc/thread-self/schedstat")  # on-CPU ns, runqueue-wait ns, timeslices


def runqueue_wait_ms() -> float:
    """Milliseconds this thread has spent runnable but not running since it started (0 where Linux does not say)."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


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
    """The time between successive calls on one thread (ms): by the clock, and less the thread's CPU waiting.

    Made and called on the thread it measures (the count is per thread), e.g. from a timer's ticks.
    """

    def __init__(self) -> None:
        self._last = _clock_and_wait()

    def next(self) -> tuple[float, float]:
        """(gap, own gap) since the previous call, or since the object was made."""
        now, waited = _clock_and_wait()
        gap = now - self._last[0]
        own = gap - (waited - self._last[1])
        self._last = (now, waited)
        return gap, own
