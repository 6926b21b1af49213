"""Mean field and hybrid over ten years of the changing population: where they must agree.

Ten years of the default place take about 30 s of CPU per hybrid replication, too slow for the suite
with the replications an interval needs, so this runs the tiny place (three practices, 16,000
people) for 120 months, the mean field once and the hybrid three times (about 60 s of CPU in all).
The population stocks are the same deterministic code in both modes and read no pressure, so they
agree to rounding every month. GP demand, appointments and the workforce (which reads the practices'
requests per slot) and A&E attendances must have each year's mean-field value inside the hybrid's
95% interval (t with 2 degrees of freedom). Admissions, beds and A&E waits are left out on purpose:
where cubicles and beds bind the fluid limit is biased (E[min(X, c)] <= min(E[X], c)). The mean
field now takes boarding, delayed transfers and who leaves unseen from the overflow of a Poisson
occupancy (simulate/model/tiers/queues.py, tested against its exact sums in
tests/model/tiers/test_queues.py), but measured on the default place over ten years (hybrid 3
replications) the years with the mean field inside the hybrid's interval are, before and after:
admissions 5 -> 7 of 10 (within 1.7%), bed days 9 -> 6 (within 3.1%, low from year 7), mean time in
A&E 4 -> 9 (within 0.2% to year 8; +3.6% and +11% in years 9-10). The hybrid's noisy month-end
occupancy passes the 95% bed-investment trigger from year 7 and it opens 23-35 beds by the end of
year 10, while the smooth mean-field occupancy stayed under it and opened none. The mean field now
takes the expected business case over the census's Poisson noise (a Gaussian closure,
simulate/model/stocks/closure.py, tested in test_closure.py), which opens 11 beds by the end of year
10 (631 against the hybrid's 643-655) and moves, before -> after: bed days 6 -> 6 of 10 (year 10
-3.1% -> -2.6%), admissions 7 -> 7 (-1.6% -> -1.1%), mean time in A&E 9 -> 9 (year 10 +11.5% ->
+6.2%), A&E attendances 8 -> 8 (-0.1..-0.9%, intervals 0.1-1.6%); the hybrid is bit for bit what it
was. The closure's noise is right (the hybrid's monthly mean occupancy varies between replications
at 0.29-0.60 of its mean, against 0.43 for a Poisson M/G/inf census averaged over a month with this
stay); what is left is the mean: the mean field's bed days are already up to 2.0% low in years 1-5,
so its occupancy sits up to 2 points under the hybrid's (years 7-8: 0.913 and 0.927 against 0.935)
and 2.3 to 0.6 of its perceived 1.6-point standard deviation under the trigger in years 7-10. Short
of 9 of 10 for admissions and beds, so no default-place test is added yet. On this tiny place (3
cubicles, 40 beds) the corrections overshoot: admissions 0 -> 6 of 10 (+12..+22% -> -4..-13%), bed
days 6 -> 1 (-4..-20%), mean time in A&E 4 -> 8 (-11..-26% -> +1..+26%), so they stay out of the
test here too; its mean-field occupancy (0.79-0.80 against the hybrid's 0.86-0.90 a year) is too far
under the trigger for the closure to open a bed in ten years, so it changes none of those numbers.
"""

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.replication import run_replication
from simulate.model.streams import Streams

REPLICATIONS = 3
T_95 = 4.303  # t quantile, 2 degrees of freedom


@pytest.fixture(scope="module")
def decade(tiny):
    hybrid = load_scenario(BASELINE, ('place="tiny"',))
    sd = load_scenario(BASELINE, ('place="tiny"', 'dynamics.mode="sd"'))
    clock = Clock(hybrid.spec.start, months=120, warmup_months=0)
    mean_field = run_replication(sd, tiny, clock, Streams(1, 0))
    runs = [run_replication(hybrid, tiny, clock, Streams(7, r)) for r in range(REPLICATIONS)]
    return mean_field, runs


def _yearly(part, name):
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


@pytest.mark.parametrize("name", ["gp_requests", "gp_appointments", "gp_fte", "ae_attendances"])
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
