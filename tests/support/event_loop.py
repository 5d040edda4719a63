"""Measuring how responsive the UI stays: the largest gap between ticks of a 10 ms timer.

On a shared machine the GUI thread also waits for a CPU while other processes run, which is not the
app's doing. Linux counts that wait per thread (/proc/thread-self/schedstat, runqueue time), so each gap
leaves it out, and, of the time the GUI thread slept, the wait of a worker put off the CPU while it holds the
lock the GUI thread waits on (app/cpu_wait.py): what remains is the GUI thread running the app's code or kept
asleep by it (a sleep, a lock, the interpreter lock held by a running worker) — the stalls the app can cause.
Where the count is not kept, the whole gap is measured. A watch from another process (lock_waits.py) gives back
the part of the sleep left out as a lock wait that the GUI thread was not seen spending in one.
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QTimer

from app.cpu_wait import TickGaps
from tests.support.lock_waits import LockWaits

TICK_MS = 10
STALL_LIMIT_MS = 100


@contextmanager
def event_loop_gaps():
    """Collect the gaps (ms) between timer ticks while the block runs, less the time the GUI thread waited
    for a CPU; the block must spin the event loop."""
    gaps: list[float] = []
    spans: list[tuple[float, float, float]] = []  # each gap's start and end (ms) and the lock wait left out of it
    watch = LockWaits()
    ticks = TickGaps()

    def tick() -> None:
        gap, own = ticks.next()
        gaps.append(own)
        spans.append((ticks.last_start_ms, ticks.last_start_ms + gap, ticks.last_lock_wait_ms))

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    try:
        yield gaps
    finally:
        timer.stop()
        watch.stop()
        for index, (start, end, left_out) in enumerate(spans):
            seen = watch.lock_wait_ms(start, end)
            if seen is not None and seen < left_out:
                gaps[index] += left_out - seen


def assert_never_stalled(gaps: list[float]) -> None:
    assert len(gaps) > 5, "the event loop did not run"
    assert max(gaps) < STALL_LIMIT_MS, f"the event loop stalled for {max(gaps):.0f} ms"
