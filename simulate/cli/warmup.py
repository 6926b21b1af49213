"""``icsim warmup``: suggest a warm-up length from a pilot run that starts from empty (MSER-5).

:mod:`simulate.experiment.warmup` is imported at the top, not lazily, because the parser shows
its default metrics; it keeps itself light (not even numpy at the top) for that reason.
"""

from __future__ import annotations

import sys

from simulate.cli import options
from simulate.cli.common import EXIT_OK, progress_bar, scenario_overrides
from simulate.errors import InputError
from simulate.experiment.warmup import DEFAULT_METRICS


def add(commands) -> None:
    """Declare ``icsim warmup`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser(
        "warmup",
        help="suggest a warm-up from a pilot run (MSER-5)",
        description="Runs a pilot of SCENARIO from empty with no warm-up, reporting weekly, and "
        "applies MSER-5 (White 1997) to each metric's weekly series averaged over replications; "
        "prints each metric's truncation and the longest, in months, beside the default.",
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO.toml",
        help="the scenario to pilot (default: the shipped baseline)",
    )
    options.place(parser)
    parser.add_argument(
        "--pilot-replications",
        type=int,
        default=5,
        metavar="R",
        help="replications of the pilot (default 5)",
    )
    options.months(parser, "length of the pilot (default %(default)s)", default=24)
    parser.add_argument(
        "--metrics",
        default=",".join(DEFAULT_METRICS),
        metavar="A,B",
        help=f"cube variables to examine (default {','.join(DEFAULT_METRICS)})",
    )
    options.seed(parser)
    options.overrides(parser, help=options.SET_HELP)
    options.workers(parser)
    options.out(parser, "keep the pilot cube in DIR")
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Run the pilot and print each metric's truncation beside the default warm-up."""
    from simulate.experiment.executors import executor
    from simulate.experiment.warmup import check_metrics, pilot, render, suggest
    from simulate.inputs.scenario import load_scenario
    from simulate.shipped import shipped_dir

    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    check_metrics(metrics)
    if args.pilot_replications < 1 or args.months < 5:
        raise InputError("--pilot-replications must be at least 1 and --months at least 5")
    file = args.scenario or shipped_dir() / "baseline.toml"
    scenario = load_scenario(file, scenario_overrides(args))
    with progress_bar(not sys.stderr.isatty(), "reading the pilot") as progress:
        cube = pilot(
            scenario,
            args.pilot_replications,
            args.months,
            args.seed,
            executor(args.workers),
            args.out,
            progress,
        )
    print(
        f"pilot: {scenario.name}, {args.pilot_replications} replications of "
        f"{cube.sizes['month']} weeks from empty (no warm-up), root seed {args.seed}\n"
    )
    print(render(suggest(cube, metrics), options.DEFAULT_WARMUP_MONTHS))
    return EXIT_OK
