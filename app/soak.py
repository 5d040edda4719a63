"""A long session in one process: drive every tab through the real window for minutes and record how it holds up.

Short tests missed a crash that came after minutes of repainting, so this runs what a user does —
strokes with live preview, renders, Surprise me, Best quality started and cancelled, melodies
generated, played and looped on whatever audio device there is, bars regenerated, morphs, chat
answers streamed and stopped, tab switches — in a loop, and samples memory, the largest UI stall,
`None`'s reference count, threads and open files, and which actions the private memory grew in (with
`trace_python`, which source lines' Python objects grew). `atelier soak` runs it (so the frozen bundle can be
soaked too); `bench/soak.py` starts it, restarts it after a crash, and writes the JSON.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from app.cpu_wait import TickGaps
from app.log import logger
from app.memory_report import memory_breakdown, python_growth, status_megabytes
from app.stall_watch import StallWatch
from models.memory import give_back_freed_memory

TICK_MS = 10
# One message for each way the Chat tab answers: the chat model's own words, the help text, lines from the line
# VAE, and a painting asked of the Paint engine (until session 10 the first was read as a painting request, so
# the soak never ran the chat model and its key/value cache read 0 MB).
CHAT_PROMPTS = (
    "Tell me about colour in painting.",
    "What can you do?",
    "Write two lines about the sea.",
    "Paint a small harbour at dusk.",
)
WARM_UP_MINUTES = 5.0  # the first models load and caches fill; growth after this is what a day of use adds


def resident_megabytes() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # not Linux: ru_maxrss is the best there is
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)


def _chat_cache_megabytes() -> float:
    if "models.text.chat" not in sys.modules:  # not loaded yet: no cache, and no import of torch for it
        return 0.0
    from models.text.chat import cache_megabytes

    return cache_megabytes()


def _anon_megabytes() -> float:
    return status_megabytes("RssAnon").get("RssAnon", 0.0)


def thread_count() -> int:
    """Every thread of the process (Qt's worker threads and OpenMP's included), not only Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def open_files() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


