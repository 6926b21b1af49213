"""``icsim compare``: the paired differences of every scenario from the baseline, printed."""

from __future__ import annotations

from simulate.cli import options
from simulate.cli.common import EXIT_OK, load_cube


def add(commands) -> None:
    """Declare ``icsim compare`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("compare", help="paired differences against the baseline")
    options.cube_path(parser)
    options.baseline(parser)
    parser.add_argument(
        "--by",
        choices=("practice", "federation", "place", "cohort", "provider"),
        help="break the comparison down (system-level outcomes are left out; provider: each "
        "acute trust's own A&E, admissions, beds and acute cost)",
    )
    parser.add_argument(
        "--basis",
        choices=("registered", "resident"),
        help="with --by place: each place's registered patients or its residents (default: the "
        "place file's commissioning)",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "md", "json"),
        default="table",
        dest="fmt",
        help="output format (default table)",
    )
    parser.add_argument(
        "--decompose",
        action="store_true",
        help="a waterfall of each combined scenario's change by lever (needs a cube made with "
        "icsim run --decompose)",
    )
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Print the comparison in the chosen format; it reads the cube and writes nothing."""
    from simulate.errors import InputError
    from simulate.results.compare import missing_breakdown
    from simulate.results.formats import render

    _, cube = load_cube(args.path, args.baseline, compared=True)
    if why := missing_breakdown(cube, args.by):
        raise InputError(why, key="--by")
    if args.basis:
        cube = _on_basis(cube, args.by, args.basis)
    if args.decompose:
        from simulate.results.decompose import render as waterfall

        print(waterfall(cube, args.baseline))
        return EXIT_OK
    print(render(cube, args.baseline, args.by, args.fmt))
    return EXIT_OK


def _on_basis(cube, by: str | None, basis: str):
    """The cube reporting places on ``basis``; one line if that cannot be done."""
    from simulate.errors import InputError
    from simulate.results.residence import with_basis

    if by != "place":
        raise InputError("a commissioning basis applies to --by place only", key="--basis")
    if "resident_share" not in cube.coords:
        raise InputError("the cube records no resident shares (made before them)", key="--basis")
    return with_basis(cube, basis)
