"""The changing population against a life table, exact mass balance and its fitted prevalence."""

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.demography import life_table_path, read_life_table
from simulate.inputs.scenario import load_scenario
from simulate.model.stocks.demography import (
    AGE_MONTHS,
    MONTHS,
    Demography,
    DemographyRates,
    stacked_expm,
)
from simulate.model.stocks.people import changing

ENGLAND = life_table_path("england")


def rates_without_change(mx: np.ndarray, **change) -> DemographyRates:
    """Deaths at the life table's rates only: no onset, births, migration or improvement."""
    sexes, years = mx.shape
    rates = DemographyRates(
        mortality=np.repeat(mx[:, :, None], 5, axis=2),
        onset=np.zeros((sexes, 5, years, 5)),
        births_per_woman_year=0.0,
        male_birth_share=0.5,
        migration_rate=np.zeros(8),
    )
    for key, value in change.items():
        setattr(rates, key, value)
    return rates


@pytest.mark.parametrize("age", [0, 40, 60, 80])
def test_a_cohort_survives_as_its_life_table_says(age):
    # the published table's qx, chained: l(x+n)/l(x) = prod (1 - q); read independently of mx
    rows = [line.split(",") for line in ENGLAND.read_text().splitlines()[1:] if line[0] != "#"]
    qx = {(sex, int(a)): float(q) for sex, a, _, q in rows[1:]}
    mx = read_life_table(ENGLAND)
    people = np.zeros((1, 2, 5, AGE_MONTHS, 5))
    people[0, :, 0, age * MONTHS, 0] = 100_000.0  # aged exactly ``age``, both sexes
    population = Demography(people, rates_without_change(mx), 2019)
    years = 15
    for _ in range(years * MONTHS):
        population.step()
    for s, sex in enumerate(("male", "female")):
        expected = 100_000.0 * np.prod([1 - qx[sex, a] for a in range(age, age + years)])
        survivors = population.x[0, s].sum()
        assert survivors == pytest.approx(expected, rel=0.01)
        # and they are all aged exactly age + years
        assert population.x[0, s, 0, (age + years) * MONTHS].sum() == pytest.approx(survivors)


@pytest.fixture(scope="module")
def tiny_demography(tiny):
    spec = load_scenario(BASELINE, ('place="tiny"',)).spec
    return changing(spec, tiny), tiny


def test_every_cell_balances_every_month_and_none_goes_negative(tiny_demography, tmp_path):
    population, _ = tiny_demography
    x0 = population.x.copy()
    try:
        for _ in range(24):
            before = population.x.sum(axis=(0, 3))  # [sex, dep, cohort]
            flows = population.step()
            after = population.x.sum()
            assert after == pytest.approx(
                before.sum() + flows["births"] + flows["net_migrants"] - flows["deaths"],
                rel=1e-12,
            )
            assert population.x.min() >= 0.0
        # totals over the two years, by the counters
        t = population.totals
        assert population.x.sum() == pytest.approx(
            x0.sum() + t["births"] + t["net_migrants"] - t["deaths"], rel=1e-12
        )
    finally:
        population.x[:] = x0
        population.months_done = 0
        population.totals = dict.fromkeys(population.totals, 0.0)


def test_a_net_outflow_larger_than_a_band_empties_it_and_no_more():
    mx = read_life_table(ENGLAND)
    people = np.zeros((1, 2, 5, AGE_MONTHS, 5))
    people[0, :, 0, 30 * MONTHS : 31 * MONTHS, 2] = 10.0  # 240 people aged 30 (band 25-44)
    persons = np.zeros((2, 8))
    persons[:, 3] = -1e6  # a projection asking 1 million to leave a band of 120 each

    class Projection:
        def of_year(self, year):
            return persons

    population = Demography(people, rates_without_change(mx, migration_persons=Projection()), 2019)
    flows = population.step()
    assert population.x.min() == 0.0
    assert flows["net_migrants"] == pytest.approx(-(240.0 - flows["deaths"]), rel=1e-12)


def test_stacked_expm_agrees_with_scipy():
    from scipy.linalg import expm

    rng = np.random.default_rng(3)
    generators = rng.exponential(0.2, size=(4, 5, 5))
    generators[1] *= 40  # one large enough to need squaring
    for g in generators:
        np.fill_diagonal(g, 0.0)
        g[np.diag_indices(5)] = -g.sum(axis=0)
    np.testing.assert_allclose(stacked_expm(generators), expm(generators), rtol=1e-12, atol=1e-14)


def test_the_fitted_curve_gives_each_published_band_exactly_in_expectation(tiny):
    # Barnett et al. 2012, 2+ conditions by age 0-24 ... 85+: the knots are solved so that the
    # *expected* band averages over the place's own ages and deprivation equal them
    from simulate.model.population import (
        AGE5_MIDPOINT,
        PREVALENCE_BAND_OF_AGE5,
        ltc_distribution,
    )

    pop, spec = tiny.population, tiny.spec.population
    shift = spec.deprivation_onset_shift_years * (3 - pop.deprivation) / 4
    shares = ltc_distribution(AGE5_MIDPOINT[pop.age5] + shift, pop.ltc_curve, 1.0)
    expected = [
        shares[PREVALENCE_BAND_OF_AGE5[pop.age5] == b, 2:].sum(axis=1).mean() for b in range(5)
    ]
    np.testing.assert_allclose(expected, spec.prevalence_2plus_by_age, atol=0.003)


def test_the_fitted_onset_keeps_each_age_bands_mix_a_year_on(tiny_demography):
    # the pseudo-cohort fit: re-simulated for a year (births, deaths, migration and onset all on),
    # every age band's share with 2+ conditions stays within 1 percentage point of the start's
    population, _ = tiny_demography
    x0, done = population.x.copy(), population.months_done

    def two_plus(p):
        bands = p.by_band().sum(axis=0)
        return bands[:, 2:].sum(axis=1) / bands.sum(axis=1)

    start = two_plus(population)
    try:
        for _ in range(12):
            population.step()
        np.testing.assert_allclose(two_plus(population), start, atol=0.01)
    finally:
        population.x[:] = x0
        population.months_done = done
        population.totals = dict.fromkeys(population.totals, 0.0)
