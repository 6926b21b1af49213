"""``icsim bench``: the reference workload, icsim beside a per-patient SimPy peer, as ratios.

Every measurement of one implementation runs in a fresh process (:mod:`simulate.bench.measure`)
so that peak memory is its own; all of them run from this one command on this machine, so the
ratios compare like with like (WORKLOAD.md §9). Parallel efficiency is measured in this process
(:mod:`simulate.bench.parallel`), through the same executors ``icsim run`` uses.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import numpy as np

from simulate.bench.parallel import parallel_efficiency
from simulate.errors import InputError

SCALING = (62_500, 125_000, 250_000, 500_000, 1_000_000)


def machine() -> str:
    """CPU model, cores, Python and OS, in one line."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, {platform.system()} {platform.release()}"
    )


def measure(implementation: str, population: int, seeds: list[int]) -> dict:
    """Run :mod:`simulate.bench.measure` in a fresh interpreter and read its JSON."""
    command = [sys.executable, "-m", "simulate.bench.measure", implementation]
    command += ["--population", str(population), "--seeds", *map(str, seeds)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{implementation} at {population:,} failed: {last}")
    return json.loads(done.stdout)


def _row(label: str, population: int, m: dict) -> str:
    seconds = float(np.median(m["seconds"]))
    rate = float(np.median(np.array(m["episodes"]) / np.array(m["seconds"])))
    return (
        f"{label:<24} {population:>10,} {seconds:>9.3f} {population / seconds:>13,.0f} "
        f"{rate:>13,.0f} {m['peak_mb']:>8.0f}"
    )


HEADER = (
    f"{'implementation':<24} {'population':>10} {'wall s':>9} {'patient-yr/s':>13} "
    f"{'episodes/s':>13} {'peak MB':>8}"
)
"""Patient-years are the observed year's (the 56 warm-up days are simulated too, not counted)."""


def bench(args) -> None:
    """Measure and print (see ``icsim bench --help``); ``--json`` also writes what was measured."""
    if args.population < 10_000 or args.peer_population < 10_000:
        raise InputError("--population and --peer-population must be at least 10,000")
    peer_n = 250_000 if args.peer_250k else args.peer_population
    reps = 20 if args.full_agreement else args.replications
    if args.full_agreement:
        peer_n = 250_000
    print("icsim bench: the reference workload of shared/bench/WORKLOAD.md, one year after 56 days")
    print(f"machine: {machine()}\n")
    print(HEADER)
    main = measure("icsim", args.population, [1, 2, 3])
    print(_row("icsim", args.population, main))
    results = {"machine": machine(), "icsim": {str(args.population): main}}
    if not args.no_peer:
        results.update(_against_peer(main, args.population, peer_n, reps, args.verbose))
    if not args.no_whole:
        results["whole_process"] = _whole_process(args.whole_rounds)
    results["dynamics_share"] = _dynamics_share()
    if not args.no_parallel:
        results["parallel"] = _parallel(args.population)
    if not args.no_scaling:
        results["scaling"] = _scaling()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float))


def _against_peer(main: dict, population: int, peer_n: int, reps: int, verbose: bool) -> dict:
    """The wall-time ratio to the per-patient peer at ``peer_n``, and whether their outputs agree.

    icsim's first measurement is reused when it already ran at the peer's size with no more
    seeds than the comparison needs, so the default bench measures icsim at 250,000 once.
    """
    ours = main if peer_n == population and reps <= 3 else None
    ours = ours or measure("icsim", peer_n, list(range(1, reps + 1)))
    theirs = measure("peer", peer_n, list(range(1001, 1001 + reps)))
    if ours is not main:
        print(_row("icsim", peer_n, ours))
    print(_row("per-patient SimPy", peer_n, theirs))
    ratio = float(np.median(ours["seconds"]) / np.median(theirs["seconds"]))
    print(
        f"\nratio icsim / per-patient SimPy wall time at {peer_n:,}: {ratio:.4f} "
        f"(icsim {1 / ratio:,.0f}x faster)"
    )
    if peer_n < 250_000:
        print(
            "  the 100x target is at 250,000, where the peer's cost has grown faster than its "
            "population (about N^1.5): --peer-250k measures it (about 2 minutes)"
        )
    rows = _agreement(ours, theirs, reps, peer_n, verbose)
    return dict(peer={str(peer_n): theirs}, ratio=ratio, agreement=rows)


