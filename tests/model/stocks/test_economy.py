"""The system-dynamics layer coupled to the engine, the mean-field mode, and the loop figure."""

import datetime as dt

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.place import load_place
from simulate.model.replication import run_replication
from simulate.model.stocks.economy import Pressures, for_place
from simulate.model.stocks.loops import LINKS
from simulate.model.streams import Streams
from simulate.results.loops import draw_loops


def test_the_figure_draws_exactly_the_codes_links(tmp_path):
    drawn = draw_loops(tmp_path / "loops.svg")
    assert drawn == [(link.cause, link.effect, link.sign) for link in LINKS]
    assert (tmp_path / "loops.svg").stat().st_size > 0
    # every loop named in the docs closes: each effect is some link's cause or a leaf outcome
    causes = {link.cause for link in LINKS}
    assert {"GP FTE", "GP workload pressure", "beds", "bed occupancy"} <= causes


def test_held_stocks_hold_the_place_near_steady_for_two_years(tiny):
    spec = load_scenario(BASELINE, ('place="tiny"', "dynamics.hold_age_structure=true")).spec
    stocks = for_place(spec, tiny)
    np.testing.assert_array_equal(stocks.registered, tiny.registered)  # exact at the start
    fte0, people0 = stocks.gp_fte.copy(), stocks.registered.sum()
    beds = tiny.spec.trust.beds
    opened = 0.0
    for _ in range(24):
        slots = stocks.gp_fte * 35.7 * 21
        opened += stocks.month(Pressures(slots * 1.0, slots, 0.9 * beds, beds))
    assert stocks.registered.sum() == pytest.approx(people0, rel=1e-3)
    assert stocks.registered.sum(axis=0) == pytest.approx(tiny.registered.sum(axis=0), rel=0.02)
    assert stocks.gp_fte == pytest.approx(fte0, rel=5e-3)
    assert opened == 0.0  # occupancy below the trigger builds no beds


def test_extra_funding_buys_fte_only_after_the_funding_and_recruitment_delays(tiny):
    spec = load_scenario(
        BASELINE,
        (
            'place="tiny"',
            "dynamics.extra_gp_funding_GBP_per_head_per_year=20",
            "dynamics.hold_age_structure=true",  # a growing list would fund FTE of its own
        ),
    ).spec
    stocks = for_place(spec, tiny)
    fte0 = stocks.gp_fte.sum()
    gap = 20 * tiny.total / spec.dynamics.gp_fte_cost_GBP_per_year
    path = []
    for _ in range(36):
        slots = stocks.gp_fte * 35.7 * 21
        stocks.month(Pressures(slots, slots, 0.0, 100))
        path.append(stocks.gp_fte.sum() - fte0)
    assert path[1] < 0.02 * gap  # money takes months to arrive, recruits months more
    assert path[5] < 0.5 * gap < path[23]
    assert path[35] == pytest.approx(gap, rel=0.05)


def test_overload_raises_leavers_and_fte_dips_before_recruitment_recovers(tiny, baseline_tiny):
    stocks = for_place(baseline_tiny.spec, tiny)
    fte0 = stocks.gp_fte.sum()
    for _ in range(6):
        slots = stocks.gp_fte * 35.7 * 21
        stocks.month(Pressures(slots * 1.3, slots, 0.0, 100))  # full overload
    assert stocks.gp_fte.sum() < fte0


def test_a_run_records_monthly_stocks_and_spend_by_tier(tiny, baseline_tiny):
    clock = Clock(dt.date(2019, 4, 1), months=3, warmup_months=1)
    timings = {}
    part = run_replication(baseline_tiny, tiny, clock, Streams(3, 0), timings)
    for name, units in (
        ("registered_population", "persons"),
        ("gp_fte", "FTE"),
        ("gp_fte_funded", "FTE"),
        ("funding_allocated", "GBP"),
        ("investment_committed", "GBP"),
        ("spend_acute", "GBP"),
    ):
        assert part[name].attrs["units"] == units
        assert np.isfinite(part[name].values).all()
    tiers = sum(
        part[f"spend_{t}"] for t in ("practice", "hub", "community", "acute", "urgent_care")
    )
    tiers = tiers + part["intervention_cost"]
    np.testing.assert_allclose(tiers.values, part["cost"].values, rtol=1e-12)
    assert 0 < timings["dynamics_seconds"] < timings["total_seconds"]


