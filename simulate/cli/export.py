"""``icsim export``: the cube as one tidy long table, for tools that do not read netCDF."""

from __future__ import annotations

from simulate.cli import options
from simulate.cli.common import EXIT_OK, load_cube


def add(commands) -> None:
    """Declare ``icsim export`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("export", help="the cube as a tidy long table (CSV or Parquet)")
    options.cube_path(parser)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="fmt")
    options.out(parser, "output file (default DIR/cube.csv or .parquet)", metavar="FILE")
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Write the table (beside the cube unless ``--out`` says otherwise) and name the file."""
    from simulate.results.export import export

    path, cube = load_cube(args.path)
    out = args.out or path.parent / f"cube.{args.fmt}"
    print(f"table: {export(cube, out, args.fmt)}")
    return EXIT_OK
