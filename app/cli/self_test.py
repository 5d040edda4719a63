"""`atelier self-test`: check every installed engine once; exit non-zero naming what failed."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("self-test", help="run a quick check of every installed engine")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.selftest import run_self_test

    def report(outcome) -> None:
        mark = "ok  " if outcome.ok else "FAIL"
        print(f"{mark} {outcome.name:<14} {outcome.seconds:6.2f} s  {outcome.detail}", flush=True)

    outcomes = run_self_test(report)
    failed = [outcome.name for outcome in outcomes if not outcome.ok]
    if args.json:
        args.json.write_text(json.dumps({"checks": [asdict(o) for o in outcomes], "failed": failed}, indent=2))
    if failed:
        print(f"self-test failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"self-test passed: {len(outcomes)} checks")
    return 0