CONGESTED = ("hub_appointments", "beds_occupied", "ae_attendances", "ae_wait_hours")
"""Outcomes whose capacity binds on some days: the fluid limit's known bias (see the test). A&E
attendances are among them because patience leaks a practice's backlog to A&E every day, and the
fluid book carries no backlog from day-to-day variation in demand; A&E waits because the fluid
queue does not tell the days of the week apart, and cubicles bind on busy Monday mornings (the
background's weekday profile peaks there once the routed arrivals' evenings are set aside)."""
HEADLINE = (
    "gp_requests",
    "gp_appointments",
    "hub_appointments",
    "ae_attendances",
    "emergency_admissions",
    "beds_occupied",
    "ae_wait_hours",
    "community_nursing_caseload",
)


@pytest.fixture(scope="module")
def default_runs():
    place = load_place("default")
    # the tiers are compared, so the population is held: its stocks are the same deterministic
    # code in both modes. (On the changing default, measured: GP appointments missed the
    # interval in 2 of 6 months, by 1-2% of its half-width, the six months' mean difference -16
    # of ~100,000 a month: chance under fixed seeds, not bias.)
    held = ("dynamics.hold_age_structure=true",)
    hybrid = load_scenario(BASELINE, held)
    sd = load_scenario(BASELINE, ('dynamics.mode="sd"', *held))
    clock = Clock(hybrid.spec.start, months=6, warmup_months=2)
    mean_field = run_replication(sd, place, clock, Streams(1, 0))
    replications = [run_replication(hybrid, place, clock, Streams(7, r)) for r in range(8)]
    return mean_field, replications


@pytest.mark.parametrize("name", HEADLINE)
def test_mean_field_months_lie_in_the_hybrid_95_percent_intervals(default_runs, name):
    mean_field, replications = default_runs

    def monthly(part):
        v = part[name]
        return v.sum([d for d in v.dims if d != "month"]).values

    runs = np.array([monthly(p) for p in replications])
    mean = runs.mean(axis=0)
    half = 2.365 * runs.std(axis=0, ddof=1) / np.sqrt(len(runs))  # t(7), 95%
    if name in CONGESTED:
        # where capacity binds on some days and not others the fluid limit is biased
        # (E[min(X, c)] <= min(E[X], c)): the fluid hub sees a little more than the hybrid's mean,
        # and the fluid beds, with no boarding, hold a little fewer; allow 3% beside the interval
        half = half + 0.03 * mean
    inside = np.abs(monthly(mean_field) - mean) <= half
    # fixed seeds, so deterministic; 5 of 6 months allows the 1-in-20 miss an unbiased
    # estimate makes by chance, and the months' mean difference must be inside too
    assert inside.sum() >= 5, (monthly(mean_field), mean, half)
    assert abs(np.mean(monthly(mean_field) - mean)) <= np.mean(half)


def test_a_per_capita_trend_multiplies_demand_over_demography(tiny):
    def base_after_a_year(growth):
        spec = load_scenario(
            BASELINE, ('place="tiny"', f"dynamics.demand_growth_per_person_year={growth}")
        ).spec
        stocks = for_place(spec, tiny)
        for _ in range(12):
            slots = stocks.gp_fte * 35.7 * 21
            stocks.month(Pressures(slots, slots, 0.0, 100))
        return stocks.demand_base.sum()

    # 2% a year compounds to exactly 1.02 after twelve months, on the same demography
    assert base_after_a_year(0.02) == pytest.approx(1.02 * base_after_a_year(0.0), rel=1e-12)