class SoakSession:
    """Runs the actions in a loop on the window's event loop; `report()` says how it went."""

    def __init__(self, window, minutes: float, report_path: Path, seed: int = 0, trace_python: bool = False) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        self.deadline = time.monotonic() + minutes * 60
        self.started = time.monotonic()
        self.report_path = report_path
        self.random = random.Random(seed)
        self.actions: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.samples: list[dict] = []
        self.largest_stall_ms = 0
        self.largest_stall_after_warm_up_ms = 0
        self.action_now = "starting"
        self.stall_by_action: Counter[str] = Counter()  # after the first minute: which action the UI stalled in
        # The same, less the time the GUI thread waited for a CPU (on a busy machine, the neighbours' share).
        self.largest_own_stall_ms = 0.0
        self.own_stall_by_action: Counter[str] = Counter()
        self.none_at_start = sys.getrefcount(None)
        # After the warm-up: private memory (MB) each kind of action left behind, summed, and how many ran.
        self.anon_change_by_action: Counter[str] = Counter()
        self.counted_after_warm_up: Counter[str] = Counter()
        self.trace_python = trace_python
        self.python_after_warm_up: tracemalloc.Snapshot | None = None
        self.python_growth: list[dict] = []
        if trace_python:
            tracemalloc.start()
        self._ticks = TickGaps()
        self.stall_watch = StallWatch()
        self._ticker = QTimer()
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    # Measuring ---------------------------------------------------------------------------------

    def _tick(self) -> None:
        gap, own = (round(ms) for ms in self._ticks.next())
        warm = time.monotonic() - self.started > 60  # start-up and first model loads are not the steady state
        self.stall_watch.tick(gap, own, self.action_now if warm else None)
        self.largest_stall_ms = max(self.largest_stall_ms, gap)
        if warm:
            self.largest_stall_after_warm_up_ms = max(self.largest_stall_after_warm_up_ms, gap)
            self.stall_by_action[self.action_now] = max(self.stall_by_action[self.action_now], gap)
            self.largest_own_stall_ms = max(self.largest_own_stall_ms, own)
            self.own_stall_by_action[self.action_now] = max(self.own_stall_by_action[self.action_now], own)

    def sample(self) -> None:
        self._retained_anon_megabytes()
        self.samples.append(
            {
                "minute": round((time.monotonic() - self.started) / 60, 2),
                # runs of the same seed do the same actions in order, at the speed the machine's load allows:
                # two runs compare at the same count of actions, not the same minute
                "actions_done": sum(self.actions.values()),
                "rss_mb": round(resident_megabytes(), 1),
                **memory_breakdown(),
                "chat_cache_mb": round(_chat_cache_megabytes(), 1),
                "none_refcount_drift": sys.getrefcount(None) - self.none_at_start,
                "threads": thread_count(),
                "open_files": open_files(),
                "load_average": round(os.getloadavg()[0], 1),  # stalls on a busy machine are the machine's
            }
        )
        self.write_report()

    def report(self) -> dict:
        return {
            "minutes": round((time.monotonic() - self.started) / 60, 2),
            "actions": dict(sorted(self.actions.items())),
            "failed_actions": dict(sorted(self.failures.items())),
            "largest_stall_ms": self.largest_stall_ms,
            "largest_stall_after_first_minute_ms": self.largest_stall_after_warm_up_ms,
            "largest_stall_by_action_ms": dict(sorted(self.stall_by_action.items())),
            "largest_stall_less_cpu_wait_ms": self.largest_own_stall_ms,
            "largest_stall_less_cpu_wait_by_action_ms": dict(sorted(self.own_stall_by_action.items())),
            "stalls_with_stacks": self.stall_watch.stalls,
            "largest_stall_with_the_process_running_ms": dict(
                sorted(self.stall_watch.largest_with_the_process_running_ms.items())),
            "anon_mb_change_by_action_after_warm_up": {
                name: {"total": round(self.anon_change_by_action[name], 1), "runs": runs}
                for name, runs in sorted(self.counted_after_warm_up.items())
            },
            "python_growth_after_warm_up": self.python_growth,
            "samples": self.samples,
            "pid": os.getpid(),
        }

    def write_report(self) -> None:
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.report_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.report(), indent=1))
        os.replace(temporary, self.report_path)

    # Waiting on the event loop -----------------------------------------------------------------

    def spin(self, seconds: float) -> None:
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.005)

    def delete_what_was_let_go(self) -> None:
        """Delete the objects given up with deleteLater(), as the app's event loop does when control returns to it;
        processEvents() never does, so without this the soak would count them as a leak."""
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def wait_until(self, done: Callable[[], bool], timeout: float) -> bool:
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            QApplication.processEvents()
            if done():
                return True
            time.sleep(0.005)
        return False

    def wait_idle(self, tab, timeout: float = 300) -> bool:
        return self.wait_until(lambda: not tab.worker.pending_jobs(), timeout)

    def wait_ready(self) -> None:
        """Until the window knows its device and every tab's start-up work is done."""
        self.wait_until(lambda: self.window.device_info is not None, 120)
        for tab in self.window.activity_tabs:
            self.wait_idle(tab)

    # The actions -------------------------------------------------------------------------------

    def run(self) -> dict:
        self.wait_ready()
        self.stall_watch.start()
        actions = self._actions()
        next_sample = time.monotonic()
        while time.monotonic() < self.deadline:
            if time.monotonic() >= next_sample:
                self.sample()
                next_sample += 60
            name, action = self.random.choice(actions)
            before = self._retained_anon_megabytes()
            self.action_now = name
            try:
                action()
                self.actions[name] += 1
                self.delete_what_was_let_go()
            except Exception:  # an action that fails is counted and logged; only a crash ends the run
                logger.exception("soak action %s failed", name)
                self.failures[name] += 1
            self._count_memory(name, before, self._retained_anon_megabytes())
        self.stall_watch.stop()
        self.sample()
        if self.python_after_warm_up is not None:
            self.python_growth = python_growth(self.python_after_warm_up, tracemalloc.take_snapshot())
        return self.report()

    def _retained_anon_megabytes(self) -> float:
        """Private memory still held, measured after the heap's free pages are given back: each worker gives them
        back after its job, but the UI can see the job end before that, and a sample would count them."""
        self.action_now = "measuring memory"  # a UI stall while the heap is trimmed is the soak's, not an action's
        give_back_freed_memory()
        return _anon_megabytes()

    def _count_memory(self, name: str, anon_before: float, anon_after: float) -> None:
        if time.monotonic() - self.started < WARM_UP_MINUTES * 60 or self.actions[name] < 2:
            return  # a kind's first run loads what it needs (the chat model, the dictionary): not growth
        if self.trace_python and self.python_after_warm_up is None:
            self.python_after_warm_up = tracemalloc.take_snapshot()
            return  # this action straddled the snapshot
        self.anon_change_by_action[name] += anon_after - anon_before
        self.counted_after_warm_up[name] += 1

    def _actions(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("paint_strokes_live_preview", self.paint_strokes),
            ("render", self.render),
            ("surprise_me", self.surprise),
            ("best_quality_cancelled", self.best_quality_cancelled),
            ("generate", self.generate),
            ("play_and_loop", self.play_and_loop),
            ("regenerate_bars", self.regenerate_bars),
            ("morph", self.morph),
            ("chat_stream_and_stop", self.chat),
            ("switch_tabs", self.switch_tabs),
        ]

    def _show(self, index: int):
        self.window.tabs.setCurrentIndex(index)
        return self.window.activity_tabs[index]

    def paint_strokes(self) -> None:
        from PySide6.QtCore import QPointF

        paint = self._show(0)
        canvas = paint.canvas
        width, height = canvas.image.width(), canvas.image.height()
        for _ in range(self.random.randint(3, 8)):
            x, y = self.random.uniform(0, width), self.random.uniform(0, height)
            canvas.begin_stroke(QPointF(x, y))
            for _ in range(12):
                x = min(max(x + self.random.uniform(-25, 25), 0), width - 1)
                y = min(max(y + self.random.uniform(-25, 25), 0), height - 1)
                canvas.stroke_to(QPointF(x, y))
                self.spin(0.016)  # a hand moves at screen refresh rate, and the canvas repaints each time
            canvas.end_stroke()
        if self.random.random() < 0.3:
            canvas.undo_stack.undo()
        self.spin(1.0)
        self.wait_idle(paint)

    def render(self) -> None:
        paint = self._show(0)
        paint.render()
        self.wait_idle(paint)

    def surprise(self) -> None:
        paint = self._show(0)
        paint.surprise()
        self.wait_idle(paint)
        dialog = getattr(paint, "surprise_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.close()

    def best_quality_cancelled(self) -> None:
        paint = self._show(0)
        paint.controls.best_check.setChecked(True)
        try:
            paint.render()
            self.spin(self.random.uniform(2, 6))
            # Esc stops the running job; a user presses it again while anything is still going.
            for _ in range(20):
                if not paint.cancel_running_job():
                    break
                self.spin(0.5)
            self.wait_idle(paint)
        finally:
            paint.controls.best_check.setChecked(False)

    def generate(self) -> None:
        compose = self._show(1)
        compose.generate()
        self.wait_idle(compose)

    def _ensure_variations(self, compose) -> bool:
        if compose.selected_variation() is None:
            compose.generate()
            self.wait_idle(compose)
        return compose.selected_variation() is not None

    def play_and_loop(self) -> None:
        compose = self._show(1)
        if not self._ensure_variations(compose):
            return
        compose.loop_check.setChecked(self.random.random() < 0.7)
        compose.toggle_play()
        self.spin(self.random.uniform(2, 8))  # the piano roll repaints its playhead all this time
        if compose.variation_list.count() > 1:
            compose.variation_list.setCurrentRow(self.random.randrange(compose.variation_list.count()))
            self.spin(2)
        if compose.transport.is_playing:
            compose.toggle_play()
        self.wait_until(lambda: not compose.transport.is_playing, 10)

    def regenerate_bars(self) -> None:
        compose = self._show(1)
        if not self._ensure_variations(compose):
            return
        compose.regenerate_bars()
        self.wait_idle(compose)
        if self.random.random() < 0.5:
            compose.undo_edit()

    def morph(self) -> None:
        compose = self._show(1)
        if not self._ensure_variations(compose) or compose.morph_target.count() < 1:
            return
        compose.morph_target.setCurrentIndex(self.random.randrange(compose.morph_target.count()))
        compose.morph_selected()
        self.wait_idle(compose)

    def chat(self) -> None:
        chat = self._show(2)
        chat.send(self.random.choice(CHAT_PROMPTS))
        self.spin(self.random.uniform(1, 4))
        if chat.worker.pending_jobs():
            chat.stop()
        self.wait_idle(chat)

    def switch_tabs(self) -> None:
        for _ in range(6):
            self._show(self.random.randrange(3))
            self.spin(0.3)


def run_soak(minutes: float, report_path: Path, seed: int = 0, trace_python: bool = False) -> int:
    """Open the window, drive it for `minutes`, write the report; 0 when the run lasted."""
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    application = QApplication.instance() or QApplication(["atelier-soak"])  # noqa: F841 (kept alive)
    window = MainWindow()
    window.show()
    session = SoakSession(window, minutes, report_path, seed, trace_python)
    try:
        session.run()
    finally:
        session.write_report()
        window.close_without_asking()
    return 0
