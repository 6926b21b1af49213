"""Mean field and hybrid over ten years of the default place's changing population.

The run a planner makes, ``icsim run --years 10 -n 3`` (root seed 1, the default warm-up), in
both modes: the mean field once, the hybrid three times (about two minutes of CPU in all). The
population stocks are the same deterministic code in both modes and read no pressure, so they
agree to rounding every month. Each headline outcome's mean-field value must lie inside the
hybrid's 95% interval (t with 2 degrees of freedom) in at least 9 of the 10 years: GP requests,
appointments and FTE, A&E attendances, emergency admissions, bed days and the mean time in A&E.
Nine of ten, because an unbiased estimate misses a 95% interval one year in twenty; with three
replications the interval's own width is as noisy as its centre, so a year may miss by chance.

What it took (session 8, docs/explanation/feedback-loops.md): stay kernels exact from the
distributions (50,000 fixed draws had put the mean stay 0.98% short), the hub seating the
Poisson overflow of a day's wanting, the cubicles seeing the week as each stream arrives, each
practice's propensity to admit, the month-end censuses' correlation in the bed-investment
closure, and the step-down beds' queue followed in distribution. Before them, on the same place:
admissions 5, bed days 9 then 6, mean time in A&E 4 of 10 years.
"""

import numpy as np
import pytest
from conftest import BASELINE
from scipy import stats

from simulate.cli.options import DEFAULT_WARMUP_MONTHS
from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.place import load_place
from simulate.model.replication import run_replication
from simulate.model.streams import Streams

REPLICATIONS = 3
ROOT_SEED = 1  # icsim run's default
T_95 = stats.t.ppf(0.975, REPLICATIONS - 1)  # 4.303


@pytest.fixture(scope="module")
def decade():
    place = load_place("default")
    hybrid = load_scenario(BASELINE, ('place="default"',))
    sd = load_scenario(BASELINE, ('place="default"', 'dynamics.mode="sd"'))
    clock = Clock(hybrid.spec.start, months=120, warmup_months=DEFAULT_WARMUP_MONTHS)
    mean_field = run_replication(sd, place, clock, Streams(ROOT_SEED, 0))
    runs = [
        run_replication(hybrid, place, clock, Streams(ROOT_SEED, r)) for r in range(REPLICATIONS)
    ]
    return mean_field, runs


def _yearly(part, name):
    """Each year's total of ``name``; the mean time in A&E weighted by each month's departures."""
    if name == "ae_mean_hours":
        hours = (part["ae_wait_hours"] * part["ae_departures"]).values.reshape(10, 12).sum(axis=1)
        return hours / part["ae_departures"].values.reshape(10, 12).sum(axis=1)
    v = part[name]
    monthly = v.sum([d for d in v.dims if d != "month"]).values
    return monthly.reshape(10, 12).mean(axis=1)


@pytest.mark.parametrize("name", ["registered_population", "population_by_age_sex"])
def test_the_population_stocks_are_the_same_in_both_modes_for_ten_years(decade, name):
    mean_field, runs = decade
    for part in runs:
        np.testing.assert_allclose(part[name].values, mean_field[name].values, rtol=1e-9)
    # and the population changes: it is not a steady state held still
    people = _yearly(mean_field, "registered_population")
    assert people[-1] > people[0] * 1.02


@pytest.mark.parametrize(
    "name",
    [
        "gp_requests",
        "gp_appointments",
        "gp_fte",
        "ae_attendances",
        "emergency_admissions",
        "bed_days",
        "ae_mean_hours",
    ],
)
def test_each_years_mean_field_lies_in_the_hybrids_95_percent_interval(decade, name):
    mean_field, runs = decade
    years = np.array([_yearly(p, name) for p in runs])
    mean = years.mean(axis=0)
    half = T_95 * years.std(axis=0, ddof=1) / np.sqrt(REPLICATIONS)
    if name in ("gp_appointments", "gp_fte"):
        # slots bind, so the hybrid's appointments (and the FTE that follows their pressure) vary
        # by 0.01-0.05% between replications and the fluid limit sits up to 0.02% off them
        # (measured): allow 0.1% beside the interval for that bias
        half = half + 0.001 * mean
    inside = np.abs(_yearly(mean_field, name) - mean) <= half
    # fixed seeds, so deterministic; 9 of 10 years allows the 1-in-20 miss of an unbiased estimate
    assert inside.sum() >= 9, (_yearly(mean_field, name), mean, half)
