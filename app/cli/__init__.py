"""The `atelier` command: no subcommand opens the window; subcommands run the engines headless.

Each subcommand lives in its own module here with a `register(subparsers)` function that adds its
parser and sets `handler` (a function taking the parsed arguments and returning an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# OpenMP threads that spin while waiting steal the other core from the UI and from each other on a
# busy machine (2-thread chat fell from 50 to 4-6 tokens/s); sleeping waits cost nothing measurable.
# Set before torch is imported anywhere.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from app import __version__

# One module per subcommand (or group of related subcommands); each has `register(subparsers)`.
COMMAND_MODULES = [
    "app.cli.info",
    "app.cli.self_test",
    "app.cli.melody",
    "app.cli.paint",
    "app.cli.chat",
    "app.cli.soak",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="atelier",
        description="Atelier, a local creative studio. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"atelier {__version__}")
    parser.add_argument("--device", help="compute device: auto, cpu, cuda, cuda:N or mps (overrides the preference)")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.device:
        os.environ["ATELIER_DEVICE"] = args.device
    handler = getattr(args, "handler", None)
    if handler is None:
        from app.gui import run_gui

        return run_gui()
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
