"""Case finding and case management against results no one here wrote.

- Regression to the mean: enrolling the top k% by last year's admissions, with a lever that does
  nothing, shows the fall the selection implies, from Poisson tail sums over the synthetic
  population's own hazards; the paired comparison shows none (the runs are identical).
- The learning lag is a third-order delay: its monthly means equal the integral of the Erlang(3)
  distribution function, and when the money stops the benefit drains the same way.
- The risk tool's c-statistic is the one asked for; the caseload caps coverage.
"""

import datetime as dt

import numpy as np
import pytest
from conftest import BASELINE
from scipy import stats

from simulate.inputs.levers import SymphonySpec
from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.levers.case_finding import c_statistic, find_cases, hazards
from simulate.model.levers.case_management import Timeline
from simulate.model.place import load_place
from simulate.model.rates import Rates, per_practice
from simulate.model.replication import run_replication
from simulate.model.streams import Streams


def _expected_admissions(place):
    rates = Rates.of(load_scenario(BASELINE, ()).spec, place)
    return per_practice(place.population.demand_base, rates.emergency_admissions)


@pytest.fixture(scope="module")
def default():
    place = load_place("default")
    return place, _expected_admissions(place)


def _implied_by_selection(hazard: np.ndarray, wanted: int) -> tuple[float, float]:
    """Expected admissions of the top ``wanted`` by a Poisson count, the year before and after.

    Selection takes everyone with a count above a threshold t and a random share q of those at t
    (ties broken at random), t and q fixed by the number wanted: then person i is chosen with
    chance ``P(N>t) + q P(N=t)``, their expected count when chosen is
    ``E[N; N>t] + q t P(N=t)``, and their expected count next year is ``hazard × chance``.
    """
    for t in range(0, 50):
        above = stats.poisson.sf(t, hazard).sum()  # P(N > t)
        at = stats.poisson.pmf(t, hazard)
        if above <= wanted <= above + at.sum():
            q = (wanted - above) / at.sum()
            break
    chance = stats.poisson.sf(t, hazard) + q * at
    # E[N; N > t] = hazard * P(N >= t), since k P(N=k) = hazard P(N=k-1)
    before = hazard * stats.poisson.sf(t - 1, hazard) + q * t * at
    return float(before.sum()), float((hazard * chance).sum())


def test_enrolling_on_last_years_admissions_regresses_to_the_mean_as_selection_implies(default):
    place, expected = default
    spec = SymphonySpec(
        practices="all", cohorts=["0", "1", "2", "3", "4+"], enrol_share=0.02,
        rank_by="last_year_admissions",
    )  # fmt: skip
    reach = np.ones(expected.shape)
    found = find_cases(place, reach, expected, spec, "interventions.symphony", 1)
    hazard = hazards(place.population, expected)[place.population.makes_demand]
    before, after = _implied_by_selection(hazard, found.count)
    # the model's draw of last year against the direct calculation: a sum of ~5,000 people's
    # counts, whose sd is about 1%; the expected next year is a sum of hazards, tighter still
    assert found.before.sum() == pytest.approx(before, rel=0.03)
    assert found.expected.sum() == pytest.approx(after, rel=0.03)
    fall = 1 - after / before
    assert 1 - found.expected.sum() / found.before.sum() == pytest.approx(fall, abs=0.02)
    assert fall > 0.3  # the selection implies a large fall, so the test could fail


