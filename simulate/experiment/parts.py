"""Saved parts: where each (scenario, replication) is written, and which experiment it belongs to.

A part is saved under ``OUT/parts/`` as soon as it finishes, so an interrupted run loses only what
was in flight. Running again reuses the parts already there, but only after checking that *every*
part in the folder carries this experiment's key: two experiments never mix in one cube. Temporary
files that a killed run left behind are removed, never mistaken for parts.
"""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from simulate.errors import InputError


def part_name(scenario: str, replication: int) -> str:
    """The file name of replication ``replication`` of the scenario named ``scenario``."""
    return f"{scenario}.r{replication:04d}.nc"


def part_path(out: Path, scenario, replication: int) -> Path:
    """Where one part of ``scenario`` (a :class:`~simulate.inputs.scenario.Scenario`) is saved."""
    return out / "parts" / part_name(scenario.name, replication)


def check_parts(out: Path, key: str, identity: dict) -> set[str]:
    """Names of the finished parts under ``out``; a part of another experiment is an error.

    ``key`` and ``identity`` are the experiment's (:class:`~simulate.experiment.runner.Experiment`),
    so that the error can say which part of the identity differs.
    """
    finished = set()
    for path in sorted((out / "parts").glob("*.nc")):
        try:
            with xr.open_dataset(path, engine="h5netcdf") as part:
                attrs = dict(part.attrs)
        except (OSError, ValueError) as error:
            message = f"unreadable part ({error}); delete it to recompute"
            raise InputError(message, file=path) from None
        if attrs.get("experiment_key") != key:
            raise InputError(
                f"belongs to a different experiment ({_difference(attrs, identity)}); "
                "use another --out",
                file=path,
            )
        finished.add(path.name)
    return finished


def _difference(attrs: dict, ours: dict) -> str:
    """Which part of the identity differs, in words."""
    try:
        theirs = json.loads(attrs["experiment_identity"])
    except (KeyError, ValueError):
        return "scenario, seed, months or version differ"
    if theirs.get("seed") != ours["seed"]:
        return f"root seed {theirs.get('seed')}, this run {ours['seed']}"
    words = {"scenarios": "scenario", "places": "place", "icsim": "icsim version"}
    differing = [words.get(k, k) for k in ours if theirs.get(k) != ours[k]]
    return f"{', '.join(differing) or 'identity'} differ"


def remove_stale(out: Path) -> None:
    """Delete the temporary files a killed run left under ``out/parts`` (never a finished part)."""
    for stale in (out / "parts").glob(".*.tmp"):
        stale.unlink(missing_ok=True)
