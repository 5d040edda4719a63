"""Where the GUI thread was during its long stalls: a watch thread looks at every thread's stack while a stall lasts.

The soak run found stalls of 700-860 ms (Surprise me, strokes with live preview) that short probes of the same code
did not show, and a gap's length alone does not say whether the GUI thread was running the app's Python, waiting
for the interpreter lock a worker held, or collecting garbage. So while the GUI thread's timer is overdue, a
thread of its own reads each thread's stack every few milliseconds (faulthandler's dump); when the timer ticks
again, the stall is kept with the lines seen most often, how long the watch itself waited to run (a long wait: some
thread held the lock in C code, or no CPU was free) and the garbage collections that ran inside it.

The stacks are read by faulthandler, which walks them without making frame objects: `sys._current_frames()` makes
one for each thread's running function, and a frame object keeps its function's locals alive after it returns, so a
paint event's QPainter outlived the event and was freed on the watch thread (Qt warned "endPaint() called with
active painter" and the soak crashed in libQt6Gui within two minutes, twice).
"""

from __future__ import annotations

import faulthandler
import gc
import os
import re
import tempfile
import threading
import time
from collections import Counter

STACK_DEPTH = 8  # innermost frames kept of the GUI thread's stack
OTHER_DEPTH = 3  # of each other thread's


THREAD = re.compile(r"^(?:Current thread|Thread) (0x[0-9a-f]+)", re.MULTILINE)
FRAME = re.compile(r'^  File "(.*)", line (\d+) in (.*)$', re.MULTILINE)


def every_stack(dump) -> dict[int, list[str]]:
    """Each thread's stack by its ident, `folder/file:line function` innermost first, as faulthandler reads them
    (`dump`: a file of the watch's own, written over each time)."""
    descriptor = dump.fileno()
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    faulthandler.dump_traceback(descriptor, all_threads=True)
    text = os.pread(descriptor, os.lseek(descriptor, 0, os.SEEK_CUR), 0).decode(errors="replace")
    stacks = {}
    for block in text.split("\n\n"):
        thread = THREAD.search(block)
        if thread is not None:
            stacks[int(thread.group(1), 16)] = [
                f"{'/'.join(path.replace(chr(92), '/').split('/')[-2:])}:{line} {function}"
                for path, line, function in FRAME.findall(block)
            ]
    return stacks


class StallWatch:
    """Made on the GUI thread; `tick(...)` from its timer, `start()` the watch, `stop()` it. `stalls`: the longest
    (less CPU wait) `keep` stalls of at least `threshold_ms`, each with what was on the stacks while it lasted."""

    def __init__(self, threshold_ms: float = 100.0, interval_s: float = 0.005, keep: int = 12) -> None:
        self.threshold_ms, self.interval_s, self.keep = threshold_ms, interval_s, keep
        self.stalls: list[dict] = []
        # By action, the longest gap in which the process ran at least half the gap's length of CPU (on any of its
        # threads): a stall of the app's own, not of a machine that kept the whole process waiting.
        self.largest_with_the_process_running_ms: Counter[str] = Counter()
        self._gui = threading.get_ident()
        self._lock = threading.RLock()  # re-entered by a collection that starts while the watch holds it
        self._last_tick = time.monotonic()
        self._gui_cpu, self._process_cpu = time.thread_time(), time.process_time()
        self._gui_stacks: Counter[str] = Counter()
        self._other_stacks: Counter[str] = Counter()
        self._watch_late_ms = 0.0  # the longest the watch waited past its interval, during this stall
        self._gc_ms = 0.0  # collections (any thread) since the last tick
        self._gc_started: dict[int, float] = {}
        self._dump = tempfile.TemporaryFile()  # faulthandler writes the stacks here
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall watch", daemon=True)

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=1)
        self._dump.close()
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

    def tick(self, gap_ms: float, own_ms: float, action: str | None) -> None:
        """The GUI thread's timer ticked, `gap_ms` after the last (`own_ms` less CPU wait), during `action` (None:
        a stall not to keep, e.g. while the app starts)."""
        gui_cpu, process_cpu = time.thread_time(), time.process_time()
        gui_cpu_ms, process_cpu_ms = (gui_cpu - self._gui_cpu) * 1000, (process_cpu - self._process_cpu) * 1000
        self._gui_cpu, self._process_cpu = gui_cpu, process_cpu
        with self._lock:
            gui, others, late, gc_ms = self._gui_stacks, self._other_stacks, self._watch_late_ms, self._gc_ms
            self._gui_stacks, self._other_stacks, self._watch_late_ms, self._gc_ms = Counter(), Counter(), 0.0, 0.0
            self._last_tick = time.monotonic()
        if action is not None and process_cpu_ms >= gap_ms / 2:
            self.largest_with_the_process_running_ms[action] = max(
                self.largest_with_the_process_running_ms[action], round(gap_ms))
        if action is None or gap_ms < self.threshold_ms or not gui:
            return
        if len(self.stalls) >= self.keep and own_ms <= self.stalls[-1]["own_ms"]:
            return
        self.stalls.append({
            "action": action,
            "gap_ms": round(gap_ms),
            "own_ms": round(own_ms),
            "samples": sum(gui.values()),
            # CPU time over the gap: the GUI thread's, and the whole process's (every thread's, torch's included).
            # A process that ran far less than the gap was kept off the CPUs: the machine's stall, not the app's.
            "gui_cpu_ms": round(gui_cpu_ms),
            "process_cpu_ms": round(process_cpu_ms),
            "watch_waited_ms": round(late),
            "garbage_collection_ms": round(gc_ms, 1),
            "gui_thread": [{"count": count, "stack": stack} for stack, count in gui.most_common(4)],
            "other_threads": [{"count": count, "stack": stack} for stack, count in others.most_common(4)],
        })
        self.stalls.sort(key=lambda stall: -stall["own_ms"])
        del self.stalls[self.keep:]

    def sample(self) -> None:
        """Read the stacks if the GUI thread's timer is overdue (the watch thread's step; callable directly)."""
        if (time.monotonic() - self._last_tick) * 1000 < self.threshold_ms:
            return
        me = threading.get_ident()
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        stacks = every_stack(self._dump)
        gui = " < ".join(stacks.get(self._gui, [])[:STACK_DEPTH])
        others = [f"{names.get(ident, ident)}: {' < '.join(stack[:OTHER_DEPTH])}"
                  for ident, stack in stacks.items() if ident not in (self._gui, me)]
        with self._lock:
            self._gui_stacks[gui] += 1
            self._other_stacks.update(others)

    def _run(self) -> None:
        while not self._stopped.is_set():
            asleep = time.monotonic()
            time.sleep(self.interval_s)
            late = (time.monotonic() - asleep - self.interval_s) * 1000
            if (time.monotonic() - self._last_tick) * 1000 >= self.threshold_ms:
                with self._lock:
                    self._watch_late_ms = max(self._watch_late_ms, late)
            self.sample()

    def _on_gc(self, phase: str, info: dict) -> None:
        thread = threading.get_ident()
        if phase == "start":
            self._gc_started[thread] = time.perf_counter()
        elif (started := self._gc_started.pop(thread, None)) is not None:
            with self._lock:
                self._gc_ms += (time.perf_counter() - started) * 1000
