"""Saved parts: where each (scenario, replication) is written, in what form, and whose it is.

A part is saved under ``OUT/parts/`` as soon as it finishes, so an interrupted run loses only what
was in flight. Running again reuses the parts already there, but only after checking that *every*
part in the folder carries this experiment's key: two experiments never mix in one cube. Temporary
files that a killed run left behind are removed, never mistaken for parts.

A part is one uncompressed NumPy ``.npz`` file: each variable's array, and one JSON member with
the variables' dimensions and attributes and the part's own attributes (the experiment's key,
the ledger, and anything else put in ``part.attrs`` before saving). Writing one costs a few
milliseconds, where a netCDF file of the same ~60 variables cost a second through h5netcdf (one
HDF5 dataset, dimension scale and attribute lookup at a time); reading back the key alone reads
only the JSON member. Parts are scratch files of one experiment, never its result: the cube is
netCDF, readable anywhere. Parts of the netCDF form that icsim wrote before (``*.nc``) are still
read, so a run interrupted before an upgrade resumes if its key still matches.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from simulate.errors import InputError
from simulate.results.atomic import file_mode

SUFFIX = ".npz"
LEGACY_SUFFIX = ".nc"
_META = "__part__"
FORMAT = 1


def part_name(scenario: str, replication: int) -> str:
    """The file name of replication ``replication`` of the scenario named ``scenario``."""
    return f"{scenario}.r{replication:04d}{SUFFIX}"


def part_path(out: Path, scenario, replication: int) -> Path:
    """Where one part of ``scenario`` (a :class:`~simulate.inputs.scenario.Scenario`) is saved.

    A part saved in the older netCDF form is found under its own name when no ``.npz`` is there.
    """
    path = out / "parts" / part_name(scenario.name, replication)
    legacy = path.with_suffix(LEGACY_SUFFIX)
    return legacy if not path.exists() and legacy.exists() else path


def _plain(value):
    """An attribute as JSON can hold it (NumPy scalars and arrays become numbers and lists)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _time_encoding(values: np.ndarray) -> dict:
    """How netCDF would store ``values`` if they are times (the units xarray infers), else {}.

    A part read back from netCDF carried this encoding into the cube, where xarray writes the
    units in its own normal form ("days since 2019-04-01"); kept so that the cube stays the same.
    """
    if values.dtype.kind != "M":
        return {}
    from xarray.coding.times import encode_cf_datetime

    numbers, units, calendar = encode_cf_datetime(values)
    return {"units": units, "calendar": calendar, "dtype": str(numbers.dtype)}


def _variable(dims, values, about: dict):
    """An :class:`xarray.Variable` as saved (``about`` is its entry in the part's JSON)."""
    import xarray as xr

    variable = xr.Variable(dims, values, about["attrs"])
    variable.encoding = dict(about.get("encoding", {}))
    return variable


def save_part(part, path: Path) -> None:
    """Write ``part`` (an :class:`xarray.Dataset`) to ``path`` so that it is absent or complete."""
    arrays, variables = {}, {}
    for i, (name, variable) in enumerate(part.variables.items()):
        values = np.asarray(variable.values)
        arrays[f"v{i}"] = values.astype(str) if values.dtype == object else values
        variables[name] = {
            "array": f"v{i}",
            "dims": list(variable.dims),
            "attrs": {k: _plain(v) for k, v in variable.attrs.items()},
            "coord": name in part.coords,
            "encoding": _time_encoding(values),
        }
    attrs = {k: _plain(v) for k, v in part.attrs.items()}
    meta = {"format": FORMAT, "attrs": attrs, "variables": variables}
    arrays[_META] = np.array(json.dumps(meta))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
        os.chmod(temporary, file_mode())  # mkstemp's 0600, made what the umask says
        os.replace(temporary, path)
    except OSError as error:  # a full disk, say: name the file, leave nothing partial
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_part(path: Path):
    """The part saved at ``path``, as the :class:`xarray.Dataset` that was saved."""
    import xarray as xr

    if path.suffix == LEGACY_SUFFIX:
        from simulate.results.cube import load

        return load(path)
    with np.load(path, allow_pickle=False) as stored:
        meta = json.loads(stored[_META].item())
        variables = {
            name: _variable(v["dims"], stored[v["array"]], v)
            for name, v in meta["variables"].items()
        }
    flags = {name: v["coord"] for name, v in meta["variables"].items()}
    data = {name: v for name, v in variables.items() if not flags[name]}
    coords = {name: v for name, v in variables.items() if flags[name]}
    return xr.Dataset(data, coords=coords, attrs=meta["attrs"])


