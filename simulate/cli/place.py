"""``icsim place``: describe a place (its practices, population and capacity) in words."""

from __future__ import annotations

from pathlib import Path

from simulate.cli.common import EXIT_OK, overload_warnings, place_argument, warn


def add(commands) -> None:
    """Declare ``icsim place`` on the ``commands`` of the top-level parser."""
    parser = commands.add_parser("place", help="describe a place")
    parser.add_argument(
        "place",
        nargs="?",
        default="default",
        metavar="PLACE",
        help="a shipped place name (default, tiny) or a .toml file (default: default)",
    )
    parser.set_defaults(handler=main)


def main(args, argv) -> int:
    """Print the description; rates come from the shipped baseline, as a place has none."""
    from simulate.inputs.scenario import load_scenario
    from simulate.model.describe import describe
    from simulate.model.place import load_place
    from simulate.shipped import shipped_dir

    place = load_place(place_argument(args.place), Path.cwd())
    baseline = load_scenario(shipped_dir() / "baseline.toml")
    print(describe(place, baseline))
    warn(overload_warnings([place], baseline))
    return EXIT_OK
