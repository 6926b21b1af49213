"""``icsim run``: scenarios against a baseline, with common random numbers, into one cube.

The place files are read and checked before anything is written, so bad input leaves no folder
behind; an interrupted run keeps its finished parts and a re-run of the same command resumes.
"""

from __future__ import annotations

from simulate.cli import options
from simulate.cli.common import (
    EXIT_OK,
    command_line,
    default_out,
    overload_warnings,
    progress_bar,
    scenario_overrides,
    warn,
)

DEFAULT_SCENARIOS = ("baseline.toml", "extended-access.toml", "funding-per-head.toml")


def add(commands) -> None:
    """Declare ``icsim run`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("run", help="run scenarios against a baseline and write a cube")
    parser.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO.toml",
        help="scenario files, the first being the baseline "
        "(default: the shipped baseline, extended-access and funding-per-head scenarios)",
    )
    options.place(parser, help="place for every scenario: a shipped name or a .toml file")
    options.replications(
        parser, 10, "replications per scenario (default %(default)s)", metavar="N", short=True
    )
    options.seed(parser)
    options.span(parser)
    parser.add_argument(
        "--mode",
        choices=("hybrid", "sd"),
        default="hybrid",
        help="hybrid: the event engine coupled to system dynamics (default); sd: expected flows "
        "(mean field), one deterministic replication, for long sketches in seconds",
    )
    options.warmup_months(parser)
    parser.add_argument(
        "--decompose",
        choices=("shapley", "sequential"),
        help="also run each scenario with subsets of its levers, for icsim compare --decompose: "
        "every subset (shapley, 2^n scenarios) or the nested ones in the levers' order "
        "(sequential, n)",
    )
    options.out(parser, "output folder (default results/<run-id>)")
    options.overrides(parser, help=options.SET_HELP)
    options.where(parser)
    _precision_options(parser)
    options.quiet(parser, "print nothing but errors")
    parser.set_defaults(handler=main)


def _precision_options(parser) -> None:
    """``--precision`` and the two options that only mean something with it."""
    parser.add_argument(
        "--precision",
        type=float,
        metavar="P",
        help="add replications until the 95%% interval of each scenario's paired difference "
        "from the baseline on --metric is within ±P of the baseline mean, e.g. 0.05 "
        "(Hoad, Robinson & Davies 2010); -n is the first batch (at least 3)",
    )
    options.metric(
        parser, "cost", "cube variable for --precision, totalled over the run (default %(default)s)"
    )
    parser.add_argument(
        "--max-replications",
        type=int,
        default=100,
        metavar="N",
        help="cap on replications with --precision (default 100)",
    )


def main(args, argv) -> int:
    """Run the experiment into ``--out`` and print its headline table."""
    from simulate.experiment.executors import executor
    from simulate.experiment.runner import PrecisionRule, run

    rule = None
    if args.precision is not None:
        rule = PrecisionRule(args.metric, args.precision, args.max_replications)
    experiment = _experiment(args)
    out = args.out or default_out(experiment.key[:8])
    then = "checking precision; more parts or the cube" if rule else "writing the cube"
    with progress_bar(args.quiet, then) as progress:
        cube = run(
            experiment,
            out,
            command=command_line(argv),
            progress=progress,
            executor=executor(args.workers, args.scheduler),
            rule=rule,
        )
    if not args.quiet:
        _summary(args, experiment, cube, out)
    return EXIT_OK


def _experiment(args):
    """The experiment the options describe, its place files read and checked."""
    from simulate.experiment.runner import Experiment
    from simulate.inputs.scenario import load_scenario
    from simulate.inputs.targets import check_targets
    from simulate.shipped import shipped_dir

    files = args.scenarios or [shipped_dir() / name for name in DEFAULT_SCENARIOS]
    overrides = scenario_overrides(args)
    if args.mode == "sd":  # deterministic: one replication says all
        overrides += ('dynamics.mode="sd"',)
        args.replications = 1
    scenarios = tuple(load_scenario(f, overrides) for f in files)
    if args.decompose:
        from simulate.inputs.decompose import decomposition

        scenarios += tuple(p for s in scenarios[1:] for p in decomposition(s, args.decompose))
        files = list(files) + [None] * (len(scenarios) - len(files))
    months = args.years * 12 if args.years else (args.months or 12)
    experiment = Experiment(scenarios, args.replications, args.seed, months, args.warmup_months)
    places = experiment.places  # read and check the place files before anything is written
    for path, scenario in zip(files, scenarios):
        if path is not None:  # a decomposition's subsets have the targets of their scenario
            check_targets(scenario.spec, places[scenario.name].spec, path)
    if not args.quiet:
        warn(overload_warnings(list(places.values()), scenarios[0]))
    return experiment


def _summary(args, experiment, cube, out) -> None:
    """What ran, the headline table, whether ``--precision`` was met, and where the cube is."""
    from simulate.results.formats import headline_table
    from simulate.results.gridlock import gridlock_notes

    baseline = experiment.scenarios[0]
    print(
        f"{len(experiment.scenarios)} scenarios x {cube.attrs['replications']} replications, "
        f"{experiment.months} months from {baseline.spec.start:%Y-%m} "
        f"after {args.warmup_months} warm-up; "
        f"place: {experiment.places[baseline.name].spec.name}; root seed {args.seed}\n"
    )
    if len(experiment.scenarios) > 1:
        print(headline_table(cube))
    else:
        print(
            f"{baseline.name} ran alone, so there is nothing to compare: "
            "icsim export gives its numbers"
        )
    warn(gridlock_notes(cube))
    if args.precision is not None:
        print("\n" + precision_summary(cube))
    print(f"\ncube: {out / 'cube.nc'}")


def precision_summary(cube) -> str:
    """Whether ``--precision`` was met, in words, from the cube's attributes."""
    import json

    attrs, n = cube.attrs, cube.attrs["replications"]
    detail = json.loads(attrs["precision_detail"])
    each = "; ".join(
        f"{name} ±{d['relative_half_width']:.1%}"
        + (
            ""
            if d["relative_half_width"] <= attrs["precision"]
            else f", about {d['replications_needed']} needed"
        )
        for name, d in detail.items()
    )
    what = (
        f"precision: 95% interval of the paired difference in {attrs['precision_metric']} "
        f"within ±{attrs['precision']:.1%} of the baseline mean"
    )
    if attrs["precision_met"]:
        return f"{what}: met after {n} replications ({each})"
    return f"{what}: NOT met; stopped at the cap of {attrs['precision_cap']} replications ({each})"
