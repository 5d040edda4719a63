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
