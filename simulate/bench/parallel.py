"""Parallel efficiency: the reference workload's replications on one and on two dask workers.

Measured in the bench's own process, not a fresh one as :mod:`simulate.bench.measure` does, because
it times the executors ``icsim run`` uses (their start-up, the place arriving on each worker), not
one implementation's replications.
"""

from __future__ import annotations

import time

import numpy as np


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
