"""The icsim command as a user meets it: one line per problem, exit codes, reproducible runs."""

import numpy as np
import pytest
from helpers import icsim, one_line_error

from simulate.results.cube import load
from simulate.shipped import shipped_dir


def test_missing_scenario_file_is_one_line_and_leaves_nothing(tmp_path):
    line = one_line_error(icsim("run", "no-such.toml", "--out", tmp_path / "out"))
    assert "no-such.toml" in line and "no such file" in line
    assert not (tmp_path / "out").exists()


def test_malformed_toml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "x.toml"\n[hub]\nminutes_per_1000_per_week = = 4\n')
    line = one_line_error(icsim("run", bad, "--out", tmp_path / "out"))
    assert line.startswith(f"icsim: {bad}:3: invalid TOML")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "body, key, words",
    [
        (
            "[hub]\nminutes_per_1000_per_week = -5\n",
            "hub.minutes_per_1000_per_week",
            "greater than or equal to 0",
        ),
        ("[hub]\nminutes_per_week = 5\n", "hub.minutes_per_week", "unknown key"),
        (
            "[acute]\ntreatment_hour = 5\n",
            "acute.treatment_hour",
            "unknown key; did you mean 'treatment_hours'?",
        ),
        (
            "[acute]\nadmission_probability = [0.1, 0.2]\n",
            "acute.admission_probability",
            "at least 5",
        ),
        ("[leavers]\nto_hub_share = 1.5\n", "leavers.to_hub_share", "less than or equal to 1"),
    ],
)
def test_bad_values_name_file_line_and_key(tmp_path, body, key, words):
    bad = tmp_path / "scenario.toml"
    bad.write_text(f'extends = "{shipped_dir() / "baseline.toml"}"\n{body}')
    line = one_line_error(icsim("validate", bad))
    assert line.startswith(f"icsim: {bad}:") and f": {key}: " in line and words in line


def test_extends_cycle_and_missing_parent(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    assert "cycle of extends" in one_line_error(icsim("validate", tmp_path / "a.toml"))
    (tmp_path / "c.toml").write_text('extends = "gone.toml"\n')
    assert "does not exist" in one_line_error(icsim("validate", tmp_path / "c.toml"))


def test_shipped_files_validate():
    files = sorted(shipped_dir().glob("*.toml")) + sorted((shipped_dir() / "places").glob("*.toml"))
    result = icsim("validate", *files)
    assert result.returncode == 0, result.stderr


def test_same_command_twice_gives_identical_cubes(tmp_path):
    for out in ("A", "B"):
        result = icsim(
            # the default scenarios and place, shortened (3 months after 1 of warm-up) for time
            "run", "--replications", 2, "--seed", 7, "--months", 3, "--warmup-months", 1,
            "--out", out, cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    a, b = load(tmp_path / "A" / "cube.nc"), load(tmp_path / "B" / "cube.nc")
    assert list(a.data_vars) == list(b.data_vars)
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    assert "95% CI" in result.stdout and "extended-access" in result.stdout
    compared = icsim("compare", tmp_path / "A")
    assert compared.returncode == 0 and "A&E attendances" in compared.stdout


def test_place_describes_the_default_place():
    result = icsim("place")
    assert result.returncode == 0
    assert "250,000 registered patients, 30 practices" in result.stdout
    # the registered row and the resident rows are the same 250,000 people
    lines = result.stdout.splitlines()
    registered = next(line for line in lines if line.startswith("registered "))
    resident = [line for line in lines if line.startswith("resident: ")]
    assert registered.split()[-1] == "250,000" and len(resident) == 5
    assert sum(int(line.split()[-1].replace(",", "")) for line in resident) == 250_000
    assert "beds 2.48" in result.stdout  # 620 beds per 1,000 of 250,000