def _agreement(ours: dict, theirs: dict, reps: int, peer_n: int, verbose: bool) -> list[dict]:
    """WORKLOAD §8 on the two samples: the count that agree, then the rows that differ (or all)."""
    from simulate.bench.agreement import agreement

    rows = agreement(ours["scalars"][:reps], theirs["scalars"][:reps])
    failed = [r for r in rows if not r["agree"]]
    print(
        f"agreement (WORKLOAD §8, 95% t intervals overlap, {reps} replications each at "
        f"{peer_n:,}): {len(rows) - len(failed)}/{len(rows)} scalars agree"
    )
    for r in failed if not verbose else rows:
        a, b = r["a"], r["b"]
        print(
            f"  {'ok  ' if r['agree'] else 'DIFF'} {r['name']:<30} icsim {a[0]:>12,.3f} "
            f"[{a[1]:,.3f}, {a[2]:,.3f}]  SimPy {b[0]:>12,.3f} [{b[1]:,.3f}, {b[2]:,.3f}]"
        )
    return rows


def _whole_process(rounds: int) -> dict:
    """Whole ``icsim run`` processes as a user waits for them (:mod:`simulate.bench.whole`)."""
    from simulate.bench.whole import against_numpy, default_run

    print(
        f"\nwhole process, launch to exit (icsim run scenarios/bench/reference.toml "
        f"--warmup-months 2 -n R, cube and summary included, vs benchmarks/per_day_numpy.py "
        f"--replications R, a plain NumPy day loop saving its outputs, no cube; {rounds} "
        f"alternating rounds)"
    )
    found = against_numpy(rounds=rounds)
    for n, m in found.items():
        ratios = m["ratios"]
        print(
            f"  {n:>2} replication{'s' if n != '1' else ' '}: icsim {np.median(m['icsim']):6.2f} s "
            f"({m['icsim_peak_mb']:.0f} MB), NumPy {np.median(m['numpy']):6.2f} s "
            f"({m['numpy_peak_mb']:.0f} MB): ratio {m['ratio']:.2f} "
            f"(range {min(ratios):.2f}-{max(ratios):.2f})"
        )
    default = default_run()
    print(
        f"  default icsim run (the shipped baseline and two scenarios, 10 replications, default "
        f"place): {default['median']:.1f} s, {default['peak_mb']:.0f} MB peak"
    )
    return dict(reference=found, default=default)


def _dynamics_share() -> float:
    """The system-dynamics layer's share of a hybrid run's time.

    Measured on the calibrated baseline, not the workload, because the workload holds its
    population still and so never exercises the stocks.
    """
    hybrid = measure("hybrid", 250_000, [1, 2, 3])
    share = float(np.median(hybrid["dynamics_share"]))
    print(
        f"system dynamics share of a hybrid run's time: {share:.1%} (the baseline on the default "
        f"place, coupled, 12 months: {np.median(hybrid['seconds']):.2f} s a replication; median "
        "of 3; the workload itself holds its population still)"
    )
    return share


def _parallel(population: int) -> dict:
    """:func:`parallel_efficiency` at ``population``, printed with the rounds behind its median."""
    p = parallel_efficiency(population)
    ratios = ", ".join(f"{r:.2f}" for r in p["speedups"])
    print(
        f"parallel: {p['replications']} replications at {population:,}, 1 and 2 dask "
        f"workers in {len(p['speedups'])} "
        f"alternating rounds on one live cluster (started in {p['start']:.1f} s, not counted)"
        f"\n  1 worker {p['one']:.2f} s, 2 workers {p['two']:.2f} s: speed-up "
        f"{p['speedup']:.2f}x, efficiency {p['speedup'] / 2:.2f} (median of the rounds' ratios "
        f"{ratios})\n  in this process, before the cluster: {p['in_process']:.2f} s, "
        f"{p['in_process'] / p['two']:.2f}x that on 2 workers"
    )
    return p


def _scaling() -> dict:
    """One replication at each of :data:`SCALING`, to show the cost per patient stays flat."""
    print(f"\nscaling (icsim, one replication each)\n{HEADER}  {'us/patient':>10}")
    found = {}
    for n in SCALING:
        m = measure("icsim", n, [1])
        print(_row("icsim", n, m) + f"  {m['seconds'][0] / n * 1e6:>10.2f}")
        found[str(n)] = m
    return found
