"""Outcome cubes: the results of an experiment as one xarray Dataset, saved as netCDF.

Dimensions are ``scenario``, ``replication``, ``month``, ``practice`` and ``cohort``; system-level
variables drop ``practice`` and ``cohort``. Every variable carries ``units`` and ``long_name``
(from :data:`simulate.model.collector.OUTCOMES`), and the Dataset's attributes carry the provenance
that rebuilds it: the resolved scenario and place texts, their hashes, the root seed, replications,
months, warm-up, versions and the command. Files are written atomically (temporary file, then
rename), so a reader never sees half a cube, by :mod:`simulate.results.netcdf` (the netCDF-4 file
h5netcdf writes, without its cost) and read with xarray's netCDF4 engine (netCDF-C opens a cube of
a hundred variables in a twentieth of h5netcdf's time; the datasets read are identical).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np
import xarray as xr

from simulate import __version__
from simulate.model.outcomes import OUTCOMES
from simulate.results.atomic import file_mode
from simulate.results.netcdf import write_netcdf

DEPENDENCIES = (
    "numpy",
    "scipy",
    "simpy",
    "xarray",
    "matplotlib",
    "h5netcdf",
    "h5py",
    "netCDF4",
    "pydantic",
)
REQUIRED_ATTRS = (
    "icsim_version",
    "scenario_toml",
    "scenario_sha256",
    "place_toml",
    "root_seed",
    "replications",
    "months",
    "warmup_months",
    "start",
    "command",
    "created",
    "versions",
)


def versions() -> dict[str, str]:
    """Versions of Python, icsim and its core dependencies."""
    found = {"python": sys.version.split()[0], "icsim": __version__}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def provenance(
    *, scenarios, places, root_seed, replications, months, warmup_months, start, command
) -> dict:
    """Dataset attributes that say exactly what made a cube."""
    return {
        "title": "icsim outcome cube",
        "icsim_version": __version__,
        "scenario_toml": json.dumps({s.name: s.toml for s in scenarios}),
        "scenario_sha256": json.dumps({s.name: s.sha256 for s in scenarios}),
        "place_toml": json.dumps({s.name: places[s.name].text for s in scenarios}),
        "root_seed": _portable_int(root_seed),
        "replications": int(replications),
        "months": int(months),
        "warmup_months": int(warmup_months),
        "start": start.isoformat(),
        "command": command,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": json.dumps(versions()),
        # No "Conventions": "CF-1.8". CF asks every units attribute to parse with UDUNITS, and the
        # published cube units ("persons", "GBP", "FTE", "appointments", ...) do not: they name
        # what is counted, which scripts and the report rely on. Claiming CF would be untrue, so
        # the cube claims nothing; docs/reference/cube.md says so.
    }


def _portable_int(value: int):
    """A 4-byte integer when it fits (R's ncdf4 warns on 8-byte attributes), else its text."""
    value = int(value)
    return np.int32(value) if -(2**31) <= value < 2**31 else str(value)


def assemble(scenario_parts, scenarios, replications: int, attrs: dict) -> xr.Dataset:
    """One cube from each scenario's parts, ``scenario_parts(scenario)`` read on demand.

    ``scenario_parts(scenario)`` gives the scenario's replications ``0 .. replications - 1``
    as one Dataset over ``replication`` (:func:`simulate.experiment.parts.stack_parts`), so only
    the cube and one scenario's parts are in memory at once.
    """
    by_scenario = [scenario_parts(scenario) for scenario in scenarios]
    names = [s.name for s in scenarios]
    _uncertain_everywhere(by_scenario)
    # who runs each practice is a scenario's choice (interventions): set aside, then [scenario,
    # practice] as strings of any length (concat would cut them to the first scenario's width)
    providers = [
        s["practice_provider"].values.tolist()
        for s in by_scenario
        if "practice_provider" in s.coords
    ]
    by_scenario = [s.drop_vars("practice_provider", errors="ignore") for s in by_scenario]
    cube = xr.concat(by_scenario, dim="scenario", join="outer")  # parameters differ
    if len(providers) == len(by_scenario):
        cube.coords["practice_provider"] = (
            ("scenario", "practice"),
            np.array(providers, dtype=object),
            {"long_name": "organisation that runs the practice"},
        )
    cube = cube.assign_coords(
        scenario=("scenario", names, {"long_name": "scenario name"}),
        replication=("replication", list(range(replications)), {"long_name": "replication number"}),
    )
    cube.attrs = attrs
    return cube


def _uncertain_everywhere(by_scenario: list[xr.Dataset]) -> None:
    """Give ``parameter_value`` to every scenario if any has it (empty: NaN after the outer join).

    Scenarios without uncertain parameters have no ``parameter_value``; concatenation needs every
    scenario to hold the variable, and the join over ``parameter`` fills the gaps with NaN.
    """
    having = [d["parameter_value"] for d in by_scenario if "parameter_value" in d]
    if not having or len(having) == len(by_scenario):
        return
    for i, dataset in enumerate(by_scenario):
        if "parameter_value" not in dataset:
            empty = having[0].isel(parameter=slice(0, 0)).isel(replication=0, drop=True)
            empty = empty.expand_dims(replication=dataset.sizes["replication"])
            by_scenario[i] = dataset.assign(parameter_value=empty)


def write_atomic(dataset: xr.Dataset, path: Path) -> None:
    """Write ``dataset`` to ``path`` as netCDF so that ``path`` is either absent or complete.

    The file is made in memory and written with plain file I/O: HDF5 writing straight to a disk
    that fills up left its library in a state that crashed the interpreter (exit 139). A failed
    write raises OSError naming ``path`` and leaves nothing behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _netcdf_bytes(dataset)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, file_mode())  # mkstemp's 0600, made what the umask says
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _netcdf_bytes(dataset: xr.Dataset) -> memoryview:
    """The netCDF file of ``dataset``, in memory: what h5netcdf would write, in a tenth the time.

    h5py writes it into a memory buffer (:func:`simulate.results.netcdf.write_netcdf`), so the disk
    only ever sees plain file I/O, whose errors Python reports.
    """
    buffer = io.BytesIO()
    write_netcdf(dataset, buffer)
    return buffer.getbuffer()


def load(path: str | Path) -> xr.Dataset:
    """A cube (or part) read fully into memory, the file closed."""
    with xr.open_dataset(path, engine="netcdf4") as dataset:
        return dataset.load()


def schema_problems(cube: xr.Dataset) -> list[str]:
    """What a cube lacks of the published schema (empty when it conforms)."""
    problems = [
        f"missing dimension {d}"
        for d in ("scenario", "replication", "month", "practice", "cohort")
        if d not in cube.dims
    ]
    for name, outcome in OUTCOMES.items():
        if name not in cube:
            problems.append(f"missing variable {name}")
            continue
        variable = cube[name]
        expected = ("scenario", "replication", "month", *outcome.dims)
        if variable.dims != expected:
            problems.append(f"{name} has dims {variable.dims}, expected {expected}")
        for attribute in ("units", "long_name"):
            if not variable.attrs.get(attribute):
                problems.append(f"{name} has no {attribute}")
        if variable.attrs.get("units") != outcome.units:
            problems.append(
                f"{name} units {variable.attrs.get('units')!r}, expected {outcome.units!r}"
            )
    problems += [f"missing attribute {a}" for a in REQUIRED_ATTRS if a not in cube.attrs]
    return problems
