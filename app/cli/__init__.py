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
    _write_back_undecodable_bytes()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.device:
        os.environ["ATELIER_DEVICE"] = args.device
    handler = getattr(args, "handler", None)
    if handler is None:
        from app.gui import run_gui

        return run_gui()
    return run_command(handler, args)


def _write_back_undecodable_bytes() -> None:
    """A file name or words in another encoding than UTF-8 reach Python as lone surrogates; a UTF-8 desktop
    locale writes standard output strictly, so echoing them ("wrote café.png") would end the command after
    its work was done. Write them back as the bytes they came as."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # not on a test's StringIO
        if reconfigure is not None:
            reconfigure(errors="surrogateescape")


def run_command(handler, args: argparse.Namespace) -> int:  # noqa: ANN001 - a subcommand's handler
    """Run a subcommand so that no traceback reaches the user: each command says what went wrong in its
    own words; whatever still escapes it becomes a sentence here, and its traceback goes to the log file."""
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("\natelier: stopped", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last net under every command
        from app.errors import user_message

        if isinstance(error, (MemoryError, OSError)) or _is_sentence(error):
            print(f"atelier: {user_message(error)}", file=sys.stderr)
            return 1
        where = _log_traceback(error)
        print(
            f"atelier: something unexpected went wrong ({str(error)[:200] or 'no message'}). This is a bug in "
            f"Atelier{'; the details are in ' + where if where else ''}.",
            file=sys.stderr,
        )
        return 1


def _is_sentence(error: BaseException) -> bool:
    from models.jobs import JobError

    return isinstance(error, JobError)


def _log_traceback(error: BaseException) -> str:
    """Write the traceback to the log file; its path, or "" when the log cannot be written (a read-only folder)."""
    try:
        from app.log import logger, setup_logging

        path = setup_logging()
        logger.error("uncaught in a command", exc_info=error)
        return str(path)
    except Exception:  # noqa: BLE001 - the sentence is said whether or not the log can be written
        return ""


if __name__ == "__main__":
    sys.exit(main())