def stack_parts(paths: list[Path], check: Callable | None = None):
    """Parts of one scenario (replications in order) as one Dataset over a new ``replication``.

    The same Dataset as ``xarray.concat`` of the parts along ``replication`` with the parts'
    own attributes dropped, built by copying each array into its place: concatenating Datasets
    part by part cost more than reading them. Parts whose variables or coordinates differ (never
    within one scenario of one experiment) and legacy parts are concatenated by xarray.

    ``check(path, attrs, data)`` sees each part as it is read, its attributes and its data
    variables as ``{name: (dims, values)}``, and may raise: parts are read once, checked and all.
    """
    import xarray as xr

    if all(p.suffix == SUFFIX for p in paths):
        with np.load(paths[0], allow_pickle=False) as first:
            meta = json.loads(first[_META].item())
            layout = {n: (v["array"], v["coord"]) for n, v in meta["variables"].items()}
            coords = {n: first[k] for n, (k, coord) in layout.items() if coord}
            arrays = {
                n: np.empty((len(paths), *first[k].shape), first[k].dtype)
                for n, (k, coord) in layout.items()
                if not coord
            }
        if all(_fill(path, i, layout, coords, arrays, check) for i, path in enumerate(paths)):
            about = meta["variables"]
            return xr.Dataset(
                {
                    n: _variable(("replication", *about[n]["dims"]), a, about[n])
                    for n, a in arrays.items()
                },
                coords={n: _variable(about[n]["dims"], c, about[n]) for n, c in coords.items()},
            )
    return xr.concat([_bare(_checked(read_part(p), p, check)) for p in paths], dim="replication")


def _checked(part, path: Path, check: Callable | None):
    """``part``, once ``check`` has seen it (as :func:`stack_parts` says)."""
    if check is not None:
        data = {name: (v.dims, v.values) for name, v in part.data_vars.items()}
        check(path, part.attrs, data)
    return part


def _bare(part):
    """``part`` without its own attributes (the cube has the experiment's)."""
    part.attrs = {}
    return part


def _fill(path: Path, i: int, layout: dict, coords: dict, arrays: dict, check) -> bool:
    """Copy the part at ``path`` into row ``i`` of ``arrays``; False if it does not fit them."""
    with np.load(path, allow_pickle=False) as stored:
        meta = json.loads(stored[_META].item())
        if {n: (v["array"], v["coord"]) for n, v in meta["variables"].items()} != layout:
            return False
        data = {}
        for name, (key, coord) in layout.items():
            values = stored[key]
            if coord:
                if not np.array_equal(values, coords[name]):
                    return False
            elif values.shape != arrays[name].shape[1:] or values.dtype != arrays[name].dtype:
                return False
            else:
                arrays[name][i] = values
                data[name] = (meta["variables"][name]["dims"], values)
    if check is not None:
        check(path, meta["attrs"], data)
    return True


def part_attrs(path: Path) -> dict:
    """The attributes of the part at ``path``, reading nothing else of it."""
    if path.suffix == LEGACY_SUFFIX:
        import h5py

        with h5py.File(path, "r") as stored:
            return {k: v.decode() if isinstance(v, bytes) else v for k, v in stored.attrs.items()}
    with np.load(path, allow_pickle=False) as stored:
        return json.loads(stored[_META].item())["attrs"]


def check_parts(out: Path, key: str, identity: dict) -> set[str]:
    """Names (as :func:`part_name` gives them) of the finished parts under ``out``.

    A part of another experiment is an error. ``key`` and ``identity`` are the experiment's
    (:class:`~simulate.experiment.runner.Experiment`), so that the error can say which part of
    the identity differs.
    """
    finished = set()
    folder = out / "parts"
    found = sorted(folder.glob(f"*{SUFFIX}")) + sorted(folder.glob(f"*{LEGACY_SUFFIX}"))
    for path in found:
        try:
            attrs = part_attrs(path)
        except (OSError, ValueError, KeyError) as error:
            message = f"unreadable part ({error}); delete it to recompute"
            raise InputError(message, file=path) from None
        if attrs.get("experiment_key") != key:
            raise InputError(
                f"belongs to a different experiment ({_difference(attrs, identity)}); "
                "use another --out",
                file=path,
            )
        finished.add(path.with_suffix(SUFFIX).name)
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
