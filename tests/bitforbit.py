"""Bit-for-bit check of the package move (issue 12): the same cubes before and after.

Run from the repository root::

    python tests/bitforbit.py record   # before the move: writes tests/data/move_digests.json
    python tests/bitforbit.py check    # after it: every data variable and coordinate identical

Three workloads, as the issue asks: a hybrid run of four scenarios with every lever on (the
default place, 2 replications, 14 months), a ``--mode sd --years 3`` run, and the bench reference
workload. A digest is the SHA-256 of each array's bytes with its dtype and shape, so a change in
the last bit of one number fails the check. It is a script, not a pytest test, because the move's
promise ends once the move has landed: the mechanism issues change the numbers on purpose.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import xarray as xr

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = ROOT / "tests" / "data" / "move_digests.json"
RUNS = {
    "hybrid": [
        "scenarios/combined.toml",
        "scenarios/symphony.toml",
        "scenarios/commissioning-delay.toml",
        "scenarios/population-vs-place.toml",
        "-n",
        "2",
        "--months",
        "14",
    ],
    "sd": [
        "scenarios/baseline.toml",
        "scenarios/funding-per-head.toml",
        "--mode",
        "sd",
        "--years",
        "3",
    ],
    "bench": ["scenarios/bench/reference.toml", "-n", "2"],
}


def digests(cube: Path) -> dict[str, str]:
    """SHA-256 of every data variable and coordinate of ``cube``, by name."""
    out = {}
    with xr.open_dataset(cube) as data:
        for name in sorted(list(data.data_vars) + list(data.coords)):
            values = np.ascontiguousarray(data[name].values)
            head = f"{values.dtype}{values.shape}".encode()
            if values.dtype == object:
                values = np.asarray([str(v) for v in values.ravel()])
            out[name] = hashlib.sha256(head + values.tobytes()).hexdigest()
    return out


def run_all() -> dict[str, dict[str, str]]:
    """Run the three workloads in a temporary folder and digest their cubes."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in RUNS.items():
            out = Path(tmp) / name
            command = [sys.executable, "-m", "simulate", "run", *args, "--out", str(out), "-q"]
            subprocess.run(command, cwd=ROOT, check=True)
            found[name] = digests(out / "cube.nc")
    return found


def main(argv: list[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "check"
    found = run_all()
    if mode == "record":
        DIGESTS.parent.mkdir(exist_ok=True)
        DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"recorded {sum(map(len, found.values()))} arrays in {DIGESTS}")
        return 0
    expected = json.loads(DIGESTS.read_text())
    bad = [
        f"{run}.{name}"
        for run in expected
        for name in sorted(set(expected[run]) | set(found[run]))
        if expected[run].get(name) != found[run].get(name)
    ]
    total = sum(map(len, expected.values()))
    if bad:
        print(f"{len(bad)} of {total} arrays differ: {', '.join(bad)}")
        return 1
    print(f"all {total} arrays identical in {', '.join(expected)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