def test_a_lever_that_does_nothing_shows_the_fall_before_after_and_none_paired(tiny):
    clock = Clock(dt.date(2019, 4, 1), months=12, warmup_months=1)
    base = load_scenario(BASELINE, ('place="tiny"',))
    nothing = load_scenario(
        BASELINE,
        (
            'place="tiny"',
            'interventions.symphony.practices="all"',
            'interventions.symphony.cohorts=["0", "1", "2", "3", "4+"]',
            "interventions.symphony.enrol_share=0.05",
            'interventions.symphony.rank_by="last_year_admissions"',
            "interventions.symphony.case_manager_fte=10.0",
        ),
    )
    a = run_replication(base, tiny, clock, Streams(3, 0))
    b = run_replication(nothing, tiny, clock, Streams(3, 0))
    enrolled = [n for n in b.data_vars if n.startswith("enrolled_")]
    for name in set(a.data_vars) - set(enrolled) - {"intervention_cost", "cost"}:
        assert np.array_equal(a[name].values, b[name].values, equal_nan=True), name
    share = b.enrolled_hazard_share
    paired = float((b.enrolled_emergency_admissions - a.emergency_admissions * share).sum())
    assert paired == pytest.approx(0.0, abs=1e-9)
    before = float(b.enrolled_admissions_year_before.isel(month=0).sum())
    after = float(b.enrolled_emergency_admissions.sum())
    # the engine's year follows the hazards the selection saw, so before/after shows the fall
    # the selection implies, about 70% (tolerances: a draw of ~1,000 admissions last year, and
    # the engine's own admissions, which follow its A&E and run ~9% above the published rate)
    hazard = hazards(tiny.population, _expected_admissions(tiny))[tiny.population.makes_demand]
    implied_before, implied_after = _implied_by_selection(hazard, int(b.enrolled_persons[0].sum()))
    assert before == pytest.approx(implied_before, rel=0.1)
    assert 1 - after / before == pytest.approx(1 - implied_after / implied_before, abs=0.05)


def _spec(**values):
    return SymphonySpec(practices="all", enrol_share=0.01, **values)


def _erlang_integral(t: np.ndarray, mean: float) -> np.ndarray:
    """∫_0^t F(s) ds for the Erlang(3) distribution of mean ``mean``: t F(t) - mean G4(t)."""
    t = np.maximum(t, 0.0)
    scale = mean / 3
    return t * stats.gamma.cdf(t, 3, scale=scale) - mean * stats.gamma.cdf(t, 4, scale=scale)


def test_the_learning_lag_is_a_third_order_delays_step_response():
    line = Timeline(_spec(learning_months=12.0), capacity_share=1.0)
    months = np.arange(48)
    got = np.array([line.at(k).benefit for k in months])
    want = _erlang_integral(months + 1.0, 12.0) - _erlang_integral(months + 0.0, 12.0)
    np.testing.assert_allclose(got, want, atol=1e-9)
    assert got[0] < 0.01 and got[11] == pytest.approx(0.57, abs=0.03)  # S-shaped, half by ~1 mean


def test_the_benefit_drains_through_the_same_delay_when_the_money_stops():
    line = Timeline(_spec(learning_months=9.0, funded_months=24), capacity_share=1.0)
    months = np.arange(60.0)
    got = np.array([line.at(int(k)).benefit for k in months])
    on = _erlang_integral(months + 1, 9.0) - _erlang_integral(months, 9.0)
    off = _erlang_integral(months + 1 - 24, 9.0) - _erlang_integral(months - 24, 9.0)
    np.testing.assert_allclose(got, on - off, atol=1e-9)
    assert line.at(30).staffing == 0.0 and line.at(59).benefit < 0.01


def test_caseload_caps_coverage_and_new_patients_uncover_need_that_decays():
    line = Timeline(_spec(unmet_need_months=6.0, ramp_months=0), capacity_share=0.3)
    assert [line.at(k).coverage for k in (0, 10)] == [0.3, 0.3]
    assessed = np.array([line.at(k).assessed for k in range(12)])
    np.testing.assert_allclose(assessed, 0.3 * np.exp(-np.arange(12) / 6.0))
    assert line.at(200).benefit == pytest.approx(0.3)


def test_the_risk_tool_reaches_the_c_statistic_asked(default):
    place, expected = default
    spec = _spec(cohorts=["0", "1", "2", "3", "4+"], risk_tool_c_statistic=0.7)
    found = find_cases(place, np.ones(expected.shape), expected, spec, "interventions.x", 1)
    assert found.c_statistic == pytest.approx(0.7, abs=1e-4)
    # a c-statistic against a known case: a perfect score of a two-risk population
    hazard = np.array([0.01] * 50 + [2.0] * 50)
    p = 1 - np.exp(-hazard)
    exact = (p[50:].sum() * (1 - p[:50]).sum() + 0.5 * _same(p[:50]) + 0.5 * _same(p[50:])) / (
        p.sum() * (1 - p).sum() - (p * (1 - p)).sum()
    )
    assert c_statistic(hazard, hazard) == pytest.approx(exact)


def _same(p):
    """Weight of admitted-versus-spared pairs within one tied group, self-pairs excluded."""
    return p.sum() * (1 - p).sum() - (p * (1 - p)).sum()
