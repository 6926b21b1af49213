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
from simulate.cli import bench, compare, export, options, place, report, reproduce, validate
from simulate.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
from simulate.errors import InputError
from simulate.experiment.warmup import DEFAULT_METRICS as WARMUP_METRICS

DEFAULT_SCENARIOS = ("baseline.toml", "extended-access.toml", "funding-per-head.toml")
DEFAULT_WARMUP_MONTHS = options.DEFAULT_WARMUP_MONTHS


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
        "(default: the shipped baseline, extended-access and funding-per-head scenarios)",
    )
    options.place(run, help="place for every scenario: a shipped name or a .toml file")
    options.replications(
        run, 10, "replications per scenario (default %(default)s)", metavar="N", short=True
    )
    options.seed(run)
    options.span(run)
    run.add_argument(
        "--mode",
        choices=("hybrid", "sd"),
        default="hybrid",
        help="hybrid: the event engine coupled to system dynamics (default); sd: expected flows "
        "(mean field), one deterministic replication, for long sketches in seconds",
    )
    options.warmup_months(run)
    options.out(run, "output folder (default results/<run-id>)")
    options.overrides(run, help=options.SET_HELP)
    options.where(run)
    run.add_argument(
        "--precision",
        type=float,
        metavar="P",
        help="add replications until the 95%% interval of each scenario's paired difference "
        "from the baseline on --metric is within ±P of the baseline mean, e.g. 0.05 "
        "(Hoad, Robinson & Davies 2010); -n is the first batch (at least 3)",
    )
    options.metric(
        run, "cost", "cube variable for --precision, totalled over the run (default %(default)s)"
    )
    run.add_argument(
        "--max-replications",
        type=int,
        default=100,
        metavar="N",
        help="cap on replications with --precision (default 100)",
    )
    options.quiet(run, "print nothing but errors")

    for command in (compare, report, reproduce, export):
        command.add(commands)

    for command in (validate, bench):
        command.add(commands)

    warmup = commands.add_parser(
        "warmup",
        help="suggest a warm-up from a pilot run (MSER-5)",
        description="Runs a pilot of SCENARIO from empty with no warm-up, reporting weekly, and "
        "applies MSER-5 (White 1997) to each metric's weekly series averaged over replications; "
        "prints each metric's truncation and the longest, in months, beside the default.",
    )
    warmup.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO.toml",
        help="the scenario to pilot (default: the shipped baseline)",
    )
    options.place(warmup)
    warmup.add_argument(
        "--pilot-replications",
        type=int,
        default=5,
        metavar="R",
        help="replications of the pilot (default 5)",
    )
    options.months(warmup, "length of the pilot (default %(default)s)", default=24)
    warmup.add_argument(
        "--metrics",
        default=",".join(WARMUP_METRICS),
        metavar="A,B",
        help=f"cube variables to examine (default {','.join(WARMUP_METRICS)})",
    )
    options.seed(warmup)
    options.overrides(warmup)
    options.workers(warmup)
    options.out(warmup, "keep the pilot cube in DIR")

    sens = commands.add_parser(
        "sensitivity",
        help="Sobol' or Morris indices of scenario parameters (SALib)",
        description="Runs the scenario at each point of a Sobol' or Morris design over the "
        "parameters' ranges (common random numbers across points), writes DIR/cube.nc, "
        "DIR/sensitivity.csv and DIR/figures/sensitivity.png|svg, and prints the indices.",
    )
    sens.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario to vary")
    sens.add_argument(
        "--params",
        required=True,
        metavar="A,B=LOW:HIGH,...",
        help="dotted scenario keys; a key without a range takes it from its distribution "
        "table in the scenario, e.g. "
        "leavers.to_ae_share=0.05:0.3,hub.minutes_per_1000_per_week=20:60",
    )
    sens.add_argument("--method", choices=("sobol", "morris"), default="morris")
    sens.add_argument(
        "-n",
        type=int,
        default=8,
        metavar="N",
        help="Sobol' base sample (N·(k+2) runs; a power of 2) or Morris trajectories "
        "(N·(k+1) runs) (default 8)",
    )
    options.metric(
        sens, "ae_attendances", "cube variable (default %(default)s), totalled over the run"
    )
    options.replications(sens, 2, "per point (default %(default)s)")
    options.months(sens, "reported (default %(default)s)", default=3)
    options.warmup_months(sens, help=None)
    options.place(sens)
    options.overrides(sens)
    options.seed(sens)
    options.out(sens, "output folder")
    options.workers(sens)
    options.quiet(sens, "no progress bar")

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


