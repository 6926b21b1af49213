"""The ``icsim`` command: a thin layer over scenarios, experiments and results.

Every failure is one line on stderr and a non-zero exit: 2 for bad input (file, key, value), 1 for
a failure while running, 130 when interrupted. Set ``ICSIM_DEBUG=1`` to see tracebacks.

Each command is a module of this package that declares its subparser (``add``) and does its work
(``main``); the options several share are declared once, in :mod:`simulate.cli.options`.
"""

from __future__ import annotations

import argparse
import os
import sys

from simulate import __version__
from simulate.cli import (
    bench,
    compare,
    export,
    place,
    report,
    reproduce,
    run,
    sensitivity,
    validate,
    warmup,
)
from simulate.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    print_problems,
)
from simulate.cli.options import DEFAULT_WARMUP_MONTHS
from simulate.cli.run import DEFAULT_SCENARIOS, precision_summary
from simulate.errors import InputError

__all__ = [
    "COMMANDS",
    "DEFAULT_SCENARIOS",
    "DEFAULT_WARMUP_MONTHS",
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "main",
    "parser",
    "precision_summary",
]

COMMANDS = (run, compare, report, reproduce, export, validate, bench, warmup, sensitivity, place)
"""The command modules, in the order ``icsim --help`` lists them."""


def parser() -> argparse.ArgumentParser:
    """The whole ``icsim`` parser; :mod:`simulate.cli.reference` documents it from this."""
    icsim = argparse.ArgumentParser(
        prog="icsim", description="Simulate integrated care in an NHS health economy."
    )
    icsim.add_argument("--version", action="version", version=f"icsim {__version__}")
    commands = icsim.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return icsim


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    icsim = parser()
    args = icsim.parse_args(argv)
    if args.command is None:  # bare ``icsim``: the list of commands, not an argparse error
        icsim.print_help()
        return EXIT_OK
    try:
        return args.handler(args, argv)
    except InputError as error:
        print_problems(error)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("icsim: interrupted; finished parts are kept and a re-run resumes", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless debugging
        if os.environ.get("ICSIM_DEBUG"):
            raise
        print(f"icsim: failed: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED
