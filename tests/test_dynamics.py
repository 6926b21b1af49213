"""The system-dynamics layer against analytic responses, mass balance and equilibrium."""

import math

import numpy as np
import pytest

from simulate.model.stocks.dynamics import (
    Delay,
    Funding,
    Population,
    PopulationRates,
    Workforce,
    WorkforceRates,
)


@pytest.mark.parametrize("order", [1, 3])
def test_delay_step_response_is_the_analytic_one(order):
    tau, dt = 6.0, 0.25  # months
    delay = Delay(tau, order)
    for step in range(1, 200):
        delay.step(1.0, dt)
        x = order * step * dt / tau
        # Erlang(order) distribution function: the step response of an order-n material delay
        expected = 1 - math.exp(-x) * sum(x**i / math.factorial(i) for i in range(order))
        # the issue asks for 1% (first order) and 2% (third); exact integration gives rounding
        assert delay.outflow_rate == pytest.approx(expected, abs=1e-9)


def test_delay_conserves_material():
    delay = Delay(3.0, 3)
    out = sum(delay.step(2.0 if t < 10 else 0.0, 0.5) for t in range(100))
    assert out + delay.in_transit == pytest.approx(2.0 * 10 * 0.5, rel=1e-12)


def rates(births=1200.0):
    bands = 4  # 0-19, 20-44, 45-64, 65+
    return PopulationRates(
        band_years=np.array([20.0, 25.0, 20.0, np.inf]),
        mortality=np.array(
            [
                [0.0003] * 5,
                [0.001] * 5,
                [0.004, 0.005, 0.006, 0.008, 0.012],
                [0.03, 0.035, 0.04, 0.05, 0.08],
            ]
        ),
        onset=np.array([0.01, 0.03, 0.06, 0.12]),
        emigration=np.full(bands, 0.01),
        births=births,
        immigration=np.array([100.0, 400.0, 100.0, 20.0]),
    )


def test_population_mass_balance_every_month_and_no_negative_cohort():
    people = np.full((4, 5), 1000.0)
    population = Population(people, rates())
    total = people.sum()
    for _ in range(240):
        flows = population.step()
        new_total = population.people.sum()
        assert new_total == pytest.approx(
            total + flows["births"] + flows["immigrants"] - flows["deaths"] - flows["emigrants"],
            rel=1e-12,
        )
        assert population.people.min() >= -1e-9
        total = new_total


def test_population_without_forcing_stays_in_equilibrium():
    steady = Population(np.zeros((4, 5)), rates()).equilibrium()
    population = Population(steady, rates())
    for _ in range(120):
        population.step()
    drift = np.abs(population.people - steady).sum() / steady.sum()
    assert drift < 0.001


def test_a_single_cohort_fills_like_a_first_order_delay():
    # births B into one band with death rate mu: N(t) = B/mu (1 - exp(-mu t))
    r = PopulationRates(
        band_years=np.array([np.inf]),
        mortality=np.array([[0.05] * 5]),
        onset=np.array([0.0]),
        emigration=np.array([0.0]),
        births=500.0,
    )
    population = Population(np.zeros((1, 5)), r)
    for _ in range(60):
        population.step()
    assert population.people.sum() == pytest.approx(
        500 / 0.05 * (1 - math.exp(-0.05 * 5)), rel=1e-9
    )


def test_multimorbidity_rises_with_age_in_equilibrium():
    steady = Population(np.zeros((4, 5)), rates()).equilibrium()
    share_2plus = steady[:, 2:].sum(axis=1) / steady.sum(axis=1)
    assert np.all(np.diff(share_2plus) > 0)


def workforce_rates():
    return WorkforceRates(
        leaving_rate=0.09,
        overload_leaving_ratio=1.5,
        overload_from=1.0,
        overload_full=1.1,
        recruitment_delay_years=0.5,
        adjustment_years=0.25,
    )


def test_balanced_workforce_stays_put_and_counts_every_fte():
    workforce = Workforce(np.array([10.0, 4.0]), workforce_rates())
    joined = left = 0.0
    for _ in range(120):
        flows = workforce.step(funded=np.array([10.0, 4.0]), pressure=np.array([0.9, 1.0]))
        joined += flows["joiners"].sum()
        left += flows["leavers"].sum()
    assert workforce.fte == pytest.approx([10.0, 4.0], rel=0.001)
    assert workforce.fte.sum() == pytest.approx(14.0 + joined - left, rel=1e-12)
    assert workforce.fte.min() > 0


def test_pressure_shock_raises_attrition_at_once_and_fte_falls():
    workforce = Workforce(np.array([10.0]), workforce_rates())
    calm = workforce.step(np.array([10.0]), np.array([0.95]))["leavers"][0]
    shocked = workforce.step(np.array([10.0]), np.array([1.2]))["leavers"][0]
    assert shocked == pytest.approx(calm * 1.5, rel=0.01)
    for _ in range(3):
        workforce.step(np.array([10.0]), np.array([1.2]))
    assert workforce.fte[0] < 10.0  # the pipeline cannot replace the extra leavers at once


def test_funding_step_raises_fte_only_after_the_commissioning_delay():
    heads, cost = 100_000, 110_000.0
    funding = Funding(per_head=60.0, cost_per_fte=cost, delay_years=0.75, heads=heads)
    workforce = Workforce(np.array([funding.funded_fte]), workforce_rates())
    start = workforce.fte[0]
    path = []
    for _ in range(60):
        funding.step(per_head=80.0, heads=heads)  # +GBP 20 a head from month 0
        workforce.step(np.array([funding.funded_fte]), np.array([1.0]))
        path.append(workforce.fte[0])
    gap = (80 - 60) * heads / cost  # 18.2 FTE newly funded
    # money takes 9 months (third order) and recruits 6 more: almost nothing in two months,
    # half the gap closed only after the combined mean delay of about 1.5 years
    assert path[1] - start < 0.01 * gap
    assert path[11] - start < 0.5 * gap < path[23] - start
    assert path[-1] == pytest.approx(80.0 * heads / cost, rel=0.02)  # the new funded level
    assert all(b >= a - 1e-9 for a, b in zip(path, path[1:]))  # monotone, no overshoot below
