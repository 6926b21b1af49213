"""``icsim bench``: the reference workload, icsim beside a per-patient SimPy peer, as ratios.

Every measurement of one implementation runs in a fresh process (:mod:`simulate.bench.measure`)
so that peak memory is its own; all of them run from this one command on this machine, so the
ratios compare like with like (WORKLOAD.md §9). Parallel efficiency is measured here, through the
same executors ``icsim run`` uses.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

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


def parallel_efficiency(population: int, replications: int = 8) -> dict:
    """:func:`parallel_efficiency_of` the reference workload."""
    from simulate.bench import workload

    scenario, place = workload.scenario(population), workload.place(population)
    return parallel_efficiency_of(scenario, place, workload.clock(), replications)


def parallel_efficiency_of(scenario, place, clock, replications: int = 8, rounds: int = 5):
    """Seconds for ``replications`` of a scenario: in this process, on 1 and on 2 dask workers.

    All go through the executors ``icsim run`` uses, warmed first (imports, the place's
    population, the place arriving on each worker). One and two workers are timed in alternate
    rounds on the same live cluster, so that a shared machine's drifting load (±10-30% between
    identical runs here, as large as the effect) falls on both alike; the speed-up is the median
    of the rounds' ratios. In-process runs are timed first, with no cluster alive.
    """
    from simulate.experiment.executors import Dask, InProcess
    from simulate.experiment.runner import Task, compute_part

    tasks = [Task(scenario, place, clock, 1, r, "bench", {}) for r in range(replications)]
    warm = [Task(scenario, place, clock, 0, r, "warm", {}) for r in (0, 1)]

    def timed(pool, batch, **on) -> float:
        began = time.perf_counter()
        for _ in pool.map(compute_part, batch, **on):
            pass
        return time.perf_counter() - began

    with InProcess() as here:  # no cluster yet: its idle processes would slow this run
        timed(here, warm[:1])
        in_process = [timed(here, tasks) for _ in range(3)]
    began = time.perf_counter()
    with Dask(workers=2) as cluster:
        timed(cluster, warm)
        started = time.perf_counter() - began
        pairs = [(timed(cluster, tasks, on=1), timed(cluster, tasks)) for _ in range(rounds)]
    one, two = np.array(pairs).T
    return dict(
        replications=replications,
        in_process=float(np.median(in_process)),
        one=float(np.median(one)),
        two=float(np.median(two)),
        speedup=float(np.median(one / two)),
        speedups=(one / two).round(3).tolist(),
        start=started,
    )


def bench(args) -> None:
    """Measure and print (see ``icsim bench --help``)."""
    if args.population < 10_000 or args.peer_population < 10_000:
        raise InputError("--population and --peer-population must be at least 10,000")
    peer_n = 250_000 if args.peer_250k else args.peer_population
    reps = 20 if args.full_agreement else args.replications
    if args.full_agreement:
        peer_n = 250_000
    say = print
    say("icsim bench: the reference workload of shared/bench/WORKLOAD.md, one year after 56 days")
    say(f"machine: {machine()}\n")
    say(HEADER)
    main = measure("icsim", args.population, [1, 2, 3])
    say(_row("icsim", args.population, main))
    results = {"machine": machine(), "icsim": {str(args.population): main}}
    if not args.no_peer:
        ours = main if peer_n == args.population and reps <= 3 else None
        ours = ours or measure("icsim", peer_n, list(range(1, reps + 1)))
        theirs = measure("peer", peer_n, list(range(1001, 1001 + reps)))
        if ours is not main:
            say(_row("icsim", peer_n, ours))
        say(_row("per-patient SimPy", peer_n, theirs))
        ratio = float(np.median(ours["seconds"]) / np.median(theirs["seconds"]))
        say(
            f"\nratio icsim / per-patient SimPy wall time at {peer_n:,}: {ratio:.4f} "
            f"(icsim {1 / ratio:,.0f}x faster)"
        )
        if peer_n < 250_000:
            say(
                "  the 100x target is at 250,000, where the peer's cost has grown faster than its "
                "population (about N^1.5): --peer-250k measures it (about 2 minutes)"
            )
        from simulate.bench.agreement import agreement

        rows = agreement(ours["scalars"][:reps], theirs["scalars"][:reps])
        failed = [r for r in rows if not r["agree"]]
        say(
            f"agreement (WORKLOAD §8, 95% t intervals overlap, {reps} replications each at "
            f"{peer_n:,}): {len(rows) - len(failed)}/{len(rows)} scalars agree"
        )
        for r in failed if not args.verbose else rows:
            a, b = r["a"], r["b"]
            say(
                f"  {'ok  ' if r['agree'] else 'DIFF'} {r['name']:<30} icsim {a[0]:>12,.3f} "
                f"[{a[1]:,.3f}, {a[2]:,.3f}]  SimPy {b[0]:>12,.3f} [{b[1]:,.3f}, {b[2]:,.3f}]"
            )
        results.update(peer={str(peer_n): theirs}, ratio=ratio, agreement=rows)
    hybrid = measure("hybrid", 250_000, [1, 2, 3])
    share = float(np.median(hybrid["dynamics_share"]))
    say(
        f"system dynamics share of a hybrid run's time: {share:.1%} (the baseline on the default "
        f"place, coupled, 12 months: {np.median(hybrid['seconds']):.2f} s a replication; median "
        "of 3; the workload itself holds its population still)"
    )
    results["dynamics_share"] = share
    if not args.no_parallel:
        p = parallel_efficiency(args.population)
        ratios = ", ".join(f"{r:.2f}" for r in p["speedups"])
        say(
            f"parallel: {p['replications']} replications at {args.population:,}, 1 and 2 dask "
            f"workers in {len(p['speedups'])} "
            f"alternating rounds on one live cluster (started in {p['start']:.1f} s, not counted)"
            f"\n  1 worker {p['one']:.2f} s, 2 workers {p['two']:.2f} s: speed-up "
            f"{p['speedup']:.2f}x, efficiency {p['speedup'] / 2:.2f} (median of the rounds' ratios "
            f"{ratios})\n  in this process, before the cluster: {p['in_process']:.2f} s, "
            f"{p['in_process'] / p['two']:.2f}x that on 2 workers"
        )
        results["parallel"] = p
    if not args.no_scaling:
        say(f"\nscaling (icsim, one replication each)\n{HEADER}  {'us/patient':>10}")
        results["scaling"] = {}
        for n in SCALING:
            m = measure("icsim", n, [1])
            say(_row("icsim", n, m) + f"  {m['seconds'][0] / n * 1e6:>10.2f}")
            results["scaling"][str(n)] = m
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float))
