"""The ``icsim`` command: a thin layer over scenarios, experiments and results.

Every failure is one line on stderr and a non-zero exit: 2 for bad input (file, key, value), 1 for
a failure while running, 130 when interrupted. Set ``ICSIM_DEBUG=1`` to see tracebacks.

Each command is a module of this package that declares its subparser (``add``) and does its work
(``main``); the options several share are declared once, in :mod:`simulate.cli.options`.
"""

from __future__ import annotations

import _signal  # the C module alone: ``signal`` imports enum first, and Ctrl-C may land there
import os
import sys

import simulate


def _interrupted_while_starting(*_) -> None:
    """Ctrl-C before :func:`main` is ready for it (importing): the usual line, no traceback.

    It imports nothing: the interrupted import may have left a module (``re``, say) half-made.
    """
    sys.stderr.write(f"icsim: {simulate.INTERRUPTED}\n")
    os._exit(130)


# first of all, so that Ctrl-C while the rest is imported is one line too; not when started
# ignoring it (nohup, a background job, a local dask worker); only the main thread may
_USUAL_SIGINT = _signal.getsignal(_signal.SIGINT)
_STARTING = _USUAL_SIGINT not in (None, _signal.SIG_IGN)
if _STARTING:
    try:
        _signal.signal(_signal.SIGINT, _interrupted_while_starting)
    except ValueError:
        _STARTING = False

# the imports are what Ctrl-C may interrupt, so after the handler
import argparse  # noqa: E402
import contextlib  # noqa: E402
import signal  # noqa: E402

from simulate import __version__  # noqa: E402
from simulate.cli import (  # noqa: E402
    app,
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
from simulate.cli.common import (  # noqa: E402
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    failure,
    print_problems,
)
from simulate.cli.options import DEFAULT_WARMUP_MONTHS  # noqa: E402
from simulate.cli.run import DEFAULT_SCENARIOS, precision_summary  # noqa: E402
from simulate.errors import INTERRUPTED, InputError  # noqa: E402
from simulate.experiment.interrupts import Interrupts, main_thread  # noqa: E402

if _STARTING:
    signal.signal(signal.SIGINT, _USUAL_SIGINT)  # imported: whoever imported us decides again


def _ctrl_c_is_ours() -> bool:
    """Whether this is the command's main thread and Ctrl-C was not ignored when it started."""
    return _USUAL_SIGINT not in (None, signal.SIG_IGN) and main_thread()


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

COMMANDS = (
    run,
    compare,
    report,
    reproduce,
    export,
    validate,
    bench,
    warmup,
    sensitivity,
    place,
    app,
)
"""The command modules, in the order ``icsim --help`` lists them."""


class _Parser(argparse.ArgumentParser):
    """argparse's parser, but a wrong option is one line, as every other error is.

    argparse prints the whole usage above its error; the line says what is wrong and where the
    usage is. The subcommands' parsers are of this class too (argparse makes them of the parent's).
    """

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    """The whole ``icsim`` parser; :mod:`simulate.cli.reference` documents it from this."""
    icsim = _Parser(prog="icsim", description="Simulate integrated care in an NHS health economy.")
    icsim.add_argument("--version", action="version", version=f"icsim {__version__}")
    commands = icsim.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return icsim


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    # from here on Ctrl-C is a KeyboardInterrupt, handled in _command; as it was afterwards
    with Interrupts(raising=True) if _ctrl_c_is_ours() else contextlib.nullcontext():
        return _command(argv)


def _command(argv: list[str]) -> int:
    """Parse and run one command; every failure as its one line and exit code."""
    try:
        icsim = parser()
        args = icsim.parse_args(argv)
        if args.command is None:  # bare ``icsim``: the list of commands, not an argparse error
            icsim.print_help()
            return EXIT_OK
        return args.handler(args, argv)
    except InputError as error:
        print_problems(error)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"icsim: {INTERRUPTED}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless debugging
        if os.environ.get("ICSIM_DEBUG"):
            raise
        print(f"icsim: failed: {failure(error)}", file=sys.stderr)
        return EXIT_FAILED
