"""The population stocks against mass balance, equilibrium and a first-order delay's fill."""

import math

import numpy as np
import pytest

from simulate.model.stocks.population import Population, PopulationRates


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
