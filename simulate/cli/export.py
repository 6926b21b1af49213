"""``icsim export``: the cube as a tidy long table, or the board's Excel workbook.

``--format csv`` or ``parquet`` writes every number of the cube, one row each, for tools that do
not read netCDF (a quick-start cube is some 1.8 million rows, more than Excel opens, so the command
says so); ``--format xlsx`` writes the workbook of summaries a board reads in Excel. A file name
whose suffix contradicts the format is refused rather than written wrongly.
"""

from __future__ import annotations

import sys

from simulate.cli import options
from simulate.cli.common import EXIT_OK, load_cube
from simulate.errors import InputError

FORMATS = ("csv", "parquet", "xlsx")
SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx", ".xls": "xlsx", ".xlsm": "xlsx"}
EXCEL_ROWS = 1_048_576


def add(commands) -> None:
    """Declare ``icsim export`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser(
        "export", help="the cube as a tidy long table (CSV or Parquet) or an Excel workbook"
    )
    options.cube_path(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        dest="fmt",
        help="csv or parquet: every number, one row each; xlsx: the summary workbook (summary, "
        "annual, by federation and practice, monthly bands, scenarios, assumptions). Default: "
        "from the --out suffix, else csv",
    )
    options.baseline(parser)
    options.out(parser, "output file (default DIR/cube.csv, .parquet or .xlsx)", metavar="FILE")
    parser.set_defaults(handler=main)


def chosen_format(args) -> str:
    """The format asked for, checked against the suffix of ``--out``."""
    implied = SUFFIXES.get(args.out.suffix.lower()) if args.out else None
    fmt = args.fmt or implied or "csv"
    if implied and implied != fmt:
        raise InputError(
            f"{args.out.name} is a .{args.out.suffix.lstrip('.')} file but --format is {fmt}: "
            f"use --format {implied}, or an --out ending .{fmt}",
            key="--out",
        )
    return fmt


def main(args, argv) -> int:
    """Write the table or workbook (beside the cube unless ``--out`` says otherwise)."""
    fmt = chosen_format(args)
    path, cube = load_cube(args.path, args.baseline)
    out = args.out or path.parent / f"cube.{fmt}"
    if fmt == "xlsx":
        from simulate.results.workbook import write_workbook

        print(f"workbook: {write_workbook(cube, out, args.baseline)}")
        return EXIT_OK
    from simulate.results.export import export, row_count

    rows = row_count(cube)
    if fmt == "csv" and rows + 1 > EXCEL_ROWS:
        print(
            f"icsim: warning: {rows:,} rows: Excel opens only the first {EXCEL_ROWS:,}; for Excel "
            "use --format xlsx (the summary workbook), or read this file with pandas, R or a "
            "database",
            file=sys.stderr,
        )
    print(f"table: {export(cube, out, fmt)} ({rows:,} rows)")
    return EXIT_OK
