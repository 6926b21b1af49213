"""Whole-process ``icsim run`` in two source trees, alternately, with each run's model time.

Used to measure a speed change against an older commit on the same machine, in one run: each
round runs the command once in every tree (in turn, in a fresh process, into a fresh folder), so
that a shared machine's drifting load falls on all of them alike. For each run it records the
wall time of the whole process (start-up to exit), its peak resident memory, and the *model
time*: the seconds spent inside ``run_replication`` (one replication of one scenario), counted by
wrapping that function in the runner's module. What is not model time is start-up, parts, cube
and comparison.

    python benchmarks/side_by_side.py --tree before=/work/before --tree after=.
        --rounds 5 -- run -n 10

prints, per tree, the median and range of the whole-process, model and non-model times, and
the median ratio (with its range over rounds) of each tree's non-model time to the first's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRAPPER = """
import json, sys, time
try:
    import simulate.experiment.runner as where
except ImportError:  # the layout before issue 12
    import simulate.experiment as where
real, spent = where.run_replication, [0.0]
def timed(*args, **kwargs):
    began = time.perf_counter()
    try:
        return real(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - began
where.run_replication = timed
from simulate.cli import main
try:
    code = main(sys.argv[2:])
finally:
    with open(sys.argv[1], "w") as file:
        json.dump({"model": spent[0]}, file)
raise SystemExit(code)
"""


def once(tree: Path, argv: list[str], python: str) -> dict:
    """One whole-process run of ``icsim ARGV --out <fresh>`` in ``tree`` (its summary printed)."""
    with tempfile.TemporaryDirectory() as tmp:
        times = Path(tmp) / "model.json"
        command = [python, "-c", WRAPPER, str(times), *argv, "--out", f"{tmp}/out"]
        env = {**os.environ, "PYTHONPATH": str(tree)}
        began = time.perf_counter()
        with open(Path(tmp) / "stderr", "w") as stderr:
            child = subprocess.Popen(
                command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=stderr
            )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            last = (Path(tmp) / "stderr").read_text().strip().splitlines()[-1:]
            raise RuntimeError(f"{' '.join(argv)} failed in {tree}: {last}")
        model = json.loads(times.read_text())["model"]
    return {"wall": wall, "model": model, "other": wall - model, "peak_mb": usage.ru_maxrss / 1024}


def summary(values: list[float]) -> str:
    """Median [min-max]."""
    return f"{statistics.median(values):7.2f} [{min(values):.2f}-{max(values):.2f}]"


def main() -> None:
    """Parse the options, run the rounds, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--json", type=Path)
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    trees = dict(t.split("=", 1) for t in args.tree)
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name, path in trees.items():
            runs[name].append(once(Path(path).resolve(), argv, args.python))
            m = runs[name][-1]
            print(
                f"round {r + 1} {name:<8} whole {m['wall']:6.2f} s  model {m['model']:6.2f} s  "
                f"other {m['other']:6.2f} s  peak {m['peak_mb']:5.0f} MB",
                flush=True,
            )
    first = next(iter(trees))
    print(f"\nicsim {' '.join(argv)}: median [range] of {args.rounds} alternating rounds")
    for name in trees:
        rows = runs[name]
        line = (
            f"{name:<8} whole {summary([m['wall'] for m in rows])}  "
            f"model {summary([m['model'] for m in rows])}  "
            f"other {summary([m['other'] for m in rows])}  "
            f"peak MB {summary([m['peak_mb'] for m in rows])}"
        )
        if name != first:
            ratios = [m["other"] / b["other"] for m, b in zip(rows, runs[first])]
            line += f"  other / {first}: {summary(ratios)}"
        print(line)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
