import datetime as dt

import pytest

from simulate.clock import Clock
from simulate.place import load_place, shipped_dir
from simulate.scenario import load_scenario

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
