"""Experiments and their cubes: schema, provenance, reproducibility, atomic parts."""

import json

import numpy as np
import pytest
from conftest import BASELINE, EXTENDED_ACCESS

from simulate.errors import InputError
from simulate.experiment.runner import Experiment, part_path, run
from simulate.inputs.scenario import load_scenario, scenario_from_toml
from simulate.model.outcomes import OUTCOMES
from simulate.results.cube import load, schema_problems


def experiment(seed=3, months=3):
    scenarios = tuple(load_scenario(f, ('place="tiny"',)) for f in (BASELINE, EXTENDED_ACCESS))
    return Experiment(scenarios, replications=2, root_seed=seed, months=months, warmup_months=1)


@pytest.fixture(scope="module")
def cube(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    run(experiment(), out, command="icsim test")
    return load(out / "cube.nc"), out


def test_cube_has_the_published_schema(cube):
    data, _ = cube
    assert schema_problems(data) == []
    assert list(data.cohort.values) == ["0", "1", "2", "3", "4+"]
    assert list(data.scenario.values) == ["baseline", "extended-access"]
    assert data.month.values[0] == np.datetime64("2019-04-01")
    for name in OUTCOMES:
        assert data[name].attrs["units"] and data[name].attrs["long_name"]
    assert set(data.federation.values) == {"F1"}


def test_cube_carries_its_provenance(cube):
    data, _ = cube
    attrs = data.attrs
    assert attrs["root_seed"] == 3 and attrs["replications"] == 2 and attrs["warmup_months"] == 1
    assert attrs["command"] == "icsim test"
    texts = json.loads(attrs["scenario_toml"])
    hashes = json.loads(attrs["scenario_sha256"])
    rebuilt = scenario_from_toml(texts["extended-access"], BASELINE.parent)
    assert rebuilt.sha256 == hashes["extended-access"]
    assert rebuilt.spec.hub.minutes_per_1000_per_week == 60
    assert "numpy" in json.loads(attrs["versions"])


def test_schema_check_notices_what_is_missing(cube):
    data, _ = cube
    broken = data.drop_vars("bed_days")
    broken["cost"].attrs.pop("units")
    problems = schema_problems(broken)
    assert "missing variable bed_days" in problems and "cost has no units" in problems


def test_same_experiment_twice_gives_identical_data(cube, tmp_path):
    data, _ = cube
    run(experiment(), tmp_path, command="again")
    again = load(tmp_path / "cube.nc")
    for name in data.data_vars:
        np.testing.assert_array_equal(again[name].values, data[name].values, err_msg=name)


def test_finished_parts_are_reused_and_foreign_parts_refused(cube, tmp_path):
    _, out = cube
    exp = experiment()
    path = part_path(out, exp.scenarios[0], 1)
    before = path.stat().st_mtime_ns
    run(exp, out, command="resume")
    assert path.stat().st_mtime_ns == before
    with pytest.raises(InputError, match="different experiment"):
        run(experiment(seed=4), out, command="other seed")
    assert not list(out.glob("**/*.tmp"))


def _layout(path):
    """Every HDF5 object of ``path``: kind, dtype, shape, fill value, attributes and data."""
    import h5py

    found = {}

    def visit(name, obj):
        attrs = {
            k: np.asarray(v).shape if k in ("DIMENSION_LIST", "REFERENCE_LIST") else repr(v)
            for k, v in obj.attrs.items()
            if k != "_NCProperties"
        }
        entry = {"kind": type(obj).__name__, "attrs": attrs}
        if isinstance(obj, h5py.Dataset):
            entry.update(dtype=str(obj.dtype), shape=obj.shape, fill=repr(obj.fillvalue))
            entry["data"] = repr(obj[()].tolist())
        found[name] = entry

    with h5py.File(path, "r") as file:
        visit("/", file)
        file.visititems(visit)
    return found


def test_the_cube_file_is_the_one_h5netcdf_writes(cube, tmp_path):
    from simulate.results.netcdf import write_netcdf

    data, _ = cube
    data = data.assign(parameter_value=("parameter", [0.5]), parameter=("parameter", ["a.b"]))
    data.to_netcdf(tmp_path / "h5netcdf.nc", engine="h5netcdf")
    write_netcdf(data, tmp_path / "ours.nc")
    assert _layout(tmp_path / "ours.nc") == _layout(tmp_path / "h5netcdf.nc")


def test_load_reads_through_netcdf4_exactly_what_h5netcdf_reads(cube, tmp_path):
    """load() uses the netCDF4 engine for speed; it must not change a value, dtype or attribute."""
    import xarray as xr

    from simulate.results.cube import load

    data, _ = cube
    data.to_netcdf(tmp_path / "cube.nc", engine="h5netcdf")
    with xr.open_dataset(tmp_path / "cube.nc", engine="h5netcdf") as reference:
        assert load(tmp_path / "cube.nc").identical(reference.load())
