"""The `cgce` command line: one module per subcommand under `cgce.commands`.

Exit codes: 0 success; 2 bad input or usage (one line on stderr, no traceback); 1 internal error
(one line; set CGCE_DEBUG=1 for the traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from typing import Sequence

from .errors import InputError

__all__ = ["main", "build_parser"]

# Subcommand modules; each defines register(subparsers) which sets `func` on its parser.
COMMANDS = ("check", "score", "train", "generate", "eval", "data")

# Errors that mean "the user gave us something wrong", mapped to exit code 2.
USER_ERRORS = (InputError, FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError, UnicodeDecodeError)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and lets main() choose the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _one_line_warnings(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"cgce: warning: {str(message).splitlines()[0]}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cgce", description="Classifier-Guided Concept Erasure for diffusion models.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"cgce.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"cgce.commands.{name}":
                raise
            continue  # a subcommand not in this build
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    warnings.showwarning = _one_line_warnings
    _quiet_transformers()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.version:
            from . import __version__

            print(__version__)
            return 0
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except USER_ERRORS as exc:
        print(f"cgce: error: {_first_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cgce: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `cgce ... | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, exit 1
        if os.environ.get("CGCE_DEBUG"):
            raise
        print(f"cgce: internal error: {type(exc).__name__}: {_first_line(exc)} (set CGCE_DEBUG=1 for details)", file=sys.stderr)
        return 1


def _quiet_transformers() -> None:
    """transformers' "Loading weights" bars and info logs are noise on a CLI's stderr."""
    try:
        from transformers.utils import logging

        logging.disable_progress_bar()
        logging.set_verbosity_error()
    except ImportError:  # pragma: no cover - transformers is a core dependency
        pass


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
