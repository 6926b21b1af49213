"""Care-home residents as a segment, and the enhanced-health-in-care-homes lever's arithmetic."""

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model import care_homes
from simulate.model.levers import Levers
from simulate.model.rates import Rates, per_practice
from simulate.shipped import shipped_dir

CARE_HOMES = shipped_dir() / "care-homes.toml"


@pytest.fixture(scope="module")
def setting(tiny):
    scenario = load_scenario(CARE_HOMES, ('place="tiny"', "interventions.care_homes.ramp_months=0"))
    spec = scenario.spec
    rates = Rates.of(spec, tiny)
    base = tiny.population.demand_base
    expected = {
        "gp_requests": per_practice(base, rates.gp_requests),
        "emergency_admissions": per_practice(base, rates.emergency_admissions),
        "outpatient_referrals": per_practice(base, rates.outpatient_referrals),
        **care_homes.expected(base, spec.care_homes, rates),
    }
    levers = Levers(spec.interventions, tiny, expected, spec.practice.appointments_per_gp_fte_day)
    return spec, base, expected, levers.effects(0, 30)


def test_residents_are_the_published_share_of_each_age_band(setting):
    spec, base, expected, _ = setting
    share = np.asarray(spec.care_homes.resident_share_by_age)
    by_band = base.sum(axis=(0, 2))
    assert expected["care_home_residents"].sum() == pytest.approx(by_band @ share, rel=1e-12)
    # residents' own rates: 0.98 attendances and 0.70 admissions a resident-year (Wolters 2019)
    per_resident = (
        expected["care_home_ae_attendances"].sum() / expected["care_home_residents"].sum()
    )
    assert per_resident == pytest.approx(0.98, rel=1e-9)
    admitted = expected["care_home_emergency_admissions"].sum()
    assert admitted / expected["care_home_residents"].sum() == pytest.approx(0.70, rel=1e-9)
    # a segment of the lists, not extra demand: less than the cells' own
    assert np.all(expected["care_home_ae_attendances"] <= expected["ae_attendances"])


def test_the_cells_lose_exactly_the_residents_prevented_care(setting):
    spec, _, expected, effects = setting
    s = spec.interventions.care_homes
    hazard = 0.9 * 1.0 * 0.41 * 0.3  # reached x dose x avoidable x prevented
    np.testing.assert_allclose(
        effects.care_home_hazard[expected["care_home_residents"] > 0], hazard
    )
    lost_ae = ((1 - effects.ae_attendances) * expected["ae_attendances"]).sum()
    assert lost_ae == pytest.approx(expected["care_home_ae_attendances"].sum() * hazard, rel=1e-9)
    kept = effects.ae_attendances * effects.admissions * expected["emergency_admissions"]
    lost = expected["emergency_admissions"].sum() - kept.sum()
    assert lost == pytest.approx(
        expected["care_home_emergency_admissions"].sum() * hazard, rel=1e-9
    )
    met = expected["care_home_gp_requests"].sum() * 0.9 * s.requests_met_in_round_share
    lost_gp = ((1 - effects.gp_requests) * expected["gp_requests"]).sum()
    assert lost_gp == pytest.approx(met, rel=1e-9)


def test_the_round_takes_its_gp_hours_from_appointments_and_costs_per_resident(setting, tiny):
    spec, _, expected, effects = setting
    s = spec.interventions.care_homes
    residents = expected["care_home_residents"].sum(axis=1) * s.homes_reached_share
    gp_hours = residents * s.round_hours_per_resident_week * s.gp_share_of_round_hours
    np.testing.assert_allclose(1 - effects.gp_capacity, gp_hours / 37.5 / tiny.gp_fte)
    cost = residents.sum() * s.cost_gbp_per_resident_year * 30 / 365
    assert effects.running_cost.sum() == pytest.approx(cost, rel=1e-9)


def test_without_the_lever_the_segment_changes_nothing(tiny):
    spec = load_scenario(BASELINE, ('place="tiny"',)).spec
    assert spec.interventions.care_homes is None
    rates = Rates.of(spec, tiny)
    base = tiny.population.demand_base
    levers = Levers(
        spec.interventions,
        tiny,
        {
            "gp_requests": per_practice(base, rates.gp_requests),
            "emergency_admissions": per_practice(base, rates.emergency_admissions),
            "outpatient_referrals": per_practice(base, rates.outpatient_referrals),
            **care_homes.expected(base, spec.care_homes, rates),
        },
        spec.practice.appointments_per_gp_fte_day,
    )
    effects = levers.effects(0, 30)
    assert effects.care_home_hazard is None
    assert np.all(effects.ae_attendances == 1.0) and np.all(effects.gp_capacity == 1.0)


def test_residents_demand_is_capped_at_the_demand_the_tiers_draw_from(tiny, setting):
    # both tiers draw A&E from Demand, which carries the sex and deprivation factors (mix.py);
    # the care-home cells must be that demand, not the bare age rates
    from simulate.model.demand import Demand

    spec = setting[0]
    rates = Rates.of(spec, tiny)
    base, mix = tiny.population.demand_base, tiny.population.demand_mix
    demand = Demand.of(rates, base, 250.0, mix)
    found = care_homes.expected(base, spec.care_homes, rates, demand)
    drawn = {
        "gp_requests": demand.gp_requests * 250.0,
        "ae_attendances": demand.ae_attendances * 365.0,
        "emergency_admissions": demand.emergency_admissions * 365.0,
    }
    np.testing.assert_allclose(found["ae_attendances"], drawn["ae_attendances"], rtol=1e-12)
    bare = per_practice(base, rates.ae_attendances)
    assert np.abs(found["ae_attendances"] / bare - 1).max() > 0.01  # the factors do move cells
    # a resident rate far above any cell's makes the cap bind: residents' demand is the cell's
    high = spec.care_homes.model_copy(
        update={f"{n}_per_resident_year": 1e6 for n in drawn if n != "gp_requests"}
        | {"gp_requests_per_resident_year": 1e6}
    )
    capped = care_homes.expected(base, high, rates, demand)
    for name, cells in drawn.items():
        np.testing.assert_allclose(capped[f"care_home_{name}"], cells, rtol=1e-12)
