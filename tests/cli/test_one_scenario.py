"""A cube of the baseline alone: commands that compare say so in one line; export still works."""

import subprocess
import sys

import pytest

from simulate.cli.common import ONE_SCENARIO
from simulate.results.cube import load


@pytest.fixture(scope="module")
def alone(tiny_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("alone") / "cube.nc"
    cube = load(tiny_run / "cube.nc")
    cube.isel(scenario=[0]).to_netcdf(path, engine="h5netcdf")
    return path


def _icsim(*args):
    return subprocess.run(
        [sys.executable, "-m", "simulate", *map(str, args)], capture_output=True, text=True
    )


@pytest.mark.parametrize("command", ["compare", "report"])
def test_comparing_one_scenario_is_one_line_and_exit_2(alone, command):
    result = _icsim(command, alone)
    assert result.returncode == 2
    assert result.stderr == f"icsim: {alone}: {ONE_SCENARIO}\n"


def test_one_scenario_still_exports(alone, tmp_path):
    result = _icsim("export", alone, "--format", "csv", "--out", tmp_path / "numbers.csv")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "numbers.csv").stat().st_size > 0
