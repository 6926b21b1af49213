"""``icsim sensitivity``: Sobol' or Morris indices of scenario parameters, through SALib.

Every point of the design is one scenario of a single experiment, so the points share common
random numbers and differ only by their parameters. SALib is imported only when the command runs.
"""

from __future__ import annotations

from simulate.cli import options
from simulate.cli.common import (
    EXIT_OK,
    command_line,
    default_out,
    progress_bar,
    scenario_overrides,
)
from simulate.errors import InputError


def add(commands) -> None:
    """Declare ``icsim sensitivity`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser(
        "sensitivity",
        help="Sobol' or Morris indices of scenario parameters (SALib)",
        description="Runs the scenario at each point of a Sobol' or Morris design over the "
        "parameters' ranges (common random numbers across points), writes DIR/cube.nc, "
        "DIR/sensitivity.csv and DIR/figures/sensitivity.png|svg, and prints the indices.",
    )
    parser.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario to vary")
    _design_options(parser)
    options.metric(
        parser, "ae_attendances", "cube variable (default %(default)s), totalled over the run"
    )
    options.replications(parser, 2, "per point (default %(default)s)")
    options.months(parser, "reported (default %(default)s)", default=3)
    options.warmup_months(parser)
    options.place(parser)
    options.overrides(parser, help=options.SET_HELP)
    options.seed(parser)
    options.out(parser, "output folder")
    options.workers(parser)
    options.quiet(parser, "no progress bar")
    parser.set_defaults(handler=main)


def _design_options(parser) -> None:
    """Which parameters over which ranges, by which method, at how many points."""
    parser.add_argument(
        "--params",
        required=True,
        metavar="A,B=LOW:HIGH,...",
        help="dotted scenario keys; a key without a range takes it from its distribution "
        "table in the scenario, e.g. "
        "leavers.to_ae_share=0.05:0.3,hub.minutes_per_1000_per_week=20:60",
    )
    parser.add_argument(
        "--method",
        choices=("sobol", "morris"),
        default="morris",
        help="morris: elementary effects, a cheap screen (default); sobol: variance-based "
        "indices, many more runs",
    )
    parser.add_argument(
        "-n",
        "--points",
        dest="n",
        type=int,
        default=8,
        metavar="N",
        help="design size, NOT replications (those are --replications here): Sobol' base "
        "sample (N·(k+2) points; a power of 2) or Morris trajectories (N·(k+1) points) "
        "(default 8)",
    )


def main(args, argv) -> int:
    """Run the design, write the indices and their figure, and print them."""
    from simulate.experiment.executors import executor
    from simulate.experiment.runner import PrecisionRule, run
    from simulate.experiment.sensitivity import analyse, figure, outputs, write_table

    PrecisionRule(args.metric, 0.5, 3)  # checks the metric's name
    if args.n < 2 or args.replications < 1:
        raise InputError("-n must be at least 2 and --replications at least 1")
    base, parameters, x, experiment = _design(args)
    out = args.out or default_out("sensitivity")
    with progress_bar(args.quiet) as progress:
        cube = run(
            experiment,
            out,
            command_line(argv),
            progress=progress,
            executor=executor(args.workers),
        )
    rows = analyse(parameters, args.method, x, outputs(cube, args.metric), args.seed)
    write_table(rows, out / "sensitivity.csv")
    figure(rows, args.method, args.metric, _stamp(cube, out, base), out / "figures")
    _print_indices(args, x, rows, out)
    return EXIT_OK


def _design(args):
    """The base scenario, its parameters, the design's points and the experiment running them.

    The experiment's place files are read and checked here, before anything is written.
    """
    from simulate.experiment.runner import Experiment
    from simulate.experiment.sensitivity import design, parse_params, sample_scenarios
    from simulate.inputs.scenario import load_scenario
    from simulate.inputs.toml import tomllib

    overrides = scenario_overrides(args)
    base = load_scenario(args.scenario, overrides)
    parameters = parse_params(args.params, tomllib.loads(base.toml))
    x = design(parameters, args.method, args.n, args.seed)
    scenarios = sample_scenarios(args.scenario, overrides, parameters, x)
    experiment = Experiment(
        scenarios, args.replications, args.seed, args.months, args.warmup_months
    )
    experiment.places  # noqa: B018 - read and check the place files before anything is written
    return base, parameters, x, experiment


def _stamp(cube, out, base) -> str:
    """The figure's provenance line: the run's, naming the base scenario, not every point."""
    from simulate.results.plots import stamp

    return stamp(cube, out.name).split(" | scenario ")[0] + f" | base {base.name} {base.sha256[:8]}"


def _print_indices(args, x, rows, out) -> None:
    """The indices as a table on stdout, and where the table and figure were written."""
    print(
        f"{args.method} indices of {args.metric} over {len(x)} points x {args.replications} "
        f"replications, {args.months} months after {args.warmup_months} warm-up\n"
    )
    columns = list(rows[0])
    print("  ".join(f"{c:>14}" if i else f"{c:<40}" for i, c in enumerate(columns)))
    for row in rows:
        print(
            "  ".join(f"{row[c]:>14.4g}" if i else f"{row[c]:<40}" for i, c in enumerate(columns))
        )
    print(f"\nindices: {out / 'sensitivity.csv'}; figure: {out / 'figures' / 'sensitivity.png'}")
