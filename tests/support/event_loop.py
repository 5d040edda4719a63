"""Measuring how responsive the UI stays: the largest gap between ticks of a 10 ms timer.

On a shared machine the GUI thread also waits for a CPU while other processes run, which is not the
app's doing. Linux counts that wait per thread (/proc/thread-self/schedstat, runqueue time), so each gap
leaves it out, and, of the time the GUI thread slept, the wait of a worker put off the CPU while it holds the
lock the GUI thread waits on (app/cpu_wait.py): what remains is the GUI thread running the app's code or kept
asleep by it (a sleep, a lock, the interpreter lock held by a running worker) — the stalls the app can cause.
Where the count is not kept, the whole gap is measured.
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QTimer

from app.cpu_wait import TickGaps

TICK_MS = 10
STALL_LIMIT_MS = 100


@contextmanager
def event_loop_gaps():
    """Collect the gaps (ms) between timer ticks while the block runs, less the time the GUI thread waited
    for a CPU; the block must spin the event loop."""
    gaps: list[float] = []
    ticks = TickGaps()

    def tick() -> None:
        gaps.append(ticks.next()[1])

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    try:
        yield gaps
    finally:
        timer.stop()


def assert_never_stalled(gaps: list[float]) -> None:
    assert len(gaps) > 5, "the event loop did not run"
    assert max(gaps) < STALL_LIMIT_MS, f"the event loop stalled for {max(gaps):.0f} ms"
