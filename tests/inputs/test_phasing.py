"""Levers in time and in doubt: a null lever changes nothing, a late one nothing early."""

import datetime as dt

import numpy as np
import pytest
from conftest import BASELINE

from simulate.experiment.runner import Experiment, run
from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.results.export import tidy

CLOCK = Clock(dt.date(2019, 4, 1), months=4, warmup_months=1)


def scenario(tmp_path, name, body):
    path = tmp_path / f"{name}.toml"
    path.write_text(f'extends = "{BASELINE}"\nplace = "tiny"\n{body}')
    return load_scenario(path)


@pytest.fixture(scope="module")
def baseline(tiny, baseline_tiny):
    return run_replication(baseline_tiny, tiny, CLOCK, Streams(9, 0))


def assert_same_months(a, b, months):
    for name in b.data_vars:
        np.testing.assert_array_equal(
            a[name].isel(month=months).values, b[name].isel(month=months).values, err_msg=name
        )


def test_levers_of_zero_magnitude_give_the_baseline(tmp_path, tiny, baseline):
    null = scenario(
        tmp_path,
        "null",
        '[hub]\nminutes_per_1000_per_week = { dist = "fixed", value = 30 }\n'
        '[[changes]]\nkey = "hub.minutes_per_1000_per_week"\nto = 30\nstart_month = 1\n'
        "ramp_months = 2\n"
        '[[changes]]\nkey = "costs.ae_attendance"\nto = 148\nstart_month = 2\n',
    )
    assert null.spec_for_month(2) is not null.spec  # the engine re-derives its rates ...
    outcomes = run_replication(null, tiny, CLOCK, Streams(9, 0))
    assert_same_months(outcomes, baseline, slice(None))  # ... and finds the very same numbers
    assert float(outcomes.parameter_value.sel(parameter="hub.minutes_per_1000_per_week")) == 30


@pytest.mark.parametrize("delay", [2])
def test_a_change_delayed_d_months_leaves_months_before_d_alone(tmp_path, tiny, baseline, delay):
    later = scenario(
        tmp_path,
        "later",
        f'[[changes]]\nkey = "hub.minutes_per_1000_per_week"\nto = 60\nstart_month = {delay}\n',
    )
    outcomes = run_replication(later, tiny, CLOCK, Streams(9, 0))
    assert "parameter_value" not in outcomes
    assert_same_months(outcomes, baseline, slice(0, delay))
    capacity, base = outcomes.hub_capacity.values, baseline.hub_capacity.values
    days = outcomes.month.dt.days_in_month.values
    assert np.allclose(capacity[delay:] / days[delay:], 2 * base[delay:] / days[delay:], rtol=0.05)


def test_a_ramp_moves_in_equal_monthly_steps(tmp_path):
    ramp = scenario(
        tmp_path,
        "ramp",
        '[[changes]]\nkey = "hub.minutes_per_1000_per_week"\nto = 60\nstart_month = 1\n'
        "ramp_months = 3\n",
    )
    values = [ramp.spec_for_month(m).hub.minutes_per_1000_per_week for m in range(-1, 6)]
    assert values == [30, 30, 40, 50, 60, 60, 60]
    assert ramp.spec_for_month(4) is ramp.spec_for_month(5)  # no work once the ramp is done


def test_the_cube_records_draws_and_leaves_nan_where_a_scenario_is_certain(tmp_path, tiny):
    base = load_scenario(BASELINE, ('place="tiny"',))
    psa = scenario(
        tmp_path,
        "psa",
        '[hub]\nminutes_per_1000_per_week = { dist = "uniform", low = 20, high = 45 }\n',
    )
    experiment = Experiment((base, psa), 2, 4, months=1, warmup_months=0)
    cube = run(experiment, tmp_path / "out", command="test")
    values = cube.parameter_value
    assert values.dims == ("scenario", "replication", "parameter")
    assert values.attrs["units"] and values.attrs["long_name"]
    assert np.isnan(values.sel(scenario="baseline")).all()
    drawn = values.sel(scenario="psa", parameter="hub.minutes_per_1000_per_week").values
    assert ((drawn >= 20) & (drawn <= 45)).all() and drawn[0] != drawn[1]
    table = tidy(cube)
    rows = table[table.variable == "parameter_value.hub.minutes_per_1000_per_week"]
    assert len(rows) == 4 and set(rows.month) == {""}
    assert sorted(rows.value.dropna()) == sorted(drawn)
