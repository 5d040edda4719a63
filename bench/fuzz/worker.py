"""The process bench/fuzz_cli.py runs commands in: `atelier`'s own `main(argv)`, one trial after another.

Reads one JSON line per trial on stdin ({"argv": [...], "cwd": "..."}); answers one JSON line on the
file descriptor given as its argument: the exit code, the tail of standard error, the seconds taken and
the peak resident memory of this process during the trial (Linux: VmHWM, reset before each trial through
/proc/self/clear_refs) and what it held before the trial (models earlier trials loaded stay loaded).
Loading torch and the models once keeps a trial to about a second; a trial that hangs or kills the
process is the controller's to record.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak is then the process's lifetime peak
        pass


def _resident_megabytes() -> float:
    """What this process holds now (models loaded by earlier trials stay loaded); 0 off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _peak_megabytes() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from app.cli import main as atelier

    answers = os.fdopen(int(sys.argv[1]), "w", buffering=1)
    for line in sys.stdin:
        trial = json.loads(line)
        os.chdir(trial["cwd"])
        _reset_peak()
        held = _resident_megabytes()
        # As on a desktop with a UTF-8 locale: standard output encodes strictly, standard error replaces.
        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
        started = time.monotonic()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = atelier(trial["argv"])
            except SystemExit as exit_:  # argparse's own refusals
                code = exit_.code if isinstance(exit_.code, int) else 2
            except BaseException as error:  # noqa: BLE001 - an escape past the CLI's own net is what we look for
                import traceback

                code = -1
                err.write("Traceback (escaped main):\n" + "".join(traceback.format_exception(error)))
        err.flush()
        said = err.buffer.getvalue().decode("utf-8", "replace")
        answers.write(json.dumps({"code": code, "stderr": said[-3000:], "seconds": time.monotonic() - started,
                                  "peak_mb": round(_peak_megabytes(), 1), "held_before_mb": round(held, 1)}) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
