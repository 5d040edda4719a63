"""Waiting for a tab's job in a GUI test."""

from __future__ import annotations


def wait_for_job(qtbot, tab, start, timeout: int = 30_000):
    """Run `start()` (which submits a job) and wait until that job ends; fail with its message if it failed."""
    ended = {}
    tab.worker.job_finished.connect(lambda handle, value: ended.setdefault(handle.id, ("finished", value)))
    tab.worker.job_failed.connect(lambda handle, message: ended.setdefault(handle.id, ("failed", message)))
    handle = start()
    qtbot.waitUntil(lambda: handle.id in ended, timeout=timeout)
    outcome, value = ended[handle.id]
    assert outcome == "finished", value
    return value


def wait_for_start_up(qtbot, main_window, timeout: int = 60_000) -> None:
    """Wait until the window's start-up jobs (finding the device, loading each tab's models) have ended,
    for tests about what the status bar shows or which job a click cancels."""
    workers = [tab.worker for tab in main_window.activity_tabs] + [main_window.system_worker]
    qtbot.waitUntil(lambda: not any(worker.pending_jobs() for worker in workers), timeout=timeout)
