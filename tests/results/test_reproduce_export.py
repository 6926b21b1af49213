"""reproduce rebuilds a cube from its own attributes; export round-trips to the cube's numbers."""

import csv
import json
import math

import numpy as np
import pytest
from helpers import icsim, one_line_error

from simulate.results.cube import load, write_atomic


@pytest.fixture(scope="module")
def made(tiny_run):
    return tiny_run


def test_reproduce_gives_identical_data_variables(made, tmp_path):
    result = icsim("reproduce", made / "cube.nc", "--out", tmp_path / "again")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    original, again = load(made / "cube.nc"), load(tmp_path / "again" / "cube.nc")
    assert result.stdout.startswith(f"identical: all {len(original.data_vars)} data variables")
    for name in original.data_vars:
        np.testing.assert_array_equal(again[name].values, original[name].values, err_msg=name)
    assert again.attrs["place_toml"] == original.attrs["place_toml"]


def test_reproduce_uses_the_embedded_place_and_warns_on_versions(made, tmp_path):
    cube = load(made / "cube.nc")
    versions = json.loads(cube.attrs["versions"])
    versions["icsim"], versions["numpy"] = "0.0.1", "1.0.0"
    places = json.loads(cube.attrs["place_toml"])
    # a place that exists nowhere on disk: reproduce must read the text, not a file
    places = {
        k: v.replace('name = "Tiny place (tests)"', 'name = "Only in the cube"')
        for k, v in places.items()
    }
    cube.attrs.update(versions=json.dumps(versions), place_toml=json.dumps(places))
    write_atomic(cube, tmp_path / "old" / "cube.nc")
    result = icsim("reproduce", tmp_path / "old", "--out", tmp_path / "new")
    assert result.returncode == 0, result.stderr
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("icsim: warning: versions differ")
    assert "icsim 0.0.1 -> " in warning[0] and "numpy 1.0.0 -> " in warning[0]
    assert "Only in the cube" in load(tmp_path / "new" / "cube.nc").attrs["place_toml"]


def test_reproduce_without_provenance_is_one_line(made, tmp_path):
    cube = load(made / "cube.nc")
    del cube.attrs["place_toml"]
    write_atomic(cube, tmp_path / "bare.nc")
    line = one_line_error(icsim("reproduce", tmp_path / "bare.nc", "--out", tmp_path / "x"))
    assert "place_toml" in line and "provenance" in line


def test_csv_export_round_trips_to_the_cube(made, tmp_path):
    result = icsim("export", made, "--format", "csv", "--out", tmp_path / "long.csv")
    assert result.returncode == 0, result.stderr
    cube = load(made / "cube.nc")
    with open(tmp_path / "long.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    base = ["scenario", "replication", "month", "practice", "cohort"]
    extra = list(rows[0])[len(base) : -3]  # a column for each dimension of its own
    assert list(rows[0]) == [*base, *extra, "variable", "value", "units"]
    assert set(extra) == {d for d in ("provider", "sex", "age_band") if d in cube.dims} != set()
    assert len(rows) == sum(v.size for v in cube.data_vars.values())
    checked = 0
    for row in rows:
        variable = cube[row["variable"]]
        where = {"scenario": row["scenario"], "replication": int(row["replication"])}
        where["month"] = np.datetime64(row["month"])
        where.update({k: row[k] for k in ("practice", "cohort", *extra) if k in variable.dims})
        expected = float(variable.sel(where).values)
        value = float(row["value"]) if row["value"] else math.nan
        assert value == expected or (math.isnan(value) and math.isnan(expected)), row
        assert row["units"] == variable.attrs["units"]
        checked += 1
    assert checked == len(rows) > 3000


def test_parquet_export(made, tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is the optional 'parquet' extra")
    import pandas as pd

    result = icsim("export", made, "--format", "parquet", "--out", tmp_path / "long.parquet")
    assert result.returncode == 0, result.stderr
    table = pd.read_parquet(tmp_path / "long.parquet")
    cost = table[table.variable == "cost"].value.sum()
    assert cost == pytest.approx(float(load(made / "cube.nc").cost.sum()))
