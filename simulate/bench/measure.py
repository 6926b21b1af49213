"""One implementation's replications in a fresh process: ``python -m simulate.bench.measure``.

Each measurement runs in its own process so that its peak resident memory (``ru_maxrss``) is its
own, not the sum of everything the benchmark did before. Imports and a tiny warm-up run happen
before the clock starts (WORKLOAD §9: imports excluded). Prints one JSON object: wall time and
patient episodes of each replication, the peak memory, and each replication's §8 scalars.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def _icsim(population: int, seeds: list[int]):
    from simulate.bench import workload
    from simulate.bench.agreement import icsim_outputs, scalars
    from simulate.model.replication import run_replication
    from simulate.model.streams import Streams

    clock = workload.clock()
    run_replication(workload.scenario(10_000), workload.place(10_000), clock, Streams(0, 0))
    for seed in seeds:
        began = time.perf_counter()
        place, scenario = workload.place(population), workload.scenario(population)
        timings: dict = {}
        part = run_replication(scenario, place, clock, Streams(seed, 0), timings)
        seconds = time.perf_counter() - began
        ledger = json.loads(part.attrs["ledger"])
        episodes = ledger["requests"] + ledger["ae_attendances"]
        share = timings["dynamics_seconds"] / timings["total_seconds"]
        yield seconds, episodes, scalars(icsim_outputs(part, clock.days_in_month)), share


def _hybrid(population: int, seeds: list[int]):
    """The calibrated baseline on the shipped default place, coupled to its stocks, for a year.

    The reference workload holds its population still (WORKLOAD §2), so the share of time the
    system-dynamics layer takes is measured on the model as planners run it; ``population`` is
    the default place's own and only labels the row.
    """
    from simulate.inputs.scenario import load_scenario
    from simulate.model.clock import Clock
    from simulate.model.place import load_place
    from simulate.model.replication import run_replication
    from simulate.model.streams import Streams
    from simulate.shipped import shipped_dir

    scenario = load_scenario(shipped_dir() / "baseline.toml")
    place = load_place("default")
    clock = Clock(scenario.spec.start, 12, 2)
    run_replication(scenario, place, Clock(scenario.spec.start, 1, 0), Streams(0, 0))
    for seed in seeds:
        timings: dict = {}
        part = run_replication(scenario, place, clock, Streams(seed, 0), timings)
        ledger = json.loads(part.attrs["ledger"])
        share = timings["dynamics_seconds"] / timings["total_seconds"]
        yield timings["total_seconds"], ledger["requests"] + ledger["ae_attendances"], {}, share


def _peer(population: int, seeds: list[int]):
    from simulate.bench.agreement import scalars

    peer = load_peer()
    for seed in seeds:
        began = time.perf_counter()
        outputs, episodes = peer.run(population, seed)
        seconds = time.perf_counter() - began
        yield seconds, episodes, scalars(outputs), 0.0


def load_peer():
    """``benchmarks/per_patient_simpy.py``, beside the package (or inside the wheel)."""
    import importlib.util

    here = Path(__file__).resolve().parents[1]  # simulate/
    for path in (here / "benchmarks", here.parent / "benchmarks"):
        file = path / "per_patient_simpy.py"
        if file.is_file():
            spec = importlib.util.spec_from_file_location("per_patient_simpy", file)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise FileNotFoundError("benchmarks/per_patient_simpy.py not found")


def main(argv: list[str] | None = None) -> None:
    """Measure and print JSON on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("implementation", choices=("icsim", "peer", "hybrid"))
    parser.add_argument("--population", type=int, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args(argv)
    run = {"icsim": _icsim, "peer": _peer, "hybrid": _hybrid}[args.implementation]
    rows = list(run(args.population, args.seeds))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    json.dump(
        {
            "seconds": [r[0] for r in rows],
            "episodes": [r[1] for r in rows],
            "peak_mb": peak,
            "scalars": [r[2] for r in rows],
            "dynamics_share": [r[3] for r in rows],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
