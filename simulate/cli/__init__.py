"""The ``icsim`` command: a thin layer over scenarios, experiments and results.

Every failure is one line on stderr and a non-zero exit: 2 for bad input (file, key, value), 1 for
a failure while running, 130 when interrupted. Set ``ICSIM_DEBUG=1`` to see tracebacks.
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
from simulate.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
from simulate.cli.options import DEFAULT_WARMUP_MONTHS
from simulate.cli.run import DEFAULT_SCENARIOS, precision_summary
from simulate.errors import InputError

__all__ = [
    "DEFAULT_SCENARIOS",
    "DEFAULT_WARMUP_MONTHS",
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "main",
    "precision_summary",
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="icsim", description="Simulate integrated care in an NHS health economy."
    )
    parser.add_argument("--version", action="version", version=f"icsim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run.add(commands)
    for command in (compare, report, reproduce, export):
        command.add(commands)

    for command in (validate, bench):
        command.add(commands)

    warmup.add(commands)
    sensitivity.add(commands)
    place.add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args, argv)
    except InputError as error:
        for problem in error.problems:
            print(f"icsim: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("icsim: interrupted; finished parts are kept and a re-run resumes", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless debugging
        if os.environ.get("ICSIM_DEBUG"):
            raise
        print(f"icsim: failed: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED


_COMMANDS = {
    "bench": bench.main,
    "run": run.main,
    "compare": compare.main,
    "report": report.main,
    "reproduce": reproduce.main,
    "export": export.main,
    "validate": validate.main,
    "place": place.main,
    "warmup": warmup.main,
    "sensitivity": sensitivity.main,
}
