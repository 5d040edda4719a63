"""This process's memory, from /proc/self/status (Linux): what it holds and its own peak.

VmHWM is the peak of this program alone; ru_maxrss carries a parent's peak across exec, and in the test
process it is the whole suite's, so no allocation under it would show."""

from __future__ import annotations


def status_kb(field: str) -> int:
    """A /proc/self/status field in kB: "VmRSS" (held now) or "VmHWM" (the peak)."""
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field))


def reset_peak_kb() -> int:
    """Start the peak (VmHWM) again from what the process holds now, and return that, in kB."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    return status_kb("VmRSS")
