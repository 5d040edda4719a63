"""Entry point of the frozen app (PyInstaller): the same `atelier` command as the console script."""

import multiprocessing

# First, before anything else runs: a frozen child process started by multiprocessing must run
# the child's code, not start another copy of the app.
multiprocessing.freeze_support()

import sys  # noqa: E402

from app.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
