"""Rebuilding a cube from its own provenance, and saying plainly when it cannot be identical.

A cube stores the resolved scenario and place texts, the root seed, replications, months and
warm-up; that is everything that determines its numbers, given the same versions of icsim and
its dependencies. :func:`reproduce` runs the experiment again from those attributes alone (never
from the shipped files, which may have changed) and reports which versions and which variables
differ.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import xarray as xr

from simulate.errors import InputError
from simulate.experiment.runner import Experiment, run
from simulate.inputs.scenario import scenario_from_toml
from simulate.inputs.toml import tomllib
from simulate.model.place import place_from_toml
from simulate.results.cube import versions
from simulate.shipped import shipped_dir

MAX_REPLICATIONS = 100_000
"""More than any cube a run makes (``--max-replications`` caps at what is asked): a damaged or
hostile attribute, not a week of computing."""


def practice_csv_of(place_text: str, source: Path, given: Path | None = None) -> Path | None:
    """The practice CSV a place's text names, found where a planner would keep it.

    The cube records the CSV's name and SHA-256 (stamped into the place text), not its rows (the
    national file is large). It is looked for as ``given`` (``--practice-csv``), beside the cube,
    in the current folder, then among the shipped places; the hash is checked when it is read,
    so a different list is never used silently.
    """
    name = tomllib.loads(place_text).get("population", {}).get("practice_csv")
    if not name:
        return None
    if given is not None:
        return given
    candidates = [source.parent / name, source.parent / Path(name).name, Path.cwd() / name]
    candidates.append(shipped_dir() / "places" / name)
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        digest = re.search(rf"# {re.escape(name)} sha256 ([0-9a-f]{{12}})", place_text)
        raise InputError(
            f"the cube was made with the practice CSV {name}"
            + (f" (sha256 {digest.group(1)}…)" if digest else "")
            + ", found neither beside the cube nor here: point at it with --practice-csv FILE",
            file=source,
        )
    return found


def experiment_of(cube: xr.Dataset, source: Path, practice_csv: Path | None = None) -> Experiment:
    """The experiment a cube records, with its embedded places (and their practice CSV)."""
    try:
        texts = json.loads(cube.attrs["scenario_toml"])
        place_texts = json.loads(cube.attrs["place_toml"])
        scenarios = tuple(scenario_from_toml(texts[name], source.parent) for name in texts)
        places = {
            name: place_from_toml(
                place_texts[name],
                practice_csv=practice_csv_of(place_texts[name], source, practice_csv),
            )
            for name in texts
        }
        if not 1 <= int(cube.attrs["replications"]) <= MAX_REPLICATIONS:
            raise InputError(
                f"cube says {cube.attrs['replications']} replications; icsim rebuilds "
                f"1 to {MAX_REPLICATIONS:,}",
                file=source,
                key="replications",
            )
        return Experiment(
            scenarios,
            int(cube.attrs["replications"]),
            int(cube.attrs["root_seed"]),
            int(cube.attrs["months"]),
            int(cube.attrs["warmup_months"]),
            preloaded_places=places,
        )
    except KeyError as error:
        raise InputError(
            "cube lacks the provenance to rebuild it", file=source, key=str(error.args[0])
        ) from None
    except (ValueError, TypeError, AttributeError) as error:  # damaged JSON, numbers, tables
        raise InputError(f"cube's provenance is damaged: {error}", file=source) from None


def version_differences(cube: xr.Dataset) -> list[str]:
    """``name old -> new`` for every recorded version that differs from this installation."""
    try:
        recorded = dict(json.loads(cube.attrs.get("versions", "{}")))
    except (ValueError, TypeError):
        recorded = {}
    current = versions()
    return [
        f"{name} {recorded.get(name, 'unrecorded')} -> {now}"
        for name, now in current.items()
        if recorded.get(name) != now
    ]


def differing_variables(a: xr.Dataset, b: xr.Dataset) -> list[str]:
    """Data variables whose values are not identical (NaN equal to NaN), or that one lacks."""
    names = sorted(set(a.data_vars) | set(b.data_vars))
    return [
        name
        for name in names
        if name not in a
        or name not in b
        or a[name].shape != b[name].shape
        or not np.array_equal(a[name].values, b[name].values, equal_nan=True)
    ]


def reproduce(
    cube: xr.Dataset,
    source: Path,
    out: Path,
    command: str,
    practice_csv: Path | None = None,
    progress=None,
) -> xr.Dataset:
    """Run the cube's experiment again into ``out``; the new cube (``progress`` as for run)."""
    experiment = experiment_of(cube, source, practice_csv)
    if (out / "cube.nc").resolve() == source.resolve():
        raise InputError("would overwrite the cube being reproduced; choose another", key="--out")
    return run(experiment, out, command=command, progress=progress)
