"""The options several commands share, each declared here once.

Each function adds one option (or one mutually exclusive pair) to a command's parser, so that
``--seed`` means the same thing, with the same type, default and metavar, wherever it appears.
A command calls them in the order its ``--help`` lists its options. Where commands have always
described an option in their own words (``--out`` is a run folder to one, a table file to
another), the words are an argument and the rest stays here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_WARMUP_MONTHS = 9

WARMUP_HELP = (
    "months simulated before reporting starts (default %(default)s; icsim warmup suggests one)"
)
SET_HELP = "override a scenario key for every scenario, e.g. hub.minutes_per_1000_per_week=45"


def cube_path(
    parser: argparse.ArgumentParser,
    metavar: str = "DIR",
    help: str = "a run folder or a cube.nc file",
):
    """The cube a results command reads: a run folder or the ``cube.nc`` inside it."""
    parser.add_argument("path", type=Path, metavar=metavar, help=help)


def baseline(parser: argparse.ArgumentParser):
    """The scenario differences are taken against, by name."""
    parser.add_argument("--baseline", metavar="NAME", help="baseline scenario (default: the first)")


def out(parser: argparse.ArgumentParser, help: str, metavar: str = "DIR", required: bool = False):
    """Where a command writes; what it writes there is the command's to say."""
    parser.add_argument("--out", type=Path, required=required, metavar=metavar, help=help)


def place(parser: argparse.ArgumentParser, help: str = "place: a shipped name or a .toml file"):
    """The place every scenario runs in, instead of the one each scenario names."""
    parser.add_argument("--place", help=help)


def replications(
    parser: argparse.ArgumentParser,
    default: int,
    help: str,
    metavar: str = "R",
    short: bool = False,
):
    """Replications: ``-n`` too where no other ``-n`` claims the letter."""
    flags = ("-n", "--replications") if short else ("--replications",)
    parser.add_argument(*flags, type=int, default=default, metavar=metavar, help=help)


def seed(parser: argparse.ArgumentParser):
    """The root seed every random stream is derived from."""
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="root seed (default 1)")


def months(parser, help: str, default: int | None = None):
    """Months reported; ``parser`` may be a mutually exclusive group (see :func:`span`)."""
    parser.add_argument("--months", type=int, default=default, metavar="M", help=help)


def span(parser: argparse.ArgumentParser):
    """``--months`` or ``--years``: one length, in whichever unit reads better."""
    group = parser.add_mutually_exclusive_group()
    months(group, help="reported months (default 12)")
    group.add_argument(
        "--years", type=int, metavar="Y", help="reported years: 12·Y months (not with --months)"
    )


def warmup_months(parser: argparse.ArgumentParser, help: str | None = WARMUP_HELP):
    """Months simulated before reporting; ``help=None`` lists it bare, as sensitivity does."""
    parser.add_argument(
        "--warmup-months", type=int, default=DEFAULT_WARMUP_MONTHS, metavar="W", help=help
    )


def overrides(parser: argparse.ArgumentParser, help: str | None = None):
    """``--set KEY=VALUE``, repeatable, collected in order into ``args.overrides``."""
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides", help=help
    )


def metric(parser: argparse.ArgumentParser, default: str, help: str):
    """The cube variable a command totals over the run and reasons about."""
    parser.add_argument("--metric", default=default, metavar="NAME", help=help)


def workers(parser, help: str = "local dask worker processes"):
    """Parts on a local dask cluster of N processes; ``parser`` may be a group (:func:`where`)."""
    parser.add_argument("--workers", type=int, metavar="N", help=help)


def where(parser: argparse.ArgumentParser):
    """``--workers`` or ``--scheduler``: a local cluster or an existing one, not both."""
    group = parser.add_mutually_exclusive_group()
    workers(
        group,
        help="run parts on a local dask cluster of N worker processes (default: in this process)",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run parts on an existing dask.distributed cluster, e.g. tcp://10.0.0.5:8786",
    )


def quiet(parser: argparse.ArgumentParser, help: str):
    """``-q``: what it silences is the command's to say."""
    parser.add_argument("-q", "--quiet", action="store_true", help=help)
