"""The ``icsim`` command: a thin layer over scenarios, experiments and results.

Every failure is one line on stderr and a non-zero exit: 2 for bad input (file, key, value), 1 for
a failure while running, 130 when interrupted. Set ``ICSIM_DEBUG=1`` to see tracebacks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from pathlib import Path

from simulate import __version__
from simulate.errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_SCENARIOS = ("baseline.toml", "extended-access.toml")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="icsim", description="Simulate integrated care in an NHS health economy."
    )
    parser.add_argument("--version", action="version", version=f"icsim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run scenarios against a baseline and write a cube")
    run.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO.toml",
        help="scenario files, the first being the baseline "
        "(default: the shipped baseline and extended-access scenarios)",
    )
    run.add_argument("--place", help="place for every scenario: a shipped name or a .toml file")
    run.add_argument(
        "-n",
        "--replications",
        type=int,
        default=10,
        metavar="N",
        help="replications per scenario (default 10)",
    )
    run.add_argument("--seed", type=int, default=1, metavar="N", help="root seed (default 1)")
    span = run.add_mutually_exclusive_group()
    span.add_argument("--months", type=int, metavar="M", help="reported months (default 12)")
    span.add_argument("--years", type=int, metavar="Y", help="reported years")
    run.add_argument(
        "--warmup-months",
        type=int,
        default=2,
        metavar="W",
        help="months simulated before reporting starts (default 2)",
    )
    run.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default results/<run-id>)"
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="overrides",
        help="override a scenario key for every scenario, e.g. hub.minutes_per_1000_per_week=45",
    )
    run.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    compare = commands.add_parser("compare", help="paired differences against the baseline")
    compare.add_argument("path", type=Path, metavar="DIR", help="a run folder or a cube.nc file")
    compare.add_argument(
        "--baseline", metavar="NAME", help="baseline scenario (default: the first)"
    )

    validate = commands.add_parser(
        "validate", help="check scenario and place files without running"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")

    place = commands.add_parser("place", help="describe a place")
    place.add_argument("place", nargs="?", default="default", metavar="PLACE")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args, argv)
    except InputError as error:
        print(f"icsim: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("icsim: interrupted; finished parts are kept and a re-run resumes", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - one line, not a traceback, unless debugging
        if os.environ.get("ICSIM_DEBUG"):
            raise
        print(f"icsim: failed: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED


def _run(args, argv) -> int:
    from simulate.compare import headline_table
    from simulate.experiment import Experiment, run
    from simulate.place import shipped_dir
    from simulate.scenario import load_scenario

    files = args.scenarios or [shipped_dir() / name for name in DEFAULT_SCENARIOS]
    overrides = tuple(args.overrides) + ((f'place="{args.place}"',) if args.place else ())
    scenarios = tuple(load_scenario(f, overrides) for f in files)
    months = args.years * 12 if args.years else (args.months or 12)
    experiment = Experiment(scenarios, args.replications, args.seed, months, args.warmup_months)
    experiment.places  # noqa: B018 - read and check the place files before anything is written
    out = args.out or Path("results") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{experiment.key[:8]}"

    def progress(done: int, total: int) -> None:
        if not args.quiet and sys.stderr.isatty():
            print(
                f"\rrunning {done}/{total} parts",
                end="" if done < total else "\n",
                file=sys.stderr,
                flush=True,
            )

    cube = run(experiment, out, command=shlex.join(["icsim", *argv]), progress=progress)
    if not args.quiet:
        place = experiment.places[scenarios[0].name].spec.name
        print(
            f"{len(scenarios)} scenarios x {args.replications} replications, {months} months "
            f"from {scenarios[0].spec.start:%Y-%m} after {args.warmup_months} warm-up; "
            f"place: {place}; root seed {args.seed}\n"
        )
        print(headline_table(cube))
        print(f"\ncube: {out / 'cube.nc'}")
    return EXIT_OK


def _compare(args, argv) -> int:
    from simulate.compare import headline_table
    from simulate.cube import load

    path = args.path / "cube.nc" if args.path.is_dir() else args.path
    if not path.is_file():
        raise InputError("no cube here", file=path)
    cube = load(path)
    if args.baseline and args.baseline not in cube.scenario.values:
        raise InputError(f"no scenario {args.baseline!r} in the cube", file=path, key="--baseline")
    print(headline_table(cube, args.baseline))
    return EXIT_OK


def _validate(args, argv) -> int:
    from simulate.inputs import read_toml
    from simulate.place import load_place
    from simulate.scenario import load_scenario

    failed = False
    for path in args.files:
        try:
            data, _ = read_toml(path)
            if "practices" in data:
                load_place(str(path.resolve()))
            else:
                load_place(load_scenario(path).spec.place, path.resolve().parent)
            print(f"{path}: ok")
        except InputError as error:
            print(f"icsim: {error}", file=sys.stderr)
            failed = True
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _place(args, argv) -> int:
    from simulate.describe import describe
    from simulate.place import load_place, shipped_dir
    from simulate.scenario import load_scenario

    place = load_place(args.place, Path.cwd())
    print(describe(place, load_scenario(shipped_dir() / "baseline.toml")))
    return EXIT_OK


_COMMANDS = {"run": _run, "compare": _compare, "validate": _validate, "place": _place}
