"""Measuring how responsive the UI stays: the largest gap between ticks of a 10 ms timer."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QElapsedTimer, QTimer

TICK_MS = 10
STALL_LIMIT_MS = 100


@contextmanager
def event_loop_gaps():
    """Collect the gaps (ms) between timer ticks while the block runs; the block must spin the event loop."""
    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    try:
        yield gaps
    finally:
        timer.stop()


def assert_never_stalled(gaps: list[int]) -> None:
    assert len(gaps) > 5, "the event loop did not run"
    assert max(gaps) < STALL_LIMIT_MS, f"the event loop stalled for {max(gaps)} ms"
