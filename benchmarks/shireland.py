"""One replication-year of the two-trust Shireland system: CPU seconds, by population.

The shipped place ``shireland`` scaled by each of ``--factors`` (every list, GP and nurse FTE,
caseload, step-down beds, cubicles and beds, rounded; by default a quarter, a half and all of it),
so the economy's shape and loads stay the same while its size changes. The shipped baseline runs
in the hybrid mode for 12 months without warm-up; each size runs ``--replications`` replications
in one process and the first is left out (it pays for imports and first-call set-up). CPU seconds
(``time.process_time``), not wall: the machine may be shared. The population is synthesised
before the clock starts.

Then the least-squares line through every replication kept, seconds = a + b × population: ``b``
is what each 100,000 more people cost, ``a`` what does not grow with them, and how far each
size's mean lies from the line says how close to linear the time is.

    python benchmarks/shireland.py [--replications 3] [--factors 0.25 0.5 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

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
    """Print the table (CPU seconds per replication-year, and per 100,000 people), then the line."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--replications", type=int, default=3)
    args.add_argument("--factors", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    options = args.parse_args()
    print(f"{'population':>10} {'CPU s per replication-year':>27} {'sd':>5} {'per 100,000':>12}")
    sizes = []
    for factor in options.factors:
        population, seconds = timed(factor, options.replications)
        kept = seconds[1:] or seconds
        mean = statistics.fmean(kept)
        sd = statistics.stdev(kept) if len(kept) > 1 else float("nan")
        print(f"{population:>10,} {mean:>27.2f} {sd:>5.2f} {mean / population * 1e5:>12.2f}")
        sizes.append((population, kept))
    report_line(sizes)


def timed(factor: float, replications: int) -> tuple[int, list[float]]:
    """The scaled place's population and the CPU seconds of each of its replication-years."""
    from simulate.inputs.scenario import load_scenario
    from simulate.model.clock import Clock
    from simulate.model.place import load_place
    from simulate.model.replication import run_replication
    from simulate.model.streams import Streams

    text = (ROOT / "scenarios" / "places" / "shireland.toml").read_text()
    clock = Clock(dt.date(2019, 4, 1), months=12, warmup_months=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"shireland-{factor:.2f}.toml"
        path.write_text(scaled(text, factor))
        place = load_place(str(path))
        assert place.population.registered.sum() == place.total  # synthesised first
        scenario = load_scenario(ROOT / "scenarios" / "baseline.toml", (f'place="{path}"',))
        seconds = []
        for r in range(replications):
            began = time.process_time()
            run_replication(scenario, place, clock, Streams(1, r))
            seconds.append(time.process_time() - began)
    return place.total, seconds


def report_line(sizes: list[tuple[int, list[float]]]) -> None:
    """The least-squares line through every replication kept, and each size's mean off it."""
    people = np.array([n for n, kept in sizes for _ in kept], dtype=float) / 1e5
    seconds = np.array([s for _, kept in sizes for s in kept])
    if len(sizes) < 2:
        return
    slope, intercept = np.polyfit(people, seconds, 1)
    print(f"\nline: {intercept:.2f} s + {slope:.3f} s per 100,000 people")
    for n, kept in sizes:
        line = intercept + slope * n / 1e5
        off = statistics.fmean(kept) / line - 1
        print(f"{n:>10,} mean {statistics.fmean(kept):.2f} s, line {line:.2f} s ({off:+.1%})")


if __name__ == "__main__":
    main()
