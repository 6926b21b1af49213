"""The place's population stocks at the start: the changing population, or the steady state.

By default people are born, age month by month, die at the life table's rates, gather conditions
at onset hazards fitted to the place's prevalence by age, and migrate
(:class:`~simulate.model.stocks.demography.Demography`). ``dynamics.hold_age_structure`` keeps the
older steady state (:class:`~simulate.model.stocks.population.HeldPopulation`), for experiments
that need a population that does not change; so does a cohort-table place, which has no ages.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.categories import AGE5, AGE_BANDS, BAND_YEARS, COHORTS, SEXES
from simulate.inputs.demography import (
    life_table_path,
    migration_path,
    read_life_table,
    read_net_migration,
)
from simulate.model.population import ltc_distribution
from simulate.model.rates import by_age_and_ltc, reference_ltc_mix
from simulate.model.stocks.demography import (
    BAND_START_YEARS,
    TOP_YEAR,
    Demography,
    DemographyRates,
    fitted_onset,
    spread_to_months,
)
from simulate.model.stocks.population import HeldPopulation, PopulationRates, steady_onset

CHILDBEARING_YEARS = 30.0
"""Years of age 15-44 over which a woman's births (the total fertility rate) are spread."""


def population_stocks(spec, place, folder=None):
    """The population stocks of ``place`` under ``spec`` (a :class:`ScenarioSpec`)."""
    if spec.dynamics.hold_age_structure or place.spec.population.is_table:
        return held(spec.dynamics, place)
    return changing(spec, place, folder)


def held(d, place) -> HeldPopulation:
    """The band stocks of the steady state, as the model had them before demographic change."""
    population = place.population
    people = population.count(
        {
            "p": (population.practice, population.n_practices),
            "a": (population.age_band, len(AGE_BANDS)),
            "k": (population.cohort, len(COHORTS)),
        }
    ).astype(float)
    bands = people.shape[1]
    mortality = by_age_and_ltc(
        np.asarray(d.deaths_per_1000_per_year_by_age) / 1000,
        d.deaths_ratio_by_ltc,
        reference_ltc_mix(place),
    )
    rates = PopulationRates(
        band_years=BAND_YEARS[:bands],
        mortality=mortality,
        onset=np.asarray(d.ltc_onset_per_person_year_by_age, dtype=float),
        emigration=np.full(bands, d.emigration_per_person_year),
        births=0.0,
    )
    births = d.births_per_1000_per_year / 1000 * people.sum(axis=(1, 2))
    if d.hold_ltc_mix:
        rates.onset = steady_onset(people.sum(axis=0), rates, births.sum())
    by_sex = population.count(
        {"s": (population.sex, len(SEXES)), "a": (population.age_band, len(AGE_BANDS))}
    )
    sex_share = by_sex / np.maximum(by_sex.sum(axis=0, keepdims=True), 1)
    return HeldPopulation(
        people, rates, births, d.hold_age_structure, sex_share, population.demand_mix
    )


def changing(spec, place, folder=None) -> Demography:
    """The changing population: the place's people by month of age, and their rates."""
    d, pop = spec.dynamics, place.population
    mx = read_life_table(life_table_path(d.life_table, folder))  # [sex, year of age]
    people5 = pop.count(
        {
            "p": (pop.practice, pop.n_practices),
            "s": (pop.sex, len(SEXES)),
            "d": (pop.deprivation - 1, 5),
            "a": (pop.age5, len(AGE5)),
            "k": (pop.cohort, len(COHORTS)),
        }
    ).astype(float)
    migration = None
    if d.net_migration_csv:
        migration = read_net_migration(migration_path(d.net_migration_csv, folder))
    rates = DemographyRates(
        mortality=mortality_by_conditions(mx, d.deaths_ratio_by_ltc, _shares(place)),
        onset=np.zeros(0),
        births_per_woman_year=d.total_fertility_rate / CHILDBEARING_YEARS,
        male_birth_share=d.male_births_per_female_birth / (1 + d.male_births_per_female_birth),
        migration_rate=np.asarray(d.net_migration_per_1000_per_year_by_age) / 1000,
        migration_persons=migration,
        mortality_improvement=d.mortality_improvement_per_year,
    )
    rates.onset = onset(d, place, rates.mortality)
    return Demography(spread_to_months(people5, mx), rates, spec.start.year)


def _shares(place):
    """The place's LTC mix [age, cohort] as a function of age (years) at average deprivation."""
    ps = place.spec.population
    means = place.population.ltc_curve
    return lambda age: ltc_distribution(np.asarray(age, dtype=float), means, ps.ltc_count_shape)


def mortality_by_conditions(mx: np.ndarray, ratio_by_ltc, shares) -> np.ndarray:
    """Deaths per person-year [sex, year, cohort]: the life table spread by conditions.

    Age-adjusted ratios by number of conditions, divided by their mean over each age's LTC mix,
    so that at the start's mix every age dies at the life table's rate; as conditions gather,
    mortality rises with them.
    """
    ratio = np.asarray(ratio_by_ltc, dtype=float)
    mix = shares(np.arange(TOP_YEAR + 1) + 0.5)  # [year, cohort]
    return mx[:, :, None] * ratio[None, None, :] / (mix @ ratio)[None, :, None]


def onset(d, place, mortality: np.ndarray) -> np.ndarray:
    """Onset hazards [sex, dep, year, cohort]: fitted to prevalence by age, or the given ones."""
    ps = place.spec.population
    shifts = ps.deprivation_onset_shift_years * (3 - np.arange(1, 6)) / 4
    if d.hold_ltc_mix:
        return fitted_onset(_shares(place), mortality, shifts)
    band = np.searchsorted(BAND_START_YEARS, np.arange(TOP_YEAR + 1), side="right") - 1
    given = np.asarray(d.ltc_onset_per_person_year_by_age, dtype=float)[band]
    hazards = np.zeros((len(SEXES), len(shifts), TOP_YEAR + 1, len(COHORTS)))
    hazards[..., :-1] = given[None, None, :, None]
    return hazards
