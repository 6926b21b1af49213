"""``icsim validate``: check scenario and place files without running anything.

Every file is checked, not just the first bad one, so one call lists every problem; the exit is
2 if any file had one.
"""

from __future__ import annotations

from pathlib import Path

from simulate.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    overload_warnings,
    print_problems,
    warn,
)
from simulate.errors import InputError


def add(commands) -> None:
    """Declare ``icsim validate`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("validate", help="check scenario and place files without running")
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="scenario or place files (paths relative to the current folder)",
    )
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Check each file, printing ``FILE: ok`` or its problems, one line each."""
    failed = False
    for path in args.files:
        try:
            warnings = check_file(path)
            print(f"{path}: ok")
            warn(warnings)
        except InputError as error:
            print_problems(error)
            failed = True
    return EXIT_BAD_INPUT if failed else EXIT_OK


PLACE_KEYS = {"practices", "population", "federations", "localities", "trust", "age_profiles"}
"""Top-level keys only a place file has (a scenario names its place with ``place = ...``)."""


def check_file(path: Path) -> list[str]:
    """A place file (it lists practices) is loaded as one; a scenario is loaded with its place.

    The warnings: capacities the rates (the scenario's, or the shipped baseline's for a place
    file) overload so far that the system gridlocks.
    """
    from simulate.inputs.scenario import load_scenario
    from simulate.inputs.targets import check_targets
    from simulate.inputs.toml import read_toml
    from simulate.model.place import load_place
    from simulate.shipped import shipped_dir

    data, _ = read_toml(path)
    if PLACE_KEYS & data.keys():  # a place file, even one that lacks [[practices]]
        place = load_place(str(path.resolve()))
        scenario = load_scenario(shipped_dir() / "baseline.toml")
    else:
        scenario = load_scenario(path)
        place = load_place(scenario.spec.place, path.resolve().parent)
        check_targets(scenario.spec, place.spec, path)  # as it will run: on its place
    return overload_warnings([place], scenario)
