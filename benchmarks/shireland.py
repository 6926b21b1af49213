"""One replication-year of the two-trust Shireland system: CPU seconds, by population.

The shipped place ``shireland`` scaled by 1/3, 2/3 and 1 (every list, GP and nurse FTE, caseload,
step-down beds, cubicles and beds, rounded), so the economy's shape and loads stay the same while
its size changes. The shipped baseline runs in the hybrid mode for 12 months without warm-up;
each size runs ``--replications`` replications in one process and the first is left out (it pays
for imports and first-call set-up). CPU seconds (``time.process_time``), not wall: the machine may
be shared. The population is synthesised before the clock starts.

    python benchmarks/shireland.py [--replications 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCALED = ("list_size", "gp_fte", "nurse_fte", "nursing_caseload", "stepdown_beds")
WHOLE = ("ae_cubicles", "beds")


def scaled(text: str, factor: float) -> str:
    """The place text with its sizes and capacities times ``factor``."""

    def times(match: re.Match) -> str:
        key, value = match.group(1), float(match.group(2))
        new = value * factor
        if key in ("gp_fte", "nurse_fte"):
            return f"{key} = {round(new, 2)}"
        return f"{key} = {max(1, round(new / 10) * 10 if key == 'list_size' else round(new))}"

    keys = "|".join(SCALED + WHOLE)
    return re.sub(rf"^({keys}) = ([0-9.]+)", times, text, flags=re.M)


def main() -> None:
    """Print the table: population, CPU seconds per replication-year, and per 100,000 people."""
    from simulate.inputs.scenario import load_scenario
    from simulate.model.clock import Clock
    from simulate.model.place import load_place
    from simulate.model.replication import run_replication
    from simulate.model.streams import Streams

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--replications", type=int, default=3)
    n = args.parse_args().replications
    text = (ROOT / "scenarios" / "places" / "shireland.toml").read_text()
    clock = Clock(dt.date(2019, 4, 1), months=12, warmup_months=0)
    print(f"{'population':>10} {'CPU s per replication-year':>27} {'per 100,000':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for factor in (1 / 3, 2 / 3, 1.0):
            path = Path(folder) / f"shireland-{factor:.2f}.toml"
            path.write_text(scaled(text, factor))
            place = load_place(str(path))
            assert place.population.registered.sum() == place.total  # synthesised first
            scenario = load_scenario(ROOT / "scenarios" / "baseline.toml", (f'place="{path}"',))
            seconds = []
            for r in range(n):
                began = time.process_time()
                run_replication(scenario, place, clock, Streams(1, r))
                seconds.append(time.process_time() - began)
            mean = sum(seconds[1:]) / max(1, n - 1)
            print(f"{place.total:>10,} {mean:>27.2f} {mean / place.total * 1e5:>12.2f}")


if __name__ == "__main__":
    main()