def _run(args, argv) -> int:
    from simulate.experiment.executors import executor
    from simulate.experiment.progress import reporter
    from simulate.experiment.runner import Experiment, PrecisionRule, run
    from simulate.inputs.place import shipped_dir
    from simulate.inputs.scenario import load_scenario
    from simulate.results.compare import headline_table

    rule = None
    if args.precision is not None:
        rule = PrecisionRule(args.metric, args.precision, args.max_replications)
    files = args.scenarios or [shipped_dir() / name for name in DEFAULT_SCENARIOS]
    overrides = tuple(args.overrides) + ((f'place="{args.place}"',) if args.place else ())
    if args.mode == "sd":  # deterministic: one replication says all
        overrides += ('dynamics.mode="sd"',)
        args.replications = 1
    scenarios = tuple(load_scenario(f, overrides) for f in files)
    months = args.years * 12 if args.years else (args.months or 12)
    experiment = Experiment(scenarios, args.replications, args.seed, months, args.warmup_months)
    experiment.places  # noqa: B018 - read and check the place files before anything is written
    out = args.out or Path("results") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{experiment.key[:8]}"

    progress = reporter(args.quiet)
    try:
        cube = run(
            experiment,
            out,
            command=shlex.join(["icsim", *argv]),
            progress=progress,
            executor=executor(args.workers, args.scheduler),
            rule=rule,
        )
    finally:
        if progress:
            progress.close()
    if not args.quiet:
        place = experiment.places[scenarios[0].name].spec.name
        print(
            f"{len(scenarios)} scenarios x {cube.attrs['replications']} replications, "
            f"{months} months from {scenarios[0].spec.start:%Y-%m} "
            f"after {args.warmup_months} warm-up; "
            f"place: {place}; root seed {args.seed}\n"
        )
        print(headline_table(cube))
        if rule is not None:
            print("\n" + precision_summary(cube))
        print(f"\ncube: {out / 'cube.nc'}")
    return EXIT_OK


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


def _warmup(args, argv) -> int:
    from simulate.experiment.executors import executor
    from simulate.experiment.warmup import check_metrics, pilot, render, suggest
    from simulate.inputs.place import shipped_dir
    from simulate.inputs.scenario import load_scenario

    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    check_metrics(metrics)
    if args.pilot_replications < 1 or args.months < 5:
        raise InputError("--pilot-replications must be at least 1 and --months at least 5")
    file = args.scenario or shipped_dir() / "baseline.toml"
    overrides = tuple(args.overrides) + ((f'place="{args.place}"',) if args.place else ())
    scenario = load_scenario(file, overrides)
    cube = pilot(
        scenario, args.pilot_replications, args.months, args.seed, executor(args.workers), args.out
    )
    print(
        f"pilot: {scenario.name}, {args.pilot_replications} replications of "
        f"{cube.sizes['month']} weeks from empty (no warm-up), root seed {args.seed}\n"
    )
    print(render(suggest(cube, metrics), DEFAULT_WARMUP_MONTHS))
    return EXIT_OK


def _sensitivity(args, argv) -> int:
    from simulate.experiment.executors import executor
    from simulate.experiment.progress import reporter
    from simulate.experiment.runner import Experiment, PrecisionRule, run
    from simulate.experiment.sensitivity import (
        analyse,
        design,
        figure,
        outputs,
        parse_params,
        sample_scenarios,
        write_table,
    )
    from simulate.inputs.scenario import load_scenario
    from simulate.inputs.toml import tomllib
    from simulate.results.plots import stamp

    PrecisionRule(args.metric, 0.5, 3)  # checks the metric's name
    if args.n < 2 or args.replications < 1:
        raise InputError("-n must be at least 2 and --replications at least 1")
    overrides = tuple(args.overrides) + ((f'place="{args.place}"',) if args.place else ())
    base = load_scenario(args.scenario, overrides)
    parameters = parse_params(args.params, tomllib.loads(base.toml))
    x = design(parameters, args.method, args.n, args.seed)
    scenarios = sample_scenarios(args.scenario, overrides, parameters, x)
    experiment = Experiment(
        scenarios, args.replications, args.seed, args.months, args.warmup_months
    )
    experiment.places  # noqa: B018 - read and check the place files before anything is written
    out = args.out or Path("results") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-sensitivity"
    progress = reporter(args.quiet)
    try:
        cube = run(
            experiment,
            out,
            shlex.join(["icsim", *argv]),
            progress=progress,
            executor=executor(args.workers),
        )
    finally:
        if progress:
            progress.close()
    rows = analyse(parameters, args.method, x, outputs(cube, args.metric), args.seed)
    write_table(rows, out / "sensitivity.csv")
    line = stamp(cube, out.name).split(" | scenario ")[0] + f" | base {base.name} {base.sha256[:8]}"
    figure(rows, args.method, args.metric, line, out / "figures")
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
    return EXIT_OK


_COMMANDS = {
    "bench": bench.main,
    "run": _run,
    "compare": compare.main,
    "report": report.main,
    "reproduce": reproduce.main,
    "export": export.main,
    "validate": validate.main,
    "place": place.main,
    "warmup": _warmup,
    "sensitivity": _sensitivity,
}
