"""`atelier soak`: drive the whole window for minutes and record how it holds up (a developer's check).

It lives in the app, not only in bench/, so that the frozen bundle can be soaked too
(`bench/soak.py --frozen dist/atelier` runs it there).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "soak", help="developers: use every tab for N minutes in the real window and write a JSON report"
    )
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to run (default 5)")
    parser.add_argument("--report", type=Path, required=True, help="where to write the JSON report")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choice of actions")
    parser.add_argument(
        "--trace-python",
        action="store_true",
        help="trace Python's objects (tracemalloc, slower): the report names the lines whose objects grew",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.minutes <= 0:
        print("atelier soak: --minutes must be more than 0.")
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.log import setup_logging
    from app.soak import run_soak

    setup_logging()
    return run_soak(args.minutes, args.report, args.seed, args.trace_python)
