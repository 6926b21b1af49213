import datetime as dt

import pytest

from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.place import load_place
from simulate.shipped import shipped_dir

BASELINE = shipped_dir() / "baseline.toml"
EXTENDED_ACCESS = shipped_dir() / "extended-access.toml"


@pytest.fixture(scope="session")
def tiny():
    return load_place("tiny")


@pytest.fixture(scope="session")
def baseline_tiny():
    return load_scenario(BASELINE, ('place="tiny"',))


@pytest.fixture(scope="session")
def short_clock():
    return Clock(dt.date(2019, 4, 1), months=4, warmup_months=2)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """A real run folder: both shipped scenarios on the tiny place, 2 replications of 3 months."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("tiny-run") / "run"
    args = ["run", "--place", "tiny", "-n", "2", "--months", "3", "--seed", "5", "--out", out, "-q"]
    result = subprocess.run(
        [sys.executable, "-m", "simulate", *map(str, args)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return out
