"""A local incentive scheme: admissions averted, appointments taken and payments, by mechanism."""

import numpy as np
import pytest

from simulate.inputs.categories import COHORTS
from simulate.inputs.scenario import load_scenario
from simulate.model import care_homes
from simulate.model.levers import Levers
from simulate.model.rates import Rates, per_practice
from simulate.shipped import shipped_dir

SCHEME = shipped_dir() / "incentive-scheme.toml"


@pytest.fixture(scope="module")
def setting(tiny):
    spec = load_scenario(
        SCHEME, ('place="tiny"', "interventions.incentive_scheme.ramp_months=0")
    ).spec
    rates = Rates.of(spec, tiny)
    base = tiny.population.demand_base
    expected = {
        "gp_requests": per_practice(base, rates.gp_requests),
        "emergency_admissions": per_practice(base, rates.emergency_admissions),
        "outpatient_referrals": per_practice(base, rates.outpatient_referrals),
        **care_homes.expected(base, spec.care_homes, rates),
    }
    levers = Levers(spec.interventions, tiny, expected, spec.practice.appointments_per_gp_fte_day)
    return spec, levers.effects(0, 30)


def test_reviewed_patients_lose_the_averted_share_of_their_acsc_admissions(setting):
    spec, effects = setting
    eligible = np.isin(np.array(COHORTS), ["2", "3", "4+"])
    np.testing.assert_allclose(effects.admissions[:, eligible], 1 - 0.75 * 0.16 * 0.1)
    np.testing.assert_array_equal(effects.admissions[:, ~eligible], 1.0)


def test_reviews_take_appointments_and_duplicates_are_paid_twice(setting, tiny):
    spec, effects = setting
    s = spec.interventions.incentive_scheme
    eligible = np.isin(np.array(COHORTS), s.cohorts)
    reviews = (
        tiny.registered[:, eligible].sum(axis=1) * s.achieved_share * s.reviews_per_patient_year
    )
    slots = tiny.gp_fte * spec.practice.appointments_per_gp_fte_day
    np.testing.assert_allclose(1 - effects.gp_capacity, reviews * 2.0 / 252 / slots)
    paid = reviews.sum() * 30 / 365 * s.payment_gbp_per_review
    assert effects.running_cost.sum() == pytest.approx(paid * 1.5, rel=1e-9)
    twice = effects.by_lever["incentive_scheme"]["running_cost"][1].sum()
    assert twice == pytest.approx(paid * 0.5, rel=1e-9)  # the national payment for the same work
