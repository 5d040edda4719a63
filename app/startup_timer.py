"""Start-up timing: with ATELIER_EXIT_AFTER_SHOW=1 the app prints how long it took to show its window, then quits.

bench/startup.py uses it to measure cold and warm starts, from a checkout and from the bundle.
"""

from __future__ import annotations

import os
import sys
import time

EXIT_AFTER_SHOW_VARIABLE = "ATELIER_EXIT_AFTER_SHOW"
SHOWN_LINE_PREFIX = "atelier: window shown after"


def seconds_since_process_start() -> float:
    """Wall time since the kernel started this process (the bootloader's start when frozen)."""
    try:
        with open("/proc/self/stat") as stat_file:
            # The command name (field 2) may hold spaces; the fields after its closing ')' are fixed.
            fields = stat_file.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of the whole line: start time in clock ticks after boot
        with open("/proc/uptime") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED_AT  # not Linux: from this module's import, an underestimate


_IMPORTED_AT = time.monotonic()


def exit_after_show_requested() -> bool:
    return os.environ.get(EXIT_AFTER_SHOW_VARIABLE, "") not in ("", "0")


def report_shown_and_quit() -> None:
    """Called from the event loop's first turn after `show()`: print the time to window shown and end the
    process at once. A measuring run neither saves state nor waits for the workers, which may still be
    loading torch and their models (joining them would time the shutdown, not the start)."""
    print(f"{SHOWN_LINE_PREFIX} {seconds_since_process_start():.3f} s", flush=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
