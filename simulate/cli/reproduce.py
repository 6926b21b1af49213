"""``icsim reproduce``: rebuild a cube from the provenance it carries, and say if it matches.

Exit 0 when every data variable is identical, or when they differ but the versions of icsim or
its libraries differ too (a warning: the numbers may legitimately move); exit 1 when they differ
with the same versions, which is a reproducibility bug.
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulate.cli import options
from simulate.cli.common import EXIT_FAILED, EXIT_OK, command_line, load_cube, progress_bar


def add(commands) -> None:
    """Declare ``icsim reproduce`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("reproduce", help="rebuild a cube from its own provenance")
    options.cube_path(parser, metavar="CUBE", help="a cube.nc file or run folder")
    options.out(parser, "new folder", metavar="DIR2", required=True)
    parser.add_argument(
        "--practice-csv",
        type=Path,
        metavar="FILE",
        help="the practice list CSV the cube's place was read from, if it is not beside the cube "
        "or here (its SHA-256, recorded in the cube, is checked)",
    )
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Rebuild into ``--out`` and compare every data variable with the original."""
    from simulate.experiment.reproduce import differing_variables, reproduce, version_differences

    path, cube = load_cube(args.path)
    changed = version_differences(cube)
    if changed:
        print(
            "icsim: warning: versions differ from the cube's, so numbers may differ: "
            + ", ".join(changed),
            file=sys.stderr,
        )
    csv = args.practice_csv.resolve() if args.practice_csv else None
    with progress_bar(not sys.stderr.isatty()) as progress:  # a bar on a terminal only
        rebuilt = reproduce(
            cube, path, args.out, command_line(argv), practice_csv=csv, progress=progress
        )
    different = differing_variables(cube, rebuilt)
    if not different:
        print(f"identical: all {len(rebuilt.data_vars)} data variables; cube: {args.out}/cube.nc")
        return EXIT_OK
    message = f"{len(different)} data variables differ: {', '.join(different)}"
    if changed:
        print(f"icsim: warning: {message} (versions differ)", file=sys.stderr)
        return EXIT_OK
    print(f"icsim: not reproduced with the same versions: {message}", file=sys.stderr)
    return EXIT_FAILED
