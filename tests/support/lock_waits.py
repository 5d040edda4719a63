"""When the GUI thread slept in a lock wait, seen from another process: the system call it is blocked in, read from
/proc/<pid>/task/<tid>/syscall every millisecond (futex: a lock, the interpreter's included; anything else, a sleep,
a poll or a read: the app's own).

app/cpu_wait.py leaves out of a gap the GUI thread's sleep up to the CPU wait of another thread, as a wait on a
worker's lock; a sleep in the app's code while a worker waited for a CPU read the same. A watch inside the process
cannot tell them apart: a Python thread needs the interpreter lock the preempted worker holds. This one runs beside it.
Where Linux does not say (another system, no permission), `lock_wait_ms` is None and nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

FUTEX = {"x86_64": 202, "aarch64": 98}.get(platform.machine())
PR_SET_PTRACER = 0x59616D61
# The watch's own program: each sample's clock (ms, the same monotonic clock as the test's) and 1 while in futex.
WATCH = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
path, futex, out = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
for _ in range(100):  # until the test process has let this one read it (_let_read)
    try:
        descriptor = os.open(path, os.O_RDONLY)
        os.pread(descriptor, 32, 0)
        break
    except OSError:
        time.sleep(0.01)
else:
    print("unreadable", flush=True)
    sys.exit(0)
with open(out, "w") as samples:
    print("ready", flush=True)
    while True:
        try:
            call = os.pread(descriptor, 32, 0).split(b" ", 1)[0]
        except OSError:
            break
        samples.write(f"{time.monotonic() * 1000:.3f} {int(call == futex)}\\n")
        time.sleep(0.001)
"""


class LockWaits:
    """Started on the thread to watch; `stop()`, then `lock_wait_ms(start, end)`: the ms of that stretch of the clock
    the thread was seen in a lock wait (a stretch between two samples takes the state of its two ends, half each)."""

    def __init__(self) -> None:
        self._samples: np.ndarray | None = None
        self._child: subprocess.Popen | None = None
        path = Path(f"/proc/{os.getpid()}/task/{threading.get_native_id()}/syscall")
        if FUTEX is None or not os.access(path, os.R_OK):
            return
        self._out = Path(tempfile.mkstemp(suffix=".lock-waits")[1])
        self._child = subprocess.Popen([sys.executable, "-c", WATCH, str(path), str(FUTEX), str(self._out)],
                                       stdout=subprocess.PIPE, text=True)
        _let_read(self._child.pid)
        if self._child.stdout is None or self._child.stdout.readline().strip() != "ready":
            self._child.wait(timeout=10)
            self._child = None
            self._out.unlink()

    @property
    def watching(self) -> bool:
        return self._child is not None

    def stop(self) -> None:
        if self._child is None or self._child.returncode is not None:
            return
        self._child.send_signal(signal.SIGTERM)
        self._child.wait(timeout=10)
        if self._child.stdout is not None:
            self._child.stdout.close()
        rows = np.array([line.split() for line in self._out.read_text().splitlines()], dtype=float).reshape(-1, 2)
        self._out.unlink()
        if len(rows) >= 2:
            times, in_futex = rows[:, 0], rows[:, 1]
            # The time in futex so far at each sample: each stretch counts the mean of its two ends.
            self._samples = np.stack([times, np.concatenate(([0.0], np.cumsum(np.diff(times) *
                                                                            (in_futex[1:] + in_futex[:-1]) / 2)))])

    def lock_wait_ms(self, start_ms: float, end_ms: float) -> float | None:
        """None where the watch could not read the thread's system calls."""
        if self._samples is None:
            return None
        times, so_far = self._samples
        return float(np.interp(end_ms, times, so_far) - np.interp(start_ms, times, so_far))



def _let_read(pid: int) -> None:
    """Let process `pid` read this one's system calls: under Yama's default on Ubuntu (ptrace_scope 1) only a
    process's ancestors may, unless it names the reader (prctl PR_SET_PTRACER; elsewhere nothing to do)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PTRACER, pid, 0, 0, 0)
    except (OSError, AttributeError):
        pass
