"""The expected loads icsim place and the overload warnings show are the run's own demand."""

import pytest

from simulate.model.demand import Demand
from simulate.model.describe import offered_loads
from simulate.model.population import composition
from simulate.model.rates import Rates


def test_expected_loads_weigh_people_by_sex_and_deprivation_as_the_run_does(tiny, baseline_tiny):
    """The run's demand takes sex factors on GP requests and deprivation factors on A&E and
    admissions from its people's mix; the expectation must too, or a deprived place's warning
    understates its A&E (and a less deprived one's overstates it, by 4% on the default place)."""
    rates = Rates.of(baseline_tiny.spec, tiny)
    people = tiny.population
    demand = Demand.of(rates, people.demand_base, mix=composition(people.demand_people))
    loads = offered_loads(tiny, baseline_tiny)
    assert loads["ae_per_day"] == pytest.approx(demand.ae_attendances.sum(), rel=1e-12)
    assert loads["admissions"] == pytest.approx(demand.emergency_admissions.sum(), rel=1e-12)
    working_days_demand = demand.gp_requests.sum()
    assert loads["gp_demand"] == pytest.approx(working_days_demand, rel=1e-12)
    plain = Demand.of(rates, people.demand_base)  # without the mix: factors of 1
    assert abs(loads["ae_per_day"] / plain.ae_attendances.sum() - 1) > 1e-3
