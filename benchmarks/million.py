"""One hybrid replication of a 1-million-person economy over 10 years: its time and peak memory.

The default place (250,000 registered patients) scaled by four: every practice's list, GP and
nurse FTE, the community caseload and step-down beds, and the trust's cubicles and beds; rates
are per person, so demand scales with the lists. The shipped baseline runs on it in the hybrid
mode (event tiers coupled to the system-dynamics stocks) for 10 years after the default warm-up,
one replication, as a whole ``icsim run`` process: launch to exit, peak resident memory, and the
seconds inside the replication (see :mod:`side_by_side`, whose timing this reuses).

    python benchmarks/million.py [--scale 4] [--years 10]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from side_by_side import once  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCALED = ("list_size", "gp_fte", "nurse_fte", "nursing_caseload", "stepdown_beds", "ae_cubicles")


def scaled_place(text: str, factor: int) -> str:
    """The place file ``text`` with its sizes and capacities times ``factor``."""

    def times(match: re.Match) -> str:
        key, value = match.group(1), match.group(2)
        number = float(value) * factor
        return f"{key} = {number:.1f}" if "." in value else f"{key} = {int(number)}"

    keys = "|".join((*SCALED, "beds"))
    return re.sub(rf"^({keys}) = ([0-9.]+)", times, text, flags=re.MULTILINE)


def main() -> None:
    """Write the scaled place, run the replication, print what it cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        place = Path(tmp) / "million.toml"
        place.write_text(
            scaled_place((ROOT / "scenarios/places/default.toml").read_text(), args.scale)
        )
        argv = ["run", "scenarios/baseline.toml", "--place", str(place), "-n", "1"]
        m = once(ROOT, [*argv, "--years", str(args.years)], sys.executable)
    people = 250_000 * args.scale
    print(
        f"{people:,} people, {args.years} years, 1 hybrid replication: whole process "
        f"{m['wall']:.1f} s (the replication {m['model']:.1f} s), peak {m['peak_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
