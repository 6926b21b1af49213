"""Rebuilding a cube from its own provenance, and saying plainly when it cannot be identical.

A cube stores the resolved scenario and place texts, the root seed, replications, months and
warm-up; that is everything that determines its numbers, given the same versions of icsim and
its dependencies. :func:`reproduce` runs the experiment again from those attributes alone (never
from the shipped files, which may have changed) and reports which versions and which variables
differ.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from simulate.errors import InputError
from simulate.experiment.runner import Experiment, run
from simulate.inputs.scenario import scenario_from_toml
from simulate.model.place import place_from_toml
from simulate.results.cube import versions

MAX_REPLICATIONS = 100_000
"""More than any cube a run makes (``--max-replications`` caps at what is asked): a damaged or
hostile attribute, not a week of computing."""


def experiment_of(cube: xr.Dataset, source: Path) -> Experiment:
    """The experiment a cube records, with its embedded places."""
    try:
        texts = json.loads(cube.attrs["scenario_toml"])
        place_texts = json.loads(cube.attrs["place_toml"])
        scenarios = tuple(scenario_from_toml(texts[name], source.parent) for name in texts)
        places = {name: place_from_toml(place_texts[name]) for name in texts}
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


def reproduce(cube: xr.Dataset, source: Path, out: Path, command: str) -> xr.Dataset:
    """Run the cube's experiment again into ``out``; the new cube."""
    experiment = experiment_of(cube, source)
    if (out / "cube.nc").resolve() == source.resolve():
        raise InputError("would overwrite the cube being reproduced; choose another", key="--out")
    return run(experiment, out, command=command)
