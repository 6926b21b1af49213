"""``icsim report``: a self-contained HTML report and its figures, beside the cube."""

from __future__ import annotations

from simulate.cli import options
from simulate.cli.common import EXIT_OK, load_cube


def add(commands) -> None:
    """Declare ``icsim report`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser(
        "report", help="write DIR/report.html (self-contained) and DIR/figures/"
    )
    options.cube_path(parser)
    options.baseline(parser)
    parser.add_argument(
        "--name-practices", action="store_true", help="label practices in the funnel plot"
    )
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Write the report into the cube's folder, titled with the folder's name (the run id)."""
    from simulate.experiment.progress import status
    from simulate.results.report import write_report

    path, cube = load_cube(args.path, args.baseline, compared=True)
    status(f"writing the report of {cube.sizes['scenario']} scenarios: figures, then tables")
    written = write_report(cube, path.parent, path.parent.name, args.baseline, args.name_practices)
    print(f"report: {written}")
    return EXIT_OK
