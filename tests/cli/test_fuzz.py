"""Property-based fuzz of the inputs: mutated scenario, place and practice-list files.

Whatever a mutation does (a value of another type, a huge or negative number, a non-finite one, a
missing or unknown key, a broken CSV cell), ``icsim validate`` ends with exit 0 or 2; on 2 every
stderr line names the file and no Python exception name reaches the user. A few mutations that
validate are run, and their cubes hold no inf, and NaN only as the mean of nothing.
"""

import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate.cli import main
from simulate.inputs.toml import tomllib
from simulate.shipped import shipped_dir
from tests.cli.test_hostile import EXCEPTION_NAMES

BASELINE = tomllib.loads((shipped_dir() / "baseline.toml").read_text())
PLACES = shipped_dir() / "places"
TINY = tomllib.loads((PLACES / "tiny.toml").read_text())
CSV_LINES = (PLACES / "example-practices.csv").read_text().splitlines()
SETTINGS = settings(
    max_examples=25,
    deadline=None,  # the first example pays for imports
    derandomize=True,  # the same examples every run: a fuzz in the suite must not flake
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _paths(data, prefix=()):
    """Every key path of a parsed TOML document, down into tables and arrays of tables."""
    for key, value in data.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from _paths(value, (*prefix, key))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, item in enumerate(value[:3]):
                yield from _paths(item, (*prefix, key, i))


VALUES = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.booleans(),
    st.lists(st.floats(min_value=-5, max_value=5), max_size=10),
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=2),
    st.dates(),
)


def _mutate(data: dict, draw) -> dict:
    """``data`` with one key given another value, removed, or joined by an unknown key."""
    paths = sorted(_paths(data), key=str)
    path = draw(st.sampled_from(paths))
    copy = tomllib.loads(tomli_w.dumps(data))
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(VALUES)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
    return copy


def _validate(capsys, path) -> int:
    code = main(["validate", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code in (0, 2), (code, err)
    if code == 2:
        assert err, "refused without a word"
        for line in err:
            assert line.startswith("icsim: ") and path.name in line, line
            assert not any(word in line for word in EXCEPTION_NAMES), line
    return code


@SETTINGS
@given(data=st.data())
def test_a_mutated_scenario_is_valid_or_refused_in_lines_naming_it(tmp_path, capsys, data):
    mutated = _mutate(BASELINE, data.draw)
    path = tmp_path / "mutated.toml"
    path.write_text(_dumps_or_skip(mutated, data))
    _validate(capsys, path)


@SETTINGS
@given(data=st.data())
def test_a_mutated_place_is_valid_or_refused_in_lines_naming_it(tmp_path, capsys, data):
    mutated = _mutate(TINY, data.draw)
    shutil.copy(PLACES / "example-practices.csv", tmp_path / "example-practices.csv")
    path = tmp_path / "place.toml"
    path.write_text(_dumps_or_skip(mutated, data))
    _validate(capsys, path)


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["-1", "1e9", "8,627", "NaN", "", "ALL", "t01", "²", "0x10"]),
)


@SETTINGS
@given(row=st.integers(0, len(CSV_LINES) - 1), column=st.integers(0, 12), cell=CELLS)
def test_a_mutated_practice_csv_is_valid_or_refused_in_lines_naming_it(
    tmp_path, capsys, row, column, cell
):
    lines = list(CSV_LINES)
    cells = lines[row].split(",")
    if column < len(cells):
        cells[column] = cell.replace("\n", " ").replace("\r", " ")
    else:
        cells = cells[:-1]  # a column missing
    lines[row] = ",".join(cells)
    (tmp_path / "example-practices.csv").write_text("\n".join(lines) + "\n")
    place = tmp_path / "tiny.toml"
    shutil.copy(PLACES / "tiny.toml", place)
    code = main(["validate", str(place)])
    err = capsys.readouterr().err.splitlines()
    assert code in (0, 2), (code, err)
    for line in err if code == 2 else ():
        assert "example-practices.csv" in line or "tiny.toml" in line, line
        assert not any(word in line for word in EXCEPTION_NAMES), line


NUMBERS = st.one_of(st.floats(min_value=0, max_value=1e4), st.integers(0, 10**6))


@settings(SETTINGS, max_examples=4)
@given(data=st.data())
def test_a_mutated_scenario_that_validates_runs_to_a_finite_cube(tmp_path, capsys, data):
    """A number changed within what validation accepts never yields NaN or inf in the cube."""
    import xarray as xr

    numbers = [p for p in _paths(BASELINE) if _is_number(BASELINE, p)]
    path = data.draw(st.sampled_from(sorted(numbers, key=str)))
    mutated = tomllib.loads(tomli_w.dumps(BASELINE))
    parent = mutated
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = data.draw(NUMBERS)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis shares tmp_path among examples
    scenario = folder / "mutated.toml"
    scenario.write_text(tomli_w.dumps(mutated))
    if _validate(capsys, scenario) != 0:
        return
    out = folder / "out"
    code = main(["run", str(scenario), "--place", "tiny", "-n", "1", "--months", "1", "-q",
                 "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 0:
        with xr.open_dataset(out / "cube.nc", engine="h5netcdf") as cube:
            for name, var in cube.data_vars.items():
                if var.dtype.kind == "f":
                    # NaN only as the mean of nothing (simulate.experiment.integrity's rule)
                    mean = str(var.attrs.get("long_name", "")).startswith("mean")
                    values = var.values[~np.isnan(var.values)] if mean else var.values
                    assert np.isfinite(values).all(), name
    else:
        assert len(err.splitlines()) == 1 and "mutated.toml" in err, err
        assert not out.exists()


def _is_number(data, path) -> bool:
    value = data
    for part in path:
        value = value[part]
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _dumps_or_skip(mutated: dict, data) -> str:
    """The mutated document as TOML (a date or non-finite float is valid TOML too)."""
    return tomli_w.dumps(mutated)
