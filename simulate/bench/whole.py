"""What a user waits for: whole ``icsim run`` processes beside a plain NumPy day loop.

The model time of one replication (:mod:`simulate.bench.measure`) leaves out what a user also
waits for: start-up (imports), saving parts, the cube and the printed comparison. Here each
measurement is a fresh process timed from launch to exit, as a user's shell times it: ``icsim run
scenarios/bench/reference.toml -n R`` against ``benchmarks/per_day_numpy.py --replications R``
(the same workload and outputs, no cube), the two alternating within each round so that a shared
machine's drifting load falls on both alike; the ratio is the median of the rounds' ratios. The
default ``icsim run`` (the quick start's job) is timed the same way, on its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from simulate.shipped import shipped_dir


def benchmark_file(name: str) -> Path:
    """``benchmarks/<name>`` beside the package (or inside the wheel)."""
    here = Path(__file__).resolve().parents[1]  # simulate/
    for folder in (here / "benchmarks", here.parent / "benchmarks"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"benchmarks/{name} not found")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds from launch to exit of ``command``, and its peak resident memory (MB)."""
    began = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        last = (child.stderr.read().decode().strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{' '.join(command[:4])} ... failed: {last}")
    child.stderr.close()
    return seconds, usage.ru_maxrss / 1024


WORKLOAD = (str(shipped_dir() / "bench" / "reference.toml"), "--warmup-months", "2")
"""The reference workload as ``icsim run`` arguments: 2 calendar months' warm-up then 12, 425
days in all, for WORKLOAD §1's 56 days then 365 (the run's clock is the calendar's)."""


def icsim_run(*args: str) -> list[str]:
    """The command line of ``icsim run ARGS`` with this interpreter."""
    return [sys.executable, "-m", "simulate", "run", *args]


def against_numpy(replications: tuple[int, ...] = (1, 8), rounds: int = 3) -> dict:
    """Whole-process ``icsim run`` of the reference workload / the NumPy day loop, by R."""
    peer = str(benchmark_file("per_day_numpy.py"))
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in replications:
            rows = []
            for r in range(rounds):
                ours = timed(icsim_run(*WORKLOAD, "-n", str(n), "--out", f"{tmp}/icsim-{n}-{r}"))
                out = f"{tmp}/numpy-{n}-{r}"
                theirs = timed([sys.executable, peer, "--replications", str(n), "--out", out])
                rows.append((*ours, *theirs))
            icsim, icsim_mb, numpy, numpy_mb = np.array(rows).T
            ratios = icsim / numpy
            found[str(n)] = dict(
                icsim=icsim.tolist(),
                numpy=numpy.tolist(),
                ratio=float(np.median(ratios)),
                ratios=ratios.round(3).tolist(),
                icsim_peak_mb=float(icsim_mb.max()),
                numpy_peak_mb=float(numpy_mb.max()),
            )
    return found


def default_run(rounds: int = 1) -> dict:
    """Whole-process seconds of the default ``icsim run`` (shipped scenarios, default place)."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = [timed(icsim_run("--out", f"{tmp}/run-{r}")) for r in range(rounds)]
    seconds, peak = np.array(rows).T
    return dict(seconds=seconds.tolist(), median=float(np.median(seconds)), peak_mb=peak.max())
