"""The baseline on the default place reproduces published headline rates within ±10%."""

import pytest
from conftest import BASELINE

from simulate.experiment.runner import Experiment, run
from simulate.inputs.scenario import load_scenario
from simulate.results.calibration import TARGETS, table
from simulate.results.cube import load


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    # three replications of a year after two warm-up months (about 12 s on two cores); the
    # replication-to-replication sd of every rate is under 2% of it, far inside the 10% allowed
    out = tmp_path_factory.mktemp("calibration")
    experiment = Experiment((load_scenario(BASELINE),), 3, 11, 12, 2)
    run(experiment, out, command="calibration test")
    return table(load(out / "cube.nc"), experiment.places["baseline"])


@pytest.mark.parametrize("index", range(len(TARGETS)), ids=[t.name for t in TARGETS])
def test_headline_rate_within_ten_percent_of_published(rows, index):
    target, mean, relative = rows[index]
    assert abs(relative) <= 0.10, f"{target.name}: model {mean:.4g}, published {target.value}"
